#include "daemon/core/validate.hpp"

#include <gtest/gtest.h>

#include "tests/unit/core/sample_service.hpp"

namespace psd::core {
namespace {

constexpr const char* kValidRecord = R"({
  "code": "1.001612.000.00.00.H43",
  "name": "Cấp giấy phép xây dựng đối với công trình cấp III",
  "level": "full",
  "agency": {"code": "000.00.15.H43", "name": "Sở Xây dựng"},
  "field": "Xây dựng",
  "admin_level": "province",
  "fee_vnd": 150000,
  "processing_days": 15,
  "status": "active",
  "updated_at": "2024-10-28T09:15:00+07:00"
})";

rapidjson::Document parse(const std::string& json) {
  rapidjson::Document document;
  document.Parse(json.c_str(), json.size());
  EXPECT_FALSE(document.HasParseError()) << json;
  return document;
}

/// Return the record with member `path` ("agency.name") set to the JSON `value`,
/// or removed when `value` is empty.
rapidjson::Document with(const char* path, const std::string& value) {
  rapidjson::Document record = parse(kValidRecord);
  std::string_view key(path);
  rapidjson::Value* object = &record;
  if (const auto dot = key.find('.'); dot != std::string_view::npos) {
    object = &record[std::string(key.substr(0, dot)).c_str()];
    key = key.substr(dot + 1);
  }
  const std::string name(key);
  object->RemoveMember(name.c_str());
  if (!value.empty()) {
    rapidjson::Document parsed = parse("[" + value + "]");
    rapidjson::Value copy(parsed[0], record.GetAllocator());
    object->AddMember(rapidjson::Value(name.c_str(), record.GetAllocator()), copy,
                      record.GetAllocator());
  }
  return record;
}

std::string reason_of(const rapidjson::Value& record) {
  auto result = validate_record(record, 3, 7);
  if (std::holds_alternative<Service>(result)) return "";
  return std::get<InvalidRecord>(result).reason;
}

TEST(Validate, AcceptsTheContractsExample) {
  auto result = validate_record(parse(kValidRecord), 1, 0);
  ASSERT_TRUE(std::holds_alternative<Service>(result)) << std::get<InvalidRecord>(result).reason;
  EXPECT_EQ(std::get<Service>(result), testing::sample_service());
}

TEST(Validate, IgnoresUnknownFieldsAtAnyDepth) {
  rapidjson::Document record = with("extra", R"({"deep": [1, 2]})");
  record["agency"].AddMember("phone", "0123", record.GetAllocator());
  auto result = validate_record(record, 1, 0);
  ASSERT_TRUE(std::holds_alternative<Service>(result));
  EXPECT_EQ(content_hash(std::get<Service>(result)), content_hash(testing::sample_service()));
}

struct Rule {
  const char* field;
  std::string value;  // JSON; empty = field removed
  const char* expected_reason;
};

class ValidateRule : public ::testing::TestWithParam<Rule> {};

TEST_P(ValidateRule, NamesTheFieldAndTheRule) {
  const Rule& rule = GetParam();
  const std::string reason = reason_of(with(rule.field, rule.value));
  EXPECT_NE(reason.find(rule.expected_reason), std::string::npos)
      << "field " << rule.field << " = " << rule.value << " gave: " << reason;
}

std::string repeated(const std::string& unit, int times) {
  std::string out = "\"";
  for (int i = 0; i < times; ++i) out += unit;
  return out + "\"";
}

INSTANTIATE_TEST_SUITE_P(
    EveryRuleOfTheContract, ValidateRule,
    ::testing::Values(
        Rule{"code", "", "field 'code': missing"},
        Rule{"code", "42", "field 'code': must be a string"},
        Rule{"code", R"("")", "field 'code': must be 1 to 64 characters"},
        Rule{"code", repeated("A", 65), "field 'code': must be 1 to 64 characters"},
        Rule{"code", R"("1.0016/12")", "field 'code': must be 1 to 64 characters of A-Z"},
        Rule{"code", R"("mã số")", "field 'code': must be 1 to 64 characters of A-Z"},
        Rule{"name", "", "field 'name': missing"},
        Rule{"name", R"("")", "field 'name': must be 1 to 1000 characters long, got 0"},
        Rule{"name", repeated("ệ", 1001),
             "field 'name': must be 1 to 1000 characters long, got 1001"},
        Rule{"name", "null", "field 'name': must be a string"},
        Rule{"level", R"("Full")", "field 'level': must be one of full, partial"},
        Rule{"level", "", "field 'level': missing"}, Rule{"agency", "", "field 'agency': missing"},
        Rule{"agency", R"("Sở Xây dựng")", "field 'agency': must be an object"},
        Rule{"agency.code", "", "field 'agency.code': missing"},
        Rule{"agency.code", repeated("A", 65),
             "field 'agency.code': must be 1 to 64 characters long"},
        Rule{"agency.name", R"("")", "field 'agency.name': must be 1 to 300 characters long"},
        Rule{"agency.name", repeated("ở", 301), "field 'agency.name': must be 1 to 300"},
        Rule{"field", repeated("â", 201), "field 'field': must be 0 to 200 characters long"},
        Rule{"field", "", "field 'field': missing"},
        Rule{"admin_level", R"("ward")",
             "field 'admin_level': must be one of province, district, commune"},
        Rule{"fee_vnd", "-1", "field 'fee_vnd': must be an integer from 0 to 9007199254740991"},
        Rule{"fee_vnd", "9007199254740992", "field 'fee_vnd': must be an integer from 0"},
        Rule{"fee_vnd", "150000.5", "field 'fee_vnd': must be an integer"},
        Rule{"fee_vnd", R"("150000")", "field 'fee_vnd': must be an integer"},
        Rule{"fee_vnd", "1.5e5", "field 'fee_vnd': must be an integer"},
        Rule{"processing_days", "3651",
             "field 'processing_days': must be an integer from 0 to 3650"},
        Rule{"processing_days", "true", "field 'processing_days': must be an integer"},
        Rule{"status", R"("closed")", "field 'status': must be one of active, suspended"},
        Rule{"updated_at", R"("2024-10-28 09:15:00")", "field 'updated_at': must be an RFC 3339"},
        Rule{"updated_at", R"("2024-10-28T09:15:00")", "field 'updated_at': must be an RFC 3339"},
        Rule{"updated_at", R"("2024-02-30T09:15:00Z")", "field 'updated_at': must be an RFC 3339"},
        Rule{"updated_at", "1730081700", "field 'updated_at': must be an RFC 3339"}));

TEST(Validate, AcceptsTheBoundaryValues) {
  EXPECT_EQ(reason_of(with("fee_vnd", "9007199254740991")), "");
  EXPECT_EQ(reason_of(with("fee_vnd", "0")), "");
  EXPECT_EQ(reason_of(with("processing_days", "3650")), "");
  EXPECT_EQ(reason_of(with("field", R"("")")), "");
  EXPECT_EQ(reason_of(with("name", repeated("ệ", 1000))), "");
  EXPECT_EQ(reason_of(with("code", "\"" + std::string(64, 'z') + "\"")), "");
  EXPECT_EQ(reason_of(with("updated_at", R"("2024-02-29T23:59:60.123Z")")), "");
}

TEST(Validate, ReportsEveryBrokenRuleAndKeepsWhatIsReadable) {
  rapidjson::Document record = with("level", R"("partial")");
  record.RemoveMember("name");
  record["fee_vnd"].SetInt(-5);
  auto result = validate_record(record, 3, 7);
  ASSERT_TRUE(std::holds_alternative<InvalidRecord>(result));
  const auto& invalid = std::get<InvalidRecord>(result);
  EXPECT_EQ(invalid.reason,
            "field 'name': missing; field 'fee_vnd': must be an integer from 0 to "
            "9007199254740991");
  EXPECT_EQ(invalid.code, "1.001612.000.00.00.H43");
  EXPECT_EQ(invalid.level, Level::partial);
  EXPECT_EQ(invalid.agency_code, "000.00.15.H43");
  EXPECT_EQ(invalid.page, 3);
  EXPECT_EQ(invalid.index, 7);
  EXPECT_TRUE(invalid.counts_active);
}

TEST(Validate, AnInvalidRecordCountsActiveUnlessExactlySuspended) {
  rapidjson::Document suspended = with("status", R"("suspended")");
  suspended.RemoveMember("name");
  EXPECT_FALSE(std::get<InvalidRecord>(validate_record(suspended, 1, 0)).counts_active);
  rapidjson::Document unknown = with("status", R"("Suspended")");
  EXPECT_TRUE(std::get<InvalidRecord>(validate_record(unknown, 1, 0)).counts_active);
}

TEST(Validate, ANonObjectRecordIsInvalid) {
  auto result = validate_record(parse("[1]")[0], 2, 4);
  ASSERT_TRUE(std::holds_alternative<InvalidRecord>(result));
  EXPECT_EQ(std::get<InvalidRecord>(result).reason, "record is not a JSON object");
}

TEST(Validate, CountsCodePointsNotBytes) {
  EXPECT_EQ(count_code_points("Sở Xây dựng"), 11u);
  EXPECT_EQ(count_code_points("🏛"), 1u);
  EXPECT_EQ(count_code_points(""), 0u);
}

TEST(DuplicateCodes, MakeEveryCopyInvalidEvenWhenOneWasInvalidAlready) {
  Snapshot snapshot;
  snapshot.services.push_back(testing::entry_of(testing::sample_service("A")));
  snapshot.services.push_back(testing::entry_of(testing::sample_service("B")));
  snapshot.services.push_back(testing::entry_of(testing::sample_service("A")));
  snapshot.services.push_back(testing::entry_of(testing::sample_service("C")));
  InvalidRecord broken;
  broken.code = "C";
  broken.reason = "field 'name': missing";
  snapshot.invalid.push_back(broken);

  reject_duplicate_codes(snapshot);

  ASSERT_EQ(snapshot.services.size(), 1u);
  EXPECT_EQ(snapshot.services[0].service.code, "B");
  ASSERT_EQ(snapshot.invalid.size(), 4u);
  int duplicates = 0;
  for (const auto& record : snapshot.invalid) {
    if (record.reason.find("duplicate code") != std::string::npos) ++duplicates;
  }
  EXPECT_EQ(duplicates, 3);
}

}  // namespace
}  // namespace psd::core
