#pragma once
// Many of portal-sim's ledger counters checked at once, by name:
//
//   EXPECT_TRUE(ledger_has(sim.ledger(), {{"creates", 141}, {"updates", 25}}));
//   EXPECT_TRUE(no_mistakes(sim.ledger()));
//
// A failure names every counter that differs, with both values.

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "tests/support/sim_process.hpp"

namespace psd::testing {

/// Counter name (as in /_sim/ledger and SimLedger's members) → its value.
using LedgerCounts = std::map<std::string, std::uint64_t>;

/// Passes when each counter of `expected` has exactly its value in `ledger`;
/// a name the simulator does not count fails.
inline ::testing::AssertionResult ledger_has(const SimLedger& ledger,
                                             const LedgerCounts& expected) {
  std::string wrong;
  for (const auto& [name, value] : expected) {
    const auto it = ledger.all.find(name);
    if (it == ledger.all.end()) {
      wrong += "\n  " + name + ": portal-sim's ledger has no such counter";
    } else if (it->second != value) {
      wrong += "\n  " + name + " is " + std::to_string(it->second) + ", expected " +
               std::to_string(value);
    }
  }
  if (wrong.empty()) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "ledger counters differ:" << wrong;
}

/// The counters of what a correct client never makes the portal see: a
/// write of what it already holds, a wrong hash, a key reused or missing,
/// content or a code not in the catalogue, a request inside a Retry-After
/// window of either portal.
inline constexpr std::array<std::string_view, 8> kMistakes{
    "wasted_writes",          "hash_mismatches",
    "key_reuse_errors",       "missing_keys",
    "stale_writes",           "off_catalogue_writes",
    "retry_after_violations", "catalogue_retry_after_violations"};

/// Passes when every counter of kMistakes is 0.
inline ::testing::AssertionResult no_mistakes(const SimLedger& ledger) {
  LedgerCounts none;
  for (const std::string_view name : kMistakes) {
    none[std::string(name)] = 0;
  }
  return ledger_has(ledger, none);
}

}  // namespace psd::testing
