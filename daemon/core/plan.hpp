#pragma once
// The plan of one cycle: what to push, what is already done, what cannot be done.

#include <string>
#include <unordered_map>
#include <vector>

#include "daemon/core/mirror.hpp"
#include "daemon/core/service.hpp"

namespace psd::core {

/// A push the portal rejected (400/422) for this exact content.
struct ParkedPush {
  std::string code;
  std::string content_hash;
  std::string reason;  ///< the portal's error code and message
  bool operator==(const ParkedPush&) const = default;
};

/// code → the rejected push; a changed content hash un-parks the service.
using ParkedIndex = std::unordered_map<std::string, ParkedPush>;

enum class PushKind { create, update };

/// One PUT the cycle must send.
struct Push {
  PushKind kind = PushKind::create;
  std::string code;
  std::string content_hash;
  bool operator==(const Push&) const = default;
};

enum class WithdrawPolicy { keep_orphans, withdraw_orphans };

/// Every active catalogue service falls in exactly one of create, update,
/// in_sync (counted), parked; invalid records and national orphans are listed apart.
struct Plan {
  std::vector<Push> creates;
  std::vector<Push> updates;
  std::size_t in_sync = 0;  ///< a count: the codes would be most of the catalogue
  std::vector<ParkedPush> parked;
  std::vector<InvalidRecord> invalid;    ///< those that count as active
  std::vector<std::string> orphaned;     ///< on the portal, not active in the catalogue
  std::vector<std::string> withdrawals;  ///< orphans to DELETE (only with withdraw_orphans)

  std::size_t write_count() const { return creates.size() + updates.size() + withdrawals.size(); }
};

/// Return the plan that brings `mirror` in line with the active services of
/// `snapshot`, leaving alone the services parked in `parked` with unchanged
/// content. Lists are sorted by code so that a plan prints the same way twice.
Plan make_plan(const Snapshot& snapshot, const Mirror& mirror, const ParkedIndex& parked,
               WithdrawPolicy policy);

}  // namespace psd::core
