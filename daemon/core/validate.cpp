#include "daemon/core/validate.hpp"

#include <iterator>
#include <string>
#include <string_view>
#include <unordered_map>

#include "daemon/core/rfc3339.hpp"

namespace psd::core {
namespace {

constexpr std::uint64_t kMaxFee = 9007199254740991ULL;  // 2^53 - 1: exact in every JSON reader
constexpr std::uint64_t kMaxProcessingDays = 3650;
constexpr std::size_t kMaxCodeLength = 64;
constexpr std::size_t kMaxNameCodePoints = 1000;
constexpr std::size_t kMaxAgencyNameCodePoints = 300;
constexpr std::size_t kMaxFieldCodePoints = 200;

/// Collects every rule a record breaks, in field order.
class Violations {
 public:
  void add(std::string_view field, std::string_view rule) {
    if (!text_.empty()) text_ += "; ";
    text_ += "field '";
    text_ += field;
    text_ += "': ";
    text_ += rule;
  }
  bool empty() const { return text_.empty(); }
  std::string take() { return std::move(text_); }

 private:
  std::string text_;
};

std::string_view view(const rapidjson::Value& value) {
  return {value.GetString(), value.GetStringLength()};
}

bool is_code_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

/// Find member `name` of `object`; report it missing when absent.
const rapidjson::Value* member(const rapidjson::Value& object, const char* name,
                               std::string_view label, Violations& violations) {
  const auto it = object.FindMember(name);
  if (it == object.MemberEnd()) {
    violations.add(label, "missing");
    return nullptr;
  }
  return &it->value;
}

/// Read a string member whose length in code points lies in [min, max].
std::optional<std::string> string_field(const rapidjson::Value& object, const char* name,
                                        std::string_view label, std::size_t min, std::size_t max,
                                        Violations& violations) {
  const rapidjson::Value* value = member(object, name, label, violations);
  if (value == nullptr) return std::nullopt;
  if (!value->IsString()) {
    violations.add(label, "must be a string");
    return std::nullopt;
  }
  const std::size_t length = count_code_points(view(*value));
  if (length < min || length > max) {
    violations.add(label, "must be " + std::to_string(min) + " to " + std::to_string(max) +
                              " characters long, got " + std::to_string(length));
    return std::nullopt;
  }
  return std::string(view(*value));
}

/// Read an integer member in [0, max].
std::optional<std::uint64_t> integer_field(const rapidjson::Value& object, const char* name,
                                           std::uint64_t max, Violations& violations) {
  const rapidjson::Value* value = member(object, name, name, violations);
  if (value == nullptr) return std::nullopt;
  const std::string rule = "must be an integer from 0 to " + std::to_string(max);
  if (!value->IsUint64() || value->GetUint64() > max) {
    violations.add(name, rule);
    return std::nullopt;
  }
  return value->GetUint64();
}

/// Read a string member that must be one of a fixed set, parsed by `parse`.
template <typename Parse>
auto enum_field(const rapidjson::Value& object, const char* name, std::string_view allowed,
                Parse parse, Violations& violations) -> decltype(parse(std::string_view{})) {
  const rapidjson::Value* value = member(object, name, name, violations);
  if (value == nullptr) return std::nullopt;
  auto parsed = value->IsString() ? parse(view(*value)) : std::nullopt;
  if (!parsed) violations.add(name, "must be one of " + std::string(allowed));
  return parsed;
}

std::optional<std::string> code_field(const rapidjson::Value& record, Violations& violations) {
  const rapidjson::Value* value = member(record, "code", "code", violations);
  if (value == nullptr) return std::nullopt;
  if (!value->IsString()) {
    violations.add("code", "must be a string");
    return std::nullopt;
  }
  const std::string_view code = view(*value);
  bool ok = !code.empty() && code.size() <= kMaxCodeLength;
  for (const char c : code) ok = ok && is_code_char(c);
  if (!ok) violations.add("code", "must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
  return std::string(code);  // kept even when invalid, so the report can name it
}

std::optional<Agency> agency_field(const rapidjson::Value& record, Violations& violations,
                                   std::string& readable_code) {
  const rapidjson::Value* value = member(record, "agency", "agency", violations);
  if (value == nullptr) return std::nullopt;
  if (!value->IsObject()) {
    violations.add("agency", "must be an object with code and name");
    return std::nullopt;
  }
  auto code = string_field(*value, "code", "agency.code", 1, kMaxCodeLength, violations);
  auto name = string_field(*value, "name", "agency.name", 1, kMaxAgencyNameCodePoints, violations);
  if (code) readable_code = *code;
  if (!code || !name) return std::nullopt;
  return Agency{std::move(*code), std::move(*name)};
}

}  // namespace

std::size_t count_code_points(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) {
    // Every code point has exactly one byte that is not a continuation byte.
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::variant<Service, InvalidRecord> validate_record(const rapidjson::Value& record, int page,
                                                     int index) {
  InvalidRecord invalid;
  invalid.page = page;
  invalid.index = index;
  if (!record.IsObject()) {
    invalid.reason = "record is not a JSON object";
    return invalid;
  }
  Violations violations;
  auto code = code_field(record, violations);
  auto name = string_field(record, "name", "name", 1, kMaxNameCodePoints, violations);
  auto level = enum_field(record, "level", "full, partial", parse_level, violations);
  auto agency = agency_field(record, violations, invalid.agency_code);
  auto field = string_field(record, "field", "field", 0, kMaxFieldCodePoints, violations);
  auto admin_level = enum_field(record, "admin_level", "province, district, commune",
                                parse_admin_level, violations);
  auto fee = integer_field(record, "fee_vnd", kMaxFee, violations);
  auto days = integer_field(record, "processing_days", kMaxProcessingDays, violations);
  auto status = enum_field(record, "status", "active, suspended", parse_status, violations);
  std::optional<std::string> updated_at;
  if (const rapidjson::Value* value = member(record, "updated_at", "updated_at", violations)) {
    if (value->IsString() && is_rfc3339_timestamp(view(*value))) {
      updated_at = std::string(view(*value));
    } else {
      violations.add("updated_at", "must be an RFC 3339 timestamp with offset");
    }
  }

  if (violations.empty()) {
    return Service{
        std::move(*code),  std::move(*name),      *level, std::move(*agency),
        std::move(*field), *admin_level,          *fee,   static_cast<std::uint32_t>(*days),
        *status,           std::move(*updated_at)};
  }
  invalid.code = code.value_or("");
  invalid.reason = violations.take();
  invalid.level = level;
  invalid.admin_level = admin_level;
  invalid.counts_active = status != Status::suspended;
  return invalid;
}

void reject_duplicate_codes(Snapshot& snapshot) {
  // Views of the codes: neither vector changes while `seen` is in use.
  std::unordered_map<std::string_view, int> seen;
  seen.reserve(snapshot.services.size() + snapshot.invalid.size());
  bool duplicates = false;
  for (const auto& entry : snapshot.services) duplicates |= ++seen[entry.service.code] > 1;
  for (const auto& record : snapshot.invalid) {
    if (!record.code.empty()) duplicates |= ++seen[record.code] > 1;
  }
  if (!duplicates) return;  // the usual case: nothing moves
  std::vector<bool> duplicate(snapshot.services.size(), false);
  std::vector<InvalidRecord> rejected;
  for (std::size_t i = 0; i < snapshot.services.size(); ++i) {
    const CatalogueEntry& entry = snapshot.services[i];
    const int count = seen[entry.service.code];
    if (count < 2) continue;
    duplicate[i] = true;
    InvalidRecord record;
    record.code = entry.service.code;
    record.reason =
        "field 'code': duplicate code, appears " + std::to_string(count) + " times in the listing";
    record.counts_active = entry.service.status != Status::suspended;
    record.level = entry.service.level;
    record.agency_code = entry.service.agency.code;
    record.admin_level = entry.service.admin_level;
    rejected.push_back(std::move(record));
  }
  seen.clear();
  // Compacted in place: no second copy of the catalogue.
  std::size_t kept = 0;
  for (std::size_t i = 0; i < snapshot.services.size(); ++i) {
    if (duplicate[i]) continue;
    if (kept != i) snapshot.services[kept] = std::move(snapshot.services[i]);
    ++kept;
  }
  snapshot.services.erase(snapshot.services.begin() + static_cast<std::ptrdiff_t>(kept),
                          snapshot.services.end());
  std::move(rejected.begin(), rejected.end(), std::back_inserter(snapshot.invalid));
}

}  // namespace psd::core
