#include "daemon/runtime/status_file.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "daemon/runtime/atomic_file.hpp"

namespace psd::runtime {
namespace {

engine::CycleReport sample_report() {
  engine::CycleReport report;
  report.started_at = "2026-11-26T10:00:00.000Z";
  report.finished_at = "2026-11-26T10:00:05.000Z";
  report.result = state::CycleResult::partial;
  report.pushed = 138;
  report.failed = 3;
  report.queue = {2, 1, 3, 4};
  core::InvalidRecord broken;
  broken.code = "X";
  broken.page = 2;
  broken.reason = "field 'level': must be one of full, partial";
  report.invalid = {broken};
  report.rejected = {{"R", "sha256:r", "HTTP 422 INVALID_FIELD: tên trùng"}};
  return report;
}

TEST(StatusFile, HoldsEveryFieldTheContractNamesWithJsonNumbers) {
  core::Coverage coverage;
  coverage.overall = {1126, 985, 980};
  coverage.full = {582, 500, 498};
  coverage.partial = {544, 485, 482};
  coverage.by_agency["000.00.15.H43"] = {10, 9, 9};
  coverage.orphaned = 2;
  const engine::CycleReport report = sample_report();
  StatusView view{"H43",       DaemonState::idle, "2026-11-26T10:00:06.000Z", coverage,
                  &report,     &report,           "2026-11-25T10:00:00.000Z", std::nullopt,
                  std::nullopt};

  rapidjson::Document status;
  const std::string json = status_json(view);
  status.Parse(json.c_str());
  ASSERT_FALSE(status.HasParseError()) << json;
  EXPECT_EQ(status["schema_version"].GetInt(), 1);
  EXPECT_STREQ(status["province"].GetString(), "H43");
  EXPECT_STREQ(status["state"].GetString(), "idle");
  EXPECT_STREQ(status["updated_at"].GetString(), "2026-11-26T10:00:06.000Z");
  const auto& c = status["coverage"];
  EXPECT_EQ(c["total"].GetUint64(), 1126u);
  EXPECT_EQ(c["integrated"].GetUint64(), 985u);
  EXPECT_EQ(c["in_sync"].GetUint64(), 980u);
  ASSERT_TRUE(c["percent"].IsNumber());
  EXPECT_DOUBLE_EQ(c["percent"].GetDouble(), 87.48);
  EXPECT_NE(json.find("\"percent\": 87.48"), std::string::npos) << "percent must print as 87.48";
  EXPECT_EQ(c["by_level"]["full"]["total"].GetUint64(), 582u);
  EXPECT_DOUBLE_EQ(c["by_level"]["partial"]["percent"].GetDouble(), 89.15);
  EXPECT_EQ(c["by_agency"]["000.00.15.H43"]["integrated"].GetUint64(), 9u);
  EXPECT_EQ(c["orphaned"].GetUint64(), 2u);
  const auto& queue = status["queue"];
  EXPECT_EQ(queue["pending"].GetUint64(), 2u);
  EXPECT_EQ(queue["retrying"].GetUint64(), 1u);
  EXPECT_EQ(queue["rejected"].GetUint64(), 3u);
  EXPECT_EQ(queue["invalid"].GetUint64(), 4u);
  const auto& last = status["last_cycle"];
  EXPECT_STREQ(last["result"].GetString(), "partial");
  EXPECT_EQ(last["pushed"].GetUint64(), 138u);
  EXPECT_EQ(last["failed"].GetUint64(), 3u);
  EXPECT_TRUE(last["error"].IsNull());
  EXPECT_STREQ(last["started_at"].GetString(), "2026-11-26T10:00:00.000Z");
  EXPECT_STREQ(status["last_success_at"].GetString(), "2026-11-25T10:00:00.000Z");
  EXPECT_STREQ(status["invalid_records"][0]["reason"].GetString(),
               "field 'level': must be one of full, partial");
  EXPECT_STREQ(status["rejected_services"][0]["code"].GetString(), "R");
}

TEST(StatusFile, BeforeAnyCycleHasNullsNotGarbage) {
  StatusView view;
  view.province = "H43";
  view.updated_at = "2026-11-26T10:00:06.000Z";
  rapidjson::Document status;
  status.Parse(status_json(view).c_str());
  ASSERT_FALSE(status.HasParseError());
  EXPECT_TRUE(status["last_cycle"].IsNull());
  EXPECT_TRUE(status["last_success_at"].IsNull());
  EXPECT_DOUBLE_EQ(status["coverage"]["percent"].GetDouble(), 0.0);
  EXPECT_TRUE(status["progress"].IsNull()) << "no cycle is running";
}

TEST(StatusFile, ARunningCycleShowsItsProgress) {
  StatusView view;
  view.province = "H43";
  view.state = DaemonState::syncing;
  view.progress = CycleProgress{.done = 40, .total = 166, .started_at = "2026-11-26T10:00:00.000Z"};
  rapidjson::Document status;
  status.Parse(status_json(view).c_str());
  ASSERT_FALSE(status.HasParseError());
  EXPECT_STREQ(status["state"].GetString(), "syncing");
  EXPECT_EQ(status["progress"]["done"].GetUint64(), 40u);
  EXPECT_EQ(status["progress"]["total"].GetUint64(), 166u);
  EXPECT_STREQ(status["progress"]["started_at"].GetString(), "2026-11-26T10:00:00.000Z");
}

TEST(StatusFile, AFailedCycleKeepsTheQueueOfTheLastPlannedOne) {
  const engine::CycleReport planned = sample_report();
  engine::CycleReport failed;
  failed.result = state::CycleResult::failed;
  failed.error = "provincial catalogue: torn";
  StatusView view{"H43",    DaemonState::error, "t",          std::nullopt, &failed,
                  &planned, std::nullopt,       std::nullopt, std::nullopt};
  rapidjson::Document status;
  status.Parse(status_json(view).c_str());
  EXPECT_STREQ(status["last_cycle"]["error"].GetString(), "provincial catalogue: torn");
  EXPECT_EQ(status["queue"]["rejected"].GetUint64(), 3u);
  EXPECT_STREQ(status["state"].GetString(), "error");
}

TEST(AtomicFile, ReplacesTheWholeFileAndLeavesNoTemporaryBehind) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("psd-atomic-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const auto path = dir / "sub" / "status.json";
  write_file_atomically(path, std::string(100000, 'a'));
  write_file_atomically(path, "{\"short\":true}\n");
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  EXPECT_EQ(text.str(), "{\"short\":true}\n");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir / "sub"), {}), 1);
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::others_read,
            std::filesystem::perms::others_read);
  std::filesystem::remove_all(dir);
}

TEST(AtomicFile, NamesTheFileWhenItCannotWrite) {
  try {
    write_file_atomically("/proc/no-such-dir/status.json", "x");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("/proc/no-such-dir/status.json"), std::string::npos);
  }
}

}  // namespace
}  // namespace psd::runtime
