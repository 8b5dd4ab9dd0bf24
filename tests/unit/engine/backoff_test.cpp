#include "daemon/core/backoff.hpp"

#include <gtest/gtest.h>

#include "daemon/engine/idempotency_key.hpp"

namespace psd::engine {
namespace {

TEST(Backoff, StaysWithinTheCappedExponentialCeiling) {
  const core::BackoffPolicy policy{std::chrono::milliseconds(100), std::chrono::milliseconds(1000)};
  std::mt19937_64 random(42);
  for (int attempt = 0; attempt < 8; ++attempt) {
    const std::int64_t ceiling = std::min<std::int64_t>(1000, 100LL << attempt);
    std::int64_t largest = 0;
    for (int i = 0; i < 500; ++i) {
      const auto delay = core::backoff_delay(policy, attempt, random).count();
      ASSERT_GE(delay, 0);
      ASSERT_LE(delay, ceiling);
      largest = std::max(largest, delay);
    }
    EXPECT_GT(largest, ceiling / 2)
        << "full jitter should reach the upper half at attempt " << attempt;
  }
}

TEST(IdempotencyKey, IsPrintableBoundedAndFreshEachTime) {
  const std::string key = new_idempotency_key("H43", std::string(64, 'z'));
  EXPECT_LE(key.size(), 255u);
  for (const char c : key) EXPECT_TRUE(c > 0x20 && c < 0x7f) << key;
  EXPECT_NE(new_idempotency_key("H43", "A"), new_idempotency_key("H43", "A"));
}

}  // namespace
}  // namespace psd::engine
