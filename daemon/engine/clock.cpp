#include "daemon/engine/clock.hpp"

#include <thread>

namespace psd::engine {

void SystemClock::sleep_for(std::chrono::milliseconds duration) {
  std::this_thread::sleep_for(duration);
}

}  // namespace psd::engine
