// The national API over HTTP: tokens, listing, and every check of PUT/DELETE.

#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "sim/jcs.hpp"
#include "tests/support/sim_process.hpp"
#include "tests/unit/sim/test_util.hpp"

namespace psd::sim {
namespace {

using psd::testing::SimProcess;
using test::client_for;
using test::error_code;
using test::json;

std::string form_token(httplib::Client& c, const std::string& form) {
  auto res = c.Post("/national/oauth2/token", form, "application/x-www-form-urlencoded");
  return res && res->status == 200 ? test::member(res->body, "access_token") : std::string();
}

// A small world: 30 services, 10 integrated, 2 stale, 3 rejected, 2 orphans.
class NationalApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sim_ = new SimProcess({"--services", "30", "--full", "12", "--integrated", "10", "--stale", "2",
                           "--reject", "3", "--orphans", "2", "--invalid", "7"});
  }
  static void TearDownTestSuite() {
    delete sim_;
    sim_ = nullptr;
  }
  void SetUp() override {
    client_ = std::make_unique<httplib::Client>(client_for(*sim_));
    token_ = sim_->access_token();
    ASSERT_FALSE(token_.empty());
    services_ = sim_->services();
    for (const auto& record : test::catalogue_records(*sim_)) {
      records_[test::member(record, "code")] = record;
    }
  }

  // A valid active service in the given state (missing, in_sync, stale), not rejected.
  const psd::testing::SimService& pick(const std::string& state, int nth = 0) {
    for (const auto& s : services_.records) {
      if (s.state == state && !s.rejected_by_portal && nth-- == 0) {
        return s;
      }
    }
    throw std::runtime_error("no service in state " + state);
  }
  std::string body_of(const std::string& code) { return test::put_body_for(records_.at(code)); }
  std::string key() { return "test-key-" + std::to_string(++keys_); }

  static SimProcess* sim_;
  std::unique_ptr<httplib::Client> client_;
  std::string token_;
  psd::testing::SimServices services_;
  std::map<std::string, std::string> records_;
  inline static int keys_ = 0;
};
SimProcess* NationalApiTest::sim_ = nullptr;

TEST_F(NationalApiTest, TokenByFormAndByBasic) {
  auto& c = *client_;
  const std::string token = form_token(
      c, "grant_type=client_credentials&client_id=province-h43&client_secret=sim-secret");
  EXPECT_FALSE(token.empty());
  c.set_basic_auth("province-h43", "sim-secret");
  auto res = c.Post("/national/oauth2/token", "grant_type=client_credentials",
                    "application/x-www-form-urlencoded");
  c.set_basic_auth("", "");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const auto doc = json(res->body);
  EXPECT_EQ(std::string(doc["token_type"].GetString()), "Bearer");
  EXPECT_EQ(doc["expires_in"].GetInt(), 3600);
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
}

TEST_F(NationalApiTest, TokenErrors) {
  auto& c = *client_;
  const auto post = [&](const std::string& form, const char* type) {
    return c.Post("/national/oauth2/token", form, type);
  };
  auto res = post("grant_type=client_credentials&client_id=province-h43&client_secret=nope",
                  "application/x-www-form-urlencoded");
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(test::member(res->body, "error"), "invalid_client");
  res = post("grant_type=client_credentials&client_id=other&client_secret=sim-secret",
             "application/x-www-form-urlencoded");
  EXPECT_EQ(res->status, 401);
  res = post("grant_type=password&client_id=province-h43&client_secret=sim-secret",
             "application/x-www-form-urlencoded");
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(test::member(res->body, "error"), "unsupported_grant_type");
  res =
      post("client_id=province-h43&client_secret=sim-secret", "application/x-www-form-urlencoded");
  EXPECT_EQ(test::member(res->body, "error"), "invalid_request");
  res = post(R"({"grant_type":"client_credentials"})", "application/json");
  EXPECT_EQ(res->status, 400);
  c.set_basic_auth("province-h43", "wrong");
  res = post("grant_type=client_credentials", "application/x-www-form-urlencoded");
  c.set_basic_auth("", "");
  EXPECT_EQ(res->status, 401);
  EXPECT_FALSE(res->get_header_value("WWW-Authenticate").empty());
}

TEST_F(NationalApiTest, BearerIsRequired) {
  auto& c = *client_;
  const auto before = sim_->ledger().unauthorized;
  auto res = c.Get("/national/provinces/H43/services");
  EXPECT_EQ(res->status, 401);
  res = c.Get("/national/provinces/H43/services", {{"Authorization", "Bearer made-up"}});
  EXPECT_EQ(res->status, 401);
  const auto& s = pick("missing");
  res = test::put(c, "made-up", s.code, body_of(s.code), key());
  EXPECT_EQ(res->status, 401);
  res = test::del(c, "made-up", s.code, key());
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(sim_->ledger().unauthorized, before + 4);
  EXPECT_EQ(sim_->ledger().creates, 0u);

  sim_->revoke_tokens();
  res = c.Get("/national/provinces/H43/services", {{"Authorization", "Bearer " + token_}});
  EXPECT_EQ(res->status, 401) << "revoked";
}

TEST(NationalApi, ExpiredTokenIs401) {
  SimProcess sim({"--services", "2", "--full", "1", "--integrated", "1", "--token-ttl", "1"});
  auto c = client_for(sim);
  auto res = c.Post("/national/oauth2/token",
                    "grant_type=client_credentials&client_id=province-h43&client_secret=sim-secret",
                    "application/x-www-form-urlencoded");
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(json(res->body)["expires_in"].GetInt(), 1);
  const std::string token = test::member(res->body, "access_token");
  const httplib::Headers auth{{"Authorization", "Bearer " + token}};
  EXPECT_EQ(c.Get("/national/provinces/H43/services", auth)->status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  EXPECT_EQ(c.Get("/national/provinces/H43/services", auth)->status, 401);
}

TEST_F(NationalApiTest, CreateThenUpdateThenWastedWrite) {
  auto& c = *client_;
  const auto& s = pick("missing");
  const auto l0 = sim_->ledger();
  auto res = test::put(c, token_, s.code, body_of(s.code), key());
  ASSERT_EQ(res->status, 201) << res->body;
  const auto doc = json(res->body);
  EXPECT_EQ(std::string(doc["code"].GetString()), s.code);
  EXPECT_EQ(std::string(doc["content_hash"].GetString()), s.expected_hash);
  EXPECT_TRUE(doc["integrated_at"].IsString());

  // Same content, new key: accepted but wasted.
  res = test::put(c, token_, s.code, body_of(s.code), key());
  EXPECT_EQ(res->status, 200);

  // A stale one is updated.
  const auto& stale = pick("stale");
  res = test::put(c, token_, stale.code, body_of(stale.code), key());
  EXPECT_EQ(res->status, 200) << res->body;

  const auto l1 = sim_->ledger();
  EXPECT_EQ(l1.creates, l0.creates + 1);
  EXPECT_EQ(l1.wasted_writes, l0.wasted_writes + 1);
  EXPECT_EQ(l1.updates, l0.updates + 1);
  EXPECT_EQ(l1.puts, l0.puts + 3);
  EXPECT_EQ(l1.off_catalogue_writes, l0.off_catalogue_writes);

  const auto after = sim_->services();
  for (const auto& r : after.records) {
    if (r.code == s.code || r.code == stale.code) {
      EXPECT_EQ(r.state, "in_sync") << r.code;
    }
  }
}

TEST_F(NationalApiTest, MissingOrMalformedIdempotencyKey) {
  auto& c = *client_;
  const auto& s = pick("missing", 1);
  const auto before = sim_->ledger().missing_keys;
  auto res = test::put(c, token_, s.code, body_of(s.code), "");
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(error_code(res->body), "MISSING_IDEMPOTENCY_KEY");
  res = test::put(c, token_, s.code, body_of(s.code), std::string(256, 'k'));
  EXPECT_EQ(res->status, 400);
  res = test::put(c, token_, s.code, body_of(s.code), "kéy");
  EXPECT_EQ(res->status, 400);
  res = test::del(c, token_, s.code, "");
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(sim_->ledger().missing_keys, before + 4);
  EXPECT_EQ(test::put(c, token_, s.code, body_of(s.code), std::string(255, 'k'))->status, 201);
}

TEST_F(NationalApiTest, WrongHashIs422HashMismatch) {
  auto& c = *client_;
  const auto& s = pick("missing", 2);
  std::string body = body_of(s.code);
  const auto hash = test::member(body, "content_hash");
  std::string wrong = body;
  wrong.replace(wrong.find(hash), hash.size(), "sha256:" + std::string(64, '0'));
  const auto before = sim_->ledger().hash_mismatches;
  auto res = test::put(c, token_, s.code, wrong, key());
  EXPECT_EQ(res->status, 422);
  EXPECT_EQ(error_code(res->body), "HASH_MISMATCH");
  EXPECT_EQ(sim_->ledger().hash_mismatches, before + 1);

  // A hash over the body including status/updated_at is caught as an
  // unexpected field first: neither is ever pushed.
  auto doc = json(body);
  doc.AddMember("status", "active", doc.GetAllocator());
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  doc.Accept(w);
  res = test::put(c, token_, s.code, buf.GetString(), key());
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(test::json(res->body)["error"]["field"].GetString(), std::string("status"));
}

TEST_F(NationalApiTest, SchemaChecksNameTheField) {
  auto& c = *client_;
  const auto& s = pick("missing", 3);
  const std::string good = body_of(s.code);
  struct Case {
    std::string from, to, field;
    int status;
  };
  const auto doc = json(good);
  const std::string level = std::string("\"level\":\"") + doc["level"].GetString() + "\"";
  const std::string fee = "\"fee_vnd\":" + std::to_string(doc["fee_vnd"].GetInt64());
  const std::string days =
      "\"processing_days\":" + std::to_string(doc["processing_days"].GetInt64());
  const std::vector<Case> cases{
      {level, "\"level\":\"online\"", "level", 422},
      {level, "\"level\":1", "level", 400},
      {fee, "\"fee_vnd\":-1", "fee_vnd", 422},
      {fee, "\"fee_vnd\":9007199254740992", "fee_vnd", 422},
      {fee, "\"fee_vnd\":1.5", "fee_vnd", 400},
      {fee, "\"fee_vnd\":\"100\"", "fee_vnd", 400},
      {days, "\"processing_days\":3651", "processing_days", 422},
      {level, level + ",\"updated_at\":\"2024-01-01T00:00:00+07:00\"", "updated_at", 400},
      {level, level + ",\"legacy_id\":7", "legacy_id", 400},
      {"\"content_hash\":\"sha256:", "\"content_hash\":\"SHA256:", "content_hash", 422},
  };
  for (const auto& k : cases) {
    std::string body = good;
    ASSERT_NE(body.find(k.from), std::string::npos) << k.from;
    body.replace(body.find(k.from), k.from.size(), k.to);
    auto res = test::put(c, token_, s.code, body, key());
    EXPECT_EQ(res->status, k.status) << k.to << " " << res->body;
    EXPECT_EQ(error_code(res->body), "INVALID_FIELD") << k.to;
    const auto err = json(res->body);
    EXPECT_EQ(std::string(err["error"]["field"].GetString()), k.field) << k.to;
  }
  // Missing field, not JSON, invalid UTF-8, other code than the path.
  auto missing = json(good);
  missing.RemoveMember("field");
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  missing.Accept(w);
  auto res = test::put(c, token_, s.code, buf.GetString(), key());
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(std::string(json(res->body)["error"]["field"].GetString()), "field");
  res = test::put(c, token_, s.code, "{not json", key());
  EXPECT_EQ(error_code(res->body), "INVALID_JSON");
  std::string bad_utf8 = good;
  bad_utf8.insert(bad_utf8.find("\"name\":\"") + 8, "\xC3\x28");
  res = test::put(c, token_, s.code, bad_utf8, key());
  EXPECT_EQ(error_code(res->body), "INVALID_JSON");
  const auto& other = pick("missing", 4);
  res = test::put(c, token_, other.code, good, key());
  EXPECT_EQ(res->status, 422);
  EXPECT_EQ(std::string(json(res->body)["error"]["field"].GetString()), "code");
  // Wrong content type.
  auto typed = c.Put(test::service_path(s.code),
                     {{"Authorization", "Bearer " + token_}, {"Idempotency-Key", key()}}, good,
                     "text/plain");
  EXPECT_EQ(typed->status, 400);
  for (const auto& r : sim_->services().records) {
    if (r.code == s.code) {
      EXPECT_EQ(r.state, "missing");
    }
  }
}

TEST_F(NationalApiTest, ReplayAndKeyReuse) {
  auto& c = *client_;
  const auto& s = pick("missing", 5);
  const std::string body = body_of(s.code);
  const auto l0 = sim_->ledger();
  auto first = test::put(c, token_, s.code, body, "replay-key");
  ASSERT_EQ(first->status, 201);
  auto second = test::put(c, token_, s.code, body, "replay-key");
  EXPECT_EQ(second->status, 201) << "the stored response, not a wasted 200";
  EXPECT_EQ(second->body, first->body);
  // Same key, another body.
  const auto& other = pick("missing", 6);
  auto reused = test::put(c, token_, other.code, body_of(other.code), "replay-key");
  EXPECT_EQ(reused->status, 422);
  EXPECT_EQ(error_code(reused->body), "IDEMPOTENCY_KEY_REUSED");
  // A 4xx is replayed as well.
  auto bad = test::put(c, token_, other.code, "{}", "replay-4xx");
  ASSERT_EQ(bad->status, 400);
  auto bad_again = test::put(c, token_, other.code, "{}", "replay-4xx");
  EXPECT_EQ(bad_again->status, 400);
  EXPECT_EQ(bad_again->body, bad->body);

  const auto l1 = sim_->ledger();
  EXPECT_EQ(l1.creates, l0.creates + 1);
  EXPECT_EQ(l1.wasted_writes, l0.wasted_writes);
  EXPECT_EQ(l1.idempotent_replays, l0.idempotent_replays + 2);
  EXPECT_EQ(l1.key_reuse_errors, l0.key_reuse_errors + 1);
}

TEST_F(NationalApiTest, RejectSetAnswers422WithAReason) {
  auto& c = *client_;
  int checked = 0;
  const auto before = sim_->ledger().rejections;
  for (const auto& s : services_.records) {
    if (!s.rejected_by_portal) {
      continue;
    }
    EXPECT_EQ(s.state, "missing");
    auto res = test::put(c, token_, s.code, body_of(s.code), key());
    EXPECT_EQ(res->status, 422);
    const auto doc = json(res->body);
    EXPECT_FALSE(std::string(doc["error"]["code"].GetString()).empty());
    EXPECT_FALSE(std::string(doc["error"]["message"].GetString()).empty());
    ++checked;
  }
  EXPECT_EQ(checked, 3);
  EXPECT_EQ(sim_->ledger().rejections, before + 3);
}

TEST_F(NationalApiTest, DeleteWithdrawsOr404) {
  auto& c = *client_;
  ASSERT_FALSE(services_.orphans.empty());
  const std::string orphan = services_.orphans[0];
  const auto before = sim_->coverage().orphaned;
  auto res = test::del(c, token_, orphan, key());
  EXPECT_EQ(res->status, 204);
  EXPECT_EQ(sim_->coverage().orphaned, before - 1);
  res = test::del(c, token_, orphan, key());
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(test::del(c, token_, "bad code!", key())->status, 400);
}

TEST_F(NationalApiTest, UnknownProvinceIs404) {
  auto& c = *client_;
  auto res = c.Get("/national/provinces/H99/services", {{"Authorization", "Bearer " + token_}});
  EXPECT_EQ(res->status, 404);
  const auto& s = pick("missing", 7);
  res = c.Put(test::service_path(s.code, "H99"),
              {{"Authorization", "Bearer " + token_}, {"Idempotency-Key", key()}}, body_of(s.code),
              "application/json");
  EXPECT_EQ(res->status, 404);
}

TEST_F(NationalApiTest, InvalidRecordsPushedAnywayAreCounted) {
  auto& c = *client_;
  // A record with a bad updated_at passes every portal check, but a correct
  // client never pushes it: the oracle counts it.
  for (const auto& s : services_.records) {
    if (s.defect == "bad_updated_at") {
      const auto before = sim_->ledger().off_catalogue_writes;
      auto res = test::put(c, token_, s.code, body_of(s.code), key());
      EXPECT_EQ(res->status, 201);
      EXPECT_EQ(sim_->ledger().off_catalogue_writes, before + 1);
      return;
    }
  }
  FAIL() << "no bad_updated_at record";
}

TEST_F(NationalApiTest, OutdatedContentPushedIsCounted) {
  auto& c = *client_;
  const auto& s = pick("missing", 8);
  const std::string old_body = body_of(s.code);
  // Edit until this service changes (edits are spread, so a few suffice).
  bool edited = false;
  for (int i = 0; i < 60 && !edited; ++i) {
    for (const auto& code : sim_->edit(1)) {
      edited = edited || code == s.code;
    }
  }
  ASSERT_TRUE(edited);
  const auto before = sim_->ledger();
  auto res = test::put(c, token_, s.code, old_body, key());
  EXPECT_EQ(res->status, 201) << "the portal itself cannot tell";
  const auto after = sim_->ledger();
  EXPECT_EQ(after.stale_writes, before.stale_writes + 1);
  EXPECT_EQ(after.off_catalogue_writes, before.off_catalogue_writes);
  for (const auto& r : sim_->services().records) {
    if (r.code == s.code) {
      EXPECT_EQ(r.state, "stale");
    }
  }
}

// Follow next_cursor to the end; every entry exactly once, sorted by code.
std::vector<std::string> list_all(httplib::Client& c, const std::string& token, int limit,
                                  int* pages = nullptr) {
  std::vector<std::string> codes;
  std::string cursor;
  std::set<std::string> cursors;
  for (int page = 0; page < 10000; ++page) {
    std::string path = "/national/provinces/H43/services?limit=" + std::to_string(limit);
    if (!cursor.empty()) {
      path += "&cursor=" + httplib::detail::encode_query_param(cursor);
    }
    auto res = c.Get(path, {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(res->status, 200);
    const auto doc = json(res->body);
    for (const auto& item : doc["items"].GetArray()) {
      codes.emplace_back(item["code"].GetString());
      EXPECT_EQ(std::string(item["content_hash"].GetString()).rfind("sha256:", 0), 0u);
      const std::string level = item["level"].GetString();
      EXPECT_TRUE(level == "full" || level == "partial");
      EXPECT_TRUE(item["integrated_at"].IsString());
    }
    if (pages != nullptr) {
      *pages = page + 1;
    }
    if (doc["next_cursor"].IsNull()) {
      return codes;
    }
    cursor = doc["next_cursor"].GetString();
    EXPECT_TRUE(cursors.insert(cursor).second) << "cursor repeated";
  }
  ADD_FAILURE() << "listing did not end";
  return codes;
}

TEST(NationalListing, PaginationCoversEverythingExactlyOnce) {
  SimProcess sim({"--orphans", "17", "--stale", "30"});
  auto c = client_for(sim);
  const std::string token = sim.access_token();
  for (const int limit : {1000, 500, 7, 985 + 17}) {
    int pages = 0;
    const auto codes = list_all(c, token, limit, &pages);
    EXPECT_EQ(codes.size(), 985u + 17u) << limit;
    EXPECT_TRUE(std::is_sorted(codes.begin(), codes.end())) << limit;
    EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), codes.size()) << limit;
    const std::size_t page_size = std::min(limit, 1000);  // 1002 is clamped
    EXPECT_EQ(pages, static_cast<int>((codes.size() + page_size - 1) / page_size)) << limit;
  }
  // limit is clamped.
  auto res =
      c.Get("/national/provinces/H43/services?limit=5000", {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(json(res->body)["items"].Size(), 1000u);
  res = c.Get("/national/provinces/H43/services?limit=0", {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(json(res->body)["items"].Size(), 1u);
  res = c.Get("/national/provinces/H43/services", {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(json(res->body)["items"].Size(), 500u);
  res = c.Get("/national/provinces/H43/services?cursor=forged",
              {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(sim.coverage().orphaned, 17);
}

TEST(NationalListing, EmptyPortal) {
  SimProcess sim({"--services", "5", "--full", "2", "--integrated", "0"});
  auto c = client_for(sim);
  auto res = c.Get("/national/provinces/H43/services",
                   {{"Authorization", "Bearer " + sim.access_token()}});
  ASSERT_EQ(res->status, 200);
  const auto doc = json(res->body);
  EXPECT_EQ(doc["items"].Size(), 0u);
  EXPECT_TRUE(doc["next_cursor"].IsNull());
}

}  // namespace
}  // namespace psd::sim
