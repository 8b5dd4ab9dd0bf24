#include "daemon/engine/cycle.hpp"

#include <unordered_map>
#include <unordered_set>

#include "daemon/core/canonical.hpp"
#include "daemon/core/mirror_digest.hpp"
#include "daemon/engine/both_reads.hpp"
#include "daemon/engine/idempotency_key.hpp"
#include "daemon/state/utc_time.hpp"

namespace psd::engine {
namespace {

ExitCode exit_code_of(core::FailureKind kind) {
  switch (kind) {
    case core::FailureKind::unauthorized:
    case core::FailureKind::forbidden:
    case core::FailureKind::invalid:
    case core::FailureKind::fatal:
      return ExitCode::fatal;
    default:
      return ExitCode::listing_failed;
  }
}

/// What the cycle keeps of a service it writes, once the snapshot is released.
struct WrittenService {
  const core::Service* service = nullptr;  ///< valid while the snapshot lives; none to withdraw
  bool was_integrated = false;             ///< an update or a withdrawal, not a create
  core::Level level = core::Level::full;
  core::AdminLevel admin_level = core::AdminLevel::province;
  std::string agency{};
  std::string old_hash{};  ///< what the portal held, when it held it
};

/// The services the plan writes, by code.
using WrittenIndex = std::unordered_map<std::string_view, WrittenService>;

/// Return the services of the plan's writes, in one pass over `snapshot`.
WrittenIndex written_services(const core::Plan& plan, const core::Snapshot& snapshot,
                              const core::Mirror& mirror) {
  WrittenIndex index;
  if (plan.write_count() == 0) return index;
  index.reserve(plan.write_count());
  const auto held = [&](const std::string& code) {
    const auto found = mirror.find(code);
    return found ? std::string(found->content_hash) : std::string();
  };
  for (const auto* pushes : {&plan.creates, &plan.updates}) {
    for (const core::Push& push : *pushes) {
      index.emplace(push.code, WrittenService{.was_integrated = push.kind == core::PushKind::update,
                                              .old_hash = held(push.code)});
    }
  }
  for (const std::string& code : plan.withdrawals) {
    index.emplace(code, WrittenService{.was_integrated = true, .old_hash = held(code)});
  }
  for (const auto& entry : snapshot.services) {
    const auto found = index.find(entry.service.code);
    if (found == index.end()) continue;
    found->second.service = &entry.service;
    found->second.level = entry.service.level;
    found->second.admin_level = entry.service.admin_level;
    found->second.agency = entry.service.agency.code;
  }
  return index;
}

/// The outbox ops the plan asks for, with fresh keys (kept only when new).
std::vector<state::OutboxOp> ops_for(const core::Plan& plan, const WrittenIndex& written,
                                     const std::string& province) {
  std::vector<state::OutboxOp> ops;
  ops.reserve(plan.write_count());
  for (const auto* pushes : {&plan.creates, &plan.updates}) {
    for (const core::Push& push : *pushes) {
      state::OutboxOp op;
      op.kind = state::OpKind::put;
      op.code = push.code;
      op.content_hash = push.content_hash;
      op.idempotency_key = new_idempotency_key(province, push.code);
      op.body =
          core::put_body(core::canonical_body(*written.at(push.code).service), push.content_hash);
      ops.push_back(std::move(op));
    }
  }
  for (const std::string& code : plan.withdrawals) {
    state::OutboxOp op;
    op.kind = state::OpKind::remove;
    op.code = code;
    op.idempotency_key = new_idempotency_key(province, code);
    ops.push_back(std::move(op));
  }
  return ops;
}

/// Return what makes two outbox ops the same write: code, kind and content.
std::string op_identity(const state::OutboxOp& op) {
  return op.code + '\n' + op.content_hash + (op.kind == state::OpKind::put ? "p" : "r");
}

/// Drop pending ops the plan no longer wants (done meanwhile, or superseded),
/// then commit the plan's ops. Return the ops to send.
std::vector<state::OutboxOp> commit_to_outbox(state::StateStore& store,
                                              const std::vector<state::OutboxOp>& wanted) {
  std::unordered_set<std::string> wanted_ids;
  for (const auto& op : wanted) wanted_ids.insert(op_identity(op));
  std::vector<std::string> stale;
  for (const auto& op : store.pending_ops()) {
    if (!wanted_ids.contains(op_identity(op))) stale.push_back(op.code);
  }
  if (!stale.empty()) store.drop_pending(stale);
  return store.enqueue(wanted);
}

/// Count the writes that took effect in `coverage` and `digest`, both taken
/// before them: neither is computed again over every service.
void count_writes(core::Coverage& coverage, core::MirrorDigest& digest,
                  const std::vector<state::OutboxOp>& ops,
                  const std::vector<std::string>& done_codes, const WrittenIndex& written) {
  std::unordered_map<std::string_view, const state::OutboxOp*> op_of;
  for (const auto& op : ops) op_of.emplace(op.code, &op);
  for (const std::string& code : done_codes) {
    const state::OutboxOp& op = *op_of.at(code);
    const WrittenService& service = written.at(code);
    if (service.was_integrated) digest.remove(code, service.old_hash);
    if (op.kind == state::OpKind::remove) {
      core::count_withdrawal(coverage);
      continue;
    }
    digest.add(code, op.content_hash);
    core::count_put(coverage, service.level, service.admin_level, service.agency,
                    service.was_integrated);
  }
}

/// The writes that took effect, as the stored national listing must record them.
std::vector<state::MirrorWrite> mirror_writes(const std::vector<state::OutboxOp>& ops,
                                              const std::vector<std::string>& done_codes,
                                              const WrittenIndex& written) {
  std::unordered_map<std::string_view, const state::OutboxOp*> op_of;
  for (const auto& op : ops) op_of.emplace(op.code, &op);
  std::vector<state::MirrorWrite> writes;
  writes.reserve(done_codes.size());
  for (const std::string& code : done_codes) {
    const state::OutboxOp& op = *op_of.at(code);
    if (op.kind == state::OpKind::remove) {
      writes.push_back({code, std::nullopt});
    } else {
      writes.push_back({code, core::MirrorEntry{op.content_hash, written.at(code).level}});
    }
  }
  return writes;
}

std::string_view policy_word(core::WithdrawPolicy policy) {
  return policy == core::WithdrawPolicy::withdraw_orphans ? "withdraw_orphans" : "keep_orphans";
}

/// Return the report of a 304 cycle whose listing is the one the last
/// settled cycle left (`listing`), with nothing pending and nothing parked:
/// its plan would be empty and its coverage the same, so neither is
/// computed. Return nothing when the cycle must plan.
std::optional<CycleReport> settled_cycle(state::StateStore& store, const CycleOptions& options,
                                         const std::string& etag, const core::MirrorDigest& listing,
                                         CycleReport report) {
  if (options.mode != CycleMode::execute) return std::nullopt;
  std::optional<state::Settled> settled = store.load_settled();
  if (!settled || settled->etag != etag || settled->withdraw != policy_word(options.withdraw) ||
      settled->mirror_digest != listing.text() || store.pending_count() != 0 ||
      !store.load_parked().empty()) {
    return std::nullopt;
  }
  core::Plan plan;
  for (auto& record : store.load_snapshot_invalid()) {
    if (record.counts_active) plan.invalid.push_back(std::move(record));
  }
  report.settled = true;
  report.listed = settled->listed;
  report.invalid = plan.invalid;
  report.queue.invalid = plan.invalid.size();
  report.coverage_before = settled->coverage;
  report.coverage = std::move(settled->coverage);
  report.plan = std::move(plan);
  report.result = state::CycleResult::ok;
  report.exit_code = ExitCode::in_sync;
  return report;
}

/// The ops an operator's targeted resync asks for (all of them when untargeted).
std::vector<state::OutboxOp> targeted(std::vector<state::OutboxOp> ops, const CycleTarget& target,
                                      const WrittenIndex& written) {
  if (!target.restricted()) return ops;
  const std::unordered_set<std::string_view> codes(target.only_codes.begin(),
                                                   target.only_codes.end());
  std::erase_if(ops, [&](const state::OutboxOp& op) {
    if (!codes.empty() && !codes.contains(op.code)) return true;
    if (target.only_agency.empty()) return false;
    const auto service = written.find(op.code);  // a withdrawal has none: not this agency's
    return service == written.end() || service->second.agency != target.only_agency;
  });
  return ops;
}

QueueCounts queue_counts(const state::StateStore& store, const core::Plan& plan,
                         std::uint64_t rejected_now) {
  QueueCounts counts;
  for (const auto& op : store.pending_ops()) {
    ++counts.pending;
    if (op.attempts > 0) ++counts.retrying;
  }
  counts.rejected = plan.parked.size() + rejected_now;  // parked earlier + refused now
  counts.invalid = plan.invalid.size();
  return counts;
}

void finish(CycleReport& report, Clock& clock) {
  report.finished_at = state::format_utc(clock.now());
}

void stopped_early(CycleReport& report, Clock& clock) {
  report.cut_short = true;
  report.result = state::CycleResult::failed;
  report.error = "stopped before the end: nothing was planned or pushed";
  report.exit_code = ExitCode::not_in_sync;
  finish(report, clock);
}

void fail(CycleReport& report, const core::Failure& failure, Clock& clock) {
  report.result = state::CycleResult::failed;
  report.error = failure.message;
  report.exit_code = exit_code_of(failure.kind);
  finish(report, clock);
}

/// The steps of one cycle; run_cycle adds the history row around them.
CycleReport run_steps(CatalogueSource& catalogue, NationalPortal& portal, state::StateStore& store,
                      Clock& clock, const CycleOptions& options, const ProgressFn& progress) {
  CycleReport report;
  report.started_at = state::format_utc(clock.now());

  BothReads reads = read_both(catalogue, portal, store, options);
  report.catalogue_unchanged = reads.catalogue_unchanged;
  report.catalogue_restarts = reads.catalogue_restarts;
  if (options.stop.stop_requested()) {
    stopped_early(report, clock);
    return report;
  }
  // The catalogue's failure first: it may have stopped the listing.
  if (!reads.snapshot) {
    fail(report, reads.snapshot.error(), clock);
    return report;
  }
  if (!reads.mirror) {
    fail(report, reads.mirror.error(), clock);
    return report;
  }
  std::optional<core::Mirror> mirror(std::move(*reads.mirror));
  std::optional<core::MirrorDigest> digest;
  if (options.mode == CycleMode::execute) {
    digest = core::MirrorDigest::of(*mirror);
    // Kept (as a difference) so that coverage can be computed again from
    // state.db alone, by settled cycles too: their digest leaves levels out.
    // The writes that take effect are added after the pushes.
    store.save_mirror(*mirror);
  }
  if (reads.catalogue_unchanged) {
    const std::string etag = reads.snapshot->etag;
    if (auto settled = settled_cycle(store, options, etag, *digest, report)) {
      finish(*settled, clock);
      return std::move(*settled);
    }
    reads.snapshot = stored_snapshot(store, etag);
    if (!reads.snapshot) {
      fail(report, reads.snapshot.error(), clock);
      return report;
    }
  }
  // Both are released before the pushes: what the pushes and the coverage
  // after them need is kept in `written`.
  std::optional<core::Snapshot> snapshot(std::move(*reads.snapshot));
  const std::optional<std::size_t> previous_active = reads.previous_active;
  report.listed = snapshot->services.size() + snapshot->invalid.size();
  report.information_only = snapshot->information_only;
  report.remapped = snapshot->remapped;

  core::Plan plan = core::make_plan(*snapshot, *mirror, store.load_parked(), options.withdraw);
  const std::size_t active = core::active_count(*snapshot);
  std::optional<std::string> refusal = core::withdraw_refusal(
      plan, active, previous_active, mirror->size(), options.withdraw_limits);
  if (refusal) plan.withdrawals.clear();
  report.invalid = plan.invalid;
  report.coverage_before = core::compute_coverage(*snapshot, *mirror);
  const WrittenIndex written = written_services(plan, *snapshot, *mirror);
  mirror.reset();
  if (options.mode == CycleMode::dry_run) {
    report.coverage = report.coverage_before;
    report.queue = queue_counts(store, plan, 0);
    report.rejected = plan.parked;
    report.plan = std::move(plan);
    report.exit_code = ExitCode::in_sync;
    if (refusal) report.error = *refusal;
    finish(report, clock);
    return report;
  }

  // A listing the guard distrusts (empty, or shrunk too much) must not become
  // the yardstick of the next cycle, or a mishap lasting two cycles would
  // pass the shrink guard the second time.
  const bool distrusted =
      refusal && core::listing_is_suspect(active, previous_active, options.withdraw_limits);
  if (!report.catalogue_unchanged && !distrusted) store.save_snapshot(*snapshot);
  const std::string etag = snapshot->etag;
  const std::vector<state::OutboxOp> ops =
      commit_to_outbox(store, ops_for(plan, written, options.province));
  std::uint64_t valid_active = 0;
  for (const auto& entry : snapshot->services) {
    if (entry.service.status == core::Status::active) ++valid_active;
  }
  snapshot.reset();

  const std::vector<state::OutboxOp> to_send = targeted(ops, options.target, written);
  Pusher pusher(portal, store, clock, options.push);
  const PushReport pushed = pusher.push(to_send, progress, options.stop);
  store.record_mirror_writes(mirror_writes(to_send, pushed.done_codes, written));

  report.coverage = report.coverage_before;
  count_writes(*report.coverage, *digest, to_send, pushed.done_codes, written);
  report.pushed = pushed.done;
  report.failed = pushed.failed + pushed.rejected.size();
  report.sends = pushed.sends;
  report.rejected = plan.parked;
  report.rejected.insert(report.rejected.end(), pushed.rejected.begin(), pushed.rejected.end());
  report.queue = queue_counts(store, plan, pushed.rejected.size());
  report.plan = std::move(plan);

  const bool all_in_sync = report.coverage->overall.in_sync == valid_active;
  report.cut_short = pushed.cut_short;
  if (pushed.refused_by_portal) {
    report.result = state::CycleResult::failed;
    report.error = "the national portal refused this client (" + pushed.stop_reason +
                   "); pushing stopped: check national.client_id, the secret and province";
    report.exit_code = ExitCode::fatal;
  } else if (refusal) {
    report.result = state::CycleResult::partial;
    report.error = *refusal;
    report.exit_code = ExitCode::listing_failed;
  } else if (pushed.cut_short) {
    report.result = state::CycleResult::partial;
    report.error = "stopped before the end: " +
                   std::to_string(to_send.size() - pushed.done - pushed.rejected.size()) +
                   " writes not done stay in the outbox";
    report.exit_code = all_in_sync ? ExitCode::in_sync : ExitCode::not_in_sync;
  } else {
    report.result =
        report.failed == 0 && all_in_sync ? state::CycleResult::ok : state::CycleResult::partial;
    report.exit_code = all_in_sync ? ExitCode::in_sync : ExitCode::not_in_sync;
  }
  // Settled: every valid active service in sync, nothing pending, nothing
  // parked. The next 304 cycle whose listing has this digest plans nothing.
  const bool settles = report.result == state::CycleResult::ok && !pushed.cut_short &&
                       report.plan->parked.empty() && pushed.rejected.empty() &&
                       store.pending_count() == 0;
  store.save_settled(settles ? std::optional<state::Settled>(
                                   state::Settled{etag, std::string(policy_word(options.withdraw)),
                                                  digest->text(), report.listed, *report.coverage})
                             : std::nullopt);
  finish(report, clock);
  return report;
}

state::CycleRecord history_row(std::int64_t id, const CycleReport& report) {
  state::CycleRecord row;
  row.id = id;
  row.started_at = report.started_at;
  row.finished_at = report.finished_at;
  row.result = report.result;
  row.pushed = report.pushed;
  row.failed = report.failed;
  row.error = report.error;
  if (report.coverage) {
    row.total = report.coverage->overall.total;
    row.integrated = report.coverage->overall.integrated;
    row.in_sync = report.coverage->overall.in_sync;
    row.percent = report.coverage->overall.percent();
    row.has_coverage = true;
    row.full_total = report.coverage->full.total;
    row.partial_total = report.coverage->partial.total;
  }
  if (report.coverage_before) {
    row.integrated_before = report.coverage_before->overall.integrated;
    row.in_sync_before = report.coverage_before->overall.in_sync;
  }
  return row;
}

}  // namespace

CycleReport run_cycle(CatalogueSource& catalogue, NationalPortal& portal, state::StateStore& store,
                      Clock& clock, const CycleOptions& options, const ProgressFn& progress) {
  if (options.mode == CycleMode::dry_run) {
    return run_steps(catalogue, portal, store, clock, options, progress);
  }
  const std::int64_t id = store.begin_cycle(state::format_utc(clock.now()));
  CycleReport report = run_steps(catalogue, portal, store, clock, options, progress);
  store.finish_cycle(history_row(id, report));
  return report;
}

}  // namespace psd::engine
