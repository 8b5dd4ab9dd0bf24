#include "adapters/national/listing_parser.hpp"

#include <rapidjson/document.h>

#include "adapters/json_body.hpp"

namespace psd::national {
namespace {

std::optional<std::string> string_member(const rapidjson::Value& object, const char* name) {
  const auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace

tl::expected<ListingPage, std::string> parse_listing_page(std::string_view body) {
  rapidjson::Document document;
  if (auto parsed = parse_json_body(body, document); !parsed) return tl::unexpected(parsed.error());
  if (!document.IsObject()) return tl::unexpected(std::string("not a listing: not an object"));
  const auto items = document.FindMember("items");
  if (items == document.MemberEnd() || !items->value.IsArray()) {
    return tl::unexpected(std::string("not a listing: 'items' must be an array"));
  }
  const auto cursor = document.FindMember("next_cursor");
  if (cursor == document.MemberEnd() || !(cursor->value.IsNull() || cursor->value.IsString())) {
    return tl::unexpected(std::string("not a listing: 'next_cursor' must be a string or null"));
  }

  ListingPage page;
  if (cursor->value.IsString()) page.next_cursor = cursor->value.GetString();
  page.items.reserve(items->value.Size());
  int index = 0;
  for (const auto& item : items->value.GetArray()) {
    const std::string where = "item " + std::to_string(index++);
    if (!item.IsObject()) return tl::unexpected(where + " is not an object");
    auto code = string_member(item, "code");
    auto hash = string_member(item, "content_hash");
    auto level = string_member(item, "level");
    const auto parsed_level = level ? core::parse_level(*level) : std::nullopt;
    if (!code || code->empty()) return tl::unexpected(where + ": 'code' must be a string");
    if (!hash) return tl::unexpected(where + " (" + *code + "): 'content_hash' must be a string");
    if (!parsed_level) {
      return tl::unexpected(where + " (" + *code + "): 'level' must be full or partial");
    }
    page.items.emplace_back(std::move(*code), core::MirrorEntry{std::move(*hash), *parsed_level});
  }
  return page;
}

}  // namespace psd::national
