#include "adapters/national/listing_parser.hpp"

#include <rapidjson/reader.h>

#include "adapters/json_body.hpp"

namespace psd::national {
namespace {

tl::unexpected<core::Failure> bad_listing(std::string why) {
  return core::failure(core::FailureKind::bad_response, std::move(why));
}

enum class Json { string, null, object, array, other };
/// The member a value belongs to, when it is one the page is read for.
enum class Member { none, items, next_cursor, code, content_hash, level };

/// A member as read: the first of its name counts (as a document's FindMember finds it).
struct Seen {
  bool present = false;
  Json kind = Json::other;
  std::string_view text;  ///< a string's, decoded in place
  void take(Json value_kind, std::string_view value_text) {
    if (present) return;
    present = true;
    kind = value_kind;
    text = value_text;
  }
  bool is_string() const { return present && kind == Json::string; }
};

/// Reads a listing page event by event: the page object's `items` and
/// `next_cursor`, and each item's `code`, `content_hash` and `level`; other
/// members, and anything nested deeper, are skipped by depth alone. It never
/// stops the reader, so a body that is not valid JSON fails as such even when
/// an earlier item broke a rule; the first broken rule is reported after.
class PageReader : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, PageReader> {
 public:
  explicit PageReader(std::vector<ListingItem>& items) : items_(items) {}

  bool Default() { return value(Json::other, {}); }
  bool Null() { return value(Json::null, {}); }
  bool String(const char* text, rapidjson::SizeType size, bool /*copy*/) {
    return value(Json::string, {text, size});
  }
  bool StartObject() {
    value(Json::object, {});
    ++depth_;
    return true;
  }
  bool StartArray() {
    value(Json::array, {});
    ++depth_;
    return true;
  }
  bool EndObject(rapidjson::SizeType /*members*/) { return close(); }
  bool EndArray(rapidjson::SizeType /*elements*/) { return close(); }
  bool Key(const char* text, rapidjson::SizeType size, bool /*copy*/) {
    const std::string_view name(text, size);
    if (depth_ == kPageDepth) {
      key_ = name == "items"         ? Member::items
             : name == "next_cursor" ? Member::next_cursor
                                     : Member::none;
    } else if (depth_ == kItemDepth && in_item_) {
      key_ = name == "code"           ? Member::code
             : name == "content_hash" ? Member::content_hash
             : name == "level"        ? Member::level
                                      : Member::none;
    }
    return true;
  }

  /// The page's verdict once the body parsed as JSON, in the order a reader
  /// of the whole document would find the faults.
  tl::expected<std::optional<std::string>, core::Failure> verdict() const {
    if (!page_is_object_) return bad_listing(std::string("not a listing: not an object"));
    if (!items_member_.present || items_member_.kind != Json::array) {
      return bad_listing(std::string("not a listing: 'items' must be an array"));
    }
    if (!cursor_.present || !(cursor_.kind == Json::null || cursor_.kind == Json::string)) {
      return bad_listing(std::string("not a listing: 'next_cursor' must be a string or null"));
    }
    if (item_failure_) return bad_listing(*item_failure_);
    if (cursor_.kind == Json::null) return std::optional<std::string>();
    // Up to a NUL (an escaped \u0000), as the C string it was always read as.
    return std::optional<std::string>(std::string(cursor_.text.data()));
  }

 private:
  static constexpr std::size_t kPageDepth = 1;   ///< inside the page object
  static constexpr std::size_t kItemsDepth = 2;  ///< inside its items array
  static constexpr std::size_t kItemDepth = 3;   ///< inside one item

  bool value(Json kind, std::string_view text) {
    if (depth_ == 0) {
      page_is_object_ = kind == Json::object;
    } else if (depth_ == kPageDepth && page_is_object_) {
      if (key_ == Member::items && !items_member_.present) {
        items_member_.take(kind, {});
        in_items_ = kind == Json::array;
      } else if (key_ == Member::next_cursor) {
        cursor_.take(kind, text);
      }
    } else if (depth_ == kItemsDepth && in_items_) {
      start_item(kind);
    } else if (depth_ == kItemDepth && in_item_) {
      if (key_ == Member::code) code_.take(kind, text);
      if (key_ == Member::content_hash) hash_.take(kind, text);
      if (key_ == Member::level) level_.take(kind, text);
    }
    return true;
  }

  bool close() {
    --depth_;
    if (in_item_ && depth_ == kItemsDepth) {
      finish_item();
    } else if (in_items_ && depth_ == kPageDepth) {
      in_items_ = false;
    }
    return true;
  }

  void start_item(Json kind) {
    item_index_ = next_index_++;
    if (kind == Json::object) {
      in_item_ = true;
      code_ = hash_ = level_ = Seen{};
    } else {
      fail_item(" is not an object");
    }
  }

  void finish_item() {
    in_item_ = false;
    if (item_failure_) return;  // only the first broken item is reported
    if (!code_.is_string() || code_.text.empty()) return fail_item(": 'code' must be a string");
    // The code is quoted only when the item is refused: most never are.
    const auto quoted = [&] { return " (" + one_line_excerpt(code_.text) + ")"; };
    if (!hash_.is_string()) return fail_item(quoted() + ": 'content_hash' must be a string");
    const auto level = level_.is_string() ? core::parse_level(level_.text) : std::nullopt;
    if (!level) return fail_item(quoted() + ": 'level' must be full or partial");
    items_.push_back(ListingItem{code_.text, hash_.text, *level});
  }

  void fail_item(const std::string& why) {
    if (!item_failure_) item_failure_ = "item " + std::to_string(item_index_) + why;
  }

  std::vector<ListingItem>& items_;
  std::size_t depth_ = 0;
  Member key_ = Member::none;
  bool page_is_object_ = false;
  Seen items_member_;
  Seen cursor_;
  bool in_items_ = false;
  bool in_item_ = false;
  std::size_t next_index_ = 0;
  std::size_t item_index_ = 0;
  Seen code_;
  Seen hash_;
  Seen level_;
  std::optional<std::string> item_failure_;
};

}  // namespace

tl::expected<ListingPage, core::Failure> parse_listing_page(std::string_view body) {
  ListingPage page;
  page.text = terminated_copy(body);
  PageReader reader(page.items);
  if (auto parsed = parse_json_in_place(body, page.text.get(), reader); !parsed) {
    return tl::unexpected(parsed.error());
  }
  auto cursor = reader.verdict();
  if (!cursor) return tl::unexpected(cursor.error());
  page.next_cursor = std::move(*cursor);
  return page;
}

tl::expected<std::optional<std::string>, core::Failure> ListingWalk::add(ListingPage page) {
  const std::string where = "page " + std::to_string(++pages_) + ": ";
  for (const ListingItem& item : page.items) {
    if (!mirror_.add(item.code, item.content_hash, item.level)) {
      return bad_listing(where + "code \"" + one_line_excerpt(item.code) +
                         "\" is listed twice: the portal served a page again");
    }
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
