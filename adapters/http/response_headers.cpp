#include "adapters/http/response_headers.hpp"

#include <cstddef>
#include <string>

namespace psd::http::detail {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n";

std::string_view trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) {
    return {};
  }
  const std::size_t last = text.find_last_not_of(kWhitespace);
  return text.substr(first, last - first + 1);
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

// Return the field of `response` that keeps header `name`, or null when none does.
std::string* field_for(std::string_view name, Response& response) {
  if (iequals(name, "ETag")) {
    return &response.etag;
  }
  if (iequals(name, "X-Catalogue-Version")) {
    return &response.catalogue_version;
  }
  if (iequals(name, "Retry-After")) {
    return &response.retry_after;
  }
  if (iequals(name, "Content-Type")) {
    return &response.content_type;
  }
  return nullptr;
}

}  // namespace

void capture_header_line(std::string_view line, Response& response) {
  if (line.size() >= 5 && iequals(line.substr(0, 5), "HTTP/")) {
    response.etag.clear();
    response.catalogue_version.clear();
    response.retry_after.clear();
    response.content_type.clear();
    return;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    return;  // the blank line that ends a header block
  }
  if (std::string* field = field_for(trim(line.substr(0, colon)), response)) {
    field->assign(trim(line.substr(colon + 1)));
  }
}

}  // namespace psd::http::detail
