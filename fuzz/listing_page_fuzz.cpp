// Fuzz the national portal's listing parser (adapters/national/listing_parser.hpp).
// Beyond "no crash": a listing either fails with a one-line reason, or every
// item has a non-empty UTF-8 code, and the cursor, when there is one, is UTF-8.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adapters/national/listing_parser.hpp"
#include "fuzz/fuzz_check.hpp"

using psd::fuzz::is_valid_utf8;
using psd::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const auto page = psd::national::parse_listing_page(body);
  if (!page) {
    require(psd::fuzz::is_one_line(page.error().message),
            "a failed listing gives a one-line reason");
    return 0;
  }
  require(body.find('\0') == std::string_view::npos,
          "a parsed body has no NUL byte: all of it was read");
  for (const auto& item : page->items) {
    require(!item.code.empty(), "every listed item has a code");
    require(is_valid_utf8(item.code), "every listed code is UTF-8");
    require(is_valid_utf8(item.content_hash), "every listed content hash is UTF-8");
  }
  if (page->next_cursor) require(is_valid_utf8(*page->next_cursor), "the cursor is UTF-8");
  return 0;
}
