#pragma once
// One sync cycle: catalogue → national listing → plan → outbox → push →
// state → coverage. Every step is a function with a name you can find.

#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "daemon/core/coverage.hpp"
#include "daemon/core/plan.hpp"
#include "daemon/core/withdraw_guard.hpp"
#include "daemon/engine/clock.hpp"
#include "daemon/engine/ports.hpp"
#include "daemon/engine/pusher.hpp"
#include "daemon/state/state_store.hpp"

namespace psd::engine {

enum class CycleMode { execute, dry_run };
enum class CatalogueCache { use_etag, ignore };

/// What a request for a cycle narrows it to, passed whole from the control
/// command or timer that asked (runtime::CycleJob) to the cycle. The default
/// is a plain cycle over every service.
struct CycleTarget {
  CatalogueCache cache = CatalogueCache::use_etag;  ///< ignore: a full resync, both sides re-listed
  /// When set, only these services' writes are sent (an operator's targeted
  /// resync); the plan, the outbox and coverage still cover every service.
  std::vector<std::string> only_codes{};
  std::string only_agency{};  ///< when set, only this agency's services' writes are sent

  bool full() const { return cache == CatalogueCache::ignore; }
  bool restricted() const { return !only_codes.empty() || !only_agency.empty(); }
};

struct CycleOptions {
  std::string province;
  CycleMode mode = CycleMode::execute;
  CycleTarget target;
  core::WithdrawPolicy withdraw = core::WithdrawPolicy::keep_orphans;
  core::WithdrawLimits withdraw_limits;
  PushSettings push;
  /// Once requested (shutdown, pause), no new request starts; what is in
  /// flight finishes; outcomes so far are recorded and the report says cut_short.
  std::stop_token stop;
};

/// The exit codes of `portal-syncd --once` (contract section 5).
enum class ExitCode : int { in_sync = 0, not_in_sync = 1, fatal = 2, listing_failed = 3 };

struct QueueCounts {
  std::uint64_t pending = 0;   ///< ops waiting in the outbox
  std::uint64_t retrying = 0;  ///< of those, ops sent before without success
  std::uint64_t rejected = 0;  ///< services parked as rejected
  std::uint64_t invalid = 0;   ///< invalid records that count as active
};

/// What a cycle did, for the status file, the log and the exit code.
struct CycleReport {
  std::string started_at;
  std::string finished_at;
  state::CycleResult result = state::CycleResult::ok;
  std::string error;                              ///< empty when none; one line
  std::optional<core::Plan> plan;                 ///< when both listings were read
  std::optional<core::Coverage> coverage_before;  ///< when both listings were read
  std::optional<core::Coverage> coverage;         ///< after the pushes
  std::uint64_t pushed = 0;                       ///< writes that succeeded
  std::uint64_t failed = 0;          ///< pushes that ended not done (failed or rejected)
  std::uint64_t listed = 0;          ///< catalogue records read (valid and invalid)
  std::uint64_t sends = 0;           ///< write requests, retries included
  bool catalogue_unchanged = false;  ///< 304 on page 1
  /// 304, and the listing as the last settled cycle left it: nothing was
  /// planned, the coverage is that cycle's (no per-service work).
  bool settled = false;
  bool cut_short = false;  ///< CycleOptions::stop ended it early
  int catalogue_restarts = 0;
  std::uint64_t information_only = 0;    ///< see core::Snapshot::information_only
  std::vector<core::RemapUse> remapped;  ///< see core::Snapshot::remapped
  QueueCounts queue;
  std::vector<core::InvalidRecord> invalid;  ///< as reported by the plan
  std::vector<core::ParkedPush> rejected;    ///< every parked reject: earlier ones and new ones
  ExitCode exit_code = ExitCode::in_sync;
};

/// Run one cycle. In dry-run mode, read both sides and plan, and write
/// nothing: neither to the portal nor to state.db.
CycleReport run_cycle(CatalogueSource& catalogue, NationalPortal& portal, state::StateStore& store,
                      Clock& clock, const CycleOptions& options, const ProgressFn& progress);

}  // namespace psd::engine
