#pragma once
// What stands between a request and the portal: injected faults (one-shot
// from /_sim/fail and random from the fault profile), the rate and
// concurrency caps, and Retry-After windows, one per portal (a client that
// sends during one is counted as violating it).

#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "sim/args.hpp"
#include "sim/fault_plan.hpp"
#include "sim/fault_profile.hpp"
#include "sim/ledger.hpp"

namespace psd::sim {

/// One armed fault from POST /_sim/fail.
struct Fault {
  std::string target;  // national | put | delete | list | token | catalogue
  int status = 0;      // 0: no status of its own (delay only)
  std::int64_t count = 1;
  std::int64_t retry_after = -1;  // seconds; < 0: no Retry-After header
  std::string code;               // error code in the body; a default per status when empty
  std::int64_t delay_ms = 0;
  std::string body;  // catalogue: malformed | bad_utf8 | bad_shape | html; list: html
  std::string kind;  // reset | apply_reset | slow: a fault of the random profile's kinds
};

/// Parse the query of POST /_sim/fail; an error message on failure.
std::optional<Fault> parse_fault(const httplib::Request& req, std::string& error);

/// Set on a response whose connection was dropped (it is never sent), for
/// the --verbose log.
inline constexpr const char* kDroppedHeader = "X-Portal-Sim-Dropped";

class Gate {
 public:
  Gate(const SimOptions& options, Ledger& ledger);

  void arm(Fault fault);
  /// Take one armed fault matching `target`, if any.
  std::optional<Fault> take(Target target);
  /// Answer `res` with `fault`'s status or HTML body (not for status 0 or
  /// the catalogue's JSON body faults).
  void answer(const Fault& fault, Target target, httplib::Response& res);

  /// The run-time profile: faults, latency, caps, token lifetime.
  FaultPlan& plan() { return plan_; }
  Profile profile() const { return plan_.profile(); }

  /// A held slot of the national concurrency cap; releases on destruction.
  class Slot {
   public:
    Slot() = default;
    explicit Slot(Gate* gate) : gate_(gate) {}
    Slot(Slot&& other) noexcept
        : gate_(std::exchange(other.gate_, nullptr)), admitted_(other.admitted_) {}
    Slot& operator=(Slot&&) = delete;
    ~Slot() { release(); }
    bool admitted() const { return admitted_; }
    void set_admitted() { admitted_ = true; }
    /// Give the slot back before the handler ends (an answer held back).
    void release();

   private:
    Gate* gate_ = nullptr;
    bool admitted_ = false;
  };

  /// Whether a catalogue request arrives inside the catalogue's Retry-After
  /// window: then it is counted as a violation and `res` holds a 429.
  bool refuse_in_window(Target target, httplib::Response& res);

  /// Admission of a national or token request: Retry-After violations,
  /// injected faults, the rate cap and (not for the token endpoint) the
  /// concurrency cap. When !admitted(), `res` holds the answer.
  Slot admit(Target target, httplib::Response& res);

  /// The fault of `req`: an armed one-shot of its kind, else a random draw
  /// from the profile.
  Roll roll(Target target, const httplib::Request& req);
  /// Carry out a fault that replaces the answer (reset, 500, 503, HTML):
  /// true when `res` is answered (or the connection is gone). A reset first
  /// releases `slot` and `in_flight` (when given): the client sees the reset
  /// at once and may send again before this handler returns.
  bool inject(const Roll& roll, Target target, const httplib::Request& req, httplib::Response& res,
              Slot* slot = nullptr, Ledger::InFlight* in_flight = nullptr);
  /// The work is done and stored: release `slot` and `in_flight`, then drop
  /// the connection without the answer.
  void reset_after_work(const httplib::Request& req, httplib::Response& res, Slot& slot,
                        Ledger::InFlight& in_flight);
  /// The work is done and stored: hold the answer back slow_ms.
  void hold_answer();

 private:
  friend class Slot;
  using Clock = std::chrono::steady_clock;

  /// The Retry-After window of one portal: the national one (token endpoint
  /// included) or the provincial catalogue.
  struct Window {
    Clock::time_point sent{};
    Clock::time_point until{};
    bool opened = false;
    bool seen_after = false;  // a request came after `sent` + grace
  };
  Window& window_of(Target target);
  void open_window_locked(Target target, std::int64_t seconds);
  bool violates_locked(Target target);
  void send_limited(httplib::Response& res, std::string_view code, std::string_view message,
                    std::int64_t retry_after);

  const SimOptions& options_;
  Ledger& ledger_;
  FaultPlan plan_;
  std::mutex mu_;
  std::deque<Fault> faults_;       // with a status or body, taken by take()
  std::deque<Fault> kind_faults_;  // with a kind, taken by roll()
  Window national_window_;
  Window catalogue_window_;
  // Token bucket of the rate cap.
  double bucket_ = 0;
  Clock::time_point bucket_at_{};
  std::int64_t in_flight_ = 0;
};

}  // namespace psd::sim
