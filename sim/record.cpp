#include "sim/record.hpp"

#include <array>
#include <cstddef>

#include "sim/jcs.hpp"
#include "sim/json_fields.hpp"

namespace psd::sim {
namespace {

// Indexed by Defect, in its order.
constexpr std::array<std::string_view, 7> kDefectNames{
    "",         "bad_level",      "missing_name",  "negative_fee",
    "bad_code", "duplicate_code", "bad_updated_at"};
static_assert(kDefectNames.size() == static_cast<std::size_t>(Defect::kBadUpdatedAt) + 1,
              "one name per Defect");

// Members a client must ignore, at several depths (contract section 1).
void write_agency_parent(JsonWriter& w) {
  w.Key("parent");
  write_object(w, {{"code", "UBND tỉnh"}, {"tier", 1}});
}

void write_unknown_tail(JsonWriter& w) {
  w.Key("channels");
  w.StartArray();
  write_text(w, "web");
  write_text(w, "mobile");
  w.EndArray();
  w.Key("guide");
  write_object(w, {{"url", "https://dichvucong.example.gov.vn/huong-dan"}, {"pages", 4}});
  write_fields(w, {{"rating", 4.5}, {"note", nullptr}});
}

}  // namespace

std::string_view defect_name(Defect defect) {
  return kDefectNames.at(static_cast<std::size_t>(defect));
}

void write_catalogue_json(JsonWriter& w, const CatalogueRecord& r, bool extra_fields,
                          std::uint64_t ordinal) {
  w.StartObject();
  write_fields(w, {{"legacy_id", 100000 + ordinal, extra_fields},
                   {"code", r.code},
                   {"name", r.name, !r.omit_name},
                   {"level", r.level}});
  w.Key("agency");
  w.StartObject();
  write_fields(w, {{"code", r.agency.code}, {"name", r.agency.name}});
  if (extra_fields) {
    write_agency_parent(w);
  }
  w.EndObject();
  write_fields(w, {{"field", r.field},
                   {"admin_level", r.admin_level},
                   {"fee_vnd", r.fee_vnd},
                   {"processing_days", r.processing_days},
                   {"status", r.status},
                   {"updated_at", r.updated_at}});
  if (extra_fields) {
    write_unknown_tail(w);
  }
  w.EndObject();
}

std::string canonical_put_body(const CatalogueRecord& r) {
  // Members in JCS order: admin_level, agency{code,name}, code, fee_vnd, field,
  // level, name, processing_days. Built by hand on purpose: the generic
  // canonicaliser checks this in the tests, and vice versa.
  std::string out = "{\"admin_level\":";
  append_jcs_string(out, r.admin_level);
  out += ",\"agency\":{\"code\":";
  append_jcs_string(out, r.agency.code);
  out += ",\"name\":";
  append_jcs_string(out, r.agency.name);
  out += "},\"code\":";
  append_jcs_string(out, r.code);
  out += ",\"fee_vnd\":" + std::to_string(r.fee_vnd);
  out += ",\"field\":";
  append_jcs_string(out, r.field);
  out += ",\"level\":";
  append_jcs_string(out, r.level);
  out += ",\"name\":";
  append_jcs_string(out, r.name);
  out += ",\"processing_days\":" + std::to_string(r.processing_days);
  out += "}";
  return out;
}

std::string put_body_json(const CatalogueRecord& r) {
  std::string body = canonical_put_body(r);
  const std::string hash = content_hash_of(body);
  body.pop_back();
  body += ",\"content_hash\":\"" + hash + "\"}";
  return body;
}

void refresh_expected_hash(CatalogueRecord& r) {
  r.expected_hash = r.valid() ? content_hash_of(canonical_put_body(r)) : std::string();
}

}  // namespace psd::sim
