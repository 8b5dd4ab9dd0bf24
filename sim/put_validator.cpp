#include "sim/put_validator.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <array>
#include <set>

#include "sim/http_util.hpp"
#include "sim/jcs.hpp"

namespace psd::sim {
namespace {

constexpr std::uint64_t kMaxFee = 9007199254740991ULL;  // 2^53 - 1
constexpr std::array<std::string_view, 9> kTopFields{
    "code",        "name",    "level",           "agency",      "field",
    "admin_level", "fee_vnd", "processing_days", "content_hash"};

PutError shape(std::string field, std::string message) {
  return {400, "INVALID_FIELD", std::move(message), std::move(field)};
}

PutError value(std::string field, std::string message) {
  return {422, "INVALID_FIELD", std::move(message), std::move(field)};
}

// rapidjson keeps duplicate members; the contract's bodies never have them.
bool find_duplicate(const rapidjson::Value& v, std::string& name) {
  if (v.IsObject()) {
    std::set<std::string_view> seen;
    for (const auto& m : v.GetObject()) {
      const std::string_view key(m.name.GetString(), m.name.GetStringLength());
      if (!seen.insert(key).second) {
        name = key;
        return true;
      }
      if (find_duplicate(m.value, name)) {
        return true;
      }
    }
  } else if (v.IsArray()) {
    for (const auto& item : v.GetArray()) {
      if (find_duplicate(item, name)) {
        return true;
      }
    }
  }
  return false;
}

bool is_integer(const rapidjson::Value& v) { return v.IsInt64() || v.IsUint64(); }

std::string_view sv(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

bool lower_hex(std::string_view s) {
  for (const char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::size_t code_points(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++n;
    }
  }
  return n;
}

std::variant<ValidatedPut, PutError> validate_put(std::string_view body) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(body.data(), body.size());
  if (doc.HasParseError()) {
    return PutError{400, "INVALID_JSON",
                    std::string("body is not valid JSON: ") +
                        rapidjson::GetParseError_En(doc.GetParseError()) + " at byte " +
                        std::to_string(doc.GetErrorOffset()),
                    ""};
  }
  if (!doc.IsObject()) {
    return PutError{400, "INVALID_JSON", "body must be a JSON object", ""};
  }
  if (std::string dup; find_duplicate(doc, dup)) {
    return PutError{400, "INVALID_JSON", "duplicate member '" + dup + "'", dup};
  }
  for (const auto& m : doc.GetObject()) {
    const auto name = sv(m.name);
    if (std::find(kTopFields.begin(), kTopFields.end(), name) == kTopFields.end()) {
      // status, updated_at and unknown catalogue fields are never pushed.
      return shape(std::string(name), "unexpected field '" + std::string(name) + "'");
    }
  }
  for (const auto name : kTopFields) {
    if (!doc.HasMember(rapidjson::StringRef(name.data(), name.size()))) {
      return shape(std::string(name), "missing required field '" + std::string(name) + "'");
    }
  }
  const auto& d = doc;
  for (const char* name : {"code", "name", "level", "field", "admin_level", "content_hash"}) {
    if (!d[name].IsString()) {
      return shape(name, std::string("'") + name + "' must be a string");
    }
  }
  if (!d["agency"].IsObject()) {
    return shape("agency", "'agency' must be an object");
  }
  const auto& agency = d["agency"];
  for (const auto& m : agency.GetObject()) {
    const auto name = sv(m.name);
    if (name != "code" && name != "name") {
      return shape("agency." + std::string(name),
                   "unexpected field 'agency." + std::string(name) + "'");
    }
  }
  for (const char* name : {"code", "name"}) {
    if (!agency.HasMember(name)) {
      return shape(std::string("agency.") + name,
                   std::string("missing required field 'agency.") + name + "'");
    }
    if (!agency[name].IsString()) {
      return shape(std::string("agency.") + name,
                   std::string("'agency.") + name + "' must be a string");
    }
  }
  for (const char* name : {"fee_vnd", "processing_days"}) {
    if (!is_integer(d[name])) {
      return shape(name, std::string("'") + name + "' must be an integer");
    }
  }

  const auto code = sv(d["code"]);
  if (!valid_code(code)) {
    return value("code", "'code' must be 1-64 characters of [A-Za-z0-9._-]");
  }
  const std::size_t name_len = code_points(sv(d["name"]));
  if (name_len < 1 || name_len > 1000) {
    return value("name", "'name' must be 1-1000 characters");
  }
  const auto level = sv(d["level"]);
  if (level != "full" && level != "partial") {
    return value("level", "'level' must be \"full\" or \"partial\"");
  }
  const std::size_t agency_code_len = code_points(sv(agency["code"]));
  if (agency_code_len < 1 || agency_code_len > 64) {
    return value("agency.code", "'agency.code' must be 1-64 characters");
  }
  const std::size_t agency_name_len = code_points(sv(agency["name"]));
  if (agency_name_len < 1 || agency_name_len > 300) {
    return value("agency.name", "'agency.name' must be 1-300 characters");
  }
  if (code_points(sv(d["field"])) > 200) {
    return value("field", "'field' must be at most 200 characters");
  }
  const auto admin = sv(d["admin_level"]);
  if (admin != "province" && admin != "district" && admin != "commune") {
    return value("admin_level", "'admin_level' must be province, district or commune");
  }
  if (!d["fee_vnd"].IsUint64() || d["fee_vnd"].GetUint64() > kMaxFee) {
    return value("fee_vnd", "'fee_vnd' must be 0..9007199254740991");
  }
  if (!d["processing_days"].IsUint64() || d["processing_days"].GetUint64() > 3650) {
    return value("processing_days", "'processing_days' must be 0..3650");
  }
  const auto hash = sv(d["content_hash"]);
  if (hash.size() != 71 || hash.substr(0, 7) != "sha256:" || !lower_hex(hash.substr(7))) {
    return value("content_hash",
                 "'content_hash' must be \"sha256:\" followed by 64 lowercase hex digits");
  }

  ValidatedPut out;
  out.code = std::string(code);
  out.level = std::string(level);
  out.content_hash = std::string(hash);
  out.canonical = canonicalize_without(doc, "content_hash");
  out.expected_hash = content_hash_of(out.canonical);
  return out;
}

}  // namespace psd::sim
