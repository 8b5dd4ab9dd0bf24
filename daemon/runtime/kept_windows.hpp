#pragma once
// The portals' Retry-After windows kept in state.db, so that every process
// (daemon, --once, --dry-run) honours a window an earlier one was given,
// even after a kill -9 inside it.

#include <chrono>
#include <optional>

#include "adapters/retry_window.hpp"
#include "daemon/engine/clock.hpp"
#include "daemon/state/state_store.hpp"

namespace psd::runtime {

/// Tie `window`, `portal`'s Retry-After window, to `store`: start from the
/// end an earlier process kept, and keep every new end the portal asks for
/// (committed before the next request) until it has passed. `clock` is the
/// one the window is read on; it must outlive the window.
void keep_window_in(state::StateStore& store, state::Portal portal, RetryWindow& window,
                    engine::Clock& clock);

/// Return the wall-clock time of `window`'s end, or nothing when it is open.
std::optional<std::chrono::system_clock::time_point> closed_until(const RetryWindow& window,
                                                                  engine::Clock& clock);

}  // namespace psd::runtime
