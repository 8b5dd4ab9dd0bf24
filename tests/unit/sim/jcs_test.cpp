// The simulator's JCS canonicaliser against the contract's hash vectors and
// RFC 8785's own examples.

#include "sim/jcs.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <sstream>

#include "sim/record.hpp"

namespace psd::sim {
namespace {

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.c_str(), text.size());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class HashVectors : public ::testing::Test {
 protected:
  void SetUp() override {
    vectors_ = parse(read_file(std::string(PSD_TEST_DATA_DIR) + "/hash-vectors.json"));
    ASSERT_TRUE(vectors_.IsArray());
    ASSERT_GE(vectors_.Size(), 9u);
  }
  rapidjson::Document vectors_;
};

TEST_F(HashVectors, GenericCanonicaliserReproducesEveryCase) {
  for (const auto& v : vectors_.GetArray()) {
    SCOPED_TRACE(v["case"].GetString());
    const std::string canonical = canonicalize(v["body"]);
    EXPECT_EQ(canonical, std::string(v["canonical"].GetString(), v["canonical"].GetStringLength()));
    EXPECT_EQ(content_hash_of(canonical), v["content_hash"].GetString());
  }
}

TEST_F(HashVectors, BodyWithContentHashHashesTheSameWithoutIt) {
  for (const auto& v : vectors_.GetArray()) {
    SCOPED_TRACE(v["case"].GetString());
    rapidjson::Document body;
    body.CopyFrom(v["body"], body.GetAllocator());
    body.AddMember("content_hash", rapidjson::Value(v["content_hash"], body.GetAllocator()),
                   body.GetAllocator());
    EXPECT_EQ(canonicalize_without(body, "content_hash"), v["canonical"].GetString());
  }
}

TEST_F(HashVectors, HandBuiltRecordEncoderAgrees) {
  for (const auto& v : vectors_.GetArray()) {
    SCOPED_TRACE(v["case"].GetString());
    const auto& b = v["body"];
    CatalogueRecord r;
    r.code = b["code"].GetString();
    r.name.assign(b["name"].GetString(), b["name"].GetStringLength());
    r.level = b["level"].GetString();
    r.agency = {b["agency"]["code"].GetString(), b["agency"]["name"].GetString()};
    r.field = b["field"].GetString();
    r.admin_level = b["admin_level"].GetString();
    r.fee_vnd = b["fee_vnd"].GetInt64();
    r.processing_days = b["processing_days"].GetInt64();
    refresh_expected_hash(r);
    EXPECT_EQ(canonical_put_body(r), v["canonical"].GetString());
    EXPECT_EQ(r.expected_hash, v["content_hash"].GetString());
  }
}

TEST(Jcs, ContractExampleHash) {
  const auto doc = parse(
      R"({"code":"1.001612.000.00.00.H43","name":"Cấp giấy phép xây dựng đối với công trình cấp III",)"
      R"("level":"full","agency":{"code":"000.00.15.H43","name":"Sở Xây dựng"},"field":"Xây dựng",)"
      R"("admin_level":"province","fee_vnd":150000,"processing_days":15})");
  EXPECT_EQ(content_hash_of(canonicalize(doc)),
            "sha256:e506de77bc459cc414bbd8285efe12d56fabebb03acde9a5e9ba76cf8ab23df9");
}

TEST(Jcs, SortsKeysByUtf16CodeUnitsRecursively) {
  // RFC 8785 section 3.2.3: U+1F600 (surrogates D83D DE00) sorts before
  // U+FB33 in UTF-16, although it is the larger code point.
  const auto doc = parse(
      "{\"\\u20ac\":\"Euro\",\"\\r\":\"CR\",\"\\ufb33\":\"Hebrew\",\"1\":\"One\","
      "\"\\ud83d\\ude00\":\"Smiley\",\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin\","
      "\"z\":{\"b\":1,\"a\":[{\"d\":1,\"c\":2}]}}");
  EXPECT_EQ(canonicalize(doc),
            "{\"\\r\":\"CR\",\"1\":\"One\",\"z\":{\"a\":[{\"c\":2,\"d\":1}],\"b\":1},"
            "\"\xc2\x80\":\"Control\",\"\xc3\xb6\":\"Latin\",\"\xe2\x82\xac\":\"Euro\","
            "\"\xf0\x9f\x98\x80\":\"Smiley\",\"\xef\xac\xb3\":\"Hebrew\"}");
}

TEST(Jcs, EscapesOnlyWhatJcsEscapes) {
  const auto doc =
      parse(R"(["\u0000\u0008\u0009\u000a\u000c\u000d\u001f", "\"\\/", "\u007f\u2028é"])");
  EXPECT_EQ(canonicalize(doc),
            "[\"\\u0000\\b\\t\\n\\f\\r\\u001f\",\"\\\"\\\\/\",\"\x7f\xe2\x80\xa8\xc3\xa9\"]");
}

TEST(Jcs, NumbersAsEcmaScriptPrintsThem) {
  EXPECT_EQ(es_number(1e30), "1e+30");
  EXPECT_EQ(es_number(4.50), "4.5");
  EXPECT_EQ(es_number(2e-3), "0.002");
  EXPECT_EQ(es_number(0.000001), "0.000001");
  EXPECT_EQ(es_number(0.0000001), "1e-7");
  EXPECT_EQ(es_number(1e-27), "1e-27");
  EXPECT_EQ(es_number(-0.0), "0");
  EXPECT_EQ(es_number(333333333.33333329), "333333333.3333333");
  EXPECT_EQ(es_number(1e21), "1e+21");
  EXPECT_EQ(es_number(1e20), "100000000000000000000");
  EXPECT_EQ(es_number(-1.5e-9), "-1.5e-9");
  EXPECT_EQ(es_number(123.456), "123.456");
  EXPECT_EQ(es_number(5e-324), "5e-324");
  EXPECT_EQ(es_number(1.7976931348623157e308), "1.7976931348623157e+308");
}

TEST(Jcs, IntegersPlainUpTo2Pow53ThenAsDoubles) {
  const auto doc = parse(
      "[0,-0,1,-1,150000,9007199254740991,9007199254740993,-9007199254740993,"
      "1.0,1E3,true,false,null]");
  EXPECT_EQ(canonicalize(doc),
            "[0,0,1,-1,150000,9007199254740991,9007199254740992,-9007199254740992,1,1000,true,"
            "false,null]");
}

TEST(Jcs, EmptyContainers) {
  EXPECT_EQ(canonicalize(parse(R"({"b":[],"a":{}})")), R"({"a":{},"b":[]})");
}

}  // namespace
}  // namespace psd::sim
