// `make install` (cmake --install with DESTDIR) lays out the binaries, the
// systemd units, the examples and the docs; the installed units start the
// installed binary, pass `systemd-analyze verify` and score 2.0 or lower in
// `systemd-analyze security --offline=true` (SKIPPED when systemd-analyze is
// missing or cannot run here); the shipped configs name the folders the
// units give the service.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "config/config.hpp"
#include "tests/support/external_tool.hpp"
#include "tests/support/temp_dir.hpp"

namespace psd::testing {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPrefix = PSD_INSTALL_PREFIX;

std::string slurp(const fs::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

/// The settings of `wanted` ("[Service]", "[Install]"): key → values in order.
std::multimap<std::string, std::string> section_settings(const fs::path& unit,
                                                         std::string_view wanted) {
  std::multimap<std::string, std::string> settings;
  std::istringstream lines(slurp(unit));
  std::string section;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    if (line[0] == '[') {
      section = line;
      continue;
    }
    const auto equals = line.find('=');
    if (section == wanted && equals != std::string::npos) {
      settings.emplace(line.substr(0, equals), line.substr(equals + 1));
    }
  }
  return settings;
}

std::string setting(const fs::path& unit, const std::string& key,
                    std::string_view section = "[Service]") {
  const auto settings = section_settings(unit, section);
  const auto it = settings.find(key);
  return it == settings.end() ? "" : it->second;
}

/// One `make install DESTDIR=...` for the whole suite.
class Installed : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    ChildOptions options;
    options.env = {"DESTDIR=" + dir_->path()};
    install_ = new ToolResult(
        run_tool(PSD_CMAKE_COMMAND, {"--install", PSD_BINARY_DIR}, "", std::move(options)));
  }
  static void TearDownTestSuite() {
    delete install_;
    delete dir_;
  }
  void SetUp() override { ASSERT_EQ(install_->exit_code, 0) << install_->output(); }

  static fs::path root() { return dir_->path(); }
  static fs::path under_prefix(const std::string& path) {
    return root() / (std::string(kPrefix.substr(1)) + "/" + path);  // kPrefix is absolute
  }
  static fs::path unit(const std::string& name) {
    return under_prefix("lib/systemd/system/" + name);
  }

  static TempDir* dir_;
  static ToolResult* install_;
};

TempDir* Installed::dir_ = nullptr;
ToolResult* Installed::install_ = nullptr;

TEST_F(Installed, LaysOutBinariesUnitsExamplesAndDocs) {
  const std::vector<std::string> expected = {
      "sbin/portal-syncd",
      "bin/portal-syncctl",
      "lib/systemd/system/portal-syncd.service",
      "lib/systemd/system/portal-syncd@.service",
      "lib/sysusers.d/portal-syncd.conf",
      "share/doc/portal-syncd/README.md",
      "share/doc/portal-syncd/examples/portal-syncd.toml",
      "share/doc/portal-syncd/examples/H43.toml",
      "share/doc/portal-syncd/examples/portal-syncd.rules.yml",
      "share/bash-completion/completions/portal-syncd",
      "share/bash-completion/completions/portal-syncctl",
      "share/man/man8/portal-syncd.8",
      "share/man/man8/portal-syncctl.8",
      "share/man/man5/portal-syncd.toml.5",
      "share/portal-syncd/mappings/opencps.toml",  // found by name: mapping_file = "opencps"
  };
  for (const std::string& path : expected) {
    EXPECT_TRUE(fs::is_regular_file(under_prefix(path))) << under_prefix(path);
  }
  EXPECT_EQ(::access(under_prefix("sbin/portal-syncd").c_str(), X_OK), 0);
  EXPECT_TRUE(fs::is_regular_file(root() / "etc/portal-syncd/portal-syncd.toml"));
  EXPECT_EQ(slurp(unit("portal-syncd.service")).find('@' + std::string("PSD_")), std::string::npos)
      << "a placeholder left in the unit";
}

TEST_F(Installed, ASecondInstallKeepsTheAdminsConfig) {
  const fs::path config = root() / "etc/portal-syncd/portal-syncd.toml";
  std::ofstream(config) << "province = \"K01\"\n";
  ChildOptions options;
  options.env = {"DESTDIR=" + root().string()};
  const ToolResult again =
      run_tool(PSD_CMAKE_COMMAND, {"--install", PSD_BINARY_DIR}, "", std::move(options));
  ASSERT_EQ(again.exit_code, 0) << again.output();
  EXPECT_EQ(slurp(config), "province = \"K01\"\n");
}

TEST_F(Installed, UnitsStartTheInstalledDaemon) {
  for (const std::string name : {"portal-syncd.service", "portal-syncd@.service"}) {
    const std::string exec = setting(unit(name), "ExecStart");
    const std::string binary = exec.substr(0, exec.find(' '));
    EXPECT_EQ(binary, std::string(kPrefix) + "/sbin/portal-syncd") << name;
    EXPECT_EQ(::access((root() / binary.substr(1)).c_str(), X_OK), 0) << name << ": " << binary;
    EXPECT_EQ(setting(unit(name), "Type"), "notify") << name;
    const std::string config =
        name == "portal-syncd.service" ? "portal-syncd.toml" : std::string("%i.toml");
    // Reload asks the daemon and waits for its verdict; no /bin/kill needed.
    EXPECT_EQ(setting(unit(name), "ExecReload"),
              std::string(kPrefix) + "/bin/portal-syncctl --config /etc/portal-syncd/" + config +
                  " reload")
        << name;
    EXPECT_EQ(setting(unit(name), "WantedBy", "[Install]"), "multi-user.target") << name;
    EXPECT_EQ(setting(unit(name), "Restart"), "on-failure") << name;
    EXPECT_FALSE(setting(unit(name), "WatchdogSec").empty()) << name;
    EXPECT_EQ(setting(unit(name), "User"), "portal-syncd") << name;
  }
  EXPECT_EQ(setting(unit("portal-syncd@.service"), "ExecStart"),
            std::string(kPrefix) + "/sbin/portal-syncd --config /etc/portal-syncd/%i.toml");
}

// `man` renders each installed page without a groff warning (SKIPPED
// without man-db); `make deb` checks the packaged ones the same way.
TEST_F(Installed, ManPagesRenderWithoutWarnings) {
  const auto man = find_program("man");
  if (!man) GTEST_SKIP() << "man not installed (Debian package man-db)";
  for (const std::string page :
       {"man8/portal-syncd.8", "man8/portal-syncctl.8", "man5/portal-syncd.toml.5"}) {
    ChildOptions options;
    options.env = {"MANWIDTH=80", "LC_ALL=C.UTF-8"};
    const ToolResult result =
        run_tool(*man, {"--warnings", "-l", under_prefix("share/man/" + page).string()}, "",
                 std::move(options));
    EXPECT_EQ(result.exit_code, 0) << page << ": " << result.err;
    EXPECT_EQ(result.err, "") << page;
    EXPECT_NE(result.out.find("NAME"), std::string::npos) << page;
  }
}

TEST_F(Installed, TheSysusersEntryCreatesTheUnitsUser) {
  const std::string sysusers = slurp(under_prefix("lib/sysusers.d/portal-syncd.conf"));
  EXPECT_TRUE(std::regex_search(sysusers, std::regex(R"((^|\n)u portal-syncd )"))) << sysusers;
}

/// systemd-analyze, or a reason to skip: missing, or unable to verify a
/// trivial unit here (e.g. in a container without what it needs).
class SystemdAnalyze : public Installed {
 protected:
  void SetUp() override {
    Installed::SetUp();
    analyze_ = find_program("systemd-analyze");
    if (!analyze_) GTEST_SKIP() << "systemd-analyze not installed (Debian package systemd)";
    const fs::path trivial = work_.file("trivial.service");
    std::ofstream(trivial) << "[Service]\nExecStart=/bin/true\n";
    const ToolResult probe = run_tool(*analyze_, {"verify", trivial.string()});
    if (probe.exit_code != 0 || !probe.output().empty()) {
      GTEST_SKIP() << "systemd-analyze cannot run here: " << probe.output();
    }
  }

  /// A copy of installed unit `name`, saved as `as`, starting the binaries
  /// inside DESTDIR (systemd-analyze checks that ExecStart= and ExecReload=
  /// exist and knows no DESTDIR).
  fs::path runnable_copy(const std::string& name, const std::string& as) const {
    std::string text = slurp(unit(name));
    for (const std::string binary : {"/sbin/portal-syncd", "/bin/portal-syncctl"}) {
      const std::string installed = std::string(kPrefix) + binary;
      const auto at = text.find(installed);
      if (at != std::string::npos) {
        text.replace(at, installed.size(), (root() / installed.substr(1)).string());
      }
    }
    fs::path copy = work_.file(as);
    std::ofstream(copy) << text;
    return copy;
  }

  std::optional<std::string> analyze_;
  TempDir work_;
};

TEST_F(SystemdAnalyze, VerifyFindsNothingToSay) {
  for (const auto& [name, as] : {std::pair{"portal-syncd.service", "portal-syncd.service"},
                                 std::pair{"portal-syncd@.service", "portal-syncd@H43.service"}}) {
    // --man=no: the units' man: pages are in DESTDIR, not installed here.
    const ToolResult result =
        run_tool(*analyze_, {"verify", "--man=no", runnable_copy(name, as).string()});
    EXPECT_EQ(result.exit_code, 0) << as << ": " << result.output();
    EXPECT_EQ(result.output(), "") << as;
  }
}

// The check above can fail: verify does complain about a broken setting.
TEST_F(SystemdAnalyze, VerifyReportsABrokenSetting) {
  const fs::path copy = runnable_copy("portal-syncd.service", "broken.service");
  std::string text = slurp(copy);
  text.insert(text.find("[Service]\n") + 10, "ProtectSystem=sometimes\n");
  std::ofstream(copy) << text;
  const ToolResult result = run_tool(*analyze_, {"verify", "--man=no", copy.string()});
  EXPECT_NE(result.output().find("protect system value"), std::string::npos) << result.output();
}

TEST_F(SystemdAnalyze, SecurityExposureIsAtMostTwo) {
  const std::regex overall(R"(Overall exposure level for \S+: (\d+\.\d))");
  for (const auto& [name, as] : {std::pair{"portal-syncd.service", "portal-syncd.service"},
                                 std::pair{"portal-syncd@.service", "portal-syncd@H43.service"}}) {
    const ToolResult result = run_tool(
        *analyze_, {"security", "--offline=true", "--no-pager", runnable_copy(name, as).string()});
    std::smatch match;
    const std::string output = result.output();
    ASSERT_TRUE(std::regex_search(output, match, overall)) << as << ": " << output;
    const double exposure = std::stod(match[1].str());
    EXPECT_LE(exposure, 2.0) << as << ":\n" << output;
    RecordProperty(as, match[1].str());
  }
}

/// The value of `key` with the unit's instance specifier %i as `instance`.
std::string for_instance(std::string value, const std::string& instance) {
  for (auto at = value.find("%i"); at != std::string::npos; at = value.find("%i")) {
    value.replace(at, 2, instance);
  }
  return value;
}

TEST(ShippedConfigs, TheDefaultConfigWritesWhereTheSingleUnitLetsIt) {
  const fs::path source = PSD_SOURCE_DIR;
  const config::Config config = config::load_config(source / "config/portal-syncd.toml");
  const fs::path unit = source / "systemd/portal-syncd.service.in";
  EXPECT_EQ(config.state_dir, "/var/lib/" + setting(unit, "StateDirectory"));
  const fs::path run = "/run/" + setting(unit, "RuntimeDirectory");
  EXPECT_EQ(config.status_file.parent_path(), run);
  EXPECT_EQ(config.control_socket.parent_path(), run);
  EXPECT_NE(setting(unit, "LoadCredential").find("client_secret:"), std::string::npos);
  EXPECT_EQ(config.national.client_secret_file.filename(), "client_secret");
}

TEST(ShippedConfigs, TheInstanceExampleWritesWhereItsInstanceLetsIt) {
  const fs::path source = PSD_SOURCE_DIR;
  TempDir credentials;
  credentials.write("client_secret", "s3cret\n");
  ASSERT_EQ(::setenv("CREDENTIALS_DIRECTORY", credentials.path().c_str(), 1), 0);
  const config::Config config = config::load_config(source / "systemd/H43.toml");
  ::unsetenv("CREDENTIALS_DIRECTORY");
  const fs::path unit = source / "systemd/portal-syncd@.service.in";
  EXPECT_EQ(config.province, "H43");
  EXPECT_EQ(config.state_dir, "/var/lib/" + for_instance(setting(unit, "StateDirectory"), "H43"));
  EXPECT_EQ(config.control_socket, "/run/portal-syncd/H43.sock");
  EXPECT_EQ(config.status_file.parent_path(), "/run/" + setting(unit, "RuntimeDirectory"));
  EXPECT_EQ(setting(unit, "LoadCredential"), "client_secret:/etc/portal-syncd/%i.client_secret");
  EXPECT_EQ(config.national.client_secret_file, fs::path(credentials.path()) / "client_secret");
  EXPECT_NE(setting(unit, "ReadWritePaths").find(config.metrics_file.parent_path().string()),
            std::string::npos)
      << "the metrics file's folder must be writable in the unit";
}

}  // namespace
}  // namespace psd::testing
