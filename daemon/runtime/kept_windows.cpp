#include "daemon/runtime/kept_windows.hpp"

#include <spdlog/spdlog.h>

#include "daemon/state/utc_time.hpp"

namespace psd::runtime {
namespace {

using SteadyClock = std::chrono::steady_clock;
using WallClock = std::chrono::system_clock;

WallClock::time_point to_wall(SteadyClock::time_point at) {
  return WallClock::now() +
         std::chrono::duration_cast<WallClock::duration>(at - SteadyClock::now());
}

SteadyClock::time_point to_steady(WallClock::time_point at) {
  return SteadyClock::now() +
         std::chrono::duration_cast<SteadyClock::duration>(at - WallClock::now());
}

}  // namespace

void keep_window_in(state::StateStore& store, state::Portal portal, RetryWindow& window) {
  if (const auto until = store.retry_after_until(portal)) {
    window.restore(SteadyClock::now(), to_steady(*until));
    if (*until > WallClock::now()) {
      spdlog::info("{} portal: Retry-After window kept from an earlier run, until {}",
                   state::to_string(portal), state::format_utc(*until));
    }
  }
  window.keep_with([&store, portal](std::optional<RetryWindow::TimePoint> until) {
    try {
      store.keep_retry_after(portal, until ? std::optional(to_wall(*until)) : std::nullopt);
    } catch (const std::exception& error) {
      // This process still honours the window; only a restart would not know it.
      spdlog::error("{} portal: cannot keep its Retry-After window: {}", state::to_string(portal),
                    error.what());
    }
  });
}

std::optional<std::chrono::system_clock::time_point> closed_until(const RetryWindow& window) {
  if (window.until() <= SteadyClock::now()) return std::nullopt;
  return to_wall(window.until());
}

}  // namespace psd::runtime
