#pragma once
// Sends the outbox to the national portal: concurrent, retrying, and
// recording every outcome in state.db in batches.

#include <cstdint>
#include <functional>
#include <random>
#include <stop_token>
#include <string>
#include <vector>

#include "daemon/core/backoff.hpp"
#include "daemon/core/plan.hpp"
#include "daemon/engine/clock.hpp"
#include "daemon/engine/ports.hpp"
#include "daemon/state/state_store.hpp"

namespace psd::engine {

/// Outcomes written to state.db in one transaction.
inline constexpr std::size_t kOutcomeBatch = 64;

struct PushSettings {
  std::size_t max_in_flight = 8;
  int max_attempts = 12;  ///< sends of one op in one run before it is left failed
  core::BackoffPolicy backoff;
};

/// Called as pushes complete: (finished, total).
using ProgressFn = std::function<void(std::size_t, std::size_t)>;

struct PushReport {
  std::uint64_t done = 0;
  std::uint64_t failed = 0;        ///< left in the outbox after max_attempts or a stop
  std::uint64_t sends = 0;         ///< requests, retries included
  bool refused_by_portal = false;  ///< the portal refused this client: configuration error
  bool cut_short = false;          ///< the caller's stop token ended the run early
  std::string stop_reason;
  std::vector<std::string> done_codes;     ///< ops that took effect, in completion order
  std::vector<core::ParkedPush> rejected;  ///< pushes the portal refused now, with its reason
};

class Pusher {
 public:
  Pusher(NationalPortal& portal, state::StateStore& store, Clock& clock, PushSettings settings);

  /// Send every op of `ops` with at most `max_in_flight` at once; retry
  /// transient failures after a backoff; record outcomes in batches. Once
  /// `stop` is requested, start no new send and return when none is in flight.
  PushReport push(const std::vector<state::OutboxOp>& ops, const ProgressFn& progress,
                  std::stop_token stop = {});

 private:
  NationalPortal& portal_;
  state::StateStore& store_;
  Clock& clock_;
  PushSettings settings_;
  std::mt19937_64 random_{std::random_device{}()};
};

}  // namespace psd::engine
