// Mapping files and the agency remap table (contract dialects.md): every
// error names the file, the key and the line; the shipped preset loads.

#include "config/mapping.hpp"

#include <toml++/toml.h>

#include "config/agency_remap.hpp"
#include "tests/unit/config/config_test_support.hpp"

namespace psd::config::test {
namespace {

using testing::HasSubstr;

constexpr const char* kMinimalMapping = R"([envelope]
items = "/data"
[fields]
code = "/c"
name = "/n"
level = "/l"
)";

/// Return the message of the ConfigError parsing mapping `text` throws.
std::string mapping_error(const std::string& text, const std::string& source = "/etc/m.toml") {
  try {
    parse_mapping(text, source);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "no error";
}

/// Expect offset paging by `start`, then exactly one of `end` and `limit`
/// ("" for the other), pages of `size`.
void expect_offset_paging(const Paging& paging, const std::string& start, const std::string& end,
                          const std::string& limit, int size) {
  EXPECT_EQ(paging.style, PagingStyle::offset);
  EXPECT_EQ(paging.start_param, start);
  EXPECT_EQ(paging.end_param, end);
  EXPECT_EQ(paging.limit_param, limit);
  EXPECT_EQ(paging.size, size);
}

TEST(MappingFile, MinimalMappingGetsTheDocumentedDefaults) {
  const Mapping m = parse_mapping(kMinimalMapping, "m.toml");
  EXPECT_EQ(m.path, "");
  EXPECT_EQ(m.paging.style, PagingStyle::page);
  EXPECT_EQ(m.paging.page_param, "page");
  EXPECT_EQ(m.paging.size_param, "page_size");
  EXPECT_EQ(m.paging.first_page, 1);
  EXPECT_EQ(m.paging.limit_param, "limit");
  EXPECT_EQ(m.paging.size, 0);
  EXPECT_EQ(m.envelope.items, "/data");
  EXPECT_EQ(m.envelope.ok_values, std::vector<std::string>{"0"});
  EXPECT_EQ(m.fields.agency_code, "");
  EXPECT_EQ(m.values.updated_at, TimeFormat::rfc3339);
  EXPECT_EQ(m.defaults.admin_level, "province");
  EXPECT_EQ(m.defaults.status, "active");
  EXPECT_EQ(m.defaults.fee_vnd, 0u);
  EXPECT_EQ(m.defaults.updated_at, "");
}

TEST(MappingFile, EveryKeyIsRead) {
  const Mapping m = parse_mapping(R"(path = "/api/tthc?loai=dvc"
[paging]
style = "offset"
start_param = "skip"
limit_param = "take"
size = 1000
[envelope]
unwrap = "/message"
items = "/result"
total = "/total"
ok = "/error_code"
ok_values = [0, "00"]
message = "/msg"
[fields]
code = "/MATTHC"
name = "/TENTTHC"
level = "/MUCDO"
agency_code = "/COQUANTHUCHIEN/0/MADONVI"
agency_name = "/COQUANTHUCHIEN/0/TENDONVI"
field = "/LINHVUC"
admin_level = "/CAP"
fee_vnd = "/LEPHI"
processing_days = "/SONGAY"
status = "/TRANGTHAI"
updated_at = "/NGAY"
[values]
level = { " 4 " = "full", "3" = "partial", "2" = "information" }
admin_level = { "1" = "province" }
status = { "0" = "suspended" }
updated_at = "yyyyMMddHHmmss"
[defaults]
admin_level = "commune"
fee_vnd = 15000
processing_days = 3
status = "suspended"
updated_at = "2025-07-01T00:00:00+07:00"
)",
                                  "m.toml");
  EXPECT_EQ(m.path, "/api/tthc?loai=dvc");
  expect_offset_paging(m.paging, "skip", "", "take", 1000);
  EXPECT_EQ(m.envelope.unwrap, "/message");
  EXPECT_EQ(m.envelope.ok_values, (std::vector<std::string>{"0", "00"}));
  EXPECT_EQ(m.fields.agency_code, "/COQUANTHUCHIEN/0/MADONVI");
  ASSERT_EQ(m.values.level.size(), 3u);
  // Raw values are compared trimmed, so the keys are kept trimmed.
  EXPECT_THAT(m.values.level, testing::Contains(std::pair<std::string, std::string>{"4", "full"}));
  EXPECT_EQ(m.values.updated_at, TimeFormat::yyyy_mm_dd_hh_mm_ss);
  EXPECT_EQ(m.defaults.admin_level, "commune");
  EXPECT_EQ(m.defaults.fee_vnd, 15000u);
  EXPECT_EQ(m.defaults.processing_days, 3u);
  EXPECT_EQ(m.defaults.updated_at, "2025-07-01T00:00:00+07:00");
}

struct BadMapping {
  const char* name;
  std::string text;
  std::string key;
  int line;
  std::string says;
};

class MappingErrors : public testing::TestWithParam<BadMapping> {};

TEST_P(MappingErrors, NameTheFileTheKeyAndTheLine) {
  const BadMapping& bad = GetParam();
  const std::string message = mapping_error(bad.text);
  const std::string where =
      bad.line > 0 ? "/etc/m.toml:" + std::to_string(bad.line) : std::string("/etc/m.toml");
  EXPECT_THAT(message, HasSubstr(where + ": " + bad.key + ": ")) << message;
  EXPECT_THAT(message, HasSubstr(bad.says)) << message;
}

std::string with(const std::string& extra) { return std::string(kMinimalMapping) + extra; }

INSTANTIATE_TEST_SUITE_P(
    Every, MappingErrors,
    testing::Values(
        BadMapping{"unknown_key", with("colour = \"red\"\n"), "fields.colour", 7, "unknown key"},
        BadMapping{"unknown_key_in_table",
                   "[fields]\ncode = \"/c\"\nname = \"/n\"\nlevel = \"/l\"\ncod = "
                   "\"/x\"\n[envelope]\nitems = \"/d\"\n",
                   "fields.cod", 5, "unknown key (did you mean code?)"},
        BadMapping{"bad_pointer",
                   "[envelope]\nitems = \"data\"\n[fields]\ncode = \"/c\"\nname = \"/n\"\nlevel = "
                   "\"/l\"\n",
                   "envelope.items", 2, "is not a JSON Pointer (RFC 6901"},
        BadMapping{"bad_escape",
                   "[envelope]\nitems = \"/d\"\n[fields]\ncode = \"/a~2b\"\nname = \"/n\"\nlevel = "
                   "\"/l\"\n",
                   "fields.code", 4, "is not a JSON Pointer"},
        BadMapping{
            "uri_fragment",
            "[envelope]\nitems = \"#/d\"\n[fields]\ncode = \"/c\"\nname = \"/n\"\nlevel = \"/l\"\n",
            "envelope.items", 2, "is not a JSON Pointer"},
        BadMapping{"missing_items", "[fields]\ncode = \"/c\"\nname = \"/n\"\nlevel = \"/l\"\n",
                   "envelope.items", 0, "required key is missing"},
        BadMapping{
            "empty_required",
            "[envelope]\nitems = \"/d\"\n[fields]\ncode = \"\"\nname = \"/n\"\nlevel = \"/l\"\n",
            "fields.code", 4, "must not be empty"},
        BadMapping{"unknown_style", with("[paging]\nstyle = \"cursor\"\n"), "paging.style", 8,
                   "must be one of page, offset, none, got \"cursor\""},
        BadMapping{"first_page", with("[paging]\nfirst_page = 2\n"), "paging.first_page", 8,
                   "must be an integer from 0 to 1"},
        BadMapping{"size", with("[paging]\nsize = 1001\n"), "paging.size", 8,
                   "must be an integer from 1 to 1000"},
        BadMapping{"param_name", with("[paging]\npage_param = \"p age\"\n"), "paging.page_param", 8,
                   "must be a query parameter name"},
        BadMapping{
            "end_and_limit",
            with("[paging]\nstyle = \"offset\"\nend_param = \"end\"\nlimit_param = \"limit\"\n"),
            "paging.limit_param", 10, "exactly one of end_param and limit_param"},
        BadMapping{"neither_end_nor_limit",
                   with("[paging]\nstyle = \"offset\"\nlimit_param = \"\"\n"), "paging.limit_param",
                   9, "exactly one of end_param and limit_param set, got neither"},
        BadMapping{"unknown_level_value", with("[values]\nlevel = { \"4\" = \"fulll\" }\n"),
                   "values.level.\"4\"", 8,
                   "must be one of full, partial, information, got \"fulll\""},
        BadMapping{"unknown_status_value", with("[values]\nstatus = { \"1\" = \"on\" }\n"),
                   "values.status.\"1\"", 8, "must be one of active, suspended"},
        BadMapping{"map_not_table", with("[values]\nadmin_level = \"province\"\n"),
                   "values.admin_level", 8, "must be a table of strings"},
        BadMapping{"time_format", with("[values]\nupdated_at = \"dd/MM/yyyy\"\n"),
                   "values.updated_at", 8, "must be one of rfc3339, epoch_ms, yyyyMMddHHmmss"},
        BadMapping{"default_admin_level", with("[defaults]\nadmin_level = \"ward\"\n"),
                   "defaults.admin_level", 8, "must be one of province, district, commune"},
        BadMapping{"default_fee", with("[defaults]\nfee_vnd = -1\n"), "defaults.fee_vnd", 8,
                   "must be an integer from 0 to 9007199254740991"},
        BadMapping{"default_time", with("[defaults]\nupdated_at = \"2025-07-01\"\n"),
                   "defaults.updated_at", 8, "RFC 3339 timestamp with offset"},
        BadMapping{"path", "path = \"serviceinfos\"\n" + std::string(kMinimalMapping), "path", 1,
                   "must be \"\" or start with \"/\""}),
    [](const testing::TestParamInfo<BadMapping>& p) { return std::string(p.param.name); });

TEST(MappingFile, EmptyOkValuesNamesItsLine) {
  // ok_values = [] sits on the line after [envelope]'s items in this text.
  const std::string text =
      "[envelope]\nitems = \"/d\"\nok_values = []\n[fields]\ncode = \"/c\"\n"
      "name = \"/n\"\nlevel = \"/l\"\n";
  EXPECT_THAT(mapping_error(text),
              HasSubstr("/etc/m.toml:3: envelope.ok_values: must not be empty"));
}

TEST(MappingFile, SyntaxErrorNamesTheMappingFileAndLine) {
  EXPECT_THAT(mapping_error("[envelope]\nitems = \n"),
              HasSubstr("/etc/m.toml:2: TOML syntax error"));
}

TEST(MappingPresets, OpencpsIsShippedAndMatchesTheContract) {
  EXPECT_THAT(preset_names(), testing::Contains("opencps"));
  const auto preset = find_preset("opencps");
  ASSERT_TRUE(preset);
  const Mapping m = parse_mapping(preset->text, "opencps");
  EXPECT_EQ(m.path, "/serviceinfos");
  expect_offset_paging(m.paging, "start", "end", "", 200);
  EXPECT_EQ(m.envelope.items, "/data");
  EXPECT_EQ(m.envelope.total, "/total");
  EXPECT_EQ(m.fields.code, "/serviceCode");
  EXPECT_EQ(m.fields.level, "/maxLevel");
  EXPECT_EQ(m.fields.agency_code, "/administrationCode");
  EXPECT_EQ(m.fields.field, "/domainName");
  EXPECT_THAT(m.values.level,
              testing::UnorderedElementsAre(std::pair{"4", "full"}, std::pair{"3", "partial"},
                                            std::pair{"2", "information"}));
  EXPECT_FALSE(find_preset("tdcs"));
}

// --- Through the config loader: what portal-syncd and --check-config read.

TEST_F(ConfigTest, MappedDialectLoadsAPresetByName) {
  Doc doc;
  doc.set("provincial", "dialect", R"("mapped")").set("provincial", "mapping_file", R"("opencps")");
  const Config config = load_config(dir_.write("c.toml", doc.text()));
  EXPECT_EQ(config.provincial.dialect, Dialect::mapped);
  ASSERT_TRUE(config.provincial.mapping);
  EXPECT_EQ(config.provincial.mapping->fields.code, "/serviceCode");
  EXPECT_THAT(config.provincial.mapping->source, HasSubstr("preset opencps"));
}

TEST_F(ConfigTest, MappedDialectReadsAFileNextToTheConfig) {
  dir_.write("maps/tthc.toml", kMinimalMapping);
  Doc doc;
  doc.set("provincial", "dialect", R"("mapped")")
      .set("provincial", "mapping_file", R"("maps/tthc.toml")");
  const Config config = load_config(dir_.write("c.toml", doc.text()));
  ASSERT_TRUE(config.provincial.mapping);
  EXPECT_EQ(config.provincial.mapping->source, (dir_.path() / "maps/tthc.toml").string());
}

TEST_F(ConfigTest, ErrorsInsideTheMappingFileNameThatFile) {
  const auto mapping = dir_.write("m.toml", with("[paging]\nstyle = \"cursor\"\n"));
  Doc doc;
  doc.set("provincial", "dialect", R"("mapped")").set("provincial", "mapping_file", R"("m.toml")");
  try {
    load_config(dir_.write("c.toml", doc.text()));
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_THAT(error.what(), HasSubstr(mapping.string() + ":8: paging.style: must be one of"));
    EXPECT_EQ(error.key(), "paging.style");
    EXPECT_EQ(error.line(), 8);
  }
}

TEST_F(ConfigTest, MissingMappingFileNamesTheConfigKeyAndThePresets) {
  Doc doc;
  doc.set("provincial", "dialect", R"("mapped")").set("provincial", "mapping_file", R"("opencsp")");
  const auto file = dir_.write("c.toml", doc.text());
  try {
    load_config(file);
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_THAT(error.what(), HasSubstr(file.string() + ":" +
                                        std::to_string(doc.line("provincial", "mapping_file")) +
                                        ": provincial.mapping_file: no file"));
    EXPECT_THAT(error.what(), HasSubstr("presets: opencps"));
  }
  doc.set("provincial", "mapping_file", R"("absent.toml")");
  try {
    load_config(dir_.write("c.toml", doc.text()));
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_THAT(error.what(), HasSubstr("provincial.mapping_file: cannot read the mapping file"));
  }
}

TEST_F(ConfigTest, DialectAndMappingFileGoTogether) {
  Doc doc;
  doc.set("provincial", "dialect", R"("mapped")");
  EXPECT_THAT(error_of(doc.text())->what(),
              HasSubstr("provincial.dialect: dialect \"mapped\" needs mapping_file"));
  doc.set("provincial", "dialect", R"("contract")")
      .set("provincial", "mapping_file", R"("opencps")");
  EXPECT_THAT(error_of(doc.text())->what(),
              HasSubstr("provincial.mapping_file: is only read with dialect = \"mapped\""));
  doc.set("provincial", "dialect", R"("tthc")");
  EXPECT_THAT(error_of(doc.text())->what(),
              HasSubstr(":" + std::to_string(doc.line("provincial", "dialect")) +
                        ": provincial.dialect: must be \"contract\""));
}

// --- The agency remap table.

std::string remap_error(const std::string& csv) {
  try {
    parse_agency_remap(csv, "/etc/remap.csv");
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "no error";
}

TEST(AgencyRemap, ParsesRfc4180WithQuotesBomAndCrlf) {
  const auto rows = parse_agency_remap(
      "\xEF\xBB\xBFold_code,new_code,new_name\r\n"
      "000.20.15.H43,000.00.15.H43,\"Sở Xây dựng, tỉnh \"\"mới\"\"\"\r\n"
      "\r\n"
      "000.20.17.H43,000.00.17.H43,\r\n",
      "r.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].old_code, "000.20.15.H43");
  EXPECT_EQ(rows[0].new_code, "000.00.15.H43");
  EXPECT_EQ(rows[0].new_name, "Sở Xây dựng, tỉnh \"mới\"");
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_EQ(rows[1].new_name, "");
  EXPECT_EQ(rows[1].line, 4);
}

TEST(AgencyRemap, EveryErrorNamesTheFileAndLine) {
  EXPECT_THAT(remap_error(""), HasSubstr("/etc/remap.csv:1: empty"));
  EXPECT_THAT(remap_error("old,new,name\n"),
              HasSubstr("/etc/remap.csv:1: the header must be old_code,new_code,new_name"));
  EXPECT_THAT(remap_error("old_code,new_code,new_name\nA,B\n"),
              HasSubstr("/etc/remap.csv:2: has 2 cells, the header has 3"));
  EXPECT_THAT(remap_error("old_code,new_code,new_name\nA,,x\n"),
              HasSubstr("/etc/remap.csv:2: new_code: must be 1 to 64 characters"));
  EXPECT_THAT(remap_error("old_code,new_code,new_name\nA,A,\n"),
              HasSubstr("/etc/remap.csv:2: new_code: equals old_code"));
  EXPECT_THAT(remap_error("old_code,new_code,new_name\nA,B,\nC,D,\nA,E,\n"),
              HasSubstr("/etc/remap.csv:4: old_code: \"A\" is remapped already on line 2"));
  EXPECT_THAT(remap_error("old_code,new_code,new_name\nA,B,\n\"C,D,\n"),
              HasSubstr("/etc/remap.csv:3: a quoted cell is never closed"));
  EXPECT_THAT(remap_error("old_code,new_code,new_name\nA\xC3,B,\n"), HasSubstr("not valid UTF-8"));
}

TEST(AgencyRemap, AChainNamesBothLines) {
  EXPECT_THAT(
      remap_error("old_code,new_code,new_name\nA,B,\nB,C,\n"),
      HasSubstr("/etc/remap.csv:2: new_code: \"B\" is also an old_code on line 3 (a chain)"));
}

TEST_F(ConfigTest, RemapFileIsLoadedWithTheConfig) {
  dir_.write("agency-remap.csv", "old_code,new_code,new_name\nA,B,\n");
  Doc doc;
  doc.set("agencies", "remap_file", R"("agency-remap.csv")");
  const Config config = load_config(dir_.write("c.toml", doc.text()));
  EXPECT_EQ(config.agencies.remap_file, dir_.path() / "agency-remap.csv");
  ASSERT_EQ(config.agencies.remap.size(), 1u);
  EXPECT_EQ(config.agencies.remap[0].new_code, "B");

  doc.set("agencies", "remap_file", R"("missing.csv")");
  const auto file = dir_.write("c.toml", doc.text());
  try {
    load_config(file);
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_THAT(error.what(),
                HasSubstr(file.string() + ":" + std::to_string(doc.line("agencies", "remap_file")) +
                          ": agencies.remap_file: cannot read"));
  }
}

}  // namespace
}  // namespace psd::config::test
