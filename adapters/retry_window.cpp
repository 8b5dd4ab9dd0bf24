#include "adapters/retry_window.hpp"

#include <algorithm>

#include "adapters/retry_after.hpp"

namespace psd {

void RetryWindow::close(TimePoint now, std::chrono::milliseconds wait, bool asked) {
  const auto end = now + std::clamp<std::chrono::milliseconds>(wait, std::chrono::milliseconds(0),
                                                               kMaxRetryAfter);
  if (end <= until_) return;
  until_ = end;
  if (asked && keeper_) {
    keeper_(until_);
    kept_ = true;
  }
}

void RetryWindow::retry_after(TimePoint now, std::chrono::milliseconds wait) {
  close(now, wait, true);
}

void RetryWindow::pause(TimePoint now, std::chrono::milliseconds wait) { close(now, wait, false); }

void RetryWindow::restore(TimePoint now, TimePoint until) {
  until_ = std::max(until_, std::min(until, now + kMaxRetryAfter));
  kept_ = true;
}

void RetryWindow::learn(const http::Response& response, TimePoint now,
                        std::chrono::system_clock::time_point wall_now) {
  if (response.error != http::TransportError::none) return;
  if (response.status != 429 && response.status != 503) return;
  if (const auto wait = parse_retry_after(response.retry_after, wall_now)) {
    retry_after(now, *wait);
  } else if (response.status == 429) {
    pause(now, kDefaultRateLimitPause);
  }
}

void RetryWindow::sending(TimePoint now) {
  if (!kept_ || now < until_) return;
  kept_ = false;
  if (keeper_) keeper_(std::nullopt);
}

}  // namespace psd
