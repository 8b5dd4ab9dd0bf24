#pragma once
// Time, injected so that tests never sleep. One Clock drives a process: the
// engine and the adapters (national client, token source, page fetcher,
// catalogue readers) take the same one, so a time one of them hands another
// (NationalPortal::not_before) is on the clock the other reads. Only
// SystemClock reads the machine's clocks. A port, like ports.hpp: adapters
// include this header and never link the engine.

#include <chrono>
#include <stop_token>

namespace psd::engine {

class Clock {
 public:
  virtual ~Clock() = default;
  /// Wall time: for timestamps and HTTP-dates (Retry-After).
  virtual std::chrono::system_clock::time_point now() = 0;
  /// Monotonic time: for every wait, window and deadline.
  virtual std::chrono::steady_clock::time_point steady_now() = 0;
  /// Sleep for `duration`, or until `stop` is requested.
  virtual void sleep_for(std::chrono::milliseconds duration, const std::stop_token& stop) = 0;
};

/// The real clocks of the machine.
class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() override { return std::chrono::system_clock::now(); }
  std::chrono::steady_clock::time_point steady_now() override {
    return std::chrono::steady_clock::now();
  }
  void sleep_for(std::chrono::milliseconds duration, const std::stop_token& stop) override;
};

}  // namespace psd::engine
