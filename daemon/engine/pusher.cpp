#include "daemon/engine/pusher.hpp"

#include <algorithm>
#include <deque>
#include <queue>

namespace psd::engine {
namespace {

struct Waiting {
  std::chrono::steady_clock::time_point ready_at;
  std::size_t index;
  bool operator>(const Waiting& other) const { return ready_at > other.ready_at; }
};

WriteRequest request_of(const state::OutboxOp& op, std::size_t index) {
  return WriteRequest{
      .id = index,
      .method = op.kind == state::OpKind::put ? WriteMethod::put : WriteMethod::remove,
      .code = op.code,
      .idempotency_key = op.idempotency_key,
      .body = op.body};
}

}  // namespace

Pusher::Pusher(NationalPortal& portal, state::StateStore& store, Clock& clock,
               PushSettings settings)
    : portal_(portal), store_(store), clock_(clock), settings_(settings) {}

PushReport Pusher::push(const std::vector<state::OutboxOp>& ops, const ProgressFn& progress,
                        std::stop_token stop) {
  PushReport report;
  std::deque<std::size_t> ready;
  for (std::size_t i = 0; i < ops.size(); ++i) ready.push_back(i);
  std::priority_queue<Waiting, std::vector<Waiting>, std::greater<>> waiting;
  std::vector<int> sends(ops.size(), 0);
  std::vector<state::PushOutcome> batch;
  std::size_t finished = 0;

  const auto record = [&](std::size_t index, state::OutcomeKind kind, const WriteResult& result) {
    batch.push_back(state::PushOutcome{.op_id = ops[index].id,
                                       .kind = kind,
                                       .http_status = result.http_status,
                                       .reason = result.reason,
                                       .sends = sends[index]});
    ++finished;
    if (batch.size() >= kOutcomeBatch) {
      store_.record_outcomes(batch);
      batch.clear();
    }
    if (progress) progress(finished, ops.size());
  };

  const auto next = [&]() -> std::optional<WriteRequest> {
    if (report.refused_by_portal) return std::nullopt;
    if (stop.stop_requested()) {
      report.cut_short = true;
      return std::nullopt;
    }
    const auto now = clock_.steady_now();
    while (!waiting.empty() && waiting.top().ready_at <= now) {
      ready.push_back(waiting.top().index);
      waiting.pop();
    }
    if (ready.empty()) return std::nullopt;
    const std::size_t index = ready.front();
    ready.pop_front();
    ++sends[index];
    ++report.sends;
    return request_of(ops[index], index);
  };

  // The next retry's end of backoff: the only thing but a completion that
  // gives `next` a write again.
  const auto due = [&]() -> std::optional<std::chrono::steady_clock::time_point> {
    if (report.refused_by_portal || stop.stop_requested() || waiting.empty()) return std::nullopt;
    return waiting.top().ready_at;
  };

  const auto done = [&](WriteResult&& result) {
    const std::size_t index = result.id;
    switch (result.outcome) {
      case WriteOutcome::done:
        ++report.done;
        report.done_codes.push_back(ops[index].code);
        record(index, state::OutcomeKind::done, result);
        break;
      case WriteOutcome::rejected:
        report.rejected.push_back({ops[index].code, ops[index].content_hash, result.reason});
        record(index, state::OutcomeKind::rejected, result);
        break;
      case WriteOutcome::stop:
        if (!report.refused_by_portal) report.stop_reason = result.reason;
        report.refused_by_portal = true;
        ++report.failed;
        record(index, state::OutcomeKind::failed, result);
        break;
      case WriteOutcome::retry:
        if (sends[index] >= settings_.max_attempts) {
          ++report.failed;
          record(index, state::OutcomeKind::failed, result);
          break;
        }
        auto delay = core::backoff_delay(settings_.backoff, sends[index] - 1, random_);
        if (result.retry_after) {
          delay = std::max<std::chrono::milliseconds>(delay, *result.retry_after);
        }
        waiting.push(Waiting{.ready_at = clock_.steady_now() + delay, .index = index});
        break;
    }
  };

  while (true) {
    portal_.write(next, done, due, settings_.max_in_flight);
    if (stop.stop_requested()) report.cut_short = true;
    if (report.refused_by_portal || report.cut_short || (waiting.empty() && ready.empty())) break;
    // Ready ops wait only for the portal; waiting ones for their backoff too.
    auto until = portal_.not_before();
    if (ready.empty()) until = std::max(until, waiting.top().ready_at);
    const auto wait = until - clock_.steady_now();
    if (wait > std::chrono::steady_clock::duration::zero()) {
      clock_.sleep_for(std::chrono::ceil<std::chrono::milliseconds>(wait), stop);
    }
  }
  if (report.cut_short && !report.refused_by_portal) report.stop_reason = "stopped before the end";
  // After a stop, what was never sent or is waiting stays in the outbox; the
  // waiting ones were sent, so their attempts are recorded.
  report.failed += waiting.size() + ready.size();
  while (!waiting.empty()) {
    const std::size_t index = waiting.top().index;
    waiting.pop();
    batch.push_back(state::PushOutcome{.op_id = ops[index].id,
                                       .kind = state::OutcomeKind::failed,
                                       .reason = "not retried: " + report.stop_reason,
                                       .sends = sends[index]});
  }
  if (!batch.empty()) store_.record_outcomes(batch);
  return report;
}

}  // namespace psd::engine
