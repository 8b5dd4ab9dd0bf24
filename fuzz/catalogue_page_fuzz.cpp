// Fuzz the provincial catalogue page parser (adapters/provincial/page_parser.hpp).
// Beyond "no crash": a page either fails with a one-line reason, or every
// record on it is either a valid service (well-formed code, UTF-8 text, a
// sha256 content hash) or an invalid record tagged with its page and position.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adapters/provincial/page_parser.hpp"
#include "fuzz/fuzz_check.hpp"

namespace {

using psd::fuzz::check_service;
using psd::fuzz::is_valid_utf8;
using psd::fuzz::require;

constexpr std::int64_t kPage = 1;  // the seeds are page 1

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const auto page = psd::provincial::parse_catalogue_page(body, kPage);
  if (!page) {
    require(psd::fuzz::is_one_line(page.error().message), "a failed page gives a one-line reason");
    return 0;
  }
  require(body.find('\0') == std::string_view::npos,
          "a parsed body has no NUL byte: all of it was read");
  require(page->page == kPage, "the page parsed is the page asked for");
  require(page->page_size >= 0 && page->total_items >= 0 && page->total_pages >= 0,
          "page counts are non-negative");
  for (const auto& entry : page->services) check_service(entry);
  int last_index = -1;
  for (const auto& record : page->invalid) {
    require(record.page == kPage, "an invalid record names its page");
    require(record.index > last_index, "invalid records keep their order on the page");
    last_index = record.index;
    require(psd::fuzz::is_one_line(record.reason), "an invalid record has a one-line reason");
    require(is_valid_utf8(record.code) && is_valid_utf8(record.agency_code),
            "an invalid record's code is UTF-8, for the status file");
  }
  return 0;
}
