#pragma once
// The daemon's local memory: state.db (SQLite, WAL) under state_dir.

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/core/coverage.hpp"
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
  std::string code{};
  std::string content_hash{};  ///< empty for remove
  std::string idempotency_key{};
  std::string body{};  ///< PUT body; empty for remove
  int attempts = 0;    ///< sends so far, over all cycles
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
  std::string reason{};  ///< portal's error code and message, or the transport error
  int sends = 0;         ///< requests sent for the op in this run: added to its attempts
};

/// A write that took effect on the portal: it now holds `entry`, or, for a
/// withdrawal (no entry), nothing for `code`.
struct MirrorWrite {
  std::string code;
  std::optional<core::MirrorEntry> entry;
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

/// What a cycle needs of the last complete listing before reading a new one.
struct SnapshotHeader {
  std::string version;
  std::string etag;
  std::size_t active = 0;  ///< core::active_count of the listing
};

/// What a cycle that ended with every valid active service in sync, nothing
/// pending and nothing parked leaves for the next one (settled_store.cpp).
struct Settled {
  std::string etag;           ///< of the catalogue snapshot it was reached from
  std::string withdraw;       ///< "keep_orphans" or "withdraw_orphans"
  std::string mirror_digest;  ///< core::MirrorDigest::text of the listing after the writes
  std::uint64_t listed = 0;   ///< catalogue records (valid and invalid)
  core::Coverage coverage;    ///< after the writes
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

/// The two portals, for what state.db keeps per portal.
enum class Portal { national, provincial };

/// Every call is one SQLite transaction at most and is serialised by an internal
/// mutex, so the event loop (status, control commands) may call it while the
/// cycle worker records.
/// SQLite errors surface as std::runtime_error naming the database file.
class StateStore {
 public:
  /// Open (creating if needed) `state_dir`/state.db, switch it to WAL and run
  /// the migrations up to `kSchemaVersion`. Throw std::runtime_error naming the
  /// file on failure.
  explicit StateStore(const std::filesystem::path& state_dir);

  static constexpr int kSchemaVersion = 5;
  /// Return the schema version the file is at (its PRAGMA user_version).
  int schema_version() const;
  /// Return the path of state.db.
  std::filesystem::path path() const;

  /// Replace the last complete listing with `snapshot` in one transaction,
  /// writing only the difference: the service rows that are new, gone, or
  /// whose content hash, status or updated_at changed, and the invalid
  /// records only when they changed. Return the rows written or deleted.
  std::size_t save_snapshot(const core::Snapshot& snapshot);
  /// Return the last complete listing, or nothing before the first one. Its
  /// services come in the order of the listings that last wrote their rows.
  std::optional<core::Snapshot> load_snapshot() const;
  /// Return the last complete listing's version, ETag and active size
  /// without reading its services, or nothing before the first one.
  std::optional<SnapshotHeader> load_snapshot_header() const;
  /// Return the invalid records of the last complete listing, in its order.
  std::vector<core::InvalidRecord> load_snapshot_invalid() const;

  /// Replace the settled state with `settled`, or forget it (nothing).
  void save_settled(const std::optional<Settled>& settled);
  /// Return the settled state, or nothing.
  std::optional<Settled> load_settled() const;

  /// Return SQLite's count of rows changed through this store since it opened
  /// (sqlite3_total_changes): what tests measure a write by.
  std::int64_t total_changes() const;

  /// Replace the stored national listing with `mirror`, as listed at the
  /// start of a cycle, in one transaction; only rows that differ are written.
  void save_mirror(const core::Mirror& mirror);
  /// Apply the cycle's writes that took effect to the stored listing, in one
  /// transaction, so that it holds what the portal holds after the pushes.
  void record_mirror_writes(const std::vector<MirrorWrite>& writes);
  /// Return the stored national listing, or nothing before the first one.
  std::optional<core::Mirror> load_mirror() const;
  /// Return the codes in the last complete listing, services' or (with
  /// `agencies`) their agencies', that start with `prefix`, sorted, distinct,
  /// at most `limit`.
  std::vector<std::string> catalogue_codes(bool agencies, const std::string& prefix,
                                           int limit) const;

  /// Return the services whose last push was rejected, with the hash rejected.
  core::ParkedIndex load_parked() const;

  /// Commit `ops` to the outbox in one transaction and return every pending op.
  /// A pending op of the same code, kind and content hash is kept with its
  /// key and body (the new one is dropped); a pending op of the same code with
  /// other content is superseded (deleted), so at most one op per code is
  /// pending. `ops` carry fresh keys; their ids are ignored. Ops within `ops`
  /// are applied in order, so a later op for a code wins.
  std::vector<OutboxOp> enqueue(const std::vector<OutboxOp>& ops);
  /// Return how many ops are pending, without reading them.
  std::uint64_t pending_count() const;
  /// Return the pending ops, oldest first.
  std::vector<OutboxOp> pending_ops() const;
  /// Delete pending ops of `codes` (e.g. found already in sync on the portal).
  void drop_pending(const std::vector<std::string>& codes);

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

  /// Keep the end of `portal`'s Retry-After window, committed when this
  /// returns (retry_after_store.cpp); `until` nothing clears it.
  void keep_retry_after(Portal portal, std::optional<std::chrono::system_clock::time_point> until);
  /// Return the end of `portal`'s kept Retry-After window, or nothing.
  std::optional<std::chrono::system_clock::time_point> retry_after_until(Portal portal) const;

 private:
  // How every member reaches state.db (defined in store_detail.hpp): run
  // `body` holding the lock, an SQLite error becoming std::runtime_error that
  // names the file and `action`.
  template <typename Body>
  decltype(auto) locked(std::string_view action, Body&& body) const;
  // The same inside one IMMEDIATE transaction, committed when `body` returns.
  template <typename Body>
  decltype(auto) write_transaction(std::string_view action, Body&& body);
  // The same inside one DEFERRED transaction: reads of several queries that
  // a writer in another process must not interleave with.
  template <typename Body>
  decltype(auto) read_transaction(std::string_view action, Body&& body) const;

  std::filesystem::path path_;
  mutable SQLite::Database db_;
  // Behind a pointer so that the store stays movable.
  std::unique_ptr<std::mutex> mutex_ = std::make_unique<std::mutex>();
};

/// Return "national" or "provincial".
std::string_view to_string(Portal portal);

/// Return "ok", "partial" or "failed".
std::string_view to_string(CycleResult result);
/// Return the result `to_string` names `text`, or nullopt.
std::optional<CycleResult> parse_cycle_result(std::string_view text);

}  // namespace psd::state
