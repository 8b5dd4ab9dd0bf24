#pragma once
// The Retry-After window of one portal (contract section 3): a 429 or 503
// with Retry-After closes the whole portal until then. One implementation for
// both portals: the national client keeps one inside its FlowControl, the
// catalogue reader its own. The window's end can be handed to a keeper (the
// runtime stores it in state.db), so a restart inside it sends nothing early.
// Pure logic with the time passed in, so tests need no clock.

#include <chrono>
#include <functional>
#include <optional>

#include "adapters/http/http_client.hpp"

namespace psd {

/// The pause after a 429 that gave no Retry-After.
inline constexpr std::chrono::seconds kDefaultRateLimitPause{1};

class RetryWindow {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  /// Told the end of a window the portal asked for, or nothing once it has
  /// passed; called before the next request is sent.
  using Keeper = std::function<void(std::optional<TimePoint>)>;

  /// Hand every window the portal asks for (not our own pauses) to `keeper`.
  void keep_with(Keeper keeper) { keeper_ = std::move(keeper); }

  /// The portal asked, at `now`, for nothing before `now + wait` (clamped to
  /// kMaxRetryAfter). A shorter window never shortens a longer one.
  void retry_after(TimePoint now, std::chrono::milliseconds wait);
  /// Hold every request for `wait` from `now`, a pause of our own (the token
  /// endpoint is down): not kept, since the portal did not ask for it.
  void pause(TimePoint now, std::chrono::milliseconds wait);
  /// Start from a window kept by an earlier process, ending at `until`
  /// (clamped to kMaxRetryAfter from `now`). Its end is known to the keeper.
  void restore(TimePoint now, TimePoint until);

  /// Learn from `response`, seen at `now` (`wall_now` for an HTTP-date): a
  /// 429 or 503 with Retry-After closes the window, a 429 without one pauses
  /// kDefaultRateLimitPause. Transport errors teach nothing.
  void learn(const http::Response& response, TimePoint now,
             std::chrono::system_clock::time_point wall_now);

  /// A request is about to be sent at `now`: a kept window that has passed is
  /// cleared with the keeper.
  void sending(TimePoint now);

  /// The end of the window; nothing may be sent before it.
  TimePoint until() const { return until_; }

 private:
  void close(TimePoint now, std::chrono::milliseconds wait, bool asked);

  TimePoint until_{};
  bool kept_ = false;  ///< the keeper holds an end that has not been cleared
  Keeper keeper_;
};

}  // namespace psd
