#include "tests/unit/sim/test_util.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <map>

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
  std::vector<std::string> out;
  for (int page = 1;; ++page) {
    // Through SimProcess::get, which speaks HTTPS to an HTTPS simulator.
    const auto res = sim.get("/provincial/services?page_size=500&page=" + std::to_string(page));
    EXPECT_EQ(res.status, 200) << res.body;
    if (res.status != 200) {
      return out;
    }
    const auto doc = json(res.body);
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

std::vector<std::pair<std::string, std::string>> missing_bodies(
    const psd::testing::SimProcess& sim) {
  std::map<std::string, std::string> records;
  for (const auto& r : catalogue_records(sim)) {
    records[member(r, "code")] = r;
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& s : sim.services().records) {
    if (s.state == "missing" && !s.rejected_by_portal) {
      out.emplace_back(s.code, put_body_for(records.at(s.code)));
    }
  }
  return out;
}

RawExchange raw_exchange(int port, const std::string& request) {
  RawExchange out;
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const timeval timeout{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
          static_cast<ssize_t>(request.size())) {
    out.error = errno;
    ::close(fd);
    return out;
  }
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      out.received.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    out.error = n < 0 ? errno : 0;
    break;
  }
  ::close(fd);
  return out;
}

}  // namespace psd::sim::test
