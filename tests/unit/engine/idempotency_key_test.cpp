#include "daemon/engine/idempotency_key.hpp"

#include <gtest/gtest.h>

#include <string>

namespace psd::engine {
namespace {

TEST(IdempotencyKey, IsPrintableBoundedAndFreshEachTime) {
  const std::string key = new_idempotency_key("H43", std::string(64, 'z'));
  EXPECT_LE(key.size(), 255u);
  for (const char c : key) EXPECT_TRUE(c > 0x20 && c < 0x7f) << key;
  EXPECT_NE(new_idempotency_key("H43", "A"), new_idempotency_key("H43", "A"));
}

}  // namespace
}  // namespace psd::engine
