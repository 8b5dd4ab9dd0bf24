#include "daemon/runtime/kept_windows.hpp"

#include <spdlog/spdlog.h>

#include "daemon/state/utc_time.hpp"

namespace psd::runtime {
namespace {

using WallTime = std::chrono::system_clock::time_point;
using SteadyTime = std::chrono::steady_clock::time_point;

WallTime to_wall(SteadyTime at, engine::Clock& clock) {
  return clock.now() + std::chrono::duration_cast<WallTime::duration>(at - clock.steady_now());
}

SteadyTime to_steady(WallTime at, engine::Clock& clock) {
  return clock.steady_now() + std::chrono::duration_cast<SteadyTime::duration>(at - clock.now());
}

}  // namespace

void keep_window_in(state::StateStore& store, state::Portal portal, RetryWindow& window,
                    engine::Clock& clock) {
  if (const auto until = store.retry_after_until(portal)) {
    window.restore(clock.steady_now(), to_steady(*until, clock));
    if (*until > clock.now()) {
      spdlog::info("{} portal: Retry-After window kept from an earlier run, until {}",
                   state::to_string(portal), state::format_utc(*until));
    }
  }
  window.keep_with([&store, portal, &clock](std::optional<RetryWindow::TimePoint> until) {
    try {
      store.keep_retry_after(portal, until ? std::optional(to_wall(*until, clock)) : std::nullopt);
    } catch (const std::exception& error) {
      // This process still honours the window; only a restart would not know it.
      spdlog::error("{} portal: cannot keep its Retry-After window: {}", state::to_string(portal),
                    error.what());
    }
  });
}

std::optional<std::chrono::system_clock::time_point> closed_until(const RetryWindow& window,
                                                                  engine::Clock& clock) {
  if (window.until() <= clock.steady_now()) return std::nullopt;
  return to_wall(window.until(), clock);
}

}  // namespace psd::runtime
