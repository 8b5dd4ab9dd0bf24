#pragma once
// The daemon's one worker thread: it runs cycles (and dry-run plans) one at a
// time, taken from a small queue the event loop fills. A request that arrives
// during a cycle runs right after it; requests that the queue already covers
// (a second "resync" while one waits) join the waiting job instead of adding
// a cycle. The event loop learns of finished jobs through `wake`.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "daemon/engine/cycle.hpp"

namespace psd::runtime {

class Syncer;

struct CycleJob {
  enum class Kind { cycle, plan };
  Kind kind = Kind::cycle;
  engine::CycleTarget target{};  ///< a full resync, the services or agency to push (default: all)
  std::string reason{};          ///< for the log: "start", "poll", "resync", …
};

/// A job the worker ended, or one cancelled before it started.
struct JobOutcome {
  std::uint64_t ticket = 0;            ///< the job's own ticket
  std::vector<std::uint64_t> tickets;  ///< every request it answered (its own included)
  CycleJob job;
  bool cancelled = false;  ///< never started (pause or shutdown)
  std::string error;       ///< an exception ended it (state.db, …); empty otherwise
  engine::CycleReport report;
};

/// The job the worker is running.
struct RunningJob {
  std::uint64_t ticket = 0;
  std::vector<std::uint64_t> tickets{};  ///< every request it answers
  CycleJob job{};
};

class CycleWorker {
 public:
  using SyncerSource = std::function<std::shared_ptr<Syncer>()>;

  /// Start the thread. `current` is called, on the worker, as each job
  /// starts and returns the syncer to run it on (a reload changes it between
  /// jobs); `wake` is called, from the worker, after each job.
  CycleWorker(SyncerSource current, std::function<void()> wake);
  /// shutdown() and join.
  ~CycleWorker();
  CycleWorker(const CycleWorker&) = delete;
  CycleWorker& operator=(const CycleWorker&) = delete;

  /// Queue `job`; return its ticket. A waiting job that covers it takes it.
  std::uint64_t submit(CycleJob job);
  /// While paused, queued cycles wait (plans still run).
  void set_paused(bool paused);
  /// Ask the running cycle or plan to stop: it starts no new request.
  void stop_running();
  /// Drop every queued cycle and return them as cancelled outcomes.
  std::vector<JobOutcome> cancel_queued_cycles();
  /// Return the jobs finished since the last call.
  std::vector<JobOutcome> take_finished();

  /// The running job, if any.
  std::optional<RunningJob> running() const;
  /// True when nothing runs and nothing is queued.
  bool idle() const;
  /// True once the thread has returned after shutdown().
  bool exited() const;

  /// Stop the running job, cancel the queue (their outcomes are in
  /// take_finished) and let the thread end. Does not wait.
  void shutdown();

 private:
  struct Queued {
    CycleJob job;
    std::uint64_t ticket = 0;
    std::vector<std::uint64_t> tickets;
  };

  void main_loop();
  JobOutcome run(Queued queued, const std::stop_token& stop);
  std::deque<Queued>::iterator next_runnable();

  SyncerSource current_;
  std::function<void()> wake_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Queued> queue_;
  std::optional<RunningJob> running_;
  std::stop_source stop_;
  std::vector<JobOutcome> finished_;
  std::uint64_t next_ticket_ = 1;
  bool paused_ = false;
  bool shutting_down_ = false;
  bool exited_ = false;
  std::thread thread_;
};

}  // namespace psd::runtime
