#include "adapters/provincial/mapped_record.hpp"

#include <algorithm>
#include <vector>

#include "adapters/json_body.hpp"
#include "adapters/provincial/mapped_values.hpp"
#include "daemon/core/canonical.hpp"
#include "daemon/core/validate.hpp"

namespace psd::provincial {
namespace {

/// Bytes of an invalid record's code kept for the report, as for the contract's pages.
constexpr std::size_t kMaxCodeExcerpt = 64;

static_assert(config::kFieldKeys.size() == kFieldCount, "Field follows [fields]' keys");

std::size_t at(Field field) { return static_cast<std::size_t>(field); }

/// Return the key of [fields] that names `field`.
std::string_view key_of(std::size_t field) { return config::kFieldKeys.at(field).key; }

const std::string& pointer_of(const config::FieldPointers& fields, Field field) {
  return fields.*config::kFieldKeys.at(at(field)).member;
}

std::optional<std::string> lookup(const config::ValueMap& map, const std::string& raw) {
  for (const auto& [from, to] : map) {
    if (from == raw) return to;
  }
  return std::nullopt;
}

/// Builds the contract's object for one record and says what went wrong.
class Builder {
 public:
  Builder(const RecordMapper& mapper,
          const std::array<std::optional<rapidjson::Pointer>, kFieldCount>& pointers,
          const rapidjson::Value& record)
      : mapping_(mapper.mapping()),
        pointers_(pointers),
        record_(record),
        out_(rapidjson::kObjectType) {}

  /// The raw value `field`'s pointer finds, noting where it came from.
  const rapidjson::Value* find(Field field) {
    const auto& pointer = pointers_[at(field)];
    const rapidjson::Value* value = pointer ? pointer->Get(record_) : nullptr;
    if (value != nullptr) {
      origin_[at(field)] =
          " (value " + describe_value(*value) + " at " + pointer_of(mapping_.fields, field) + ")";
    }
    return value;
  }

  void fail(Field field, const std::string& rule) {
    violations_.push_back("field '" + std::string(key_of(at(field))) + "': " + rule);
  }

  /// "value "5" at /MUCDO": the raw value and its pointer.
  std::string raw(Field field, const rapidjson::Value& value) const {
    return "value " + describe_value(value) + " at " + pointer_of(mapping_.fields, field);
  }

  void nothing(Field field) {
    const std::string& pointer = pointer_of(mapping_.fields, field);
    fail(field,
         pointer.empty() ? "no pointer in [fields] and no default" : "nothing at " + pointer);
  }

  void set_default(Field field) {
    origin_[at(field)] = " (the default of [defaults]." + std::string(key_of(at(field))) + ")";
  }

  /// Copy the raw value of a text field, or report it missing.
  void copy(Field field, rapidjson::Value& into, const char* key) {
    if (const rapidjson::Value* value = find(field)) {
      into.AddMember(rapidjson::StringRef(key), rapidjson::Value(*value, allocator()), allocator());
    } else {
      nothing(field);
    }
  }

  /// Map an enum field through its value map; the contract's own words pass too.
  std::optional<std::string> mapped_enum(Field field, const config::ValueMap& map,
                                         std::initializer_list<std::string_view> contract,
                                         std::string_view map_name) {
    const rapidjson::Value* value = find(field);
    if (value == nullptr) return std::nullopt;
    const auto text = value_text(*value);
    std::optional<std::string> mapped;
    if (text) mapped = lookup(map, *text);
    if (!mapped && text && field == Field::level) mapped = decree_level(*text);
    if (!mapped && text && std::find(contract.begin(), contract.end(), *text) != contract.end()) {
      mapped = *text;
    }
    if (!mapped) fail(field, raw(field, *value) + " is not in [values]." + std::string(map_name));
    return mapped;
  }

  void add_string(const char* key, const std::string& text) {
    out_.AddMember(
        rapidjson::StringRef(key),
        rapidjson::Value(text.data(), static_cast<rapidjson::SizeType>(text.size()), allocator()),
        allocator());
  }

  /// An integer field: a JSON integer or a string of digits, else its default.
  void integer(Field field, const char* key, std::uint64_t fallback) {
    const rapidjson::Value* value = find(field);
    if (value == nullptr) {
      set_default(field);
      out_.AddMember(rapidjson::StringRef(key), rapidjson::Value(fallback), allocator());
      return;
    }
    if (value->IsUint64()) {
      out_.AddMember(rapidjson::StringRef(key), rapidjson::Value(value->GetUint64()), allocator());
    } else if (const auto number = integer_value(*value)) {
      out_.AddMember(rapidjson::StringRef(key), rapidjson::Value(*number), allocator());
    } else if (value->IsNumber()) {
      // A fraction: the contract's rule says what is wrong with it.
      out_.AddMember(rapidjson::StringRef(key), rapidjson::Value(*value, allocator()), allocator());
    } else {
      fail(field, raw(field, *value) + " is not an integer");
    }
  }

  rapidjson::Document& out() { return out_; }
  rapidjson::Document::AllocatorType& allocator() { return out_.GetAllocator(); }
  const config::Mapping& mapping() const { return mapping_; }
  const std::vector<std::string>& violations() const { return violations_; }
  const std::string& origin(std::size_t field) const { return origin_[field]; }

 private:
  const config::Mapping& mapping_;
  const std::array<std::optional<rapidjson::Pointer>, kFieldCount>& pointers_;
  const rapidjson::Value& record_;
  rapidjson::Document out_;
  std::vector<std::string> violations_;
  std::array<std::string, kFieldCount> origin_;
};

/// Name the pointer and raw value in each of the contract's reasons
/// ("field 'fee_vnd': must be ... (value "-5" at /LEPHI)").
std::string annotate(const std::string& reason, const Builder& builder) {
  std::string out;
  std::size_t start = 0;
  while (start < reason.size()) {
    std::size_t end = reason.find("; field '", start);
    if (end == std::string::npos) end = reason.size();
    std::string part = reason.substr(start, end - start);
    for (const auto& [label, name] : {std::pair{"field 'agency.code'", "field 'agency_code'"},
                                      std::pair{"field 'agency.name'", "field 'agency_name'"}}) {
      if (part.starts_with(label)) part.replace(0, std::string_view(label).size(), name);
    }
    for (std::size_t i = 0; i < kFieldCount; ++i) {
      if (part.starts_with("field '" + std::string(key_of(i)) + "'")) {
        part += builder.origin(i);
        break;
      }
    }
    out += (out.empty() ? "" : "; ") + part;
    start = end + 2;  // past "; "
  }
  return out;
}

}  // namespace

RecordMapper::RecordMapper(config::Mapping mapping, AgencyRemap remap)
    : mapping_(std::move(mapping)), remap_(std::move(remap)) {
  for (std::size_t i = 0; i < kFieldCount; ++i) {
    const std::string& text = pointer_of(mapping_.fields, static_cast<Field>(i));
    // The config loader refused invalid pointers; "" means none.
    if (!text.empty()) pointers_[i].emplace(text.c_str(), text.size());
  }
}

MappedRecord RecordMapper::map(const rapidjson::Value& record, int page, int index,
                               const std::string& listing_started_at) const {
  MappedRecord result;
  core::InvalidRecord invalid;
  invalid.page = page;
  invalid.index = index;
  if (!record.IsObject()) {
    invalid.reason = "record is not a JSON object";
    result.value = std::move(invalid);
    return result;
  }
  Builder b(*this, pointers_, record);
  auto& out = b.out();
  const config::ValueMaps& values = mapping_.values;

  if (const rapidjson::Value* code = b.find(Field::code)) {
    if (code->IsString()) result.code.assign(code->GetString(), code->GetStringLength());
    out.AddMember("code", rapidjson::Value(*code, b.allocator()), b.allocator());
  } else {
    b.nothing(Field::code);
  }
  // The level first: an information-only service is counted, not validated.
  const auto level = b.mapped_enum(Field::level, values.level, {"full", "partial"}, "level");
  if (level == "information") {
    result.value = InformationOnly{};
    return result;
  }
  if (level) {
    b.add_string("level", *level);
  } else if (b.find(Field::level) == nullptr) {
    b.nothing(Field::level);
  }
  b.copy(Field::name, out, "name");
  rapidjson::Value agency(rapidjson::kObjectType);
  b.copy(Field::agency_code, agency, "code");
  b.copy(Field::agency_name, agency, "name");
  out.AddMember("agency", agency, b.allocator());
  // Remapped before any verdict, as on the contract's pages: an invalid
  // record is counted under its new agency too.
  result.remap_row = remap_.apply(out, b.allocator());
  const rapidjson::Value& moved = out.FindMember("agency")->value;  // added just above
  if (const auto code = moved.FindMember("code");
      code != moved.MemberEnd() && code->value.IsString()) {
    invalid.agency_code.assign(code->value.GetString(), code->value.GetStringLength());
  }
  if (mapping_.fields.field.empty()) {
    b.add_string("field", "");
  } else {
    b.copy(Field::field, out, "field");
  }
  const auto enum_with_default = [&](Field field, const config::ValueMap& map,
                                     std::initializer_list<std::string_view> contract,
                                     const std::string& fallback, const char* key) {
    std::optional<std::string> text = b.mapped_enum(field, map, contract, key);
    if (!text && b.find(field) == nullptr) {
      b.set_default(field);
      text = fallback;
    }
    if (text) b.add_string(key, *text);
    return text;
  };
  enum_with_default(Field::admin_level, values.admin_level, {"province", "district", "commune"},
                    mapping_.defaults.admin_level, "admin_level");
  b.integer(Field::fee_vnd, "fee_vnd", mapping_.defaults.fee_vnd);
  b.integer(Field::processing_days, "processing_days", mapping_.defaults.processing_days);
  const auto status = enum_with_default(Field::status, values.status, {"active", "suspended"},
                                        mapping_.defaults.status, "status");
  if (const rapidjson::Value* updated = b.find(Field::updated_at)) {
    if (const auto text = timestamp_value(*updated, values.updated_at)) {
      b.add_string("updated_at", *text);
    } else {
      b.fail(Field::updated_at, b.raw(Field::updated_at, *updated) + " is not " +
                                    std::string(format_name(values.updated_at)) +
                                    " ([values].updated_at)");
    }
  } else {
    b.set_default(Field::updated_at);
    b.add_string("updated_at", mapping_.defaults.updated_at.empty() ? listing_started_at
                                                                    : mapping_.defaults.updated_at);
  }

  if (!b.violations().empty()) {
    invalid.code = one_line_excerpt(result.code, kMaxCodeExcerpt);
    for (const auto& violation : b.violations()) {
      invalid.reason += (invalid.reason.empty() ? "" : "; ") + violation;
    }
    if (level) invalid.level = core::parse_level(*level);
    invalid.counts_active = status != "suspended";
    result.value = std::move(invalid);
    return result;
  }
  auto validated = core::validate_record(out, page, index);
  if (auto* service = std::get_if<core::Service>(&validated)) {
    std::string hash = core::content_hash(*service);
    result.value = core::CatalogueEntry{std::move(*service), std::move(hash)};
  } else {
    auto& bad = std::get<core::InvalidRecord>(validated);
    bad.code = one_line_excerpt(bad.code, kMaxCodeExcerpt);
    bad.reason = annotate(bad.reason, b);
    result.value = std::move(bad);
  }
  return result;
}

}  // namespace psd::provincial
