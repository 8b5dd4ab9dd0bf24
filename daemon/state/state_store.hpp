#pragma once
// The daemon's local memory: state.db (SQLite, WAL) under state_dir.

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "daemon/core/plan.hpp"
#include "daemon/core/service.hpp"
#include "daemon/state/requeue.hpp"

namespace psd::state {

enum class OpKind { put, remove };

/// A write to the national portal, committed before it is sent so that a
/// restart resends it with the same Idempotency-Key.
struct OutboxOp {
  std::int64_t id = 0;
  OpKind kind = OpKind::put;
  std::string code;
  std::string content_hash;  ///< empty for remove
  std::string idempotency_key;
  std::string body;  ///< PUT body; empty for remove
  int attempts = 0;  ///< sends so far, over all cycles
  bool operator==(const OutboxOp&) const = default;
};

enum class OutcomeKind {
  done,      ///< 2xx: the portal holds `content_hash` (or withdrew the service)
  rejected,  ///< 400/422: parked with `reason` until the content changes
  failed,    ///< gave up for this cycle: stays in the outbox, same key next time
};

struct PushOutcome {
  std::int64_t op_id = 0;
  OutcomeKind kind = OutcomeKind::done;
  int http_status = 0;
  std::string reason;  ///< portal's error code and message, or the transport error
  int sends = 0;       ///< requests sent for the op in this run: added to its attempts
};

enum class SyncResult { ok, rejected, failed };

/// The last known result for one service.
struct SyncStatus {
  std::string code;
  std::string pushed_hash;  ///< content hash of the op reported (empty for a withdrawal)
  SyncResult result = SyncResult::ok;
  int attempts = 0;        ///< sends of that op, over all cycles
  std::string last_error;  ///< empty when ok
  std::string updated_at;  ///< RFC 3339 UTC
  bool operator==(const SyncStatus&) const = default;
};

enum class CycleResult { ok, partial, failed };

/// One row of the cycle history.
struct CycleRecord {
  std::int64_t id = 0;
  std::string started_at;   ///< RFC 3339 UTC
  std::string finished_at;  ///< RFC 3339 UTC
  CycleResult result = CycleResult::ok;
  std::uint64_t pushed = 0;
  std::uint64_t failed = 0;
  std::string error;  ///< empty when none
  std::uint64_t total = 0;
  std::uint64_t integrated = 0;
  std::uint64_t in_sync = 0;
  double percent = 0;
  /// False when the cycle ended before both listings were read: the
  /// coverage fields are then 0, not a measurement.
  bool has_coverage = false;
  std::uint64_t full_total = 0;         ///< active services at level full
  std::uint64_t partial_total = 0;      ///< active services at level partial
  std::uint64_t integrated_before = 0;  ///< integrated when listed, before the pushes
  std::uint64_t in_sync_before = 0;     ///< in sync when listed, before the pushes
  bool operator==(const CycleRecord&) const = default;
};

/// Every call is one SQLite transaction at most and is serialised by an internal
/// mutex, so pusher threads may call count_attempt while the engine records.
/// SQLite errors surface as std::runtime_error naming the database file.
class StateStore {
 public:
  /// Open (creating if needed) `state_dir`/state.db, switch it to WAL and run
  /// the migrations up to `kSchemaVersion`. Throw std::runtime_error naming the
  /// file on failure.
  explicit StateStore(const std::filesystem::path& state_dir);

  static constexpr int kSchemaVersion = 2;
  /// Return the schema version the file is at (its PRAGMA user_version).
  int schema_version() const;
  /// Return the path of state.db.
  std::filesystem::path path() const;

  /// Replace the last complete listing with `snapshot` in one transaction.
  void save_snapshot(const core::Snapshot& snapshot);
  /// Return the last complete listing, or nothing before the first one.
  std::optional<core::Snapshot> load_snapshot() const;

  /// Replace the stored national listing with `mirror` (as the portal holds
  /// it after the cycle's pushes) in one transaction.
  void save_mirror(const core::Mirror& mirror);
  /// Return the stored national listing, or nothing before the first one.
  std::optional<core::Mirror> load_mirror() const;

  /// Return the services whose last push was rejected, with the hash rejected.
  core::ParkedIndex load_parked() const;

  /// Commit `ops` to the outbox in one transaction and return every pending op.
  /// A pending op of the same code, kind and content hash is kept with its
  /// key and body (the new one is dropped); a pending op of the same code with
  /// other content is superseded (deleted), so at most one op per code is
  /// pending. `ops` carry fresh keys; their ids are ignored. Ops within `ops`
  /// are applied in order, so a later op for a code wins.
  std::vector<OutboxOp> enqueue(const std::vector<OutboxOp>& ops);
  /// Return the pending ops, oldest first.
  std::vector<OutboxOp> pending_ops() const;
  /// Delete pending ops of `codes` (e.g. found already in sync on the portal).
  void drop_pending(const std::vector<std::string>& codes);
  /// Count one more send of op `op_id` (called before the request leaves).
  /// An id no longer in the outbox is ignored.
  void count_attempt(std::int64_t op_id);

  /// Apply `outcomes` in one transaction, adding each one's `sends` to the
  /// op's attempts: done and rejected ops leave the
  /// outbox and update sync_status; failed ones stay, with their error. A done
  /// withdrawal deletes the service's sync_status. An outcome whose op is no
  /// longer in the outbox (dropped or superseded meanwhile) is ignored.
  void record_outcomes(const std::vector<PushOutcome>& outcomes);
  /// Return the last known result for `code`, or nothing.
  std::optional<SyncStatus> sync_status(const std::string& code) const;

  /// Re-queue the parked pushes `request` names, in one transaction
  /// (requeue_store.cpp): rejected services become pushable in the next plan.
  RequeueResult requeue_parked(const RequeueRequest& request);

  /// Start a history row and return its id.
  std::int64_t begin_cycle(const std::string& started_at);
  /// Complete the history row `record.id` (its start time stays the one given
  /// to begin_cycle) and prune the oldest rows beyond the history kept. Throw
  /// std::runtime_error when no such row exists.
  void finish_cycle(const CycleRecord& record);
  /// Return the `limit` most recent finished cycles, newest first.
  std::vector<CycleRecord> history(int limit) const;
  /// Return the finish time of the last cycle whose result was ok, or nothing.
  std::optional<std::string> last_success_at() const;

 private:
  std::filesystem::path path_;
  mutable SQLite::Database db_;
  // Behind a pointer so that the store stays movable.
  std::unique_ptr<std::mutex> mutex_ = std::make_unique<std::mutex>();
};

/// Return "ok", "partial" or "failed".
std::string_view to_string(CycleResult result);

}  // namespace psd::state
