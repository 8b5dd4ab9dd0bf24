// A foreign catalogue read through a mapping file: values, records, pages
// and request URLs (contract dialects.md).

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <fstream>

#include "adapters/provincial/mapped_client.hpp"
#include "adapters/provincial/mapped_page.hpp"
#include "adapters/provincial/mapped_values.hpp"
#include "adapters/provincial/page_parser.hpp"
#include "config/mapping.hpp"
#include "tests/support/fake_clock.hpp"
#include "tests/unit/core/expected_result.hpp"

namespace psd::provincial {
namespace {

using ::testing::HasSubstr;

// The TD-style shape: UPPERCASE keys, strings for numbers, MucDo, compact times.
std::string td_mapping_text() {
  std::ifstream file(std::filesystem::path(PSD_TEST_DATA_DIR) / "gateway-mapping.toml");
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

constexpr const char* kTdRecord = R"({"MATTHC": "1.001612.000.00.00.H43",
  "TENTTHC": "Cấp giấy phép xây dựng đối với công trình cấp III", "MUCDO": "4",
  "COQUANTHUCHIEN": [{"MADONVI": "000.00.15.H43", "TENDONVI": "Sở Xây dựng"}],
  "LINHVUC": "Xây dựng", "CAPTHUCHIEN": "1", "LEPHI": "150000", "THOIGIANGIAIQUYET": 15,
  "TRANGTHAI": "1", "NGAYCAPNHAT": "20241028091500", "EXTRA": {"x": 1}})";

// The contract's OpenAPI example record, whose hash the contract gives.
constexpr const char* kContractHash =
    "sha256:e506de77bc459cc414bbd8285efe12d56fabebb03acde9a5e9ba76cf8ab23df9";

RecordMapper td_mapper(std::vector<config::AgencyRemapRow> remap = {}) {
  return RecordMapper(config::parse_mapping(td_mapping_text(), "td.toml"),
                      AgencyRemap(std::move(remap)));
}

rapidjson::Document json(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.c_str());
  EXPECT_FALSE(document.HasParseError()) << text;
  return document;
}

/// Map `record` after replacing `from` by `to` in it.
MappedRecord map_edited(const RecordMapper& mapper, const std::string& from,
                        const std::string& to) {
  std::string text = kTdRecord;
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  return mapper.map(json(text), 3, 7, "2026-01-01T00:00:00Z");
}

std::string reason_of(const MappedRecord& record) {
  const auto* invalid = std::get_if<core::InvalidRecord>(&record.value);
  return invalid == nullptr ? std::string("valid") : invalid->reason;
}

TEST(MappedValues, DecreeWordsInAnyCaseWithOrWithoutDiacritics) {
  for (const char* full : {"toàn trình", "Toàn trình", "TOÀN TRÌNH", "toan trinh", "Toan  Trinh ",
                           "to\u0300an tri\u0300nh"}) {  // decomposed: a + U+0300
    EXPECT_EQ(decree_level(full), "full") << full;
  }
  for (const char* partial : {"một phần", "Một phần", "MỘT PHẦN", "mot phan", "MOT PHAN"}) {
    EXPECT_EQ(decree_level(partial), "partial") << partial;
  }
  EXPECT_EQ(decree_level("toàn trình hơn"), std::nullopt);
  EXPECT_EQ(decree_level("4"), std::nullopt);
  EXPECT_EQ(fold_vietnamese("Đăng ký ĐẤT ĐAI"), "dang ky dat dai");
}

TEST(MappedValues, TimestampsOfEveryFormat) {
  using config::TimeFormat;
  EXPECT_EQ(timestamp_value(json(R"("20241028091500")"), TimeFormat::yyyy_mm_dd_hh_mm_ss),
            "2024-10-28T09:15:00+07:00");
  EXPECT_EQ(timestamp_value(json("20241028091500"), TimeFormat::yyyy_mm_dd_hh_mm_ss),
            "2024-10-28T09:15:00+07:00");
  for (const char* bad : {R"("20241328091500")", R"("20240230091500")", R"("2024102809150")",
                          R"("28/10/2024 09:15")", R"("20241028246000")"}) {
    EXPECT_EQ(timestamp_value(json(bad), TimeFormat::yyyy_mm_dd_hh_mm_ss), std::nullopt) << bad;
  }
  EXPECT_EQ(timestamp_value(json("1730081700000"), TimeFormat::epoch_ms), "2024-10-28T02:15:00Z");
  EXPECT_EQ(timestamp_value(json(R"("1730081700250")"), TimeFormat::epoch_ms),
            "2024-10-28T02:15:00.250Z");
  EXPECT_EQ(timestamp_value(json("-5"), TimeFormat::epoch_ms), std::nullopt);
  EXPECT_EQ(timestamp_value(json(R"("2024-10-28T09:15:00+07:00")"), TimeFormat::rfc3339),
            "2024-10-28T09:15:00+07:00");
  EXPECT_EQ(timestamp_value(json("5"), TimeFormat::rfc3339), std::nullopt);
}

TEST(MappedValues, IntegersGivenAsStrings) {
  EXPECT_EQ(integer_value(json(R"(" 15000 ")")), 15000);
  EXPECT_EQ(integer_value(json(R"("-5")")), -5);
  EXPECT_EQ(integer_value(json("42")), 42);
  EXPECT_EQ(integer_value(json(R"("15.000")")), std::nullopt);
  EXPECT_EQ(integer_value(json(R"("99999999999999999999")")), std::nullopt);
  EXPECT_EQ(value_text(json("4")), "4");
  EXPECT_EQ(value_text(json("4.0")), "4");
  EXPECT_EQ(value_text(json("true")), "true");
}

TEST(MappedRecord, ForeignRecordBecomesTheContractsRecordAndHash) {
  const MappedRecord record = td_mapper().map(json(kTdRecord), 1, 0, "2026-01-01T00:00:00Z");
  const auto* entry = std::get_if<core::CatalogueEntry>(&record.value);
  ASSERT_NE(entry, nullptr) << reason_of(record);
  EXPECT_EQ(entry->service.code, "1.001612.000.00.00.H43");
  EXPECT_EQ(entry->service.level, core::Level::full);
  EXPECT_EQ(entry->service.agency.code, "000.00.15.H43");
  EXPECT_EQ(entry->service.fee_vnd, 150000u);
  EXPECT_EQ(entry->service.processing_days, 15u);
  EXPECT_EQ(entry->service.updated_at, "2024-10-28T09:15:00+07:00");
  EXPECT_EQ(entry->content_hash, kContractHash);
  EXPECT_EQ(record.code, "1.001612.000.00.00.H43");
}

TEST(MappedRecord, DecreeWordsAndNumbersMatchTheLevelMap) {
  const RecordMapper mapper = td_mapper();
  for (const char* level : {R"("Toàn trình")", R"("TOAN TRINH")", "4"}) {
    const MappedRecord record =
        map_edited(mapper, R"("MUCDO": "4")", std::string("\"MUCDO\": ") + level);
    const auto* entry = std::get_if<core::CatalogueEntry>(&record.value);
    ASSERT_NE(entry, nullptr) << level << ": " << reason_of(record);
    EXPECT_EQ(entry->service.level, core::Level::full);
    EXPECT_EQ(entry->content_hash, kContractHash);
  }
  const MappedRecord partial = map_edited(mapper, R"("MUCDO": "4")", R"("MUCDO": "một phần")");
  ASSERT_TRUE(std::holds_alternative<core::CatalogueEntry>(partial.value));
  EXPECT_EQ(std::get<core::CatalogueEntry>(partial.value).service.level, core::Level::partial);
}

TEST(MappedRecord, InformationLevelIsNeitherValidNorInvalid) {
  const MappedRecord record = map_edited(td_mapper(), R"("MUCDO": "4")", R"("MUCDO": 2)");
  EXPECT_TRUE(std::holds_alternative<InformationOnly>(record.value));
  EXPECT_EQ(record.code, "1.001612.000.00.00.H43");
}

TEST(MappedRecord, BadValuesNameTheFieldThePointerAndTheRawValue) {
  const RecordMapper mapper = td_mapper();
  EXPECT_EQ(reason_of(map_edited(mapper, R"("MUCDO": "4")", R"("MUCDO": "5")")),
            "field 'level': value \"5\" at /MUCDO is not in [values].level");
  EXPECT_EQ(reason_of(map_edited(mapper, R"("MADONVI": "000.00.15.H43", )", "")),
            "field 'agency_code': nothing at /COQUANTHUCHIEN/0/MADONVI");
  EXPECT_EQ(reason_of(map_edited(mapper, R"("LEPHI": "150000")", R"("LEPHI": "150.000đ")")),
            "field 'fee_vnd': value \"150.000đ\" at /LEPHI is not an integer");
  EXPECT_EQ(reason_of(map_edited(mapper, R"("LEPHI": "150000")", R"("LEPHI": "-50000")")),
            "field 'fee_vnd': must be an integer from 0 to 9007199254740991 (value \"-50000\" at "
            "/LEPHI)");
  EXPECT_EQ(reason_of(map_edited(mapper, R"("CAPTHUCHIEN": "1")", R"("CAPTHUCHIEN": "9")")),
            "field 'admin_level': value \"9\" at /CAPTHUCHIEN is not in [values].admin_level");
  EXPECT_EQ(reason_of(map_edited(mapper, R"("NGAYCAPNHAT": "20241028091500")",
                                 R"("NGAYCAPNHAT": "28/10/2024")")),
            "field 'updated_at': value \"28/10/2024\" at /NGAYCAPNHAT is not yyyyMMddHHmmss "
            "([values].updated_at)");
  EXPECT_EQ(reason_of(map_edited(mapper, R"("MATTHC": "1.001612.000.00.00.H43")",
                                 R"("MATTHC": "1.001612 H43")")),
            "field 'code': must be 1 to 64 characters of A-Z a-z 0-9 . _ - (value \"1.001612 H43\" "
            "at /MATTHC)");
  EXPECT_EQ(reason_of(map_edited(mapper, R"("TENDONVI": "Sở Xây dựng")", R"("TENDONVI": 7)")),
            "field 'agency_name': must be a string (value 7 at /COQUANTHUCHIEN/0/TENDONVI)");
  EXPECT_EQ(reason_of(td_mapper().map(json("[1]"), 1, 0, "")), "record is not a JSON object");
}

TEST(MappedRecord, InvalidRecordKeepsWhatTheReportNeeds) {
  const MappedRecord record = map_edited(td_mapper(), R"("TRANGTHAI": "1")", R"("TRANGTHAI": "0",
    "LEPHI2": "x")");
  ASSERT_TRUE(std::holds_alternative<core::CatalogueEntry>(record.value));
  const MappedRecord invalid = map_edited(td_mapper(), R"("MUCDO": "4")", R"("MUCDO": "online")");
  const auto& bad = std::get<core::InvalidRecord>(invalid.value);
  EXPECT_EQ(bad.code, "1.001612.000.00.00.H43");
  EXPECT_EQ(bad.page, 3);
  EXPECT_EQ(bad.index, 7);
  EXPECT_EQ(bad.agency_code, "000.00.15.H43");
  EXPECT_TRUE(bad.counts_active);
}

TEST(MappedRecord, DefaultsApplyWhenAPointerFindsNothing) {
  const RecordMapper mapper(config::parse_mapping(R"([envelope]
items = "/data"
[fields]
code = "/serviceCode"
name = "/serviceName"
level = "/maxLevel"
agency_code = "/administrationCode"
agency_name = "/administrationName"
fee_vnd = "/fee"
[values]
level = { "4" = "full", "3" = "partial", "2" = "information" }
[defaults]
admin_level = "district"
processing_days = 5
)",
                                                  "m.toml"),
                            AgencyRemap());
  const MappedRecord record =
      mapper.map(json(R"({"serviceCode": "A.1", "serviceName": "N", "maxLevel": 3,
               "administrationCode": "X", "administrationName": "Y"})"),
                 1, 0, "2026-01-01T00:00:00Z");
  const auto* entry = std::get_if<core::CatalogueEntry>(&record.value);
  ASSERT_NE(entry, nullptr) << reason_of(record);
  EXPECT_EQ(entry->service.level, core::Level::partial);
  EXPECT_EQ(entry->service.admin_level, core::AdminLevel::district);
  EXPECT_EQ(entry->service.fee_vnd, 0u);
  EXPECT_EQ(entry->service.processing_days, 5u);
  EXPECT_EQ(entry->service.field, "");
  EXPECT_EQ(entry->service.status, core::Status::active);
  EXPECT_EQ(entry->service.updated_at, "2026-01-01T00:00:00Z");
}

TEST(MappedRecord, RemapMovesTheAgencyBeforeTheHash) {
  const RecordMapper mapper = td_mapper({{"000.20.15.H43", "000.00.15.H43", "", 2}});
  const MappedRecord record =
      map_edited(mapper, R"("MADONVI": "000.00.15.H43")", R"("MADONVI": "000.20.15.H43")");
  const auto* entry = std::get_if<core::CatalogueEntry>(&record.value);
  ASSERT_NE(entry, nullptr) << reason_of(record);
  EXPECT_EQ(entry->service.agency.code, "000.00.15.H43");
  EXPECT_EQ(entry->content_hash, kContractHash);
  EXPECT_EQ(record.remap_row, 0u);

  const RecordMapper renaming = td_mapper({{"000.00.15.H43", "000.00.99.H43", "Sở mới", 2}});
  const auto moved = renaming.map(json(kTdRecord), 1, 0, "");
  EXPECT_EQ(std::get<core::CatalogueEntry>(moved.value).service.agency,
            (core::Agency{"000.00.99.H43", "Sở mới"}));
}

TEST(MappedRecord, AnInvalidRecordIsCountedUnderItsNewAgency) {
  // Coverage by agency reports only new codes: a record the mapping refuses
  // is moved too, and counted as one its row moves.
  const RecordMapper mapper = td_mapper({{"000.20.15.H43", "000.00.15.H43", "", 2}});
  std::string text = kTdRecord;
  text.replace(text.find(R"("MUCDO": "4")"), 12, R"("MUCDO": "online")");
  text.replace(text.find("000.00.15.H43"), 13, "000.20.15.H43");
  const MappedRecord invalid = mapper.map(json(text), 1, 0, "");
  const auto* bad = std::get_if<core::InvalidRecord>(&invalid.value);
  ASSERT_NE(bad, nullptr);
  EXPECT_EQ(bad->agency_code, "000.00.15.H43");
  EXPECT_EQ(invalid.remap_row, 0u);
}

TEST(MappedRecord, TheOpencpsPresetNamesTheFieldThePointerAndTheRawValue) {
  const RecordMapper mapper(config::parse_mapping(config::find_preset("opencps")->text, "opencps"),
                            AgencyRemap());
  const auto reason = [&](const std::string& record) {
    return reason_of(mapper.map(json(record), 1, 0, "2026-01-01T00:00:00Z"));
  };
  const std::string tail =
      R"("administrationCode": "000.00.15.H43", "administrationName": "Sở Xây dựng", )"
      R"("domainName": "Xây dựng"})";
  EXPECT_EQ(reason(R"({"serviceCode": "1.1", "serviceName": "N", "maxLevel": 4, )" + tail),
            "valid");
  EXPECT_EQ(reason(R"({"serviceCode": "1.1", "serviceName": "N", "maxLevel": 5, )" + tail),
            "field 'level': value 5 at /maxLevel is not in [values].level");
  EXPECT_EQ(reason(R"({"serviceCode": "1.1", "maxLevel": 4, )" + tail),
            "field 'name': nothing at /serviceName");
  EXPECT_EQ(reason(R"({"serviceCode": "1 1", "serviceName": "N", "maxLevel": 3, )" + tail),
            "field 'code': must be 1 to 64 characters of A-Z a-z 0-9 . _ - (value \"1 1\" at "
            "/serviceCode)");
  // The preset has no default for a field it names: a missing one is named.
  EXPECT_EQ(reason(R"({"serviceCode": "1.1", "serviceName": "N", "maxLevel": 3, )"
                   R"("administrationCode": "A", "administrationName": "B"})"),
            "field 'field': nothing at /domainName");
}

std::string wrapped_page(const std::string& inner) {
  rapidjson::Document outer(rapidjson::kObjectType);
  outer.AddMember("message", rapidjson::Value(inner.c_str(), outer.GetAllocator()),
                  outer.GetAllocator());
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  outer.Accept(writer);
  return buffer.GetString();
}

TEST(MappedPage, UnwrapsChecksStatusAndCountsEveryKind) {
  const std::string info =
      std::string(kTdRecord).replace(std::string(kTdRecord).find("\"4\""), 3, "\"2\"");
  const std::string body =
      wrapped_page(std::string(R"({"error_code": 0, "total": "3", "result": [)") + kTdRecord + "," +
                   info + R"(, {"MATTHC": "B"}]})");
  const auto page = parse_mapped_page(body, td_mapper(), 1, "");
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->total, 3);
  EXPECT_EQ(page->items, 3u);
  EXPECT_EQ(page->services.size(), 1u);
  EXPECT_EQ(page->information_only, 1u);
  ASSERT_EQ(page->invalid.size(), 1u);
  EXPECT_EQ(page->invalid[0].code, "B");
  EXPECT_EQ(page->codes,
            (std::vector<std::string>{"1.001612.000.00.00.H43", "1.001612.000.00.00.H43", "B"}));
}

TEST(MappedPage, BodyErrorsAreOneLineEach) {
  const RecordMapper mapper = td_mapper();
  const auto error = [&](const std::string& body) {
    return core::testing::message_or(parse_mapped_page(body, mapper, 1, ""), "parsed");
  };
  EXPECT_EQ(error(wrapped_page(R"({"error_code": 1, "message": "Hệ thống bận", "result": []})")),
            "status 1 at [envelope].ok /error_code is not one of [envelope].ok_values (0): the "
            "server says \"Hệ thống bận\"");
  EXPECT_THAT(error(wrapped_page(R"({"result": []})")), HasSubstr("no status at [envelope].ok"));
  EXPECT_THAT(error(R"({"message": {"error_code": 0}})"),
              HasSubstr("[envelope].unwrap /message is not a string of JSON: found an object"));
  EXPECT_THAT(error(R"({"message": "<html>"})"),
              HasSubstr("[envelope].unwrap /message is not a string of JSON: not valid JSON"));
  EXPECT_THAT(error(wrapped_page(R"({"error_code": "0", "total": 1, "result": {}})")),
              HasSubstr("[envelope].items /result is not an array: found an object"));
  EXPECT_THAT(error(wrapped_page(R"({"error_code": 0, "total": "many", "result": []})")),
              HasSubstr("[envelope].total /total is not a non-negative integer: found \"many\""));
  EXPECT_THAT(error("<html>"), HasSubstr("not valid JSON"));
}

TEST(MappedClient, RequestsFollowThePagingStyle) {
  http::HttpClient http({});
  psd::testing::FakeClock clock;
  const auto url = [&](const std::string& paging, std::int64_t index, std::int64_t start) {
    config::Mapping mapping =
        config::parse_mapping("path = \"/api/tthc\"\n[paging]\n" + paging +
                                  "\n[envelope]\nitems = \"/d\"\n[fields]\ncode = \"/c\"\nname = "
                                  "\"/n\"\nlevel = \"/l\"\n",
                              "m.toml");
    MappedCatalogueClient client(http, {.base_url = "https://dvc.example/api/", .page_size = 50},
                                 std::move(mapping), AgencyRemap(), clock);
    return client.page_request(index, start).url;
  };
  EXPECT_EQ(url("style = \"page\"", 0, 0), "https://dvc.example/api/api/tthc?page=1&page_size=50");
  EXPECT_EQ(url("page_param = \"pageNumber\"\nsize_param = \"pageSize\"\nfirst_page = 0\nsize = 7",
                2, 14),
            "https://dvc.example/api/api/tthc?pageNumber=2&pageSize=7");
  EXPECT_EQ(url("style = \"offset\"\nstart_param = \"skip\"\nlimit_param = \"take\"", 3, 150),
            "https://dvc.example/api/api/tthc?skip=150&take=50");
  EXPECT_EQ(url("style = \"offset\"\nend_param = \"end\"", 1, 37),
            "https://dvc.example/api/api/tthc?start=37&end=87");
  EXPECT_EQ(url("style = \"none\"", 0, 0), "https://dvc.example/api/api/tthc");
}

TEST(ContractPages, RemapAppliesToTheContractsShapeToo) {
  const std::string body = R"({"items": [{"code": "A.1", "name": "N", "level": "full",
    "agency": {"code": "OLD", "name": "Old name"}, "field": "", "admin_level": "province",
    "fee_vnd": 0, "processing_days": 0, "status": "active",
    "updated_at": "2024-10-28T09:15:00+07:00"}], "page": 1, "page_size": 100,
    "total_items": 1, "total_pages": 1})";
  const AgencyRemap remap({{"OLD", "NEW", "New name", 2}});
  const auto page = parse_catalogue_page(body, 1, &remap);
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->services.size(), 1u);
  EXPECT_EQ(page->services[0].service.agency, (core::Agency{"NEW", "New name"}));
  EXPECT_EQ(page->remapped, std::vector<std::uint64_t>{1});
  EXPECT_EQ(remap.uses(page->remapped), (std::vector<core::RemapUse>{{"OLD", "NEW", 1}}));
}

}  // namespace
}  // namespace psd::provincial
