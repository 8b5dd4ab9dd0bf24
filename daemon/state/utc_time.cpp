#include "daemon/state/utc_time.hpp"

#include <cstdio>

namespace psd::state {

std::string format_utc(std::chrono::system_clock::time_point when) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(when);
  const auto day = floor<days>(ms);
  const year_month_day date{day};
  const hh_mm_ss time{ms - day};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int{date.year()},
                unsigned{date.month()}, unsigned{date.day()},
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()),
                static_cast<int>(time.subseconds().count()));
  return text;
}

std::string now_utc() { return format_utc(std::chrono::system_clock::now()); }

std::optional<std::chrono::system_clock::time_point> parse_utc(std::string_view text) {
  using namespace std::chrono;
  int year = 0;
  unsigned month = 0, day = 0;
  int hour = 0, minute = 0, second = 0, milli = 0;
  int consumed = 0;
  const std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2u-%2uT%2d:%2d:%2d.%3dZ%n", &year, &month, &day, &hour,
                  &minute, &second, &milli, &consumed) != 7 ||
      consumed != static_cast<int>(copy.size())) {
    return std::nullopt;
  }
  const year_month_day date{std::chrono::year{year}, std::chrono::month{month},
                            std::chrono::day{day}};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60 || hour < 0 || minute < 0 ||
      second < 0 || milli < 0) {
    return std::nullopt;
  }
  return system_clock::time_point{sys_days{date} + hours(hour) + minutes(minute) + seconds(second) +
                                  milliseconds(milli)};
}

}  // namespace psd::state
