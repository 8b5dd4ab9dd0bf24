#include "adapters/national/listing_parser.hpp"

#include <rapidjson/document.h>

#include "adapters/json_body.hpp"

namespace psd::national {
namespace {

tl::unexpected<core::Failure> bad_listing(std::string why) {
  return core::failure(core::FailureKind::bad_response, std::move(why));
}

std::optional<std::string> string_member(const rapidjson::Value& object, const char* name) {
  const auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace

tl::expected<ListingPage, core::Failure> parse_listing_page(std::string_view body) {
  rapidjson::Document document;
  if (auto parsed = parse_json_body(body, document); !parsed) return tl::unexpected(parsed.error());
  if (!document.IsObject()) return bad_listing("not a listing: not an object");
  const auto items = document.FindMember("items");
  if (items == document.MemberEnd() || !items->value.IsArray()) {
    return bad_listing("not a listing: 'items' must be an array");
  }
  const auto cursor = document.FindMember("next_cursor");
  if (cursor == document.MemberEnd() || !(cursor->value.IsNull() || cursor->value.IsString())) {
    return bad_listing("not a listing: 'next_cursor' must be a string or null");
  }

  ListingPage page;
  if (cursor->value.IsString()) page.next_cursor = cursor->value.GetString();
  page.items.reserve(items->value.Size());
  int index = 0;
  for (const auto& item : items->value.GetArray()) {
    const std::string where = "item " + std::to_string(index++);
    const auto quoted = [](const std::string& code) { return "(" + one_line_excerpt(code) + ")"; };
    if (!item.IsObject()) return bad_listing(where + " is not an object");
    auto code = string_member(item, "code");
    auto hash = string_member(item, "content_hash");
    auto level = string_member(item, "level");
    const auto parsed_level = level ? core::parse_level(*level) : std::nullopt;
    if (!code || code->empty()) return bad_listing(where + ": 'code' must be a string");
    if (!hash)
      return bad_listing(where + " " + quoted(*code) + ": 'content_hash' must be a string");
    if (!parsed_level) {
      return bad_listing(where + " " + quoted(*code) + ": 'level' must be full or partial");
    }
    page.items.emplace_back(std::move(*code), core::MirrorEntry{std::move(*hash), *parsed_level});
  }
  return page;
}

tl::expected<std::optional<std::string>, core::Failure> ListingWalk::add(ListingPage page) {
  const std::string where = "page " + std::to_string(++pages_) + ": ";
  for (auto& [code, entry] : page.items) {
    if (mirror_.contains(code)) {
      return bad_listing(where + "code \"" + one_line_excerpt(code) +
                         "\" is listed twice: the portal served a page again");
    }
    mirror_.emplace(std::move(code), std::move(entry));
  }
  std::optional<std::string> cursor = std::move(page.next_cursor);
  if (!cursor) return cursor;
  if (cursor->empty() || cursor->size() > kMaxCursorBytes) {
    return bad_listing(where + "next_cursor must be 1 to " + std::to_string(kMaxCursorBytes) +
                       " bytes long, got " + std::to_string(cursor->size()));
  }
  if (!cursors_.insert(*cursor).second) {
    return bad_listing(where + "next_cursor repeats an earlier cursor (\"" +
                       one_line_excerpt(*cursor) + "\"); the listing would never end");
  }
  if (pages_ >= kMaxListingPages) {
    return bad_listing(where + "the listing goes on past " + std::to_string(kMaxListingPages) +
                       " pages; a cursor loop?");
  }
  return cursor;
}

}  // namespace psd::national
