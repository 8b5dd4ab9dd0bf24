// Fuzz the mapped page parser (adapters/provincial/mapped_page.hpp): one
// response body of a foreign catalogue through a mapping file. The first
// byte (mod 3) picks the mapping: the shipped opencps preset, a gateway's
// wrapped, UPPERCASE, string-typed shape (tests/data/gateway-mapping.toml,
// the one the tests and portal-sim use), or a .NET-style one with nested
// pointers, epoch_ms times, booleans and defaults (fuzz/dotnet-mapping.toml).
// Beyond "no crash": a page fails with a one-line reason, or accounts for
// every item (valid, invalid or information only), each valid one a
// contract service.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "adapters/provincial/mapped_page.hpp"
#include "config/mapping.hpp"
#include "fuzz/fuzz_check.hpp"

namespace {

using psd::fuzz::require;

/// The mapping file at `path` (below the source tree); a missing or bad one
/// throws, naming the file.
psd::config::Mapping mapping_file(const char* path) {
  return psd::config::load_mapping(std::string(PSD_SOURCE_DIR "/") + path, {}, "mapped_page_fuzz",
                                   0);
}

const psd::provincial::RecordMapper& mapper(int which) {
  static const psd::provincial::RecordMapper opencps(
      psd::config::parse_mapping(psd::config::find_preset("opencps")->text, "opencps"),
      psd::provincial::AgencyRemap({{"000.20.15.H43", "000.00.15.H43", "Sở Xây dựng", 2}}));
  static const psd::provincial::RecordMapper td(mapping_file("tests/data/gateway-mapping.toml"),
                                                psd::provincial::AgencyRemap());
  static const psd::provincial::RecordMapper dotnet(
      mapping_file("fuzz/dotnet-mapping.toml"),
      psd::provincial::AgencyRemap({{"OLD", "000.00.15.H43", "", 2}}));
  return which == 0 ? opencps : which == 1 ? td : dotnet;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto page =
      psd::provincial::parse_mapped_page(body, mapper(data[0] % 3), 1, "2026-01-01T00:00:00Z");
  if (!page) {
    require(psd::fuzz::is_one_line(page.error().message), "a failed page gives a one-line reason");
    return 0;
  }
  require(!page->total || *page->total >= 0, "a total is non-negative");
  require(page->services.size() + page->invalid.size() + page->information_only == page->items,
          "every item is valid, invalid or information only");
  require(page->codes.size() <= page->items, "at most one code per item");
  for (const auto& entry : page->services) psd::fuzz::check_service(entry);
  for (const auto& record : page->invalid) {
    require(record.page == 1, "an invalid record names its page");
    require(psd::fuzz::is_one_line(record.reason), "an invalid record has a one-line reason");
    require(psd::fuzz::is_valid_utf8(record.code) && psd::fuzz::is_valid_utf8(record.reason),
            "an invalid record's code and reason are UTF-8, for the status file");
  }
  return 0;
}
