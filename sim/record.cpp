#include "sim/record.hpp"

#include "sim/jcs.hpp"

namespace psd::sim {
namespace {

void write_string(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

}  // namespace

std::string_view defect_name(Defect defect) {
  switch (defect) {
    case Defect::kNone:
      return "";
    case Defect::kBadLevel:
      return "bad_level";
    case Defect::kMissingName:
      return "missing_name";
    case Defect::kNegativeFee:
      return "negative_fee";
    case Defect::kBadCode:
      return "bad_code";
    case Defect::kDuplicateCode:
      return "duplicate_code";
    case Defect::kBadUpdatedAt:
      return "bad_updated_at";
  }
  return "";
}

void write_catalogue_json(JsonWriter& w, const CatalogueRecord& r, bool extra_fields,
                          std::uint64_t ordinal) {
  w.StartObject();
  if (extra_fields) {
    w.Key("legacy_id");
    w.Uint64(100000 + ordinal);
  }
  w.Key("code");
  write_string(w, r.code);
  if (!r.omit_name) {
    w.Key("name");
    write_string(w, r.name);
  }
  w.Key("level");
  write_string(w, r.level);
  w.Key("agency");
  w.StartObject();
  w.Key("code");
  write_string(w, r.agency.code);
  w.Key("name");
  write_string(w, r.agency.name);
  if (extra_fields) {
    w.Key("parent");
    w.StartObject();
    w.Key("code");
    w.String("UBND tỉnh");
    w.Key("tier");
    w.Int(1);
    w.EndObject();
  }
  w.EndObject();
  w.Key("field");
  write_string(w, r.field);
  w.Key("admin_level");
  write_string(w, r.admin_level);
  w.Key("fee_vnd");
  w.Int64(r.fee_vnd);
  w.Key("processing_days");
  w.Int64(r.processing_days);
  w.Key("status");
  write_string(w, r.status);
  w.Key("updated_at");
  write_string(w, r.updated_at);
  if (extra_fields) {
    w.Key("channels");
    w.StartArray();
    w.String("web");
    w.String("mobile");
    w.EndArray();
    w.Key("guide");
    w.StartObject();
    w.Key("url");
    w.String("https://dichvucong.example.gov.vn/huong-dan");
    w.Key("pages");
    w.Int(4);
    w.EndObject();
    w.Key("rating");
    w.Double(4.5);
    w.Key("note");
    w.Null();
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
