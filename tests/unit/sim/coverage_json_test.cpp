// GET /_sim/coverage's JSON: its exact form, and SimProcess's reading of it
// gives back what portal-sim counted.

#include "sim/coverage_json.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "sim/catalogue_gen.hpp"
#include "sim/catalogue_store.hpp"

namespace psd::sim {
namespace {

Coverage coverage_of(const SimOptions& o) {
  const World w = generate_world(o);
  std::map<std::string, NationalEntry> national;
  for (const auto& e : w.national) {
    national.emplace(e.code, e);
  }
  CatalogueStore store(w.records);
  return compute_coverage(*store.snapshot(), national);
}

TEST(CoverageJson, WritesTheMembersInTheirOrder) {
  Coverage c{.total_active = 3,
             .valid_active = 1,
             .invalid_active = 2,
             .integrated = 1,
             .percent = 33.33,
             .full = {.total = 1, .integrated = 1, .percent = 100},
             .partial = {.total = 1},
             .by_agency = {{"000.00.07.H43", {.total = 1, .integrated = 1, .percent = 100}}},
             .catalogue_version = "1-1f81d5e85894"};
  EXPECT_EQ(coverage_json(c),
            R"({"catalogue_version":"1-1f81d5e85894","total_active":3,"valid_active":1,)"
            R"("invalid_active":2,"integrated":1,"in_sync":0,"percent":33.33,"orphaned":0,)"
            R"("by_level":{"full":{"total":1,"integrated":1,"in_sync":0,"percent":100.0},)"
            R"("partial":{"total":1,"integrated":0,"in_sync":0,"percent":0.0}},)"
            R"("by_agency":{"000.00.07.H43":{"total":1,"integrated":1,"in_sync":0,)"
            R"("percent":100.0}}})");
}

TEST(CoverageJson, ReadsBackWhatWasWritten) {
  SimOptions o;
  o.services = 300;
  o.full = 120;
  o.integrated = 200;
  o.stale = 40;
  o.orphans = 9;
  o.invalid = 12;
  o.suspended = 5;
  const Coverage c = coverage_of(o);
  ASSERT_GT(c.in_sync, 0);
  ASSERT_GT(c.orphaned, 0);
  ASSERT_GT(c.invalid_active, 0);
  const auto read = parse_coverage_json(coverage_json(c));
  ASSERT_TRUE(read) << read.error();
  EXPECT_EQ(*read, c);
}

TEST(CoverageJson, AMissingOrMistypedMemberIsNamed) {
  const std::string good = coverage_json(coverage_of(SimOptions{}));
  const auto error_of = [](const std::string& body) {
    const auto read = parse_coverage_json(body);
    return read ? std::string("read") : read.error();
  };
  std::string body = good;
  body.replace(body.find(R"("in_sync")"), 9, R"("insync")");
  EXPECT_EQ(error_of(body), "coverage.in_sync is missing or of the wrong type");

  body = good;
  const auto partial = body.find(R"("partial")");
  body.replace(body.find(R"("percent")", partial), 9, R"("pct")");
  EXPECT_EQ(error_of(body), "coverage.by_level.partial.percent is missing or of the wrong type");

  body = good;
  body.replace(body.find(R"("total_active":)") + 15, 4, R"("11")");
  EXPECT_EQ(error_of(body), "coverage.total_active is missing or of the wrong type");

  EXPECT_EQ(error_of(R"({"by_level":1})"),
            "coverage.catalogue_version is missing or of the wrong type");
  EXPECT_EQ(error_of("[]"), "coverage is missing or not an object");
  EXPECT_NE(error_of("{").find("coverage: not JSON"), std::string::npos);
}

}  // namespace
}  // namespace psd::sim
