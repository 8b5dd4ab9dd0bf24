#include "daemon/core/canonical.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <sstream>

#include "daemon/core/validate.hpp"
#include "tests/unit/core/sample_service.hpp"

namespace psd::core {
namespace {

TEST(CanonicalHash, ReproducesTheContractsWorkedExample) {
  const Service service = testing::sample_service();
  EXPECT_EQ(canonical_body(service),
            R"({"admin_level":"province","agency":{"code":"000.00.15.H43","name":"Sở Xây dựng"},)"
            R"("code":"1.001612.000.00.00.H43","fee_vnd":150000,"field":"Xây dựng","level":"full",)"
            R"("name":"Cấp giấy phép xây dựng đối với công trình cấp III","processing_days":15})");
  EXPECT_EQ(content_hash(service),
            "sha256:e506de77bc459cc414bbd8285efe12d56fabebb03acde9a5e9ba76cf8ab23df9");
}

// Every case of the contract's hash-vectors.json: read the body as a catalogue
// record (adding the two fields the PUT body leaves out) and compare.
TEST(CanonicalHash, ReproducesEveryContractVector) {
  std::ifstream file(std::string(PSD_TEST_DATA_DIR) + "/hash-vectors.json");
  ASSERT_TRUE(file) << "tests/data/hash-vectors.json is missing";
  std::stringstream text;
  text << file.rdbuf();
  rapidjson::Document vectors;
  vectors.Parse(text.str().c_str());
  ASSERT_TRUE(vectors.IsArray());
  ASSERT_GE(vectors.Size(), 9u);
  for (auto& vector : vectors.GetArray()) {
    SCOPED_TRACE(vector["case"].GetString());
    rapidjson::Value& body = vector["body"];
    body.AddMember("status", "active", vectors.GetAllocator());
    body.AddMember("updated_at", "2024-10-28T09:15:00+07:00", vectors.GetAllocator());
    auto result = validate_record(body, 1, 0);
    ASSERT_TRUE(std::holds_alternative<Service>(result)) << std::get<InvalidRecord>(result).reason;
    const Service& service = std::get<Service>(result);
    EXPECT_EQ(canonical_body(service), vector["canonical"].GetString());
    EXPECT_EQ(content_hash(service), vector["content_hash"].GetString());
  }
}

std::string escaped(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

TEST(CanonicalString, EscapesControlCharactersInLowercaseHex) {
  EXPECT_EQ(escaped(std::string_view("a\x01z\x1f", 4)), R"("a\u0001z\u001f")");
  EXPECT_EQ(escaped(std::string_view("\0", 1)), R"("\u0000")");
  EXPECT_EQ(escaped("\x1b"), R"("\u001b")");
}

TEST(CanonicalString, UsesShortFormsForTheFiveNamedControls) {
  EXPECT_EQ(escaped("\b\f\n\r\t"), R"("\b\f\n\r\t")");
}

TEST(CanonicalString, EscapesQuoteAndBackslashButNotSlash) {
  EXPECT_EQ(escaped(R"(a"b\c/d)"), R"("a\"b\\c/d")");
}

TEST(CanonicalString, KeepsDelU2028EmojiAndCombiningMarksRaw) {
  EXPECT_EQ(escaped("\x7f"), "\"\x7f\"");
  EXPECT_EQ(escaped("\u2028"), "\"\u2028\"");
  EXPECT_EQ(escaped("🏛️"), "\"🏛️\"");
  // "Cấp" in NFD: C, a, combining circumflex, combining acute, p.
  EXPECT_EQ(escaped("Ca\u0302\u0301p"), "\"Ca\u0302\u0301p\"");
}

TEST(CanonicalHash, ChangesWhenAnyPushedFieldChanges) {
  const Service base = testing::sample_service();
  const std::string base_hash = content_hash(base);
  Service changed = base;
  changed.agency.name += " ";
  EXPECT_NE(content_hash(changed), base_hash);
  changed = base;
  changed.processing_days += 1;
  EXPECT_NE(content_hash(changed), base_hash);
  changed = base;
  changed.admin_level = AdminLevel::district;
  EXPECT_NE(content_hash(changed), base_hash);
}

TEST(CanonicalHash, IgnoresStatusAndUpdatedAt) {
  Service other = testing::sample_service();
  other.status = Status::suspended;
  other.updated_at = "2025-01-01T00:00:00Z";
  EXPECT_EQ(content_hash(other), content_hash(testing::sample_service()));
}

TEST(PutBody, IsTheCanonicalBodyPlusItsHash) {
  const std::string canonical = canonical_body(testing::sample_service());
  const std::string hash = hash_canonical(canonical);
  const std::string body = put_body(canonical, hash);
  rapidjson::Document parsed;
  parsed.Parse(body.c_str());
  ASSERT_FALSE(parsed.HasParseError());
  EXPECT_EQ(std::string(parsed["content_hash"].GetString()), hash);
  EXPECT_EQ(parsed["fee_vnd"].GetUint64(), 150000u);
  EXPECT_EQ(body.substr(0, canonical.size() - 1), canonical.substr(0, canonical.size() - 1));
}

}  // namespace
}  // namespace psd::core
