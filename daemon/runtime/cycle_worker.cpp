#include "daemon/runtime/cycle_worker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "daemon/runtime/syncer.hpp"

namespace psd::runtime {
namespace {

/// True when running `a` also does everything `b` asks for.
bool covers(const CycleJob& a, const CycleJob& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == CycleJob::Kind::plan) return true;
  if (b.target.full() && !a.target.full()) return false;
  if (!a.target.restricted()) return true;
  return a.target.only_codes == b.target.only_codes && a.target.only_agency == b.target.only_agency;
}

}  // namespace

CycleWorker::CycleWorker(SyncerSource current, std::function<void()> wake)
    : current_(std::move(current)), wake_(std::move(wake)), thread_([this] { main_loop(); }) {}

CycleWorker::~CycleWorker() {
  shutdown();
  if (thread_.joinable()) thread_.join();
}

std::uint64_t CycleWorker::submit(CycleJob job) {
  std::lock_guard lock(mutex_);
  const std::uint64_t ticket = next_ticket_++;
  for (auto& queued : queue_) {
    if (covers(queued.job, job)) {
      queued.tickets.push_back(ticket);
      return ticket;
    }
  }
  Queued fresh{std::move(job), ticket, {ticket}};
  // A wider job absorbs the narrower ones waiting, keeping the earliest place.
  std::deque<Queued> kept;
  std::optional<std::size_t> place;
  for (auto& queued : queue_) {
    if (covers(fresh.job, queued.job)) {
      fresh.tickets.insert(fresh.tickets.end(), queued.tickets.begin(), queued.tickets.end());
      if (!place) place = kept.size();
    } else {
      kept.push_back(std::move(queued));
    }
  }
  const auto at = place ? kept.begin() + static_cast<std::ptrdiff_t>(*place) : kept.end();
  kept.insert(at, std::move(fresh));
  queue_ = std::move(kept);
  changed_.notify_all();
  return ticket;
}

void CycleWorker::set_paused(bool paused) {
  std::lock_guard lock(mutex_);
  paused_ = paused;
  changed_.notify_all();
}

void CycleWorker::stop_running() {
  std::lock_guard lock(mutex_);
  stop_.request_stop();
}

std::vector<JobOutcome> CycleWorker::cancel_queued_cycles() {
  std::lock_guard lock(mutex_);
  std::vector<JobOutcome> cancelled;
  for (auto it = queue_.begin(); it != queue_.end();) {
    if (it->job.kind != CycleJob::Kind::cycle) {
      ++it;
      continue;
    }
    JobOutcome outcome;
    outcome.ticket = it->ticket;
    outcome.tickets = it->tickets;
    outcome.job = it->job;
    outcome.cancelled = true;
    cancelled.push_back(std::move(outcome));
    it = queue_.erase(it);
  }
  return cancelled;
}

std::vector<JobOutcome> CycleWorker::take_finished() {
  std::lock_guard lock(mutex_);
  return std::exchange(finished_, {});
}

std::optional<RunningJob> CycleWorker::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

bool CycleWorker::idle() const {
  std::lock_guard lock(mutex_);
  return !running_ && queue_.empty();
}

bool CycleWorker::exited() const {
  std::lock_guard lock(mutex_);
  return exited_;
}

void CycleWorker::shutdown() {
  std::lock_guard lock(mutex_);
  if (shutting_down_) return;
  shutting_down_ = true;
  stop_.request_stop();
  for (auto& queued : queue_) {
    JobOutcome outcome;
    outcome.ticket = queued.ticket;
    outcome.tickets = queued.tickets;
    outcome.job = queued.job;
    outcome.cancelled = true;
    finished_.push_back(std::move(outcome));
  }
  queue_.clear();
  changed_.notify_all();
}

std::deque<CycleWorker::Queued>::iterator CycleWorker::next_runnable() {
  return std::find_if(queue_.begin(), queue_.end(), [&](const Queued& queued) {
    return !paused_ || queued.job.kind == CycleJob::Kind::plan;
  });
}

void CycleWorker::main_loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return shutting_down_ || next_runnable() != queue_.end(); });
    if (shutting_down_) break;
    const auto next = next_runnable();
    Queued queued = std::move(*next);
    queue_.erase(next);
    running_ = RunningJob{.ticket = queued.ticket, .tickets = queued.tickets, .job = queued.job};
    stop_ = std::stop_source();
    const std::stop_token stop = stop_.get_token();
    lock.unlock();
    JobOutcome outcome = run(std::move(queued), stop);
    lock.lock();
    running_.reset();
    finished_.push_back(std::move(outcome));
    lock.unlock();
    wake_();
    lock.lock();
  }
  exited_ = true;
  lock.unlock();
  wake_();
}

JobOutcome CycleWorker::run(Queued queued, const std::stop_token& stop) {
  JobOutcome outcome;
  outcome.ticket = queued.ticket;
  outcome.tickets = std::move(queued.tickets);
  outcome.job = std::move(queued.job);
  const CycleJob& job = outcome.job;
  const std::shared_ptr<Syncer> syncer = current_();
  try {
    if (job.kind == CycleJob::Kind::plan) {
      outcome.report = syncer->plan(stop);
    } else {
      spdlog::info("cycle {} starting ({}{})", outcome.ticket, job.reason,
                   job.target.full() ? ", full resync" : "");
      outcome.report = syncer->run_cycle({.target = job.target, .stop = stop});
    }
  } catch (const std::exception& error) {
    spdlog::error("cycle {}: {}", outcome.ticket, error.what());
    outcome.error = error.what();
    outcome.report.result = state::CycleResult::failed;
    outcome.report.exit_code = engine::ExitCode::fatal;
    outcome.report.error = error.what();
  }
  return outcome;
}

}  // namespace psd::runtime
