#include <gtest/gtest.h>

#include "adapters/failure_of.hpp"
#include "adapters/national/listing_parser.hpp"
#include "adapters/national/national_client.hpp"
#include "adapters/national/token_source.hpp"

namespace psd::national {
namespace {

TEST(ListingPage, ParsesItemsAndTheCursor) {
  auto page = parse_listing_page(
      R"({"items":[{"code":"A","content_hash":"sha256:a","level":"partial","integrated_at":"2024-01-01T00:00:00Z"}],"next_cursor":"c2"})");
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].code, "A");
  EXPECT_EQ(page->items[0].content_hash, "sha256:a");
  EXPECT_EQ(page->items[0].level, core::Level::partial);
  EXPECT_EQ(page->next_cursor, "c2");
  auto last = parse_listing_page(R"({"items":[],"next_cursor":null})");
  ASSERT_TRUE(last);
  EXPECT_FALSE(last->next_cursor);
}

TEST(ListingPage, RefusesWhatIsNotAListing) {
  EXPECT_FALSE(parse_listing_page("<html></html>"));
  EXPECT_FALSE(parse_listing_page(R"({"items":[]})"));  // next_cursor is required
  EXPECT_FALSE(parse_listing_page(R"({"items":{},"next_cursor":null})"));
  EXPECT_NE(parse_listing_page(
                R"({"items":[{"code":"A","content_hash":"h","level":"x"}],"next_cursor":null})")
                .error()
                .message.find("item 0 (A): 'level'"),
            std::string::npos);
}

// As a document's FindMember would: the first member of a name counts.
TEST(ListingPage, ReadsTheFirstMemberOfEachName) {
  auto page = parse_listing_page(
      R"({"items":[{"code":"A","code":"B","content_hash":"h","level":"full","level":5}],)"
      R"("next_cursor":null,"next_cursor":5,"items":7})");
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].code, "A");
  EXPECT_FALSE(page->next_cursor);
  EXPECT_NE(parse_listing_page(R"({"items":[{"code":5,"code":"B","content_hash":"h",)"
                               R"("level":"full"}],"next_cursor":null})")
                .error()
                .message.find("item 0: 'code' must be a string"),
            std::string::npos);
}

// Members it does not read may nest as deep as they like, in an item too;
// escapes are decoded (a NUL included) and the cursor is read up to a NUL.
TEST(ListingPage, SkipsWhatItDoesNotReadAndDecodesEscapes) {
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  auto page =
      parse_listing_page(R"({"x":{"y":[1,{"items":5}]},"items":[{"extra":)" + deep +
                         R"(,"code":"A\u0000\u00e9","content_hash":"h\"","level":"full"},)"
                         R"({"code":"B","content_hash":"h","level":"partial","z":{"code":1}}],)"
                         R"("next_cursor":"c\u0000d"})");
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].code, std::string_view("A\0\xC3\xA9", 4));
  EXPECT_EQ(page->items[0].content_hash, "h\"");
  EXPECT_EQ(page->items[1].code, "B");
  EXPECT_EQ(page->items[1].level, core::Level::partial);
  EXPECT_EQ(page->next_cursor, "c");
}

// The body's JSON is judged first, as when it was read whole into a document.
TEST(ListingPage, ReportsBrokenJsonBeforeABrokenItem) {
  auto page = parse_listing_page(R"({"items":[5,{"code":1}],"next_cursor":nul})");
  ASSERT_FALSE(page);
  EXPECT_NE(page.error().message.find("not valid JSON"), std::string::npos) << page.error().message;
  auto item = parse_listing_page(R"({"items":[{"code":"A"},5],"next_cursor":null})");
  ASSERT_FALSE(item);
  EXPECT_EQ(item.error().message, "item 0 (A): 'content_hash' must be a string");
  auto element = parse_listing_page(R"([{"items":[]}])");
  ASSERT_FALSE(element);
  EXPECT_EQ(element.error().message, "not a listing: not an object");
}

// Found by fuzz/listing_page: a lone low-surrogate escape decoded to bytes
// that are not UTF-8.
TEST(ListingPage, RefusesALoneSurrogateEscape) {
  auto page = parse_listing_page(R"({"items":[],"next_cursor":"a\ude00"})");
  ASSERT_FALSE(page);
  EXPECT_NE(page.error().message.find("surrogate"), std::string::npos) << page.error().message;
  EXPECT_FALSE(parse_listing_page(
      R"({"items":[{"code":"\udfff","content_hash":"h","level":"full"}],"next_cursor":null})"));
}

// RapidJSON stops at a NUL byte; what follows it must not be let through.
TEST(ListingPage, RefusesABodyWithANulByte) {
  const std::string listing = R"({"items":[],"next_cursor":null})";
  auto page = parse_listing_page(listing + '\0' + "<html>");
  ASSERT_FALSE(page);
  EXPECT_NE(page.error().message.find("NUL byte at byte 31"), std::string::npos)
      << page.error().message;
}

TEST(TokenRenewal, HappensInTheLastTenthOfTheLifetimeAtMostAMinuteEarly) {
  const std::chrono::steady_clock::time_point issued{};
  EXPECT_EQ(renew_time(issued, std::chrono::seconds(100)) - issued, std::chrono::seconds(90));
  EXPECT_EQ(renew_time(issued, std::chrono::seconds(3600)) - issued, std::chrono::seconds(3540));
  EXPECT_EQ(renew_time(issued, std::chrono::seconds(5)) - issued, std::chrono::milliseconds(4500));
}

TEST(RetryAfter, ReadsSecondsAndClampsThem) {
  const auto now = std::chrono::system_clock::now();
  EXPECT_EQ(parse_retry_after("7", now), std::chrono::seconds(7));
  EXPECT_EQ(parse_retry_after(" 0 ", now), std::chrono::seconds(0));
  EXPECT_EQ(parse_retry_after("999999", now), kMaxRetryAfter);
  EXPECT_EQ(parse_retry_after("99999999999999999999999", now), kMaxRetryAfter);
  EXPECT_FALSE(parse_retry_after("", now));
  EXPECT_FALSE(parse_retry_after("-3", now));
  EXPECT_FALSE(parse_retry_after("soon", now));
  EXPECT_FALSE(parse_retry_after("7s", now));
}

TEST(RetryAfter, ReadsAnHttpDateAsTheTimeLeftUntilIt) {
  // Wed, 21 Oct 2015 07:28:00 GMT is 1445412480 s after the epoch.
  const auto date = std::chrono::system_clock::from_time_t(1445412480);
  const char* value = "Wed, 21 Oct 2015 07:28:00 GMT";
  EXPECT_EQ(parse_retry_after(value, date - std::chrono::seconds(30)), std::chrono::seconds(30));
  EXPECT_EQ(parse_retry_after(value, date + std::chrono::seconds(5)), std::chrono::seconds(0))
      << "a date in the past means: now";
  EXPECT_EQ(parse_retry_after(value, date - std::chrono::hours(30)), kMaxRetryAfter);
  EXPECT_FALSE(parse_retry_after("Wed, 99 Foo 2015 07:28:00 GMT", date));
}

TEST(ErrorSummary, ReadsBothErrorShapes) {
  EXPECT_EQ(
      error_summary(
          R"({"error":{"code":"HASH_MISMATCH","message":"hash differs","field":"content_hash"}})"),
      "HASH_MISMATCH: hash differs (field content_hash)");
  EXPECT_EQ(error_summary(R"({"error":"invalid_client"})"), "invalid_client");
  EXPECT_EQ(error_summary("<html>"), "");
}

TEST(FailureOf, NamesTheSourceMethodUrlAndStatusAndSetsTheKind) {
  http::Request request;
  request.method = http::Method::get;
  request.url = "https://portal.example/x";
  request.headers = {"Authorization: Bearer s3cr3t-token"};
  http::Response response;
  response.status = 503;
  core::Failure failure = failure_of("national portal", request, response);
  EXPECT_EQ(failure.kind, core::FailureKind::transient);
  EXPECT_EQ(failure.message, "national portal: GET https://portal.example/x: HTTP 503");
  response.status = 403;
  EXPECT_EQ(failure_of("national portal", request, response).kind, core::FailureKind::forbidden);
  EXPECT_EQ(failure_of("x", request, response).message.find("s3cr3t"), std::string::npos);
}

}  // namespace
}  // namespace psd::national
