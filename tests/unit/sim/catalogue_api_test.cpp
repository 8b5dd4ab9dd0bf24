// The catalogue API over HTTP: paging, versions, ETags and 304, torn listings.

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "tests/support/sim_process.hpp"
#include "tests/unit/sim/test_util.hpp"

namespace psd::sim {
namespace {

using psd::testing::SimProcess;
using test::client_for;
using test::json;

struct Page {
  int status = 0;
  std::string version;
  std::string etag;
  rapidjson::Document doc;
};

Page get_page(httplib::Client& c, const std::string& query, const std::string& if_none_match = {}) {
  httplib::Headers h;
  if (!if_none_match.empty()) {
    h.emplace("If-None-Match", if_none_match);
  }
  auto res = c.Get("/provincial/services" + query, h);
  Page p;
  if (!res) {
    ADD_FAILURE() << "no response for " << query;
    return p;
  }
  p.status = res->status;
  p.version = res->get_header_value("X-Catalogue-Version");
  p.etag = res->get_header_value("ETag");
  if (res->status == 200) {
    p.doc = json(res->body);
  }
  return p;
}

class CatalogueApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { sim_ = new SimProcess({"--invalid", "7", "--suspended", "2"}); }
  static void TearDownTestSuite() {
    delete sim_;
    sim_ = nullptr;
  }
  static SimProcess* sim_;
};
SimProcess* CatalogueApiTest::sim_ = nullptr;

TEST_F(CatalogueApiTest, PagesCoverEveryRecordOnceUnderOneVersion) {
  auto c = client_for(*sim_);
  const std::size_t expected = 1126 + 7 + 2;
  std::multiset<std::string> seen_codes;
  std::size_t seen = 0;
  std::string version;
  std::set<std::string> etags;
  for (int page = 1; page <= 12; ++page) {
    const Page p = get_page(c, "?page=" + std::to_string(page) + "&page_size=100");
    ASSERT_EQ(p.status, 200);
    if (page == 1) {
      version = p.version;
    }
    EXPECT_FALSE(p.version.empty());
    EXPECT_EQ(p.version, version);
    EXPECT_TRUE(etags.insert(p.etag).second) << "ETags differ per page";
    EXPECT_EQ(p.doc["page"].GetInt(), page);
    EXPECT_EQ(p.doc["page_size"].GetInt(), 100);
    EXPECT_EQ(p.doc["total_items"].GetUint64(), expected);
    EXPECT_EQ(p.doc["total_pages"].GetInt(), 12);
    for (const auto& item : p.doc["items"].GetArray()) {
      seen_codes.insert(item["code"].GetString());
      ++seen;
    }
  }
  EXPECT_EQ(seen, expected);
  // One code appears twice: the duplicated-code pair of the invalid records.
  EXPECT_EQ(seen_codes.size() - std::set<std::string>(seen_codes.begin(), seen_codes.end()).size(),
            1u);
  const Page beyond = get_page(c, "?page=13&page_size=100");
  EXPECT_EQ(beyond.status, 200);
  EXPECT_EQ(beyond.doc["items"].Size(), 0u);
}

TEST_F(CatalogueApiTest, DefaultsAndClamping) {
  auto c = client_for(*sim_);
  Page p = get_page(c, "");
  ASSERT_EQ(p.status, 200);
  EXPECT_EQ(p.doc["page"].GetInt(), 1);
  EXPECT_EQ(p.doc["page_size"].GetInt(), 100);
  EXPECT_EQ(p.doc["items"].Size(), 100u);
  p = get_page(c, "?page_size=0");
  EXPECT_EQ(p.doc["page_size"].GetInt(), 1);
  EXPECT_EQ(p.doc["items"].Size(), 1u);
  p = get_page(c, "?page_size=100000");
  EXPECT_EQ(p.doc["page_size"].GetInt(), 500);
  EXPECT_EQ(p.doc["items"].Size(), 500u);
  EXPECT_EQ(p.doc["total_pages"].GetInt(), 3);
  p = get_page(c, "?page=4611686018427387904&page_size=500");
  EXPECT_EQ(p.status, 200);
  EXPECT_EQ(p.doc["items"].Size(), 0u);
  EXPECT_EQ(get_page(c, "?page=0").status, 400);
  EXPECT_EQ(get_page(c, "?page=abc").status, 400);
  EXPECT_EQ(get_page(c, "?page_size=1.5").status, 400);
}

TEST_F(CatalogueApiTest, RecordsHaveTheContractShape) {
  auto c = client_for(*sim_);
  const Page p = get_page(c, "?page_size=500");
  ASSERT_EQ(p.status, 200);
  const auto& item = p.doc["items"][0];
  for (const char* name :
       {"code", "name", "level", "field", "admin_level", "status", "updated_at"}) {
    ASSERT_TRUE(item.HasMember(name)) << name;
    EXPECT_TRUE(item[name].IsString()) << name;
  }
  EXPECT_TRUE(item["agency"]["code"].IsString());
  EXPECT_TRUE(item["agency"]["name"].IsString());
  EXPECT_TRUE(item["fee_vnd"].IsInt64());
  EXPECT_TRUE(item["processing_days"].IsInt64());
}

TEST_F(CatalogueApiTest, Page1ETagGives304UntilAnEdit) {
  auto c = client_for(*sim_);
  const Page first = get_page(c, "?page=1&page_size=200");
  ASSERT_EQ(first.status, 200);
  const Page again = get_page(c, "?page=1&page_size=200", first.etag);
  EXPECT_EQ(again.status, 304);
  EXPECT_EQ(again.etag, first.etag);
  EXPECT_EQ(again.version, first.version);
  // Another page size is another representation.
  EXPECT_EQ(get_page(c, "?page=1&page_size=100", first.etag).status, 200);
  EXPECT_EQ(get_page(c, "?page=1&page_size=200", "\"something-else\"").status, 200);
  EXPECT_EQ(get_page(c, "?page=1&page_size=200", "\"x\", W/" + first.etag).status, 304);

  const auto before = sim_->ledger().catalogue_not_modified;
  const auto codes = sim_->edit(2);
  ASSERT_EQ(codes.size(), 2u);
  const Page after = get_page(c, "?page=1&page_size=200", first.etag);
  EXPECT_EQ(after.status, 200);
  EXPECT_NE(after.version, first.version);
  EXPECT_NE(after.etag, first.etag);
  EXPECT_EQ(sim_->ledger().catalogue_not_modified, before);
  EXPECT_EQ(sim_->coverage().catalogue_version, after.version);
}

TEST_F(CatalogueApiTest, EditChangesNameAndUpdatedAtOfTheReturnedCodes) {
  const auto before = test::catalogue_records(*sim_);
  const auto codes = sim_->edit(3);
  const auto after = test::catalogue_records(*sim_);
  ASSERT_EQ(before.size(), after.size());
  int changed = 0;
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (before[i] == after[i]) {
      continue;
    }
    ++changed;
    const std::string code = test::member(after[i], "code");
    EXPECT_NE(std::find(codes.begin(), codes.end(), code), codes.end()) << code;
    EXPECT_NE(test::member(before[i], "name"), test::member(after[i], "name"));
    EXPECT_NE(test::member(before[i], "updated_at"), test::member(after[i], "updated_at"));
    EXPECT_EQ(test::member(after[i], "status"), "active");
  }
  EXPECT_EQ(changed, 3);
}

TEST_F(CatalogueApiTest, TornListingChangesVersionAfterPage1) {
  auto c = client_for(*sim_);
  sim_->tear(1);
  const Page p1 = get_page(c, "?page=1&page_size=500");
  const Page p2 = get_page(c, "?page=2&page_size=500");
  ASSERT_EQ(p1.status, 200);
  ASSERT_EQ(p2.status, 200);
  EXPECT_NE(p1.version, p2.version) << "the listing was torn";
  // The next listing is whole again.
  const Page q1 = get_page(c, "?page=1&page_size=500");
  const Page q2 = get_page(c, "?page=2&page_size=500");
  const Page q3 = get_page(c, "?page=3&page_size=500");
  EXPECT_EQ(q1.version, p2.version);
  EXPECT_EQ(q2.version, q1.version);
  EXPECT_EQ(q3.version, q1.version);
  EXPECT_GE(sim_->ledger().torn_listings, 1u);
}

TEST_F(CatalogueApiTest, BrokenPagesOnDemand) {
  auto c = client_for(*sim_);
  sim_->fail({.target = "catalogue", .status = 0, .body = "bad_utf8"});
  auto res = c.Get("/provincial/services?page=1");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(res->body.c_str(), res->body.size());
  EXPECT_TRUE(doc.HasParseError());

  sim_->fail({.target = "catalogue", .status = 503, .retry_after = 1});
  res = c.Get("/provincial/services?page=1");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(res->get_header_value("Retry-After"), "1");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the catalogue's window
  res = c.Get("/provincial/services?page=1");
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(sim_->ledger().catalogue_retry_after_violations, 0u);
}

TEST(CatalogueApi, EmptyCatalogueHasOneEmptyPage) {
  SimProcess sim({"--services", "0", "--full", "0", "--integrated", "0"});
  auto c = client_for(sim);
  const Page p = get_page(c, "?page=1");
  ASSERT_EQ(p.status, 200);
  EXPECT_EQ(p.doc["total_items"].GetInt(), 0);
  EXPECT_EQ(p.doc["total_pages"].GetInt(), 0);
  EXPECT_EQ(p.doc["page"].GetInt(), 1);
  EXPECT_EQ(p.doc["items"].Size(), 0u);
  EXPECT_FALSE(p.version.empty());
  EXPECT_EQ(get_page(c, "?page=1", p.etag).status, 304);
}

TEST(CatalogueApi, TokenWhenTheProvinceRequiresOne) {
  SimProcess sim(
      {"--services", "3", "--full", "1", "--integrated", "1", "--catalogue-token", "prov-token"});
  auto c = client_for(sim);
  EXPECT_EQ(get_page(c, "").status, 401);
  auto res = c.Get("/provincial/services", {{"Authorization", "Bearer wrong"}});
  EXPECT_EQ(res->status, 401);
  res = c.Get("/provincial/services", {{"Authorization", "Bearer prov-token"}});
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(sim.ledger().unauthorized, 2u);
}

TEST(CatalogueApi, ExtraFieldsAtEveryDepth) {
  SimProcess sim({"--services", "3", "--full", "1", "--integrated", "1", "--extra-fields"});
  auto c = client_for(sim);
  const Page p = get_page(c, "");
  ASSERT_EQ(p.status, 200);
  EXPECT_TRUE(p.doc.HasMember("generated_by"));
  const auto& item = p.doc["items"][0];
  EXPECT_TRUE(item.HasMember("legacy_id"));
  EXPECT_TRUE(item["agency"].HasMember("parent"));
  // The hash of what a correct client pushes ignores them.
  const auto services = sim.services();
  const std::string body = test::put_body_for(test::catalogue_records(sim)[0]);
  EXPECT_EQ(test::member(body, "content_hash"), services.records[0].expected_hash);
}

}  // namespace
}  // namespace psd::sim
