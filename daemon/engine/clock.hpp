#pragma once
// Time, injected so that tests of the engine never sleep.

#include <chrono>
#include <stop_token>

namespace psd::engine {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() = 0;
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
