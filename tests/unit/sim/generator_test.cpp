// The generated world: deterministic, with the counts the options ask for,
// spread across levels and agencies, and realistic in shape.

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "sim/catalogue_gen.hpp"
#include "sim/catalogue_store.hpp"
#include "sim/coverage.hpp"
#include "sim/put_validator.hpp"

namespace psd::sim {
namespace {

std::map<std::string, NationalEntry> as_map(const std::vector<NationalEntry>& entries) {
  std::map<std::string, NationalEntry> out;
  for (const auto& e : entries) {
    out.emplace(e.code, e);
  }
  return out;
}

Coverage coverage_of(const World& w) {
  CatalogueStore store(w.records);
  return compute_coverage(*store.snapshot(), as_map(w.national));
}

std::string fingerprint(const World& w) {
  std::string s;
  for (const auto& r : w.records) {
    s += r.code + "|" + r.name + "|" + r.level + "|" + r.updated_at + "|" + r.expected_hash + "\n";
  }
  for (const auto& e : w.national) {
    s += e.code + "|" + e.content_hash + "|" + e.integrated_at + "\n";
  }
  return s;
}

TEST(Generator, SameOptionsGiveTheSameWorld) {
  const SimOptions o;
  EXPECT_EQ(fingerprint(generate_world(o)), fingerprint(generate_world(o)));
  SimOptions other;
  other.seed = 2;
  EXPECT_NE(fingerprint(generate_world(o)), fingerprint(generate_world(other)));
}

TEST(Generator, DefaultCounts) {
  const World w = generate_world(SimOptions{});
  ASSERT_EQ(w.records.size(), 1126u);
  int full = 0;
  int partial = 0;
  for (const auto& r : w.records) {
    EXPECT_TRUE(r.valid());
    EXPECT_EQ(r.status, "active");
    full += r.level == "full" ? 1 : 0;
    partial += r.level == "partial" ? 1 : 0;
  }
  EXPECT_EQ(full, 582);
  EXPECT_EQ(partial, 544);
  EXPECT_EQ(w.national.size(), 985u);

  const Coverage c = coverage_of(w);
  EXPECT_EQ(c.total_active, 1126);
  EXPECT_EQ(c.integrated, 985);
  EXPECT_EQ(c.in_sync, 985);
  EXPECT_EQ(c.orphaned, 0);
  EXPECT_DOUBLE_EQ(c.percent, 87.48);
  EXPECT_DOUBLE_EQ(c.full.percent, percent(c.full.integrated, c.full.total));
  EXPECT_EQ(c.full.total + c.partial.total, 1126);
  EXPECT_EQ(c.full.integrated + c.partial.integrated, 985);
}

TEST(Generator, RecordsAreRealisticAndValid) {
  const World w = generate_world(SimOptions{});
  const std::regex code_re(R"(^[1-9]\.00\d{4}\.000\.00\.00\.H43$)");
  const std::regex agency_re(R"(^000\.00\.\d{2}\.H43$)");
  const std::regex time_re(R"(^20\d\d-\d\d-\d\dT\d\d:\d\d:00\+07:00$)");
  std::set<std::string> codes;
  std::set<std::string> agencies;
  std::set<std::string> admin_levels;
  for (const auto& r : w.records) {
    EXPECT_TRUE(std::regex_match(r.code, code_re)) << r.code;
    EXPECT_TRUE(std::regex_match(r.agency.code, agency_re)) << r.agency.code;
    EXPECT_TRUE(std::regex_match(r.updated_at, time_re)) << r.updated_at;
    EXPECT_TRUE(codes.insert(r.code).second) << "duplicate " << r.code;
    agencies.insert(r.agency.code);
    admin_levels.insert(r.admin_level);
    EXPECT_GE(r.fee_vnd, 0);
    EXPECT_LE(r.processing_days, 3650);
    EXPECT_FALSE(r.name.empty());
    // The body a correct client derives passes the portal's own check.
    const auto checked = validate_put(put_body_json(r));
    ASSERT_TRUE(std::holds_alternative<ValidatedPut>(checked))
        << std::get<PutError>(checked).message;
    EXPECT_EQ(std::get<ValidatedPut>(checked).expected_hash, r.expected_hash);
  }
  EXPECT_GE(agencies.size(), 18u);
  EXPECT_EQ(admin_levels, (std::set<std::string>{"commune", "district", "province"}));
}

TEST(Generator, ProvinceAndSeedShapeTheCodes) {
  SimOptions o;
  o.province = "H01";
  const World w = generate_world(o);
  for (const auto& r : w.records) {
    EXPECT_EQ(r.code.substr(r.code.size() - 4), ".H01");
    EXPECT_EQ(r.agency.code.substr(r.agency.code.size() - 4), ".H01");
  }
}

TEST(Generator, StaleRejectedAndOrphansAreSpread) {
  SimOptions o;
  o.stale = 40;
  o.reject = 12;
  o.orphans = 5;
  const World w = generate_world(o);
  ASSERT_EQ(w.stale_codes.size(), 40u);
  ASSERT_EQ(w.reject_codes.size(), 12u);
  ASSERT_EQ(w.orphan_codes.size(), 5u);
  EXPECT_EQ(w.national.size(), 985u + 5u);
  EXPECT_TRUE(std::is_sorted(w.national.begin(), w.national.end(),
                             [](const auto& a, const auto& b) { return a.code < b.code; }));

  std::map<std::string, const CatalogueRecord*> by_code;
  for (const auto& r : w.records) {
    by_code[r.code] = &r;
  }
  const auto national = as_map(w.national);
  std::set<std::string> stale_levels;
  std::set<std::string> stale_agencies;
  for (const auto& code : w.stale_codes) {
    const auto& r = *by_code.at(code);
    EXPECT_NE(national.at(code).content_hash, r.expected_hash);
    EXPECT_EQ(national.at(code).content_hash.size(), 71u);
    stale_levels.insert(r.level);
    stale_agencies.insert(r.agency.code);
  }
  EXPECT_EQ(stale_levels.size(), 2u);
  EXPECT_GE(stale_agencies.size(), 10u);
  for (const auto& code : w.reject_codes) {
    EXPECT_EQ(national.count(code), 0u) << "a rejected service is not integrated";
    EXPECT_EQ(w.rejects.at(code).message.empty(), false);
  }
  for (const auto& code : w.orphan_codes) {
    EXPECT_EQ(by_code.count(code), 0u);
  }

  const Coverage c = coverage_of(w);
  EXPECT_EQ(c.integrated, 985);
  EXPECT_EQ(c.in_sync, 985 - 40);
  EXPECT_EQ(c.orphaned, 5);
}

TEST(Generator, InvalidRecordsCycleThroughTheDefects) {
  SimOptions o;
  o.invalid = 14;  // two rounds: 7 records each (the duplicate counts twice)
  o.suspended = 3;
  const World w = generate_world(o);
  ASSERT_EQ(w.records.size(), 1126u + 14u + 3u);
  std::map<Defect, int> defects;
  std::map<std::string, int> code_count;
  int suspended = 0;
  for (const auto& r : w.records) {
    ++defects[r.defect];
    ++code_count[r.code];
    suspended += r.status == "suspended" ? 1 : 0;
    if (!r.valid()) {
      EXPECT_TRUE(r.expected_hash.empty());
    }
  }
  EXPECT_EQ(defects[Defect::kNone], 1126 + 3);
  EXPECT_EQ(defects[Defect::kBadLevel], 2);
  EXPECT_EQ(defects[Defect::kMissingName], 2);
  EXPECT_EQ(defects[Defect::kNegativeFee], 2);
  EXPECT_EQ(defects[Defect::kBadCode], 2);
  EXPECT_EQ(defects[Defect::kDuplicateCode], 4);
  EXPECT_EQ(defects[Defect::kBadUpdatedAt], 2);
  EXPECT_EQ(suspended, 3);
  int shared = 0;
  for (const auto& [code, n] : code_count) {
    shared += n == 2 ? 1 : 0;
    EXPECT_LE(n, 2);
  }
  EXPECT_EQ(shared, 2);

  // The two copies of a duplicated code sit far apart in the catalogue.
  std::map<std::string, std::vector<std::size_t>> positions;
  for (std::size_t i = 0; i < w.records.size(); ++i) {
    if (w.records[i].defect == Defect::kDuplicateCode) {
      positions[w.records[i].code].push_back(i);
    }
  }
  for (const auto& [code, pos] : positions) {
    ASSERT_EQ(pos.size(), 2u);
    EXPECT_GE(pos[1] - pos[0], 100u) << code;
  }

  const Coverage c = coverage_of(w);
  EXPECT_EQ(c.total_active, 1126 + 14);  // invalid ones count, suspended ones do not
  EXPECT_EQ(c.invalid_active, 14);
  EXPECT_EQ(c.integrated, 985);
  EXPECT_DOUBLE_EQ(c.percent, 86.40);
}

TEST(Generator, InvalidCountBelowADuplicatePairSkipsIt) {
  SimOptions o;
  o.invalid = 5;
  const World w = generate_world(o);
  std::multiset<Defect> defects;
  for (const auto& r : w.records) {
    if (!r.valid()) {
      defects.insert(r.defect);
    }
  }
  EXPECT_EQ(defects.size(), 5u);
  EXPECT_EQ(defects.count(Defect::kDuplicateCode), 0u);
  EXPECT_EQ(defects.count(Defect::kBadUpdatedAt), 1u);
}

TEST(Generator, EmptyCatalogue) {
  SimOptions o;
  o.services = 0;
  o.full = 0;
  o.integrated = 0;
  const World w = generate_world(o);
  EXPECT_TRUE(w.records.empty());
  EXPECT_TRUE(w.national.empty());
  const Coverage c = coverage_of(w);
  EXPECT_EQ(c.total_active, 0);
  EXPECT_EQ(c.percent, 0.0);
}

TEST(Generator, CodesAreDistinctUpToTheLimit) {
  std::set<std::string> codes;
  for (std::int64_t k = 0; k < kMaxCodes; ++k) {
    codes.insert(procedure_code(k, 1, "H43"));
  }
  EXPECT_EQ(codes.size(), static_cast<std::size_t>(kMaxCodes));
}

TEST(CatalogueStore, EditsAreDeterministicSpreadAndChangeTheVersion) {
  const World w = generate_world(SimOptions{});
  CatalogueStore a(w.records);
  CatalogueStore b(w.records);
  const auto v1 = a.snapshot()->version;
  const auto codes = a.edit(5);
  EXPECT_EQ(codes, b.edit(5));
  ASSERT_EQ(codes.size(), 5u);
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), 5u);
  const auto snap = a.snapshot();
  EXPECT_NE(snap->version, v1);
  EXPECT_EQ(snap->sequence, 2u);
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < snap->records.size(); ++i) {
    const auto& r = snap->records[i];
    if (std::find(codes.begin(), codes.end(), r.code) != codes.end()) {
      EXPECT_EQ(r.edit_count, 1);
      EXPECT_NE(r.name, r.base_name);
      EXPECT_EQ(r.updated_at.substr(0, 4), "2025");
      EXPECT_NE(r.expected_hash, w.records[i].expected_hash);
      positions.push_back(i);
    }
  }
  ASSERT_EQ(positions.size(), 5u);
  EXPECT_GT(positions.back() - positions.front(), 300u) << "edits spread over the catalogue";
}

TEST(Coverage, PercentRoundsHalfAwayFromZero) {
  EXPECT_DOUBLE_EQ(percent(985, 1126), 87.48);
  EXPECT_DOUBLE_EQ(percent(1, 8), 12.5);
  EXPECT_DOUBLE_EQ(percent(1, 800), 0.13);  // 0.125 -> 0.13
  EXPECT_DOUBLE_EQ(percent(2, 3), 66.67);
  EXPECT_DOUBLE_EQ(percent(5, 5), 100.0);
  EXPECT_DOUBLE_EQ(percent(0, 0), 0.0);
}

}  // namespace
}  // namespace psd::sim
