#include "tests/integration/daemon_run.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>

#include "tests/support/child_process.hpp"

namespace psd::testing {
namespace {

std::filesystem::path fresh_dir() {
  static std::atomic<int> counter{0};
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  auto dir = std::filesystem::temp_directory_path() /
             ("psd-it-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
              (test ? test->name() : "run"));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

}  // namespace

std::string read_file(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string describe(const DaemonResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\n--- stdout\n" + result.out +
         "\n--- stderr\n" + result.err;
}

DaemonRun::DaemonRun(const SimProcess& sim, const std::string& extra_toml,
                     const std::string& national_extra, const std::string& tls_table)
    : dir_(fresh_dir()) {
  write(dir_ / "client_secret", sim.client_secret() + "\n");
  std::filesystem::permissions(dir_ / "client_secret", std::filesystem::perms::owner_read |
                                                           std::filesystem::perms::owner_write);
  write(config_path(),
        "province = \"" + sim.province() + "\"\n" + "state_dir = \"" + (dir_ / "state").string() +
            "\"\n" + "status_file = \"" + status_path().string() + "\"\n" + extra_toml +
            "\n[provincial]\nbase_url = \"" + sim.provincial_url() + "\"\n" + "page_size = 100\n" +
            "\n[national]\nbase_url = \"" + sim.national_url() + "\"\n" + "token_url = \"" +
            sim.token_url() + "\"\n" + "client_id = \"" + sim.client_id() + "\"\n" +
            "client_secret_file = \"client_secret\"\n" + national_extra +
            "\n[retry]\ninitial_backoff = \"50ms\"\nmax_backoff = \"500ms\"\n"
            "\n[tls]\n" +
            tls_table);
}

DaemonRun::~DaemonRun() {
  if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir_);
}

DaemonResult DaemonRun::run(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {"--config", config_path().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess daemon(PSD_DAEMON_BINARY, argv);
  DaemonResult result;
  const auto code = daemon.wait(std::chrono::seconds(120));
  EXPECT_TRUE(code) << "portal-syncd did not finish in 120 s";
  daemon.wait_output_closed(std::chrono::seconds(5));
  result.exit_code = code.value_or(-1);
  result.out = daemon.stdout_text();
  result.err = daemon.stderr_text();
  return result;
}

rapidjson::Document DaemonRun::status() const {
  rapidjson::Document document;
  const std::string text = read_file(status_path());
  document.Parse(text.c_str());
  EXPECT_FALSE(document.HasParseError()) << "status file is not JSON: " << text;
  EXPECT_TRUE(document.IsObject());
  return document;
}

}  // namespace psd::testing
