#include "adapters/provincial/page_parser.hpp"

#include <rapidjson/document.h>

#include "adapters/json_body.hpp"
#include "daemon/core/canonical.hpp"
#include "daemon/core/validate.hpp"

namespace psd::provincial {
namespace {

/// Bytes of an invalid record's code kept for the report: a valid code is at most 64.
constexpr std::size_t kMaxCodeExcerpt = 64;

tl::unexpected<core::Failure> bad_page(std::string why) {
  return core::failure(core::FailureKind::bad_response, std::move(why));
}

/// Read the non-negative integer member `name` of the page object.
tl::expected<std::int64_t, core::Failure> count_member(const rapidjson::Value& page,
                                                       const char* name) {
  const auto it = page.FindMember(name);
  if (it == page.MemberEnd()) {
    return bad_page(std::string("not a catalogue page: '") + name + "' is missing");
  }
  if (!it->value.IsInt64() || it->value.GetInt64() < 0) {
    return bad_page(std::string("not a catalogue page: '") + name +
                    "' must be a non-negative integer");
  }
  return it->value.GetInt64();
}

}  // namespace

tl::expected<CataloguePage, core::Failure> parse_catalogue_page(std::string_view body,
                                                                std::int64_t page_number,
                                                                const AgencyRemap* remap) {
  // In place, from a copy: the document's strings are views of `text`.
  const std::unique_ptr<char[]> text = terminated_copy(body);
  rapidjson::Document document;
  if (auto parsed = parse_json_body_in_place(body, text.get(), document); !parsed) {
    return tl::unexpected(parsed.error());
  }
  if (!document.IsObject()) return bad_page("not a catalogue page: not an object");

  CataloguePage page;
  for (auto [name, target] : {std::pair{"page", &page.page},
                              {"page_size", &page.page_size},
                              {"total_items", &page.total_items},
                              {"total_pages", &page.total_pages}}) {
    auto value = count_member(document, name);
    if (!value) return tl::unexpected(value.error());
    *target = *value;
  }
  if (page.page != page_number) {
    return bad_page("asked for page " + std::to_string(page_number) + ", got page " +
                    std::to_string(page.page));
  }
  const auto items = document.FindMember("items");
  if (items == document.MemberEnd() || !items->value.IsArray()) {
    return bad_page("not a catalogue page: 'items' must be an array");
  }

  page.services.reserve(items->value.Size());
  int index = 0;
  for (auto& item : items->value.GetArray()) {
    if (remap != nullptr) {
      if (const auto row = remap->apply(item, document.GetAllocator())) {
        if (page.remapped.size() <= *row) page.remapped.resize(*row + 1);
        ++page.remapped[*row];
      }
    }
    auto record = core::validate_record(item, static_cast<int>(page_number), index++);
    if (auto* service = std::get_if<core::Service>(&record)) {
      std::string hash = core::content_hash(*service);
      page.services.push_back(core::CatalogueEntry{std::move(*service), std::move(hash)});
    } else {
      auto& invalid = std::get<core::InvalidRecord>(record);
      // A code that breaks the rules may be huge or hold control characters;
      // it is reported (log, status file), so keep it short and on one line.
      invalid.code = one_line_excerpt(invalid.code, kMaxCodeExcerpt);
      page.invalid.push_back(std::move(invalid));
    }
  }
  return page;
}

}  // namespace psd::provincial
