// portal-syncctl report's parts: numbers in both languages, the sentence,
// CSV quoting, and the report built from a stored state.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "ctl/report/cells.hpp"
#include "ctl/report/model.hpp"
#include "ctl/report/render.hpp"
#include "ctl/report/summary.hpp"

namespace psd::ctl::report {
namespace {

TEST(ReportLocale, NumbersUseEachLanguagesSeparators) {
  EXPECT_EQ(format_count(1126, Lang::en), "1,126");
  EXPECT_EQ(format_count(1126, Lang::vi), "1.126");
  EXPECT_EQ(format_count(985, Lang::vi), "985");
  EXPECT_EQ(format_count(1234567, Lang::en), "1,234,567");
  EXPECT_EQ(format_count(0, Lang::en), "0");
  EXPECT_EQ(format_percent(87.48, Lang::en), "87.48");
  EXPECT_EQ(format_percent(87.48, Lang::vi), "87,48");
  EXPECT_EQ(format_percent(100, Lang::vi), "100");
  EXPECT_EQ(format_percent(87.5, Lang::en), "87.5");
  EXPECT_EQ(format_percent(0.07, Lang::en), "0.07");
  EXPECT_EQ(plain_percent(99.9), "99.9");
}

TEST(ReportLocale, SeedSentenceReadsAsTheProvincialReportInBothLanguages) {
  const Summary seed{
      .overall = {.total = 1126, .integrated = 985, .in_sync = 960}, .full = 582, .partial = 544};
  EXPECT_EQ(summary_sentence(seed, Lang::en),
            "1,126 online public services (582 full-process, 544 partial); 985/1,126 integrated "
            "and synchronised with the national public service portal: 87.48%");
  EXPECT_EQ(summary_sentence(seed, Lang::vi),
            "1.126 dịch vụ công trực tuyến (582 toàn trình, 544 một phần); 985/1.126 dịch vụ đã "
            "tích hợp, đồng bộ lên Cổng Dịch vụ công quốc gia, đạt 87,48%");
}

TEST(ReportLocale, LanguageComesFromTheLocaleElseEnglish) {
  ::unsetenv("LC_ALL");
  ::unsetenv("LC_MESSAGES");
  ::setenv("LANG", "vi_VN.UTF-8", 1);
  EXPECT_EQ(lang_from_environment(), Lang::vi);
  ::setenv("LC_ALL", "C.UTF-8", 1);
  EXPECT_EQ(lang_from_environment(), Lang::en);
  ::unsetenv("LC_ALL");
  ::unsetenv("LANG");
  EXPECT_EQ(lang_from_environment(), Lang::en);
}

TEST(ReportCsv, QuotesAndDefusesFormulasFromThePortalsText) {
  Table table{"rejected", {"code", "reason"}, {}, 0};
  table.rows.push_back({Cell::of_text("A.1"), Cell::of_text("=HYPERLINK(\"x\"), then more")});
  table.rows.push_back({Cell::of_text("A,2"), Cell::of_text("-1")});
  EXPECT_EQ(render_csv(table, true),
            "\xEF\xBB\xBF"
            "code,reason\r\n"
            "A.1,\"'=HYPERLINK(\"\"x\"\"), then more\"\r\n"
            "\"A,2\",'-1\r\n");
}

core::CatalogueEntry service(std::string code, std::string agency, std::string agency_name,
                             std::string hash) {
  core::CatalogueEntry entry;
  entry.service.code = std::move(code);
  entry.service.name = "Thủ tục " + entry.service.code;
  entry.service.agency = {std::move(agency), std::move(agency_name)};
  entry.content_hash = std::move(hash);
  return entry;
}

state::CycleRecord cycle(std::int64_t id, std::string finished_at, std::uint64_t integrated,
                         std::uint64_t pushed) {
  state::CycleRecord record;
  record.id = id;
  record.started_at = finished_at;
  record.finished_at = std::move(finished_at);
  record.total = 4;
  record.integrated = integrated;
  record.in_sync = integrated;
  record.integrated_before = integrated - pushed;
  record.pushed = pushed;
  record.has_coverage = true;
  record.full_total = 4;
  return record;
}

class ReportModel : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("TZ", "UTC", 1);
    state_.snapshot = core::Snapshot{};
    state_.snapshot->services = {
        service("S.1", "AG.B", "Sở B", "h1"), service("S.2", "AG.B", "Sở B", "h2"),
        service("S.3", "AG.A", "Sở A", "h3"), service("S.4", "AG.C", "Sở C", "h4")};
    state_.mirror = core::Mirror{{"S.1", {"h1", core::Level::full}},
                                 {"S.3", {"old", core::Level::full}},
                                 {"S.4", {"h4", core::Level::full}},
                                 {"X.9", {"h9", core::Level::partial}}};
    state_.parked = {{"S.2", {"S.2", "h2", "422 FIELD_INVALID: fee"}}};
    state_.cycles = {cycle(1, "2024-10-01T23:00:00.000Z", 2, 0),
                     cycle(2, "2024-10-02T01:00:00.000Z", 3, 1),
                     cycle(3, "2024-10-02T02:00:00.000Z", 3, 0)};
  }
  const Table& table(const Report& report, const std::string& key) {
    for (const auto& t : report.tables) {
      if (t.key == key) return t;
    }
    throw std::runtime_error("no table " + key);
  }
  state::StoredState state_;
};

TEST_F(ReportModel, AgenciesWorstFirstRejectsByAgencyOrphansAndOneHistoryRowPerDay) {
  const Report report = build_report(state_, {}, "H43", "2024-10-02T03:00:00.000Z");
  EXPECT_EQ(report.now.overall, (core::Tally{.total = 4, .integrated = 3, .in_sync = 2}));
  EXPECT_EQ(report.now.overall.percent(), 75.0);
  EXPECT_EQ(report.orphaned, 1u);
  EXPECT_EQ(report.rejected, 1u);

  const Table& agencies = table(report, "by_agency");
  ASSERT_EQ(agencies.rows.size(), 3u);
  EXPECT_EQ(agencies.rows[0][0].text, "AG.B");  // 50%
  EXPECT_EQ(agencies.rows[1][0].text, "AG.A");  // 100%, one service
  EXPECT_EQ(agencies.rows[2][0].text, "AG.C");
  EXPECT_EQ(agencies.rows[0][1].text, "Sở B");

  const Table& rejected = table(report, "rejected");
  ASSERT_EQ(rejected.rows.size(), 1u);
  EXPECT_EQ(plain(rejected.rows[0][0]), "AG.B");
  EXPECT_EQ(plain(rejected.rows[0][4]), "422 FIELD_INVALID: fee");

  ASSERT_EQ(table(report, "orphaned").rows.size(), 1u);
  EXPECT_EQ(plain(table(report, "orphaned").rows[0][0]), "X.9");

  const Table& history = table(report, "history");
  ASSERT_EQ(history.rows.size(), 2u);
  EXPECT_EQ(plain(history.rows[1][0]), "2024-10-02");
  EXPECT_EQ(plain(history.rows[1][1]), "3");  // the day's last cycle
  EXPECT_EQ(plain(history.rows[1][4]), "2");  // cycles that day
  EXPECT_EQ(plain(history.rows[1][9]), "1");  // pushed that day
  ASSERT_TRUE(report.period_start.has_value());
  EXPECT_EQ(report.period_start->overall.integrated, 2u);
  EXPECT_EQ(report.pushed_in_period, 1u);
}

TEST_F(ReportModel, PeriodLimitsHistoryAndPushesToItsDaysInTheLocalTimeZone) {
  Period period;
  period.from = parse_date("2024-10-02");
  Report report = build_report(state_, period, "H43", "now");
  ASSERT_EQ(table(report, "history").rows.size(), 1u);
  EXPECT_EQ(report.period_start->overall.integrated, 2u);  // before cycle 2's push
  // At UTC+7, cycle 1 (23:00 UTC on the 1st) falls on the 2nd.
  ::setenv("TZ", "Asia/Ho_Chi_Minh", 1);
  ::tzset();
  report = build_report(state_, period, "H43", "now");
  EXPECT_EQ(table(report, "history").rows.size(), 1u);
  EXPECT_EQ(plain(table(report, "history").rows[0][4]), "3");
  ::setenv("TZ", "UTC", 1);
  ::tzset();
}

TEST_F(ReportModel, NothingToReportBeforeTheFirstCompleteCycle) {
  state_.mirror.reset();
  EXPECT_THROW(build_report(state_, {}, "H43", "now"), std::runtime_error);
}

TEST(ReportDates, OnlyRealCalendarDates) {
  EXPECT_TRUE(parse_date("2024-02-29").has_value());
  EXPECT_FALSE(parse_date("2023-02-29").has_value());
  EXPECT_FALSE(parse_date("2024-1-05").has_value());
  EXPECT_FALSE(parse_date("2024-01-05x").has_value());
  EXPECT_EQ(format_date(*parse_date("2024-01-05")), "2024-01-05");
}

}  // namespace
}  // namespace psd::ctl::report
