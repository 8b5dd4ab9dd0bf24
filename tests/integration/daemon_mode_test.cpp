// portal-syncd as a service: READY to the notify socket, the status file,
// manual resyncs through portal-syncctl, pause/resume, SIGHUP reloads,
// SIGTERM while pushes are in flight, and the watchdog.

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <map>
#include <regex>
#include <thread>

#include "tests/integration/daemon_process.hpp"
#include "tests/support/wait.hpp"

namespace psd::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

void rewrite_config(const std::filesystem::path& path, const std::string& from,
                    const std::string& to) {
  std::string text = read_file(path);
  const auto at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from << " not in " << text;
  text.replace(at, from.size(), to);
  std::ofstream(path, std::ios::trunc) << text;
}

TEST(DaemonMode, SendsReadyAndWritesAStatusFileWithTheContractsFields) {
  SimProcess sim({"--stale", "25"});
  DaemonProcess daemon(sim, DaemonProcess::Options::manual_only());
  ASSERT_TRUE(daemon.wait_first_cycle()) << daemon.log();
  const auto status = daemon.status();
  ASSERT_TRUE(status);
  const auto& s = *status;
  EXPECT_EQ(s["schema_version"].GetInt(), 1);
  EXPECT_STREQ(s["province"].GetString(), "H43");
  EXPECT_TRUE(
      std::regex_match(s["state"].GetString(), std::regex("idle|syncing|backoff|paused|error")));
  EXPECT_TRUE(s["updated_at"].IsString());
  for (const char* key : {"total", "integrated", "in_sync", "percent", "orphaned"}) {
    EXPECT_TRUE(s["coverage"][key].IsNumber()) << key;
  }
  for (const char* level : {"full", "partial"}) {
    for (const char* key : {"total", "integrated", "percent"}) {
      EXPECT_TRUE(s["coverage"]["by_level"][level][key].IsNumber()) << level << "." << key;
    }
  }
  for (const char* key : {"pending", "retrying", "rejected", "invalid"}) {
    EXPECT_TRUE(s["queue"][key].IsNumber()) << key;
  }
  const auto& last = s["last_cycle"];
  for (const char* key : {"started_at", "finished_at", "result"}) {
    EXPECT_TRUE(last[key].IsString()) << key;
  }
  EXPECT_TRUE(last["pushed"].IsNumber());
  EXPECT_TRUE(last["failed"].IsNumber());
  EXPECT_TRUE(last["error"].IsNull());
  EXPECT_STREQ(last["result"].GetString(), "ok");
  EXPECT_EQ(last["pushed"].GetInt(), 166);
  EXPECT_TRUE(s["last_success_at"].IsString());
  EXPECT_DOUBLE_EQ(s["coverage"]["percent"].GetDouble(), 100.0);
  // READY came with a STATUS line, and later STATUS lines carry the coverage.
  EXPECT_TRUE(daemon.notify().wait_for("READY=1", seconds(1)));
  EXPECT_TRUE(eventually(
      [&] {
        for (const auto& message : daemon.notify().messages()) {
          if (message.find("STATUS=idle; coverage 100.00%") != std::string::npos) return true;
        }
        return false;
      },
      seconds(10)));
}

TEST(DaemonMode, ResyncWaitPushesExactlyTheFiveEditedRecords) {
  SimProcess sim;
  DaemonProcess daemon(sim, DaemonProcess::Options::manual_only());
  ASSERT_TRUE(daemon.wait_first_cycle()) << daemon.log();
  const CtlResult first = daemon.ctl({"resync", "--wait"});
  ASSERT_EQ(first.exit_code, 0) << describe(first);

  sim.reset_ledger();
  const std::vector<std::string> edited = sim.edit(5);
  ASSERT_EQ(edited.size(), 5u);
  const CtlResult result = daemon.ctl({"resync", "--wait"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("ok: pushed 5, failed 0"), std::string::npos) << result.out;
  const SimLedger ledger = sim.ledger();
  EXPECT_EQ(ledger.updates, 5u);
  EXPECT_EQ(ledger.puts, 5u);
  EXPECT_EQ(ledger.creates, 0u);
  EXPECT_EQ(ledger.wasted_writes, 0u);
  for (const auto& service : sim.services().records) {
    EXPECT_TRUE(service.state == "in_sync" || service.state == "invalid" ||
                service.state == "suspended")
        << service.code << " " << service.state;
  }
}

/// Every push answered `ms` late, and otherwise as usual.
SimFault pushes_delayed_by(int ms) {
  return {.target = "put", .status = 0, .count = 100000, .delay_ms = ms};
}

/// After the daemon's first cycle, `n` catalogue records edited into
/// `edited` and the ledger reset: it then counts only what a resync pushes.
void edit_after_first_cycle(const SimProcess& sim, const DaemonProcess& daemon, int n,
                            std::vector<std::string>& edited) {
  ASSERT_TRUE(daemon.wait_first_cycle()) << daemon.log();
  sim.reset_ledger();
  edited = sim.edit(n);
  ASSERT_EQ(edited.size(), static_cast<std::size_t>(n));
}

TEST(DaemonMode, ResyncOfOneServicePushesOnlyThatOne) {
  SimProcess sim;
  DaemonProcess daemon(sim, DaemonProcess::Options::manual_only());
  std::vector<std::string> edited;
  ASSERT_NO_FATAL_FAILURE(edit_after_first_cycle(sim, daemon, 3, edited));
  const CtlResult result = daemon.ctl({"resync", "--service", edited[1], "--wait"});
  // The two other edited services are still not in sync after this cycle.
  EXPECT_EQ(result.exit_code, 1) << describe(result);
  const SimLedger ledger = sim.ledger();
  EXPECT_EQ(ledger.puts, 1u);
  EXPECT_EQ(ledger.updates, 1u);
  for (const auto& service : sim.services().records) {
    if (service.code == edited[1]) {
      EXPECT_EQ(service.state, "in_sync");
    } else if (service.code == edited[0] || service.code == edited[2]) {
      EXPECT_EQ(service.state, "stale") << service.code;
    }
  }
}

TEST(DaemonMode, ResyncOfOneAgencyPushesOnlyItsServices) {
  SimProcess sim;
  DaemonProcess daemon(sim, DaemonProcess::Options::manual_only());
  std::vector<std::string> edited;
  ASSERT_NO_FATAL_FAILURE(edit_after_first_cycle(sim, daemon, 6, edited));
  std::map<std::string, std::string> agency_of;
  for (const auto& service : sim.services().records) agency_of[service.code] = service.agency_code;
  const std::string agency = agency_of.at(edited[0]);
  const auto in_agency = static_cast<std::uint64_t>(
      std::count_if(edited.begin(), edited.end(),
                    [&](const std::string& code) { return agency_of.at(code) == agency; }));
  ASSERT_LT(in_agency, edited.size()) << "the edits must span more than one agency";
  const CtlResult result = daemon.ctl({"resync", "--agency", agency, "--wait"});
  EXPECT_EQ(result.exit_code, 1) << "other agencies' edits are not in sync\n" << describe(result);
  EXPECT_EQ(sim.ledger().puts, in_agency);
  for (const auto& service : sim.services().records) {
    if (std::find(edited.begin(), edited.end(), service.code) == edited.end()) continue;
    EXPECT_EQ(service.state, service.agency_code == agency ? "in_sync" : "stale") << service.code;
  }
}

TEST(DaemonMode, ResyncsAskedDuringACycleRunOnceRightAfterIt) {
  SimProcess sim;
  sim.fail(pushes_delayed_by(100));
  DaemonProcess daemon(sim, DaemonProcess::Options::manual_only());
  ASSERT_TRUE(eventually([&] { return sim.ledger().puts >= 1; }, seconds(60))) << daemon.log();
  const CtlResult first = daemon.ctl({"--json", "resync"});
  const CtlResult second = daemon.ctl({"--json", "resync"});
  ASSERT_EQ(first.exit_code, 0) << describe(first);
  ASSERT_EQ(second.exit_code, 0) << describe(second);
  EXPECT_NE(first.out.find("\"after_running_cycle\":true"), std::string::npos) << first.out;
  const CtlResult waited = daemon.ctl({"resync", "--wait"});
  EXPECT_EQ(waited.exit_code, 0) << describe(waited);
  // The start cycle, then one cycle for the three requests.
  const CtlResult history = daemon.ctl({"--json", "history"});
  rapidjson::Document cycles;
  cycles.Parse(history.out.c_str());
  ASSERT_FALSE(cycles.HasParseError()) << history.out;
  EXPECT_EQ(cycles["cycles"].Size(), 2u) << history.out;
  EXPECT_EQ(cycles["cycles"][0]["pushed"].GetInt(), 0) << "the second cycle found all in sync";
}

TEST(DaemonMode, ResyncWaitOnATerminalDrawsAProgressBar) {
  if (!std::filesystem::exists("/usr/bin/script")) {
    GTEST_SKIP() << "needs script(1) from util-linux to give portal-syncctl a terminal";
  }
  SimProcess sim({"--integrated", "1126"});
  DaemonProcess::Options options = DaemonProcess::Options::manual_only();
  options.national_extra += "max_concurrency = 2\n";
  DaemonProcess daemon(sim, options);
  ASSERT_TRUE(daemon.wait_first_cycle()) << daemon.log();
  sim.edit(30);
  sim.fail(pushes_delayed_by(100));  // 30 pushes take 1.5 s
  const CtlResult result = run_program(
      "/usr/bin/script",
      {"-qec", std::string(PSD_CTL_BINARY) + " --socket " + daemon.socket() + " resync --wait",
       "/dev/null"});
  EXPECT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("\r["), std::string::npos) << "a bar redrawn in place: " << result.out;
  EXPECT_NE(result.out.find('#'), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("/30"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("/s"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("ETA"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("ok: pushed 30, failed 0"), std::string::npos) << result.out;
}

TEST(DaemonMode, PauseStopsPushesAndResumeRestartsThem) {
  SimProcess sim;
  // Slow writes, two at a time: the first cycle's 141 creates take a while.
  sim.fail(pushes_delayed_by(150));
  DaemonProcess::Options options = DaemonProcess::Options::manual_only();
  options.national_extra += "max_concurrency = 2\n";
  DaemonProcess daemon(sim, options);
  ASSERT_TRUE(eventually([&] { return sim.ledger().puts >= 4; }, seconds(60))) << daemon.log();

  const CtlResult pause = daemon.ctl({"pause"});
  ASSERT_EQ(pause.exit_code, 0) << describe(pause);
  EXPECT_NE(pause.out.find("paused"), std::string::npos);
  // The stopped cycle ends (in-flight writes finish), and the state says paused.
  ASSERT_TRUE(eventually(
      [&] {
        const auto status = daemon.status();
        return status && std::string((*status)["state"].GetString()) == "paused" &&
               (*status)["progress"].IsNull();
      },
      seconds(30)))
      << daemon.log();
  const std::uint64_t puts_when_paused = sim.ledger().puts;
  EXPECT_LT(puts_when_paused, 141u) << "pause came too late to show anything";
  const CtlResult refused = daemon.ctl({"resync"});
  EXPECT_EQ(refused.exit_code, 1) << describe(refused);
  EXPECT_NE(refused.err.find("paused"), std::string::npos) << refused.err;
  std::this_thread::sleep_for(seconds(2));
  EXPECT_EQ(sim.ledger().puts, puts_when_paused) << "a push was sent while paused";

  const CtlResult resume = daemon.ctl({"resume"});
  ASSERT_EQ(resume.exit_code, 0) << describe(resume);
  EXPECT_TRUE(eventually([&] { return sim.ledger().puts > puts_when_paused; }, seconds(30)));
  EXPECT_TRUE(eventually([&] { return sim.coverage().integrated == 1126; }, seconds(120)))
      << daemon.log();
}

/// After the daemon's first cycle, its config file made invalid
/// (poll_interval = "soon"); `notified` is how many notify messages it had
/// sent by then.
void break_config_after_first_cycle(DaemonProcess& daemon, std::size_t& notified) {
  ASSERT_TRUE(daemon.wait_first_cycle()) << daemon.log();
  ASSERT_NO_FATAL_FAILURE(rewrite_config(daemon.run().config_path(), "poll_interval = \"1h\"",
                                         "poll_interval = \"soon\""));
  notified = daemon.notify().messages().size();
}

TEST(DaemonMode, SighupWithABrokenConfigKeepsTheRunningOne) {
  SimProcess sim;
  DaemonProcess daemon(sim, DaemonProcess::Options::manual_only());
  std::size_t before = 0;
  ASSERT_NO_FATAL_FAILURE(break_config_after_first_cycle(daemon, before));
  daemon.process().signal(SIGHUP);
  ASSERT_TRUE(daemon.process().wait_for_stderr_line("reload refused", seconds(30))) << daemon.log();
  const std::string log = daemon.log();
  const auto line_start = log.rfind('\n', log.find("reload refused")) + 1;
  const std::string line = log.substr(line_start, log.find('\n', line_start) - line_start);
  EXPECT_NE(line.find("poll_interval"), std::string::npos) << line;
  const std::string config = read_file(daemon.run().config_path());
  const auto line_number =
      1 + std::count(config.begin(),
                     config.begin() + static_cast<std::ptrdiff_t>(config.find("poll_interval")),
                     '\n');
  EXPECT_NE(line.find(":" + std::to_string(line_number)), std::string::npos)
      << "names the line " << line_number << ": " << line;
  EXPECT_EQ(
      std::count(log.begin(), log.end(), '\n') -
          std::count(log.begin(), log.begin() + static_cast<std::ptrdiff_t>(line_start), '\n'),
      1)
      << "one log line, nothing after it:\n"
      << log.substr(line_start);
  EXPECT_TRUE(daemon.notify().wait_for("RELOADING=1", seconds(10), before));
  EXPECT_TRUE(daemon.notify().wait_for("READY=1", seconds(10), before));
  EXPECT_TRUE(daemon.process().running());
  const CtlResult result = daemon.ctl({"resync", "--wait"});
  EXPECT_EQ(result.exit_code, 0) << describe(result);
}

// The units' ExecReload=: portal-syncctl waits for the verdict, so a refused
// reload fails `systemctl reload` while the daemon keeps its configuration.
TEST(DaemonMode, CtlReloadOfABrokenConfigExitsNonZeroAndKeepsTheRunningOne) {
  SimProcess sim;
  DaemonProcess daemon(sim, DaemonProcess::Options::manual_only());
  std::size_t before = 0;
  ASSERT_NO_FATAL_FAILURE(break_config_after_first_cycle(daemon, before));
  const CtlResult refused = daemon.ctl({"reload"});
  EXPECT_EQ(refused.exit_code, 1) << describe(refused);
  EXPECT_NE(refused.err.find("poll_interval"), std::string::npos) << refused.err;
  EXPECT_TRUE(daemon.notify().wait_for("RELOADING=1", seconds(10), before));
  EXPECT_TRUE(daemon.notify().wait_for("READY=1", seconds(10), before));
  rewrite_config(daemon.run().config_path(), "poll_interval = \"soon\"", "poll_interval = \"2h\"");
  // As the units run it: the socket found through the config file.
  const CtlResult applied = run_ctl({"--config", daemon.run().config_path().string(), "reload"});
  EXPECT_EQ(applied.exit_code, 0) << describe(applied);
  EXPECT_NE(applied.out.find("configuration reloaded"), std::string::npos) << applied.out;
}

TEST(DaemonMode, SighupWithAGoodConfigAppliesIt) {
  SimProcess sim;
  DaemonProcess daemon(sim, DaemonProcess::Options::manual_only());
  ASSERT_TRUE(daemon.wait_first_cycle()) << daemon.log();
  const auto moved = daemon.run().dir() / "moved-status.json";
  rewrite_config(daemon.run().config_path(), "status_file = \"",
                 "status_file = \"" + moved.string() + "\"\n# was: \"");
  daemon.process().signal(SIGHUP);
  ASSERT_TRUE(daemon.process().wait_for_stderr_line("configuration reloaded", seconds(30)))
      << daemon.log();
  const CtlResult result = daemon.ctl({"resync", "--wait"});
  EXPECT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_TRUE(eventually([&] { return std::filesystem::exists(moved); }, seconds(10)));
}

TEST(DaemonMode, SigtermExitsZeroWithinFiveSecondsWhilePushesHang) {
  SimProcess sim;
  // Every write hangs for 8 s: only abandoning them ends the cycle within 5 s.
  sim.fail(pushes_delayed_by(8000));
  DaemonProcess::Options options = DaemonProcess::Options::manual_only();
  options.args = {"--stop-timeout", "2s"};
  DaemonProcess daemon(sim, options);
  ASSERT_TRUE(eventually(
      [&] {
        const auto status = daemon.status();
        return status && (*status)["progress"].IsObject() &&
               (*status)["progress"]["total"].GetUint64() > 0;
      },
      seconds(60)))
      << daemon.log();
  std::this_thread::sleep_for(milliseconds(300));  // the first writes are on the wire
  const auto start = std::chrono::steady_clock::now();
  daemon.process().signal(SIGTERM);
  const auto code = daemon.process().wait(seconds(5));
  ASSERT_TRUE(code) << "still running 5 s after SIGTERM\n" << daemon.log();
  EXPECT_EQ(*code, 0) << daemon.log();
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(5));
  EXPECT_TRUE(daemon.notify().wait_for("STOPPING=1", seconds(1)));
  daemon.process().wait_output_closed(seconds(5));
  EXPECT_NE(daemon.log().find("abandoning"), std::string::npos) << daemon.log();
}

TEST(DaemonMode, SigtermLetsShortPushesFinishAndExitsZero) {
  SimProcess sim;
  sim.fail(pushes_delayed_by(500));
  DaemonProcess daemon(sim, DaemonProcess::Options::manual_only());
  ASSERT_TRUE(eventually([&] { return sim.ledger().puts >= 1; }, seconds(60))) << daemon.log();
  daemon.process().signal(SIGTERM);
  const auto code = daemon.process().wait(seconds(5));
  ASSERT_TRUE(code) << daemon.log();
  EXPECT_EQ(*code, 0);
  daemon.process().wait_output_closed(seconds(5));
  EXPECT_EQ(daemon.log().find("abandoning"), std::string::npos) << daemon.log();
  const auto status = daemon.status();
  ASSERT_TRUE(status);
  EXPECT_GT((*status)["last_cycle"]["pushed"].GetUint64(), 0u) << "outcomes are recorded";
  EXPECT_LT((*status)["last_cycle"]["pushed"].GetUint64(), 141u) << "no new push after SIGTERM";
}

TEST(DaemonMode, WatchdogPingsArriveAtHalfTheWatchdogInterval) {
  SimProcess sim;
  DaemonProcess::Options options = DaemonProcess::Options::manual_only();
  options.env = {"WATCHDOG_USEC=400000"};  // WatchdogSec=400ms: a ping every 200 ms
  DaemonProcess daemon(sim, options);
  ASSERT_TRUE(daemon.wait_first_cycle()) << daemon.log();
  const auto from = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(seconds(3));
  const auto to = std::chrono::steady_clock::now();
  std::size_t pings = 0;
  for (const auto at : daemon.notify().arrivals("WATCHDOG=1")) {
    if (at >= from && at <= to) ++pings;
  }
  const double window = std::chrono::duration<double>(to - from).count();
  // Every 200 ms is 15 pings in 3 s. A stuck loop would send none; systemd
  // would restart a process that missed a whole 400 ms interval, so ask for at
  // least one per interval, and for no flood.
  EXPECT_GE(static_cast<double>(pings), window / 0.4) << pings << " pings in " << window << " s";
  EXPECT_LE(static_cast<double>(pings), window / 0.2 + 2)
      << pings << " pings in " << window << " s";
}

TEST(DaemonMode, AReaderPollingTheStatusFileNeverSeesAPartialFile) {
  SimProcess sim;
  sim.fail(pushes_delayed_by(100));
  DaemonProcess daemon(sim, DaemonProcess::Options::manual_only());
  std::atomic<bool> done{false};
  std::atomic<int> reads{0};
  std::atomic<int> bad{0};
  std::string bad_text;
  std::thread reader([&] {
    while (!done) {
      const std::string text = read_file(daemon.run().status_path());
      if (text.empty()) continue;  // not written yet
      rapidjson::Document document;
      document.Parse(text.c_str());
      ++reads;
      if (document.HasParseError() || !document.IsObject() || !document.HasMember("state")) {
        if (bad++ == 0) bad_text = text;
      }
    }
  });
  // Writers: the running cycle's refresh, and one write per command.
  for (int i = 0; i < 15; ++i) {
    daemon.ctl({"resync"});
    daemon.ctl({"pause"});
    daemon.ctl({"resume"});
  }
  ASSERT_TRUE(daemon.wait_first_cycle());
  done = true;
  reader.join();
  EXPECT_GT(reads.load(), 100);
  EXPECT_EQ(bad.load(), 0) << bad_text;
}

}  // namespace
}  // namespace psd::testing
