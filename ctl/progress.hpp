#pragma once
// resync --wait's progress display: a bar redrawn in place on a terminal,
// a plain line every few seconds otherwise (logs, pipes, CI).

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <optional>
#include <string>

namespace psd::ctl {

/// Pushes per second and time left, from the recent samples of done/total.
class RateMeter {
 public:
  using Clock = std::chrono::steady_clock;
  void add(Clock::time_point at, std::uint64_t done);
  /// Pushes per second over the recent window, or nothing before two samples.
  std::optional<double> rate() const;
  /// Seconds left for `remaining` pushes at the current rate.
  std::optional<double> eta_seconds(std::uint64_t remaining) const;

 private:
  std::deque<std::pair<Clock::time_point, std::uint64_t>> samples_;
};

/// Return "[#####.....] 40/166  24%  12.3/s  ETA 0:10" in `width` columns.
std::string progress_bar(std::uint64_t done, std::uint64_t total, std::optional<double> rate,
                         std::optional<double> eta, int width);
/// Return "cycle 12: 40 of 166 pushes done, 12.3/s, ETA 0:10".
std::string progress_line(std::uint64_t cycle, std::uint64_t done, std::uint64_t total,
                          std::optional<double> rate, std::optional<double> eta);

class ProgressView {
 public:
  /// Draw on `out`; a bar when `terminal`, else plain lines.
  ProgressView(std::FILE* out, bool terminal) : out_(out), terminal_(terminal) {}
  void update(std::uint64_t cycle, std::uint64_t done, std::uint64_t total);
  /// End the bar's line before the final message.
  void finish();

 private:
  std::FILE* out_;
  bool terminal_;
  bool drawn_ = false;
  RateMeter meter_;
  std::optional<RateMeter::Clock::time_point> last_line_;
  std::uint64_t last_done_ = UINT64_MAX;
};

}  // namespace psd::ctl
