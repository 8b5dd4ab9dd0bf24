#include "daemon/core/withdraw_guard.hpp"

#include <gtest/gtest.h>

namespace psd::core {
namespace {

Plan withdrawing(std::size_t count) {
  Plan plan;
  for (std::size_t i = 0; i < count; ++i) plan.withdrawals.push_back("W" + std::to_string(i));
  return plan;
}

const WithdrawLimits kLimits{0.05, 0.10};

TEST(WithdrawGuard, AllowsASmallWithdrawalFromAHealthyListing) {
  EXPECT_FALSE(withdraw_refusal(withdrawing(5), 1000, 1000, 1005, kLimits));
  EXPECT_FALSE(withdraw_refusal(withdrawing(0), 0, 1000, 1000, kLimits));
}

TEST(WithdrawGuard, RefusesFromAnEmptyListing) {
  EXPECT_NE(withdraw_refusal(withdrawing(1), 0, std::nullopt, 1000, kLimits)->find("empty"),
            std::string::npos);
}

TEST(WithdrawGuard, RefusesFromAShrunkListing) {
  EXPECT_FALSE(withdraw_refusal(withdrawing(1), 900, 1000, 1000, kLimits));  // exactly 10%
  EXPECT_NE(
      withdraw_refusal(withdrawing(1), 899, 1000, 1000, kLimits)->find("max_catalogue_shrink"),
      std::string::npos);
}

TEST(WithdrawGuard, RefusesToWithdrawTooLargeAShare) {
  EXPECT_FALSE(withdraw_refusal(withdrawing(50), 1000, 1000, 1000, kLimits));  // exactly 5%
  EXPECT_NE(
      withdraw_refusal(withdrawing(51), 1000, 1000, 1000, kLimits)->find("max_withdraw_fraction"),
      std::string::npos);
}

}  // namespace
}  // namespace psd::core

namespace psd::core {
namespace {

TEST(WithdrawGuard, AnEmptyOrMuchShrunkListingIsSuspect) {
  EXPECT_TRUE(listing_is_suspect(0, std::nullopt, kLimits));
  EXPECT_TRUE(listing_is_suspect(899, 1000, kLimits));
  EXPECT_FALSE(listing_is_suspect(900, 1000, kLimits));   // exactly 10%
  EXPECT_FALSE(listing_is_suspect(1500, 1000, kLimits));  // growth is never suspect
  EXPECT_FALSE(listing_is_suspect(5, std::nullopt, kLimits));
}

}  // namespace
}  // namespace psd::core
