#include "ctl/progress.hpp"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace psd::ctl {
namespace {

/// The rate is measured over this much recent time, so it follows changes.
constexpr auto kRateWindow = std::chrono::seconds(10);
/// Plain progress lines at most this often.
constexpr auto kLineEvery = std::chrono::seconds(5);

std::string clock_text(double seconds) {
  const auto total = static_cast<std::uint64_t>(std::llround(seconds));
  if (total >= 3600)
    return fmt::format("{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60);
  return fmt::format("{}:{:02}", total / 60, total % 60);
}

int terminal_width(std::FILE* out) {
  winsize size{};
  if (::ioctl(::fileno(out), TIOCGWINSZ, &size) == 0 && size.ws_col > 20) return size.ws_col;
  return 80;
}

}  // namespace

void RateMeter::add(Clock::time_point at, std::uint64_t done) {
  samples_.emplace_back(at, done);
  while (samples_.size() > 2 && samples_.front().first < at - kRateWindow) samples_.pop_front();
}

std::optional<double> RateMeter::rate() const {
  if (samples_.size() < 2) return std::nullopt;
  const auto& [t0, d0] = samples_.front();
  const auto& [t1, d1] = samples_.back();
  const double seconds = std::chrono::duration<double>(t1 - t0).count();
  if (seconds <= 0 || d1 < d0) return std::nullopt;
  return static_cast<double>(d1 - d0) / seconds;
}

std::optional<double> RateMeter::eta_seconds(std::uint64_t remaining) const {
  const auto per_second = rate();
  if (!per_second || *per_second <= 0) return std::nullopt;
  return static_cast<double>(remaining) / *per_second;
}

std::string progress_bar(std::uint64_t done, std::uint64_t total, std::optional<double> rate,
                         std::optional<double> eta, int width) {
  const double fraction = total == 0 ? 0.0 : static_cast<double>(done) / static_cast<double>(total);
  std::string tail = fmt::format(" {}/{} {:3.0f}%", done, total, 100 * fraction);
  tail += rate ? fmt::format("  {:.1f}/s", *rate) : "  -/s";
  tail += eta ? "  ETA " + clock_text(*eta) : "  ETA -";
  const int bar = std::max(10, width - static_cast<int>(tail.size()) - 2);  // 2: the brackets
  const int filled = static_cast<int>(fraction * bar);
  return "[" + std::string(static_cast<std::size_t>(filled), '#') +
         std::string(static_cast<std::size_t>(bar - filled), '.') + "]" + tail;
}

std::string progress_line(std::uint64_t cycle, std::uint64_t done, std::uint64_t total,
                          std::optional<double> rate, std::optional<double> eta) {
  std::string line = fmt::format("cycle {}: {} of {} pushes done", cycle, done, total);
  if (rate) line += fmt::format(", {:.1f}/s", *rate);
  if (eta) line += ", ETA " + clock_text(*eta);
  return line;
}

void ProgressView::update(std::uint64_t cycle, std::uint64_t done, std::uint64_t total) {
  const auto now = RateMeter::Clock::now();
  meter_.add(now, done);
  const auto rate = meter_.rate();
  const auto eta = meter_.eta_seconds(total > done ? total - done : 0);
  if (terminal_) {
    const std::string bar = progress_bar(done, total, rate, eta, terminal_width(out_) - 1);
    std::fprintf(out_, "\r%s", bar.c_str());
    drawn_ = true;
  } else {
    // A line when the numbers moved and a few seconds have passed.
    if (total == 0 || done == last_done_ || (last_line_ && now - *last_line_ < kLineEvery)) return;
    std::fprintf(out_, "%s\n", progress_line(cycle, done, total, rate, eta).c_str());
    last_line_ = now;
    last_done_ = done;
  }
  std::fflush(out_);
}

void ProgressView::finish() {
  if (drawn_) std::fputc('\n', out_);
  drawn_ = false;
  std::fflush(out_);
}

}  // namespace psd::ctl
