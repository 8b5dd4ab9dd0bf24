#include "adapters/retry_after.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

namespace psd {

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(value.front())) != 0) {
    long long seconds = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error == std::errc::result_out_of_range) return kMaxRetryAfter;
    if (error != std::errc() || end != value.data() + value.size()) return std::nullopt;
    return std::min(std::chrono::seconds(seconds), kMaxRetryAfter);
  }
  // libcurl's date parser reads RFC 1123 (and the obsolete forms RFC 9110 allows).
  const std::string date(value);
  const time_t at = curl_getdate(date.c_str(), nullptr);
  if (at == -1) return std::nullopt;
  const auto wait =
      std::chrono::ceil<std::chrono::seconds>(std::chrono::system_clock::from_time_t(at) - now);
  return std::clamp(wait, std::chrono::seconds(0), kMaxRetryAfter);
}

}  // namespace psd
