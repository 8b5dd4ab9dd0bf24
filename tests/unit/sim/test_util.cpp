#include "tests/unit/sim/test_util.hpp"

#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "sim/jcs.hpp"

namespace psd::sim::test {

httplib::Client client_for(const psd::testing::SimProcess& sim) {
  httplib::Client c("127.0.0.1", sim.port());
  c.set_read_timeout(std::chrono::seconds(30));
  return c;
}

rapidjson::Document json(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.c_str(), body.size());
  EXPECT_FALSE(doc.HasParseError()) << body;
  if (doc.HasParseError()) {
    doc.SetObject();
  }
  return doc;
}

std::vector<std::string> catalogue_records(const psd::testing::SimProcess& sim) {
  auto c = client_for(sim);
  std::vector<std::string> out;
  for (int page = 1;; ++page) {
    auto res = c.Get("/provincial/services?page_size=500&page=" + std::to_string(page));
    EXPECT_TRUE(res && res->status == 200);
    if (!res || res->status != 200) {
      return out;
    }
    const auto doc = json(res->body);
    for (const auto& item : doc["items"].GetArray()) {
      rapidjson::StringBuffer buf;
      rapidjson::Writer<rapidjson::StringBuffer> w(buf);
      item.Accept(w);
      out.emplace_back(buf.GetString(), buf.GetSize());
    }
    if (page >= doc["total_pages"].GetInt()) {
      return out;
    }
  }
}

std::string put_body_for(const std::string& record_json) {
  auto doc = json(record_json);
  rapidjson::Document body(rapidjson::kObjectType);
  auto& a = body.GetAllocator();
  for (const char* name :
       {"code", "name", "level", "field", "admin_level", "fee_vnd", "processing_days"}) {
    body.AddMember(rapidjson::StringRef(name), rapidjson::Value(doc[name], a), a);
  }
  rapidjson::Value agency(rapidjson::kObjectType);
  agency.AddMember("code", rapidjson::Value(doc["agency"]["code"], a), a);
  agency.AddMember("name", rapidjson::Value(doc["agency"]["name"], a), a);
  body.AddMember("agency", agency, a);
  const std::string hash = content_hash_of(canonicalize(body));
  body.AddMember("content_hash", rapidjson::Value(hash.c_str(), a), a);
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  body.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

std::string member(const std::string& json_text, const char* name) {
  const auto doc = json(json_text);
  return doc.IsObject() && doc.HasMember(name) && doc[name].IsString() ? doc[name].GetString()
                                                                       : std::string();
}

std::string service_path(const std::string& code, const std::string& province) {
  return "/national/provinces/" + province + "/services/" + code;
}

httplib::Result put(httplib::Client& client, const std::string& token, const std::string& code,
                    const std::string& body, const std::string& key) {
  httplib::Headers h{{"Authorization", "Bearer " + token}};
  if (!key.empty()) {
    h.emplace("Idempotency-Key", key);
  }
  return client.Put(service_path(code), h, body, "application/json");
}

httplib::Result del(httplib::Client& client, const std::string& token, const std::string& code,
                    const std::string& key) {
  httplib::Headers h{{"Authorization", "Bearer " + token}};
  if (!key.empty()) {
    h.emplace("Idempotency-Key", key);
  }
  return client.Delete(service_path(code), h);
}

std::string error_code(const std::string& body) {
  const auto doc = json(body);
  if (!doc.IsObject() || !doc.HasMember("error") || !doc["error"].IsObject() ||
      !doc["error"].HasMember("code")) {
    return {};
  }
  return doc["error"]["code"].GetString();
}

}  // namespace psd::sim::test
