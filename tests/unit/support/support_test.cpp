// TempDir, eventually() and DaemonConfig of the test harness.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "tests/support/daemon_config.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/wait.hpp"

namespace psd::testing {
namespace {

using namespace std::chrono_literals;

TEST(TempDir, WritesReadsAndCleansUp) {
  std::string path;
  {
    TempDir dir;
    path = dir.path();
    EXPECT_TRUE(std::filesystem::is_directory(path));
    EXPECT_LT(path.size(), 60u) << "short enough for a unix socket below it";
    const std::string f = dir.write("a/b/secret", "s3cret");
    EXPECT_EQ(f, path + "/a/b/secret");
    EXPECT_EQ(dir.read("a/b/secret"), "s3cret");
    struct stat st {};
    ASSERT_EQ(::stat(f.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_THROW(dir.read("missing"), std::runtime_error);
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(Eventually, PollsUntilTrueOrTimeout) {
  int calls = 0;
  EXPECT_TRUE(eventually([&] { return ++calls == 3; }, 2s, 1ms));
  EXPECT_EQ(calls, 3);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(eventually([] { return false; }, 50ms, 5ms));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 50ms);
}

TEST(DaemonConfig, PointsAtTheSimulatorWithEveryContractKey) {
  TempDir dir;
  SimProcess sim({"--services", "2", "--full", "1", "--integrated", "1", "--province", "H01",
                  "--client-id", "province-h01", "--client-secret", "pa\"ss"});
  DaemonConfig cfg = DaemonConfig::for_sim(sim, dir);
  cfg.withdraw_removed = true;
  const std::string path = cfg.write(dir);
  EXPECT_EQ(path, dir.file("portal-syncd.toml"));
  EXPECT_EQ(dir.read("client_secret"), "pa\"ss");
  const std::string toml = dir.read("portal-syncd.toml");
  for (const std::string& line : std::vector<std::string>{
           "province = \"H01\"", "[provincial]", "base_url = \"" + sim.provincial_url() + "\"",
           "[national]", "base_url = \"" + sim.national_url() + "\"",
           "token_url = \"" + sim.token_url() + "\"", "client_id = \"province-h01\"",
           "client_secret_file = \"client_secret\"", "[retry]", "[safety]",
           "withdraw_removed = true", "max_withdraw_fraction = 0.05", "max_catalogue_shrink = 0.1",
           "[tls]", "allow_insecure_http = true", "state_dir = \"" + dir.file("state") + "\""}) {
    EXPECT_NE(toml.find(line + "\n"), std::string::npos) << line << "\n" << toml;
  }
}

}  // namespace
}  // namespace psd::testing
