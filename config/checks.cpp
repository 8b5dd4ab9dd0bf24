#include "config/checks.hpp"

#include <algorithm>
#include <cstdio>

namespace psd::config::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool is_control_or_space(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u <= 0x20 || u == 0x7f;
}

// A port is 1-65535 in decimal.
bool is_port(std::string_view port) {
  if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), is_digit)) {
    return false;
  }
  const int value = std::stoi(std::string(port));
  return value >= 1 && value <= 65535;
}

// Check the host[:port] part; an IPv6 literal is in brackets.
std::optional<std::string> authority_problem(std::string_view authority) {
  std::string_view host = authority;
  std::string_view port;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      return "has an unclosed [ in its host";
    }
    host = authority.substr(1, close - 1);
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return "has text after its [IPv6] host";
      }
      has_port = true;
      port = after.substr(1);
    }
    const bool ok = !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
      return is_alnum(c) || c == ':' || c == '.';
    });
    if (!ok) {
      return "has an invalid IPv6 host";
    }
  } else {
    const auto colon = authority.find(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
      has_port = true;
    }
    if (host.empty()) {
      return "has no host";
    }
    const bool ok = std::all_of(host.begin(), host.end(), [](char c) {
      return is_alnum(c) || c == '-' || c == '.' || c == '_' ||
             static_cast<unsigned char>(c) >= 0x80;
    });
    if (!ok) {
      return "has an invalid host";
    }
  }
  if (has_port && !is_port(port)) {
    return "has an invalid port (use 1-65535)";
  }
  return std::nullopt;
}

// Quote `url` for a message, unless it may hold a password.
std::string show(std::string_view url) {
  if (url.find('@') != std::string_view::npos) {
    return "a URL with @ (not shown: it may hold a password)";
  }
  return quote(url);
}

}  // namespace

std::optional<std::string> url_problem(std::string_view url, bool base) {
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return "must start with http:// or https://, got " + show(url);
  }
  const auto authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) {
    return "must not hold a user name or password (put secrets in files, not URLs)";
  }
  if (std::any_of(url.begin(), url.end(), is_control_or_space)) {
    return "must not contain spaces or control characters, got " + show(url);
  }
  if (auto problem = authority_problem(authority)) {
    return *problem + ", got " + show(url);
  }
  if (base && url.find_first_of("?#") != std::string_view::npos) {
    return "must not have a query or fragment (request paths are appended to it), got " + show(url);
  }
  if (url.find('#') != std::string_view::npos) {
    return "must not have a fragment, got " + show(url);
  }
  return std::nullopt;
}

bool is_plain_http(std::string_view url) { return url.starts_with("http://"); }

bool is_province_code(std::string_view code) {
  return !code.empty() && code.size() <= 16 && std::all_of(code.begin(), code.end(), is_alnum);
}

bool has_duration_shape(std::string_view text) {
  const auto digits = std::find_if_not(text.begin(), text.end(), is_digit) - text.begin();
  if (digits == 0) {
    return false;
  }
  const auto unit = text.substr(static_cast<std::size_t>(digits));
  return unit == "ms" || unit == "s" || unit == "m" || unit == "h";
}

std::string format_duration(std::chrono::milliseconds duration) {
  const auto ms = duration.count();
  if (ms % 3'600'000 == 0) {
    return std::to_string(ms / 3'600'000) + "h";
  }
  if (ms % 60'000 == 0) {
    return std::to_string(ms / 60'000) + "m";
  }
  if (ms % 1000 == 0) {
    return std::to_string(ms / 1000) + "s";
  }
  return std::to_string(ms) + "ms";
}

std::string quote(std::string_view text, std::size_t max_chars) {
  bool cut = false;
  if (text.size() > max_chars) {
    std::size_t end = max_chars;
    // Do not split a UTF-8 sequence.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
    text = text.substr(0, end);
    cut = true;
  }
  std::string out = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  if (cut) {
    out += "...";
  }
  out += '"';
  return out;
}

}  // namespace psd::config::detail
