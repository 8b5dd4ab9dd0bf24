#include "sim/json_fields.hpp"

#include <type_traits>

namespace psd::sim {

void write_text(JsonWriter& w, std::string_view text) {
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void write_field(JsonWriter& w, std::string_view key, const JsonValue& value) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  std::visit(
      [&w](const auto& v) {
        using Value = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<Value, std::string_view>) {
          write_text(w, v);
        } else if constexpr (std::is_same_v<Value, std::int64_t>) {
          w.Int64(v);
        } else if constexpr (std::is_same_v<Value, std::uint64_t>) {
          w.Uint64(v);
        } else if constexpr (std::is_same_v<Value, double>) {
          w.Double(v);
        } else if constexpr (std::is_same_v<Value, bool>) {
          w.Bool(v);
        } else {
          w.Null();
        }
      },
      value);
}

void write_fields(JsonWriter& w, std::initializer_list<JsonField> fields) {
  for (const JsonField& field : fields) {
    if (field.present) {
      write_field(w, field.key, field.value);
    }
  }
}

void write_object(JsonWriter& w, std::initializer_list<JsonField> fields) {
  w.StartObject();
  write_fields(w, fields);
  w.EndObject();
}

std::string object_json(std::initializer_list<JsonField> fields) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  write_object(w, fields);
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace psd::sim
