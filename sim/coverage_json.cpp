#include "sim/coverage_json.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <array>
#include <cstdint>
#include <utility>
#include <variant>

#include "sim/json_fields.hpp"

namespace psd::sim {
namespace {

// One member of an object of the answer and the field of T it holds.
template <class T>
struct Member {
  std::string_view key;
  std::variant<std::string T::*, std::int64_t T::*, double T::*> field;
};

// The answer's own members, in the order written; by_level and by_agency follow.
constexpr std::array<Member<Coverage>, 8> kCoverageMembers{{
    {"catalogue_version", &Coverage::catalogue_version},
    {"total_active", &Coverage::total_active},
    {"valid_active", &Coverage::valid_active},
    {"invalid_active", &Coverage::invalid_active},
    {"integrated", &Coverage::integrated},
    {"in_sync", &Coverage::in_sync},
    {"percent", &Coverage::percent},
    {"orphaned", &Coverage::orphaned},
}};

// The members of each count in by_level and by_agency.
constexpr std::array<Member<CoverageCount>, 4> kCountMembers{{
    {"total", &CoverageCount::total},
    {"integrated", &CoverageCount::integrated},
    {"in_sync", &CoverageCount::in_sync},
    {"percent", &CoverageCount::percent},
}};

constexpr std::array<std::pair<std::string_view, CoverageCount Coverage::*>, 2> kLevels{{
    {"full", &Coverage::full},
    {"partial", &Coverage::partial},
}};

template <class T, std::size_t N>
void write_members(JsonWriter& w, const T& from, const std::array<Member<T>, N>& members) {
  for (const auto& m : members) {
    std::visit([&](auto field) { write_field(w, m.key, JsonValue(from.*field)); }, m.field);
  }
}

void write_count(JsonWriter& w, std::string_view key, const CoverageCount& count) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.StartObject();
  write_members(w, count, kCountMembers);
  w.EndObject();
}

bool read(const rapidjson::Value& v, std::string& out) {
  if (!v.IsString()) {
    return false;
  }
  out.assign(v.GetString(), v.GetStringLength());
  return true;
}

bool read(const rapidjson::Value& v, std::int64_t& out) {
  if (!v.IsInt64()) {
    return false;
  }
  out = v.GetInt64();
  return true;
}

bool read(const rapidjson::Value& v, double& out) {
  if (!v.IsNumber()) {
    return false;
  }
  out = v.GetDouble();
  return true;
}

// `obj`'s member `key`, or null when `obj` has none.
const rapidjson::Value* member(const rapidjson::Value& obj, std::string_view key) {
  const auto it = obj.FindMember(rapidjson::Value(
      rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size()))));
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

// The object at `path` (null: missing) read into a T.
template <class T, std::size_t N>
tl::expected<T, std::string> read_object(const rapidjson::Value* obj, const std::string& path,
                                         const std::array<Member<T>, N>& members) {
  if (obj == nullptr || !obj->IsObject()) {
    return tl::unexpected(path + " is missing or not an object");
  }
  T out{};
  for (const auto& m : members) {
    const rapidjson::Value* v = member(*obj, m.key);
    if (v == nullptr || !std::visit([&](auto field) { return read(*v, out.*field); }, m.field)) {
      return tl::unexpected(path + "." + std::string(m.key) + " is missing or of the wrong type");
    }
  }
  return out;
}

}  // namespace

std::string coverage_json(const Coverage& c) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  write_members(w, c, kCoverageMembers);
  w.Key("by_level");
  w.StartObject();
  for (const auto& [key, level] : kLevels) {
    write_count(w, key, c.*level);
  }
  w.EndObject();
  w.Key("by_agency");
  w.StartObject();
  for (const auto& [code, count] : c.by_agency) {
    write_count(w, code, count);
  }
  w.EndObject();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

tl::expected<Coverage, std::string> parse_coverage_json(std::string_view body) {
  rapidjson::Document doc;
  // Full precision: a percent reads back as the very double that was written.
  doc.Parse<rapidjson::kParseFullPrecisionFlag>(body.data(), body.size());
  if (doc.HasParseError()) {
    return tl::unexpected(std::string("coverage: not JSON: ") +
                          rapidjson::GetParseError_En(doc.GetParseError()) + " at byte " +
                          std::to_string(doc.GetErrorOffset()));
  }
  auto c = read_object(&doc, "coverage", kCoverageMembers);
  if (!c) {
    return c;
  }
  const rapidjson::Value* by_level = member(doc, "by_level");
  if (by_level == nullptr || !by_level->IsObject()) {
    return tl::unexpected(std::string("coverage.by_level is missing or not an object"));
  }
  for (const auto& [key, level] : kLevels) {
    auto count =
        read_object(member(*by_level, key), "coverage.by_level." + std::string(key), kCountMembers);
    if (!count) {
      return tl::unexpected(count.error());
    }
    (*c).*level = *count;
  }
  const rapidjson::Value* by_agency = member(doc, "by_agency");
  if (by_agency == nullptr || !by_agency->IsObject()) {
    return tl::unexpected(std::string("coverage.by_agency is missing or not an object"));
  }
  for (const auto& m : by_agency->GetObject()) {
    const std::string code(m.name.GetString(), m.name.GetStringLength());
    auto count = read_object(&m.value, "coverage.by_agency." + code, kCountMembers);
    if (!count) {
      return tl::unexpected(count.error());
    }
    c->by_agency[code] = *count;
  }
  return c;
}

}  // namespace psd::sim
