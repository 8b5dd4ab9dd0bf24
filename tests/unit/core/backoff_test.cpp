#include "daemon/core/backoff.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>

namespace psd::core {
namespace {

TEST(Backoff, StaysWithinTheCappedExponentialCeiling) {
  const BackoffPolicy policy{std::chrono::milliseconds(100), std::chrono::milliseconds(1000)};
  std::mt19937_64 random(42);
  for (int attempt = 0; attempt < 8; ++attempt) {
    const std::int64_t ceiling = std::min<std::int64_t>(1000, 100LL << attempt);
    std::int64_t largest = 0;
    for (int i = 0; i < 500; ++i) {
      const auto delay = backoff_delay(policy, attempt, random).count();
      ASSERT_GE(delay, 0);
      ASSERT_LE(delay, ceiling);
      largest = std::max(largest, delay);
    }
    EXPECT_GT(largest, ceiling / 2)
        << "full jitter should reach the upper half at attempt " << attempt;
  }
}

}  // namespace
}  // namespace psd::core
