// Bad input from either portal, served by a real loopback server: it never
// crashes the reader and never loses valid data. A bad record is invalid and
// the rest go on; a bad page fails the listing with one line that names the
// source, the URL and the page.

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>

#include "adapters/failure_of.hpp"
#include "adapters/json_body.hpp"
#include "adapters/national/national_client.hpp"
#include "adapters/provincial/catalogue_client.hpp"
#include "tests/support/fake_clock.hpp"
#include "tests/unit/http/loopback_server.hpp"

namespace psd {
namespace {

/// Bad pages are tried again (one retry policy for both portals); here quickly.
constexpr PagePolicy kQuickRetry{{std::chrono::milliseconds(1), std::chrono::milliseconds(5)}, 3};

/// A catalogue of 2 records a page at `url`, read 2 pages at a time.
provincial::CatalogueOptions catalogue_options(std::string url) {
  return {.base_url = std::move(url),
          .page_size = 2,
          .max_restarts = 3,
          .parallel_pages = 2,
          .retry = kQuickRetry};
}

/// A valid catalogue record with code `code` and name `name`.
std::string record(const std::string& code, const std::string& name = "Cấp giấy phép xây dựng") {
  return R"({"code":")" + code + R"(","name":")" + name +
         R"(","level":"full","agency":{"code":"000.00.15.H43","name":"Sở Xây dựng"},)"
         R"("field":"Xây dựng","admin_level":"province","fee_vnd":150000,)"
         R"("processing_days":15,"status":"active","updated_at":"2024-10-28T09:15:00+07:00"})";
}

std::string catalogue_page(int page, const std::string& items, int total_items = 5,
                           int total_pages = 3) {
  return R"({"page":)" + std::to_string(page) + R"(,"page_size":2,"total_items":)" +
         std::to_string(total_items) + R"(,"total_pages":)" + std::to_string(total_pages) +
         R"(,"items":[)" + items + "]}";
}

/// Expect one line that names `source`, `url` and `page`.
void expect_names(const core::Failure& failure, const std::string& source, const std::string& url,
                  const std::string& page) {
  const std::string& message = failure.message;
  EXPECT_EQ(message.rfind(source + ": ", 0), 0u) << message;
  EXPECT_NE(message.find(url), std::string::npos) << message << "\nshould name " << url;
  EXPECT_NE(message.find(page), std::string::npos) << message << "\nshould name " << page;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_LT(message.size(), 600u) << "one short line, whatever the server sent";
}

/// Expect a page outside the contract: a bad response whose one line names
/// the source, the page's URL and number, and says `why`.
void expect_bad_page(const core::Failure& failure, const std::string& source,
                     const std::string& url, int page, const std::string& why) {
  EXPECT_EQ(failure.kind, core::FailureKind::bad_response);
  expect_names(failure, source, url, "page " + std::to_string(page));
  EXPECT_NE(failure.message.find(why), std::string::npos) << failure.message;
}

// ----------------------------------------------------------------- excerpts

TEST(OneLineExcerpt, EscapesControlCharactersAndStrayBytesAndCutsLongText) {
  EXPECT_EQ(one_line_excerpt("Sở Xây dựng"), "Sở Xây dựng");
  EXPECT_EQ(one_line_excerpt("a\nb\r\tc\x01"), "a\\nb\\r\\tc\\x01");
  EXPECT_EQ(one_line_excerpt("ab\xC3\x28"), "ab\\xC3(");
  EXPECT_EQ(one_line_excerpt("\xED\xA0\x80"), "\\xED\\xA0\\x80") << "a surrogate is not UTF-8";
  EXPECT_EQ(one_line_excerpt(std::string(1000, 'x'), 10), "xxxxxxxxxx… (1000 bytes)");
  EXPECT_EQ(one_line_excerpt("ởởở", 4), "ở… (9 bytes)") << "never cut inside a code point";
}

// What decides between the fast parse and RapidJSON's own validation: it
// must refuse everything RapidJSON refuses, wherever in a word it falls.
TEST(IsUtf8, RefusesWhatRapidJsonRefuses) {
  EXPECT_TRUE(is_utf8(""));
  EXPECT_TRUE(is_utf8("Sở Xây dựng, 12345678 \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF"));
  for (const std::string bad :
       {"\xC0\x80", "\xC1\xBF", "\xE0\x9F\xBF", "\xED\xA0\x80", "\xF0\x8F\xBF\xBF",
        "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\x80", "\xC3", "\xE1\x80", "\xFF"}) {
    for (std::size_t before = 0; before < 10; ++before) {
      const std::string text = std::string(before, 'a') + bad + "bcdefghij";
      EXPECT_FALSE(is_utf8(text)) << "at " << before;
      rapidjson::Document document;
      EXPECT_FALSE(parse_json_body("[\"" + text + "\"]", document));
    }
  }
}

TEST(ErrorSummary, IsOneShortLineWhateverTheBody) {
  const std::string body =
      R"({"error":{"code":"X","message":")" + std::string(5000, 'm') + R"(\nsecond line"}})";
  const std::string summary = error_summary(body);
  EXPECT_EQ(summary.find('\n'), std::string::npos);
  EXPECT_LT(summary.size(), 400u);
  EXPECT_EQ(error_summary(R"({"error":"bad\nthing"})"), "bad\\nthing");
}

// ---------------------------------------------------------------- catalogue

/// A catalogue of 5 records on 3 pages of 2; a test replaces any page's answer.
class CatalogueBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    bodies_[1] = catalogue_page(1, record("C1") + "," + record("C2"));
    bodies_[2] = catalogue_page(2, record("C3") + "," + record("C4"));
    bodies_[3] = catalogue_page(3, record("C5"));
    server_.server.Get(
        "/services", [this](const httplib::Request& request, httplib::Response& response) {
          const int page = std::stoi(request.get_param_value("page"));
          response.set_header("X-Catalogue-Version", "v1");
          if (statuses_.contains(page)) response.status = statuses_[page];
          response.set_content(bodies_[page],
                               types_.contains(page) ? types_[page] : "application/json");
        });
    // The same pages, but page 3 always comes from a newer version.
    server_.server.Get("/torn/services",
                       [this](const httplib::Request& request, httplib::Response& response) {
                         const int page = std::stoi(request.get_param_value("page"));
                         response.set_header("X-Catalogue-Version", page == 3 ? "v2" : "v1");
                         response.set_content(bodies_[page], "application/json");
                       });
    server_.start();
  }

  tl::expected<engine::CatalogueListing, core::Failure> read(std::size_t max_body = 16u << 20) {
    http::HttpOptions options;
    options.max_body_bytes = max_body;
    http::HttpClient http(options);
    provincial::CatalogueClient client(http, catalogue_options(server_.url("")), clock_);
    return client.read("");
  }

  std::string page_url(int page) const {
    return server_.url("/services?page=" + std::to_string(page) + "&page_size=2");
  }

  void expect_failed_on(int page, const std::string& why) {
    auto listing = read();
    ASSERT_FALSE(listing) << "page " << page << " should fail the listing";
    expect_bad_page(listing.error(), "provincial catalogue", page_url(page), page, why);
  }

  http::test::LoopbackServer server_;
  psd::testing::FakeClock clock_;
  std::map<int, std::string> bodies_;
  std::map<int, std::string> types_;
  std::map<int, int> statuses_;
};

TEST_F(CatalogueBadInput, AHealthyCatalogueReadsWhole) {
  auto listing = read();
  ASSERT_TRUE(listing) << listing.error().message;
  EXPECT_EQ(listing->snapshot.services.size(), 5u);
}

TEST_F(CatalogueBadInput, MalformedJsonFailsTheListing) {
  bodies_[2] = bodies_[2].substr(0, bodies_[2].size() / 2);
  expect_failed_on(2, "not valid JSON");
}

TEST_F(CatalogueBadInput, AnHtmlPageAnsweredWith200FailsTheListing) {
  bodies_[1] = "<!DOCTYPE html>\n<html><body><h1>Hệ thống đang bảo trì</h1></body></html>";
  types_[1] = "text/html";
  expect_failed_on(1, "HTML page");
}

TEST_F(CatalogueBadInput, WrongTypesInThePageFailTheListing) {
  bodies_[2] = R"({"page":2,"page_size":2,"total_items":"5","total_pages":3,"items":[]})";
  expect_failed_on(2, "'total_items' must be a non-negative integer");
}

TEST_F(CatalogueBadInput, ItemsThatAreNotAnArrayFailTheListing) {
  bodies_[3] = R"({"page":3,"page_size":2,"total_items":5,"total_pages":3,"items":{"C5":1}})";
  expect_failed_on(3, "'items' must be an array");
}

TEST_F(CatalogueBadInput, MissingPageFieldsFailTheListing) {
  bodies_[2] = R"({"page":2,"items":[]})";
  expect_failed_on(2, "'page_size' is missing");
}

TEST_F(CatalogueBadInput, ARecordOfWrongTypesOrMissingFieldsIsInvalidAndTheRestGoOn) {
  std::string wrong_type = record("C3");
  wrong_type.replace(wrong_type.find("150000"), 6, "\"150000\"");
  std::string missing_name = record("C4");
  missing_name.erase(missing_name.find(R"("name")"),
                     missing_name.find(R"("level")") - missing_name.find(R"("name")"));
  bodies_[2] = catalogue_page(2, wrong_type + "," + missing_name);
  auto listing = read();
  ASSERT_TRUE(listing) << listing.error().message;
  EXPECT_EQ(listing->snapshot.services.size(), 3u);
  ASSERT_EQ(listing->snapshot.invalid.size(), 2u);
  EXPECT_EQ(listing->snapshot.invalid[0].code, "C3");
  EXPECT_NE(listing->snapshot.invalid[0].reason.find("fee_vnd"), std::string::npos);
  EXPECT_EQ(listing->snapshot.invalid[1].code, "C4");
  EXPECT_NE(listing->snapshot.invalid[1].reason.find("name"), std::string::npos);
  EXPECT_EQ(listing->snapshot.invalid[1].page, 2);
}

TEST_F(CatalogueBadInput, HugeStringsMakeARecordInvalidWithAShortReason) {
  const std::string huge(4u << 20, 'x');
  bodies_[1] = catalogue_page(1, record("C1", huge) + "," + record(huge));
  auto listing = read();
  ASSERT_TRUE(listing) << listing.error().message;
  EXPECT_EQ(listing->snapshot.services.size(), 3u) << "C3, C4 and C5 are untouched";
  ASSERT_EQ(listing->snapshot.invalid.size(), 2u);
  for (const auto& invalid : listing->snapshot.invalid) {
    EXPECT_LT(invalid.reason.size() + invalid.code.size(), 300u) << invalid.reason;
  }
}

TEST_F(CatalogueBadInput, DeepNestingNeitherCrashesNorLosesTheRest) {
  const std::size_t depth = 1'000'000;  // far deeper than a recursive parser's stack
  const std::string nested = std::string(depth, '[') + std::string(depth, ']');
  bodies_[2] = catalogue_page(2, record("C3") + "," + nested);
  auto listing = read();
  ASSERT_TRUE(listing) << listing.error().message;
  EXPECT_EQ(listing->snapshot.services.size(), 4u);
  ASSERT_EQ(listing->snapshot.invalid.size(), 1u);
  EXPECT_EQ(listing->snapshot.invalid[0].reason, "record is not a JSON object");

  bodies_[2] = std::string(depth, '[');
  expect_failed_on(2, "not valid JSON");
}

TEST_F(CatalogueBadInput, InvalidUtf8FailsTheListing) {
  bodies_[3] = catalogue_page(3, record("C5", "Th\xC3\x28 t\xE1\xBB"));
  expect_failed_on(3, "not valid JSON");
}

TEST_F(CatalogueBadInput, ABodyOverTheSizeLimitFailsTheListing) {
  bodies_[2] = catalogue_page(2, record("C3", std::string(8192, 'y')) + "," + record("C4"));
  auto listing = read(4096);
  ASSERT_FALSE(listing);
  EXPECT_EQ(listing.error().kind, core::FailureKind::bad_response);
  expect_names(listing.error(), "provincial catalogue", page_url(2), "page 2");
  EXPECT_NE(listing.error().message.find("4096"), std::string::npos) << listing.error().message;
}

TEST_F(CatalogueBadInput, APageServedForAnotherFailsTheListing) {
  bodies_[3] = bodies_[2];
  expect_failed_on(3, "asked for page 3, got page 2");
}

TEST_F(CatalogueBadInput, APageServedAgainUnderTheNextNumberFailsTheListing) {
  bodies_[1] = catalogue_page(1, record("C1") + "," + record("C2"), 6);
  bodies_[2] = catalogue_page(2, record("C3") + "," + record("C4"), 6);
  bodies_[3] = catalogue_page(3, record("C3") + "," + record("C4"), 6);
  expect_failed_on(3, "the same records as page 2");
}

TEST_F(CatalogueBadInput, ATotalPagesThatChangesFailsTheListing) {
  bodies_[2] = catalogue_page(2, record("C3") + "," + record("C4"), 5, 4);
  expect_failed_on(2, "total_pages changed from 3 to 4");
}

TEST_F(CatalogueBadInput, ATotalItemsThatChangesFailsTheListing) {
  bodies_[3] = catalogue_page(3, record("C5"), 6);
  expect_failed_on(3, "total_items changed from 5 to 6");
}

TEST_F(CatalogueBadInput, AnAbsurdTotalIsRefusedRatherThanWalked) {
  bodies_[1] = catalogue_page(1, record("C1") + "," + record("C2"), 2'000'000'000, 1'000'000'000);
  expect_failed_on(1, "total_items 2000000000 is more than a catalogue may hold");
}

TEST_F(CatalogueBadInput, AShortListingFailsRatherThanLosingRecords) {
  bodies_[3] = catalogue_page(3, "");
  auto listing = read();
  ASSERT_FALSE(listing);
  EXPECT_NE(listing.error().message.find("the pages held 4 records, total_items says 5"),
            std::string::npos)
      << listing.error().message;
}

TEST_F(CatalogueBadInput, AListingTornEveryTimeFailsNamingThePage) {
  http::HttpClient http(http::HttpOptions{});
  provincial::CatalogueClient client(http, catalogue_options(server_.url("/torn")), clock_);
  auto listing = client.read("");
  ASSERT_FALSE(listing);
  EXPECT_EQ(listing.error().kind, core::FailureKind::torn);
  expect_names(listing.error(), "provincial catalogue",
               server_.url("/torn/services?page=3&page_size=2"), "page 3");
  EXPECT_NE(listing.error().message.find("changed while it was being read, 4 times"),
            std::string::npos)
      << listing.error().message;
}

TEST_F(CatalogueBadInput, AnHttpErrorNamesThePage) {
  statuses_[3] = 500;
  bodies_[3] = R"({"error":{"code":"OOPS","message":"line 1\nline 2"}})";
  auto listing = read();
  ASSERT_FALSE(listing);
  EXPECT_EQ(listing.error().kind, core::FailureKind::transient);
  expect_names(listing.error(), "provincial catalogue", page_url(3), "page 3");
  EXPECT_NE(listing.error().message.find("OOPS: line 1\\nline 2"), std::string::npos)
      << listing.error().message;
}

// ------------------------------------------------------------ national listing

constexpr const char* kItemA =
    R"({"code":"A","content_hash":"sha256:a","level":"full","integrated_at":"2024-01-01T00:00:00Z"})";
constexpr const char* kItemB =
    R"({"code":"B","content_hash":"sha256:b","level":"partial","integrated_at":"2024-01-01T00:00:00Z"})";

std::string listing(const std::string& items, const std::string& next_cursor) {
  return R"({"items":[)" + items + R"(],"next_cursor":)" + next_cursor + "}";
}

/// A portal whose listing answers are scripted per cursor ("" for the first page).
class NationalBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    pages_[""] = listing(kItemA, "\"p2\"");
    pages_["p2"] = listing(kItemB, "null");
    server_.server.Post("/oauth2/token", [](const httplib::Request&, httplib::Response& response) {
      response.set_content(R"({"access_token":"tok","token_type":"Bearer","expires_in":3600})",
                           "application/json");
    });
    server_.server.Get("/provinces/H43/services", [this](const httplib::Request& request,
                                                         httplib::Response& response) {
      const std::string cursor = request.get_param_value("cursor");
      const auto it = pages_.find(cursor);
      if (it == pages_.end()) {
        response.status = 404;
        return;
      }
      response.set_content(it->second,
                           types_.contains(cursor) ? types_[cursor] : "application/json");
    });
    server_.start();
  }

  tl::expected<core::Mirror, core::Failure> list(std::size_t max_body = 16u << 20) {
    http::HttpOptions http_options;
    http_options.max_body_bytes = max_body;
    http::HttpClient http(http_options);
    national::TokenSource tokens(http, {server_.url("/oauth2/token"), "province-h43", "s"}, clock_);
    national::NationalOptions options;
    options.base_url = server_.url("");
    options.province = "H43";
    national::NationalClient client(http, tokens, options, clock_);
    return client.list();
  }

  std::string page_url(const std::string& cursor) const {
    return server_.url("/provinces/H43/services?limit=1000") +
           (cursor.empty() ? "" : "&cursor=" + cursor);
  }

  void expect_failed_on(const std::string& cursor, int page, const std::string& why) {
    auto mirror = list();
    ASSERT_FALSE(mirror) << "the listing should fail on page " << page;
    expect_bad_page(mirror.error(), "national portal", page_url(cursor), page, why);
  }

  http::test::LoopbackServer server_;
  psd::testing::FakeClock clock_;
  std::map<std::string, std::string> pages_;
  std::map<std::string, std::string> types_;
};

TEST_F(NationalBadInput, AHealthyListingReadsWhole) {
  auto mirror = list();
  ASSERT_TRUE(mirror) << mirror.error().message;
  EXPECT_EQ(mirror->size(), 2u);
}

TEST_F(NationalBadInput, MalformedJsonFailsTheListing) {
  pages_["p2"] = R"({"items":[{"code":"B",)";
  expect_failed_on("p2", 2, "not valid JSON");
}

TEST_F(NationalBadInput, AnHtmlPageAnsweredWith200FailsTheListing) {
  pages_[""] = "<html><head><title>502 Bad Gateway</title></head></html>";
  types_[""] = "text/html";
  expect_failed_on("", 1, "HTML page");
}

TEST_F(NationalBadInput, WrongTypesFailTheListing) {
  pages_["p2"] = listing(kItemB, "5");
  expect_failed_on("p2", 2, "'next_cursor' must be a string or null");
  pages_["p2"] = listing(R"({"code":"B","content_hash":7,"level":"full"})", "null");
  expect_failed_on("p2", 2, "'content_hash' must be a string");
  pages_["p2"] = listing(R"({"code":"B","content_hash":"sha256:b","level":"gold"})", "null");
  expect_failed_on("p2", 2, "'level' must be full or partial");
}

TEST_F(NationalBadInput, MissingFieldsFailTheListing) {
  pages_[""] = R"({"next_cursor":null})";
  expect_failed_on("", 1, "'items' must be an array");
  pages_[""] = listing(R"({"content_hash":"sha256:b","level":"full"})", "null");
  expect_failed_on("", 1, "'code' must be a string");
  pages_[""] = R"({"items":[]})";
  expect_failed_on("", 1, "'next_cursor' must be a string or null");
}

TEST_F(NationalBadInput, AHugeStringIsNotEchoedWhole) {
  const std::string huge(2u << 20, 'Z');
  pages_["p2"] = listing(R"({"code":")" + huge + R"(","level":"full"})", "null");
  expect_failed_on("p2", 2, "'content_hash' must be a string");
}

TEST_F(NationalBadInput, DeepNestingDoesNotCrash) {
  pages_["p2"] = R"({"items":[],"next_cursor":null,"x":)" + std::string(1'000'000, '[') +
                 std::string(1'000'000, ']') + "}";
  auto mirror = list();
  ASSERT_TRUE(mirror) << mirror.error().message;
  EXPECT_EQ(mirror->size(), 1u);
}

TEST_F(NationalBadInput, AHugeCursorIsRefused) {
  pages_["p2"] = listing(kItemB, "\"" + std::string(1u << 20, 'c') + "\"");
  expect_failed_on("p2", 2, "next_cursor must be 1 to 2048 bytes long");
}

TEST_F(NationalBadInput, InvalidUtf8FailsTheListing) {
  pages_["p2"] = listing(
      R"({"code":"B)" + std::string("\xC3\x28") + R"(","content_hash":"sha256:b","level":"full"})",
      "null");
  expect_failed_on("p2", 2, "not valid JSON");
}

TEST_F(NationalBadInput, ABodyOverTheSizeLimitFailsTheListing) {
  pages_["p2"] = listing(kItemB, "null") + std::string(8192, ' ');
  auto mirror = list(4096);
  ASSERT_FALSE(mirror);
  EXPECT_EQ(mirror.error().kind, core::FailureKind::bad_response);
  expect_names(mirror.error(), "national portal", page_url("p2"), "page 2");
}

TEST_F(NationalBadInput, APageServedAgainFailsTheListing) {
  pages_["p2"] = listing(kItemA, "\"p3\"");  // page 1's items again, with a new cursor
  pages_["p3"] = listing(kItemB, "null");
  expect_failed_on("p2", 2, "code \"A\" is listed twice");
}

TEST_F(NationalBadInput, ACursorLoopFailsTheListing) {
  pages_["p2"] = listing(kItemB, "\"p3\"");
  pages_["p3"] = listing("", "\"p2\"");
  expect_failed_on("p3", 3, "next_cursor repeats an earlier cursor (\"p2\")");
}

TEST_F(NationalBadInput, AnHttpErrorNamesThePage) {
  pages_.erase("p2");  // 404 on page 2
  auto mirror = list();
  ASSERT_FALSE(mirror);
  expect_names(mirror.error(), "national portal", page_url("p2"), "listing page 2");
}

}  // namespace
}  // namespace psd
