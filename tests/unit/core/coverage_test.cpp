#include "daemon/core/coverage.hpp"

#include <gtest/gtest.h>

#include "tests/unit/core/sample_service.hpp"

namespace psd::core {
namespace {

TEST(CoverageRounding, MatchesTheContractsFigures) {
  EXPECT_DOUBLE_EQ(rounded_percent(985, 1126), 87.48);
  EXPECT_DOUBLE_EQ(rounded_percent(1123, 1126), 99.73);
  EXPECT_DOUBLE_EQ(rounded_percent(0, 0), 0.0);
  EXPECT_DOUBLE_EQ(rounded_percent(1126, 1126), 100.0);
  EXPECT_DOUBLE_EQ(rounded_percent(0, 7), 0.0);
}

TEST(CoverageRounding, RoundsHalfAwayFromZero) {
  // 1/8 = 12.5%: exact; 1/16 = 6.25%; 1/32 = 3.125% → 3.13; 1/80000 = 0.00125% → 0.00.
  EXPECT_DOUBLE_EQ(rounded_percent(1, 32), 3.13);
  EXPECT_DOUBLE_EQ(rounded_percent(3, 32), 9.38);
  EXPECT_DOUBLE_EQ(rounded_percent(1, 80000), 0.0);
  EXPECT_DOUBLE_EQ(rounded_percent(1, 40000), 0.0);   // 0.0025 → 0.00
  EXPECT_DOUBLE_EQ(rounded_percent(1, 20000), 0.01);  // 0.005 → 0.01
  EXPECT_DOUBLE_EQ(rounded_percent(2, 3), 66.67);
}

TEST(CoverageRounding, HandlesHugeCounts) {
  const std::uint64_t big = 9007199254740991ULL;
  EXPECT_DOUBLE_EQ(rounded_percent(big, big), 100.0);
  EXPECT_DOUBLE_EQ(rounded_percent(big / 2, big), 50.0);
}

Service service(const char* code, Level level, const char* agency) {
  Service s = testing::sample_service(code);
  s.level = level;
  s.agency.code = agency;
  return s;
}

TEST(Coverage, CountsOverallPerLevelPerAgencyAndOrphans) {
  Snapshot snapshot;
  snapshot.services.push_back(testing::entry_of(service("A", Level::full, "AG1")));
  snapshot.services.push_back(testing::entry_of(service("B", Level::full, "AG2")));
  snapshot.services.push_back(testing::entry_of(service("C", Level::partial, "AG1")));
  Service suspended = service("S", Level::partial, "AG1");
  suspended.status = Status::suspended;
  snapshot.services.push_back(testing::entry_of(suspended));
  InvalidRecord broken;
  broken.code = "X";
  broken.level = Level::partial;
  broken.agency_code = "AG2";
  snapshot.invalid.push_back(broken);

  const Mirror mirror{{"A", {snapshot.services[0].content_hash, Level::full}},
                      {"C", {"sha256:stale", Level::partial}},
                      {"X", {"sha256:older", Level::partial}},
                      {"S", {"sha256:s", Level::partial}},
                      {"GONE", {"sha256:g", Level::full}}};
  const Coverage coverage = compute_coverage(snapshot, mirror);

  EXPECT_EQ(coverage.overall, (Tally{4, 3, 1}));
  EXPECT_DOUBLE_EQ(coverage.overall.percent(), 75.0);
  EXPECT_EQ(coverage.full, (Tally{2, 1, 1}));
  EXPECT_EQ(coverage.partial, (Tally{2, 2, 0}));
  EXPECT_EQ(coverage.by_agency.at("AG1"), (Tally{2, 2, 1}));
  EXPECT_EQ(coverage.by_agency.at("AG2"), (Tally{2, 1, 0}));
  EXPECT_EQ(coverage.orphaned, 2u);  // S (suspended) and GONE
}

TEST(Coverage, OfAnEmptyCatalogueIsZero) {
  const Coverage coverage = compute_coverage({}, {});
  EXPECT_EQ(coverage.overall, (Tally{0, 0, 0}));
  EXPECT_DOUBLE_EQ(coverage.overall.percent(), 0.0);
}

}  // namespace
}  // namespace psd::core

namespace psd::core {
namespace {

void expect_same_coverage(const Coverage& actual, const Coverage& expected) {
  EXPECT_EQ(actual.overall, expected.overall);
  EXPECT_EQ(actual.full, expected.full);
  EXPECT_EQ(actual.partial, expected.partial);
  EXPECT_EQ(actual.by_agency, expected.by_agency);
  EXPECT_EQ(actual.by_admin_level, expected.by_admin_level);
  EXPECT_EQ(actual.orphaned, expected.orphaned);
}

TEST(CoverageAfterWrites, CountingTheWritesEqualsComputingItAgain) {
  Snapshot snapshot;
  for (const char* code : {"A", "B", "C"}) {
    Service s = testing::sample_service(code);
    s.level = code[0] == 'C' ? Level::partial : Level::full;
    s.agency.code = code[0] == 'A' ? "AG1" : "AG2";
    snapshot.services.push_back(testing::entry_of(s));
  }
  Mirror mirror{{"B", {"sha256:stale", Level::full}}, {"GONE", {"sha256:g", Level::full}}};
  Coverage counted = compute_coverage(snapshot, mirror);

  // A created, B updated, GONE withdrawn; C's push did not take effect.
  count_put(counted, Level::full, AdminLevel::province, "AG1", false);
  count_put(counted, Level::full, AdminLevel::province, "AG2", true);
  count_withdrawal(counted);
  mirror.put("A", snapshot.services[0].content_hash, Level::full);
  mirror.put("B", snapshot.services[1].content_hash, Level::full);
  mirror.erase("GONE");

  expect_same_coverage(counted, compute_coverage(snapshot, mirror));
  EXPECT_EQ(counted.overall, (Tally{3, 2, 2}));
}

}  // namespace
}  // namespace psd::core
