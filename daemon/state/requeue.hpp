#pragma once
// Re-queueing parked pushes on an operator's request (portal-syncctl retry).

#include <string>
#include <vector>

namespace psd::state {

/// Which parked pushes to re-queue. No code and neither flag: all of them.
struct RequeueRequest {
  std::vector<std::string> codes{};  ///< only these services
  bool rejected = false;             ///< services parked as rejected by the portal
  bool failed = false;               ///< pushes that ran out of attempts in a cycle
};

struct RequeueResult {
  /// Rejected services made pushable again: the next cycle plans them anew.
  std::vector<std::string> rejected;
  /// Failed pushes still in the outbox: the next cycle resends them with their key.
  std::vector<std::string> failed;
  /// Codes asked for that are neither rejected nor failed.
  std::vector<std::string> not_parked;
};

}  // namespace psd::state
