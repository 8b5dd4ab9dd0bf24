#pragma once
// The simulator's JSON answers written from rows of (key, value), so each
// answer's members read as one list instead of Key/value call pairs.

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace psd::sim {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

/// A member's value: text, an integer, a number, a flag or null.
using JsonValue =
    std::variant<std::string_view, std::int64_t, std::uint64_t, double, bool, std::nullptr_t>;

/// One member of an object; `present` false leaves it out (an optional member).
struct JsonField {
  std::string_view key;
  JsonValue value;
  bool present = true;
};

/// Write text by its length: a string_view need not end in NUL.
void write_text(JsonWriter& w, std::string_view text);

/// Write one member into the object `w` is writing.
void write_field(JsonWriter& w, std::string_view key, const JsonValue& value);

/// Write the members in order into the object `w` is writing.
void write_fields(JsonWriter& w, std::initializer_list<JsonField> fields);

/// Write one object of these members.
void write_object(JsonWriter& w, std::initializer_list<JsonField> fields);

/// The JSON text of one object of these members.
std::string object_json(std::initializer_list<JsonField> fields);

}  // namespace psd::sim
