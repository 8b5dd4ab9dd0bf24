#pragma once
// Polling for conditions that become true in another process.

#include <chrono>
#include <thread>

namespace psd::testing {

/// Call `condition` every `interval` until it returns true (→ true) or
/// `timeout` has passed (→ false, after one last try).
template <typename Condition>
bool eventually(Condition&& condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds interval = std::chrono::milliseconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) {
      return true;
    }
    std::this_thread::sleep_for(interval);
  }
  return static_cast<bool>(condition());
}

}  // namespace psd::testing
