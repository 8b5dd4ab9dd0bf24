#include "adapters/provincial/page_parser.hpp"

#include <gtest/gtest.h>

namespace psd::provincial {
namespace {

constexpr const char* kRecord =
    R"({"code":"1.001612.000.00.00.H43","name":"Cấp giấy phép xây dựng đối với công trình cấp III","level":"full","agency":{"code":"000.00.15.H43","name":"Sở Xây dựng"},"field":"Xây dựng","admin_level":"province","fee_vnd":150000,"processing_days":15,"status":"active","updated_at":"2024-10-28T09:15:00+07:00"})";

std::string page_with(const std::string& items, int page = 1, int total_items = 1) {
  return R"({"page":)" + std::to_string(page) + R"(,"page_size":100,"total_items":)" +
         std::to_string(total_items) + R"(,"total_pages":1,"items":[)" + items + "]}";
}

TEST(CataloguePage, ParsesAndHashesValidRecords) {
  auto page = parse_catalogue_page(page_with(kRecord), 1);
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->services.size(), 1u);
  EXPECT_EQ(page->services[0].content_hash,
            "sha256:e506de77bc459cc414bbd8285efe12d56fabebb03acde9a5e9ba76cf8ab23df9");
  EXPECT_EQ(page->total_items, 1);
}

TEST(CataloguePage, KeepsABadRecordAsInvalidWithItsPlace) {
  auto page = parse_catalogue_page(page_with(std::string(kRecord) + R"(,{"code":"X"})", 1, 2), 1);
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->invalid.size(), 1u);
  EXPECT_EQ(page->invalid[0].code, "X");
  EXPECT_EQ(page->invalid[0].index, 1);
  EXPECT_EQ(page->invalid[0].page, 1);
}

TEST(CataloguePage, FailsOnWhatIsNotAPage) {
  EXPECT_NE(parse_catalogue_page("<html>Bảo trì</html>", 1).error().message.find("not valid JSON"),
            std::string::npos);
  EXPECT_NE(parse_catalogue_page("[]", 1).error().message.find("not an object"), std::string::npos);
  EXPECT_NE(parse_catalogue_page(R"({"page":1,"page_size":1,"total_items":0,"total_pages":0})", 1)
                .error()
                .message.find("'items' must be an array"),
            std::string::npos);
  EXPECT_NE(parse_catalogue_page(R"({"page":"1","items":[]})", 1).error().message.find("'page'"),
            std::string::npos);
  EXPECT_NE(parse_catalogue_page(page_with(kRecord, 2), 3)
                .error()
                .message.find("asked for page 3, got page 2"),
            std::string::npos);
}

TEST(CataloguePage, FailsOnInvalidUtf8RatherThanMakingARecordInvalid) {
  std::string body = page_with(kRecord);
  body.replace(body.find("Sở"), 1, "\xC3\x28");
  auto page = parse_catalogue_page(body, 1);
  ASSERT_FALSE(page);
  EXPECT_NE(page.error().message.find("not valid JSON"), std::string::npos);
}

}  // namespace
}  // namespace psd::provincial

namespace psd::provincial {
namespace {

// Found by fuzz/catalogue_page: RapidJSON decodes a lone low-surrogate escape
// into bytes that are not UTF-8, which a record would then carry.
TEST(CataloguePage, FailsOnALoneSurrogateEscapeAsOnInvalidUtf8) {
  std::string body = page_with(kRecord);
  body.replace(body.find("H43\""), 3, R"(H43\udc00)");
  auto page = parse_catalogue_page(body, 1);
  ASSERT_FALSE(page);
  EXPECT_NE(page.error().message.find(
                "not valid JSON: The surrogate pair in string is invalid. at byte "),
            std::string::npos)
      << page.error().message;
  // A pair is one code point, and an escaped backslash starts no escape.
  std::string pair = page_with(kRecord);
  pair.replace(pair.find("Sở"), std::string("Sở").size(), R"(\ud83d\ude00 \\udc00)");
  EXPECT_TRUE(parse_catalogue_page(pair, 1)) << pair;
}

}  // namespace
}  // namespace psd::provincial
