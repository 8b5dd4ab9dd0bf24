// portal-syncctl report against the state.db of a real portal-syncd run: in
// every format its figures equal the status file's and portal-sim's own
// count, on the seed province (1,126; 582/544; 985 integrated before the sync).

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "tests/integration/daemon_process.hpp"
#include "tests/integration/daemon_run.hpp"
#include "tests/integration/report_support.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/wait.hpp"

namespace psd::testing {
namespace {

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  EXPECT_FALSE(doc.HasParseError()) << text.substr(0, 500);
  return doc;
}

/// Rows of a CSV file as header key → value (the report's fields have no
/// newline; quoted commas are handled).
std::vector<std::map<std::string, std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> lines;
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c == '\r') {
    } else if (c == '\n') {
      lines.push_back(fields);
      fields.assign(1, "");
    } else {
      fields.back() += c;
    }
  }
  std::vector<std::map<std::string, std::string>> rows;
  for (std::size_t r = 1; r < lines.size(); ++r) {
    std::map<std::string, std::string> row;
    for (std::size_t c = 0; c < lines[0].size() && c < lines[r].size(); ++c) {
      row[lines[0][c]] = lines[r][c];
    }
    rows.push_back(row);
  }
  return rows;
}

std::string report_of(const std::string& config) {
  const ToolResult result = run_report_ctl({"--config", config, "report", "--format", "json"});
  EXPECT_EQ(result.exit_code, 0) << result.output();
  return result.out;
}

std::string percent_text(double percent) {
  std::ostringstream out;
  out << percent;
  return out.str();
}

class ReportRun : public ::testing::Test {
 protected:
  /// Run the report with `args` after the config; fail on a non-zero exit.
  std::string report(const std::vector<std::string>& args) const {
    std::vector<std::string> all{"--config", daemon_->config_path().string(), "report"};
    all.insert(all.end(), args.begin(), args.end());
    const ToolResult result = run_report_ctl(all);
    EXPECT_EQ(result.exit_code, 0) << result.output();
    return result.out;
  }

  /// Check every figure of the JSON report against the status file and the simulator.
  void expect_json_matches(const rapidjson::Document& json, const rapidjson::Document& status,
                           const sim::Coverage& sim) const {
    const auto& coverage = status["coverage"];
    const auto& summary = json["summary"];
    EXPECT_EQ(summary["total"].GetUint64(), coverage["total"].GetUint64());
    EXPECT_EQ(summary["integrated"].GetUint64(), coverage["integrated"].GetUint64());
    EXPECT_EQ(summary["in_sync"].GetUint64(), coverage["in_sync"].GetUint64());
    EXPECT_EQ(summary["percent"].GetDouble(), coverage["percent"].GetDouble());
    EXPECT_EQ(summary["full"].GetUint64(), coverage["by_level"]["full"]["total"].GetUint64());
    EXPECT_EQ(summary["partial"].GetUint64(), coverage["by_level"]["partial"]["total"].GetUint64());
    EXPECT_EQ(static_cast<std::int64_t>(summary["total"].GetUint64()), sim.total_active);
    EXPECT_EQ(static_cast<std::int64_t>(summary["integrated"].GetUint64()), sim.integrated);
    EXPECT_EQ(static_cast<std::int64_t>(summary["in_sync"].GetUint64()), sim.in_sync);
    EXPECT_EQ(summary["percent"].GetDouble(), sim.percent);
    EXPECT_EQ(json["counts"]["orphaned"].GetUint64(), coverage["orphaned"].GetUint64());
    EXPECT_EQ(static_cast<std::int64_t>(json["counts"]["orphaned"].GetUint64()), sim.orphaned);
    EXPECT_EQ(json["counts"]["rejected"].GetUint64(), status["queue"]["rejected"].GetUint64());
    EXPECT_EQ(json["counts"]["invalid"].GetUint64(), status["queue"]["invalid"].GetUint64());

    for (const auto& row : json["by_level"].GetArray()) {
      const std::string level = row["level"].GetString();
      const auto& expected = coverage["by_level"][level.c_str()];
      EXPECT_EQ(row["total"].GetUint64(), expected["total"].GetUint64()) << level;
      EXPECT_EQ(row["integrated"].GetUint64(), expected["integrated"].GetUint64()) << level;
      EXPECT_EQ(row["percent"].GetDouble(), expected["percent"].GetDouble()) << level;
      const sim::CoverageCount& own = level == "full" ? sim.full : sim.partial;
      EXPECT_EQ(static_cast<std::int64_t>(row["integrated"].GetUint64()), own.integrated) << level;
    }
    const auto& by_agency = coverage["by_agency"];
    ASSERT_EQ(json["by_agency"].Size(), by_agency.MemberCount());
    double previous = -1;
    for (const auto& row : json["by_agency"].GetArray()) {
      const std::string code = row["agency_code"].GetString();
      ASSERT_TRUE(by_agency.HasMember(code.c_str())) << code;
      const auto& expected = by_agency[code.c_str()];
      EXPECT_EQ(row["total"].GetUint64(), expected["total"].GetUint64()) << code;
      EXPECT_EQ(row["integrated"].GetUint64(), expected["integrated"].GetUint64()) << code;
      EXPECT_EQ(row["in_sync"].GetUint64(), expected["in_sync"].GetUint64()) << code;
      EXPECT_EQ(row["percent"].GetDouble(), expected["percent"].GetDouble()) << code;
      const auto own = sim.by_agency.find(code);
      ASSERT_NE(own, sim.by_agency.end()) << code;
      EXPECT_EQ(static_cast<std::int64_t>(row["integrated"].GetUint64()), own->second.integrated);
      EXPECT_GE(row["percent"].GetDouble(), previous) << "worst first";
      previous = row["percent"].GetDouble();
    }
    std::uint64_t admin_total = 0;
    for (const auto& row : json["by_admin_level"].GetArray())
      admin_total += row["total"].GetUint64();
    EXPECT_EQ(admin_total, coverage["total"].GetUint64());
  }

  /// The CSV tables in `dir` against the JSON report's figures.
  void expect_csv_matches(const std::filesystem::path& dir, const rapidjson::Document& json) const {
    for (const char* table : {"summary", "by_level", "by_admin_level", "by_agency", "rejected",
                              "invalid", "orphaned", "history"}) {
      const std::string text = read_file(dir / (std::string(table) + ".csv"));
      ASSERT_TRUE(text.starts_with("\xEF\xBB\xBF")) << table << ": UTF-8 byte order mark";
    }
    const auto summary = csv_rows(read_file(dir / "summary.csv").substr(3));
    ASSERT_FALSE(summary.empty());
    EXPECT_EQ(summary[0].at("moment"), "now");
    EXPECT_EQ(summary[0].at("total"), std::to_string(json["summary"]["total"].GetUint64()));
    EXPECT_EQ(summary[0].at("integrated"),
              std::to_string(json["summary"]["integrated"].GetUint64()));
    EXPECT_EQ(summary[0].at("percent"), percent_text(json["summary"]["percent"].GetDouble()));
    const auto agencies = csv_rows(read_file(dir / "by_agency.csv").substr(3));
    ASSERT_EQ(agencies.size(), json["by_agency"].Size());
    for (std::size_t i = 0; i < agencies.size(); ++i) {
      const auto& expected = json["by_agency"][static_cast<rapidjson::SizeType>(i)];
      EXPECT_EQ(agencies[i].at("agency_code"), expected["agency_code"].GetString());
      EXPECT_EQ(agencies[i].at("agency_name"), expected["agency_name"].GetString());
      EXPECT_EQ(agencies[i].at("total"), std::to_string(expected["total"].GetUint64()));
      EXPECT_EQ(agencies[i].at("integrated"), std::to_string(expected["integrated"].GetUint64()));
      EXPECT_EQ(agencies[i].at("in_sync"), std::to_string(expected["in_sync"].GetUint64()));
      EXPECT_EQ(agencies[i].at("percent"), percent_text(expected["percent"].GetDouble()));
    }
    EXPECT_EQ(csv_rows(read_file(dir / "rejected.csv").substr(3)).size(),
              json["counts"]["rejected"].GetUint64());
    EXPECT_EQ(csv_rows(read_file(dir / "invalid.csv").substr(3)).size(),
              json["counts"]["invalid"].GetUint64());
    EXPECT_EQ(csv_rows(read_file(dir / "orphaned.csv").substr(3)).size(),
              json["counts"]["orphaned"].GetUint64());
  }

  TempDir dir_;
  std::unique_ptr<DaemonRun> daemon_;
};

TEST_F(ReportRun, SeedProvinceEveryFormatMatchesStatusFileAndSimulatorBeforeAndAfterTheSync) {
  SimProcess sim({"--stale", "25"});
  const sim::Coverage before = sim.coverage();
  ASSERT_EQ(before.total_active, 1126);
  ASSERT_EQ(before.integrated, 985);
  daemon_ = std::make_unique<DaemonRun>(sim);
  const DaemonResult once = daemon_->once();
  ASSERT_EQ(once.exit_code, 0) << once.err;
  const rapidjson::Document status = daemon_->status();
  const sim::Coverage after = sim.coverage();

  // JSON: every figure, and the sentence before and after, in both languages.
  const rapidjson::Document json = parse(report({"--format", "json", "--lang", "en"}));
  expect_json_matches(json, status, after);
  EXPECT_EQ(json["summary"]["percent"].GetDouble(), 100.0);
  const auto& start = json["period_start"];
  ASSERT_TRUE(start.IsObject());
  EXPECT_EQ(start["total"].GetUint64(), 1126u);
  EXPECT_EQ(start["full"].GetUint64(), 582u);
  EXPECT_EQ(start["partial"].GetUint64(), 544u);
  EXPECT_EQ(static_cast<std::int64_t>(start["integrated"].GetUint64()), before.integrated);
  EXPECT_EQ(start["percent"].GetDouble(), before.percent);
  EXPECT_STREQ(start["sentence"].GetString(), kSeedBeforeEn);
  EXPECT_EQ(json["period"]["pushed"].GetUint64(), status["last_cycle"]["pushed"].GetUint64());
  ASSERT_EQ(json["history"].Size(), 1u);
  EXPECT_EQ(json["history"][0]["pushed"].GetUint64(), 141u + 25u);

  const rapidjson::Document vi = parse(report({"--format", "json", "--lang", "vi"}));
  EXPECT_STREQ(vi["period_start"]["sentence"].GetString(), kSeedBeforeVi);
  const std::string after_vi =
      "1.126 dịch vụ công trực tuyến (582 toàn trình, 544 một phần); 1.126/1.126 dịch vụ đã tích "
      "hợp, đồng bộ lên Cổng Dịch vụ công quốc gia, đạt 100%";
  EXPECT_EQ(vi["summary"]["sentence"].GetString(), after_vi);

  // Text and HTML carry the same sentences.
  const std::string after_en =
      "1,126 online public services (582 full-process, 544 partial); 1,126/1,126 integrated and "
      "synchronised with the national public service portal: 100%";
  for (const char* format : {"text", "html"}) {
    const std::string en = report({"--format", format, "--lang", "en"});
    EXPECT_NE(en.find(after_en), std::string::npos) << format;
    EXPECT_NE(en.find(kSeedBeforeEn), std::string::npos) << format;
    const std::string vi_text = report({"--format", format, "--lang", "vi"});
    EXPECT_NE(vi_text.find(after_vi), std::string::npos) << format;
    EXPECT_NE(vi_text.find(kSeedBeforeVi), std::string::npos) << format;
  }

  // CSV: one file per table, in a folder created for it.
  const std::filesystem::path csv = dir_.file("csv/nested");
  report({"--format", "csv", "-o", csv.string(), "--lang", "vi"});
  expect_csv_matches(csv, json);
}

TEST_F(ReportRun, RejectedInvalidAndOrphanedEntriesMatchTheStatusFile) {
  SimProcess sim({"--services", "300", "--full", "160", "--integrated", "250", "--reject", "4",
                  "--invalid", "6", "--orphans", "3"});
  daemon_ = std::make_unique<DaemonRun>(sim);
  const DaemonResult once = daemon_->once();
  ASSERT_EQ(once.exit_code, 1) << once.err;  // the rejected services are not in sync
  const rapidjson::Document status = daemon_->status();
  const rapidjson::Document json = parse(report({"--format", "json"}));
  expect_json_matches(json, status, sim.coverage());

  std::map<std::string, std::string> reasons;
  for (const auto& item : status["rejected_services"].GetArray()) {
    reasons[item["code"].GetString()] = item["reason"].GetString();
  }
  ASSERT_EQ(json["counts"]["rejected"].GetUint64(), 4u);
  std::string previous_agency;
  for (const auto& row : json["rejected"].GetArray()) {
    const std::string code = row["code"].GetString();
    ASSERT_TRUE(reasons.contains(code)) << code;
    EXPECT_EQ(reasons[code], row["reason"].GetString());
    EXPECT_FALSE(std::string(row["agency_name"].GetString()).empty()) << code;
    EXPECT_LE(previous_agency, row["agency_code"].GetString()) << "grouped by agency";
    previous_agency = row["agency_code"].GetString();
  }
  std::multiset<std::string> invalid_codes;
  for (const auto& item : status["invalid_records"].GetArray()) {
    invalid_codes.insert(std::string(item["code"].GetString()) + " " + item["reason"].GetString());
  }
  std::multiset<std::string> report_invalid;
  for (const auto& row : json["invalid"].GetArray()) {
    report_invalid.insert(std::string(row["code"].GetString()) + " " + row["rule"].GetString());
  }
  EXPECT_EQ(report_invalid, invalid_codes);
  const SimServices services = sim.services();
  const std::set<std::string> orphans(services.orphans.begin(), services.orphans.end());
  std::set<std::string> report_orphans;
  for (const auto& row : json["orphaned"].GetArray())
    report_orphans.insert(row["code"].GetString());
  EXPECT_EQ(report_orphans, orphans);

  const std::filesystem::path csv = dir_.file("csv");
  report({"--format", "csv", "-o", csv.string()});
  expect_csv_matches(csv, json);
  const std::string html = report({"--format", "html"});
  for (const auto& [code, reason] : reasons) {
    EXPECT_NE(html.find(code), std::string::npos) << code;
  }
}

TEST_F(ReportRun, WorksWithTheDaemonStoppedAndNeverWritesStateDb) {
  SimProcess sim({"--services", "50", "--full", "20", "--integrated", "40"});
  daemon_ = std::make_unique<DaemonRun>(sim);
  ASSERT_EQ(daemon_->once().exit_code, 0);
  const auto state_dir = daemon_->state_db().parent_path();
  const auto listing = [&] {
    std::map<std::string, std::uintmax_t> files;
    for (const auto& entry : std::filesystem::directory_iterator(state_dir)) {
      files[entry.path().filename().string()] = entry.file_size();
    }
    return files;
  };
  const std::string db_before = read_file(daemon_->state_db());
  const auto mtime = std::filesystem::last_write_time(daemon_->state_db());
  // --state-dir alone: no configuration needed.
  const ToolResult result =
      run_report_ctl({"report", "--state-dir", state_dir.string(), "--format", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.output();
  EXPECT_EQ(parse(result.out)["summary"]["integrated"].GetUint64(), 50u);
  // SQLite may leave an empty -wal and the -shm index beside a WAL database
  // it opened (owned like state.db); state.db itself is untouched.
  EXPECT_EQ(read_file(daemon_->state_db()), db_before);
  EXPECT_EQ(std::filesystem::last_write_time(daemon_->state_db()), mtime);
  for (const auto& [name, size] : listing()) {
    if (name.ends_with("-wal")) {
      EXPECT_EQ(size, 0u) << "nothing written to the WAL";
    }
  }
}

TEST_F(ReportRun, ReadsWhileTheDaemonPushesAndNeitherDisturbsTheOther) {
  SimProcess sim({"--services", "400", "--full", "200", "--integrated", "400"});
  auto options = DaemonProcess::Options::manual_only();
  options.national_extra += "max_concurrency = 2\n";
  DaemonProcess daemon(sim, options);
  ASSERT_TRUE(daemon.wait_first_cycle()) << daemon.log();
  const std::string config = daemon.run().config_path().string();

  // A slow portal and 150 edited services: the next cycle pushes for seconds.
  SimFaultProfile slow;
  slow.latency_ms = 30;
  sim.set_faults(slow);
  sim.edit(150);
  ChildProcess resync(PSD_CTL_BINARY, {"--socket", daemon.socket(), "resync", "--wait"});
  int reports = 0;
  while (resync.running() && reports < 500) {
    const ToolResult result = run_report_ctl({"--config", config, "report", "--format", "json"});
    ASSERT_EQ(result.exit_code, 0) << result.output();
    const rapidjson::Document json = parse(result.out);
    // Always one consistent moment: every service integrated, the edited
    // ones in sync or not, never a half-written listing.
    EXPECT_EQ(json["summary"]["total"].GetUint64(), 400u);
    EXPECT_EQ(json["summary"]["integrated"].GetUint64(), 400u);
    EXPECT_GE(json["summary"]["in_sync"].GetUint64(), 250u);
    ++reports;
  }
  ASSERT_EQ(resync.wait(std::chrono::seconds(120)), 0) << resync.stdout_text() << daemon.log();
  EXPECT_GE(reports, 1);
  // The status file follows the cycle's end from the daemon's loop.
  ASSERT_TRUE(eventually(
      [&] {
        const auto status = daemon.status();
        return status && (*status)["last_cycle"]["pushed"].GetUint64() == 150u;
      },
      std::chrono::seconds(30)))
      << daemon.log();
  const auto status = daemon.status();
  EXPECT_STREQ((*status)["last_cycle"]["result"].GetString(), "ok") << daemon.log();
  EXPECT_EQ((*status)["last_cycle"]["pushed"].GetUint64(), 150u);
  const rapidjson::Document json = parse(report_of(config));
  EXPECT_EQ(json["summary"]["in_sync"].GetUint64(), (*status)["coverage"]["in_sync"].GetUint64());
  EXPECT_EQ(json["summary"]["in_sync"].GetUint64(), 400u);
  EXPECT_EQ(daemon.log().find("locked"), std::string::npos) << daemon.log();
}

TEST_F(ReportRun, ErrorsNameTheFileAndExitWithTheirCode) {
  TempDir empty;
  const ToolResult missing = run_report_ctl({"report", "--state-dir", empty.file("nothing")});
  EXPECT_EQ(missing.exit_code, 66);
  EXPECT_NE(missing.err.find(empty.file("nothing/state.db")), std::string::npos) << missing.err;
  EXPECT_FALSE(std::filesystem::exists(empty.file("nothing"))) << "a report creates nothing";

  const ToolResult bad_config = run_report_ctl({"--config", empty.file("none.toml"), "report"});
  EXPECT_EQ(bad_config.exit_code, 64);
  EXPECT_NE(bad_config.err.find("none.toml"), std::string::npos) << bad_config.err;

  EXPECT_EQ(run_report_ctl({"report", "--format", "pdf"}).exit_code, 64);
  EXPECT_EQ(run_report_ctl({"report", "--lang", "fr"}).exit_code, 64);
  EXPECT_EQ(run_report_ctl({"report", "--from", "2024-02-30"}).exit_code, 64);
  EXPECT_EQ(run_report_ctl({"report", "--from", "2024-03-02", "--to", "2024-03-01"}).exit_code, 64);
}

}  // namespace
}  // namespace psd::testing
