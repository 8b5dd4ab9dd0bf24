#include "daemon/engine/clock.hpp"

#include <condition_variable>
#include <mutex>

namespace psd::engine {

void SystemClock::sleep_for(std::chrono::milliseconds duration, const std::stop_token& stop) {
  // condition_variable_any wakes on the stop request itself, without polling.
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  wake.wait_for(lock, stop, duration, [] { return false; });
}

}  // namespace psd::engine
