#pragma once
// A clock whose time moves only when someone sleeps on it (or a test
// advances it): waits of any length cost no real time, and what was waited
// for is recorded. Thread-safe, since a cycle lists on a thread of its own.

#include <chrono>
#include <functional>
#include <mutex>
#include <vector>

#include "daemon/engine/clock.hpp"

namespace psd::testing {

class FakeClock final : public engine::Clock {
 public:
  /// Its wall time starts here (2023-11-14T22:13:20Z) and keeps step with its steady time.
  static constexpr std::chrono::seconds kWallStart{1'700'000'000};

  std::chrono::system_clock::time_point now() override {
    const std::lock_guard lock(mutex_);
    return std::chrono::system_clock::time_point(kWallStart) + steady_.time_since_epoch();
  }
  std::chrono::steady_clock::time_point steady_now() override {
    const std::lock_guard lock(mutex_);
    return steady_;
  }
  /// Move time on by `duration` at once; the stop token is not needed, as no real time passes.
  void sleep_for(std::chrono::milliseconds duration, const std::stop_token& /*stop*/) override {
    std::function<void(std::chrono::milliseconds)> hook;
    {
      const std::lock_guard lock(mutex_);
      steady_ += duration;
      slept_ += duration;
      sleeps_.push_back(duration);
      hook = on_sleep;
    }
    if (hook) hook(duration);
  }

  /// Move time on by `duration` without a sleep (time passing between calls).
  void advance(std::chrono::milliseconds duration) {
    const std::lock_guard lock(mutex_);
    steady_ += duration;
  }
  /// The time slept so far, all sleeps together.
  std::chrono::milliseconds slept() const {
    const std::lock_guard lock(mutex_);
    return slept_;
  }
  /// Every sleep so far, in order.
  std::vector<std::chrono::milliseconds> sleeps() const {
    const std::lock_guard lock(mutex_);
    return sleeps_;
  }

  /// Called after each sleep, with its length (set before the clock is shared).
  std::function<void(std::chrono::milliseconds)> on_sleep;

 private:
  mutable std::mutex mutex_;
  std::chrono::steady_clock::time_point steady_{};
  std::chrono::milliseconds slept_{0};
  std::vector<std::chrono::milliseconds> sleeps_;
};

}  // namespace psd::testing
