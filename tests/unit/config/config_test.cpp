// The loader as a whole: defaults, the example file, unknown and missing
// keys, syntax errors and unreadable files.

#include <toml++/toml.h>

#include <set>

#include "tests/unit/config/config_test_support.hpp"

namespace psd::config::test {
namespace {

using namespace std::chrono_literals;

TEST_F(ConfigTest, MinimalConfigGetsEveryDefault) {
  const auto file = dir_.write("portal-syncd.toml", Doc().text());
  const Config config = load_config(file);
  const Config defaults;

  EXPECT_EQ(config.source, file);
  EXPECT_EQ(config.province, "H43");
  EXPECT_EQ(config.state_dir, "/var/lib/portal-syncd");
  EXPECT_EQ(config.status_file, "/run/portal-syncd/status.json");
  EXPECT_EQ(config.metrics_file, "");
  EXPECT_EQ(config.control_socket, "/run/portal-syncd/control.sock");
  EXPECT_EQ(config.poll_interval, 5min);
  EXPECT_EQ(config.full_resync_interval, 24h);

  EXPECT_EQ(config.provincial.base_url, "https://catalogue.example/api/v1");
  EXPECT_EQ(config.provincial.token_file, "");
  EXPECT_EQ(config.provincial.page_size, 200);
  EXPECT_EQ(config.provincial.timeout, 30s);

  EXPECT_EQ(config.national.base_url, "https://portal.example/integration/v1");
  EXPECT_EQ(config.national.token_url, "https://portal.example/oauth2/token");
  EXPECT_EQ(config.national.client_id, "province-h43");
  EXPECT_EQ(config.national.client_secret_file, dir_.path() / "client_secret");
  EXPECT_EQ(config.national.max_concurrency, 8);
  EXPECT_EQ(config.national.max_requests_per_second, 20);
  EXPECT_EQ(config.national.timeout, 30s);

  EXPECT_EQ(config.retry.initial_backoff, 1s);
  EXPECT_EQ(config.retry.max_backoff, 5min);
  EXPECT_EQ(config.retry.max_attempts, 12);

  EXPECT_FALSE(config.safety.withdraw_removed);
  EXPECT_DOUBLE_EQ(config.safety.max_withdraw_fraction, 0.05);
  EXPECT_DOUBLE_EQ(config.safety.max_catalogue_shrink, 0.10);

  EXPECT_EQ(config.tls.ca_file, "");
  EXPECT_EQ(config.tls.client_cert, "");
  EXPECT_EQ(config.tls.client_key, "");
  EXPECT_FALSE(config.tls.allow_insecure_http);
  EXPECT_EQ(defaults.provincial.page_size, config.provincial.page_size);
}

TEST_F(ConfigTest, EveryKeyIsRead) {
  Doc doc;
  doc.set("", "state_dir", R"("/srv/psd")")
      .set("", "status_file", R"("/srv/psd/status.json")")
      .set("", "metrics_file", R"("/srv/prom/psd.prom")")
      .set("", "control_socket", R"("/srv/psd/ctl.sock")")
      .set("", "poll_interval", R"("90s")")
      .set("", "full_resync_interval", R"("12h")")
      .set("provincial", "token_file", R"("/srv/secrets/token")")
      .set("provincial", "page_size", "500")
      .set("provincial", "timeout", R"("1500ms")")
      .set("national", "max_concurrency", "256")
      .set("national", "max_requests_per_second", "2.5")
      .set("national", "timeout", R"("1m")")
      .set("retry", "initial_backoff", R"("250ms")")
      .set("retry", "max_backoff", R"("250ms")")
      .set("retry", "max_attempts", "1000")
      .set("safety", "withdraw_removed", "true")
      .set("safety", "max_withdraw_fraction", "0")
      .set("safety", "max_catalogue_shrink", "1")
      .set("tls", "ca_file", R"("/srv/tls/ca.pem")")
      .set("tls", "client_cert", R"("/srv/tls/cert.pem")")
      .set("tls", "client_key", R"("/srv/tls/key.pem")")
      .set("tls", "allow_insecure_http", "true");
  const Config config = parse_config(doc.text(), kSource);
  EXPECT_EQ(config.state_dir, "/srv/psd");
  EXPECT_EQ(config.status_file, "/srv/psd/status.json");
  EXPECT_EQ(config.metrics_file, "/srv/prom/psd.prom");
  EXPECT_EQ(config.control_socket, "/srv/psd/ctl.sock");
  EXPECT_EQ(config.poll_interval, 90s);
  EXPECT_EQ(config.full_resync_interval, 12h);
  EXPECT_EQ(config.provincial.token_file, "/srv/secrets/token");
  EXPECT_EQ(config.provincial.page_size, 500);
  EXPECT_EQ(config.provincial.timeout, 1500ms);
  EXPECT_EQ(config.national.max_concurrency, 256);
  EXPECT_DOUBLE_EQ(config.national.max_requests_per_second, 2.5);
  EXPECT_EQ(config.national.timeout, 1min);
  EXPECT_EQ(config.retry.initial_backoff, 250ms);
  EXPECT_EQ(config.retry.max_backoff, 250ms);
  EXPECT_EQ(config.retry.max_attempts, 1000);
  EXPECT_TRUE(config.safety.withdraw_removed);
  EXPECT_DOUBLE_EQ(config.safety.max_withdraw_fraction, 0.0);
  EXPECT_DOUBLE_EQ(config.safety.max_catalogue_shrink, 1.0);
  EXPECT_EQ(config.tls.ca_file, "/srv/tls/ca.pem");
  EXPECT_EQ(config.tls.client_cert, "/srv/tls/cert.pem");
  EXPECT_EQ(config.tls.client_key, "/srv/tls/key.pem");
  EXPECT_TRUE(config.tls.allow_insecure_http);
}

TEST_F(ConfigTest, RelativeWrittenPathsAreTakenFromTheConfigFolder) {
  Doc doc;
  doc.set("", "state_dir", R"("state")").set("", "status_file", R"("run/../status.json")");
  const Config config = load_config(dir_.write("portal-syncd.toml", doc.text()));
  EXPECT_EQ(config.state_dir, dir_.path() / "state");
  EXPECT_EQ(config.status_file, dir_.path() / "status.json");
}

// The annotated example shipped with the daemon.
fs::path example_file() { return fs::path(PSD_SOURCE_DIR) / "config" / "portal-syncd.toml"; }

TEST_F(ConfigTest, ExampleFileLoadsWithTheDefaults) {
  const Config config = load_config(example_file());
  const Config defaults;
  EXPECT_EQ(config.province, "H43");
  EXPECT_EQ(config.state_dir, defaults.state_dir);
  EXPECT_EQ(config.status_file, defaults.status_file);
  EXPECT_EQ(config.metrics_file, defaults.metrics_file);
  EXPECT_EQ(config.control_socket, defaults.control_socket);
  EXPECT_EQ(config.poll_interval, defaults.poll_interval);
  EXPECT_EQ(config.full_resync_interval, defaults.full_resync_interval);
  EXPECT_EQ(config.provincial.token_file, defaults.provincial.token_file);
  EXPECT_EQ(config.provincial.page_size, defaults.provincial.page_size);
  EXPECT_EQ(config.provincial.timeout, defaults.provincial.timeout);
  EXPECT_EQ(config.national.client_secret_file, example_file().parent_path() / "client_secret");
  EXPECT_EQ(config.national.max_concurrency, defaults.national.max_concurrency);
  EXPECT_EQ(config.national.max_requests_per_second, defaults.national.max_requests_per_second);
  EXPECT_EQ(config.national.timeout, defaults.national.timeout);
  EXPECT_EQ(config.retry.initial_backoff, defaults.retry.initial_backoff);
  EXPECT_EQ(config.retry.max_backoff, defaults.retry.max_backoff);
  EXPECT_EQ(config.retry.max_attempts, defaults.retry.max_attempts);
  EXPECT_EQ(config.safety.withdraw_removed, defaults.safety.withdraw_removed);
  EXPECT_EQ(config.safety.max_withdraw_fraction, defaults.safety.max_withdraw_fraction);
  EXPECT_EQ(config.safety.max_catalogue_shrink, defaults.safety.max_catalogue_shrink);
  EXPECT_EQ(config.tls.ca_file, defaults.tls.ca_file);
  EXPECT_EQ(config.tls.client_cert, defaults.tls.client_cert);
  EXPECT_EQ(config.tls.client_key, defaults.tls.client_key);
  EXPECT_EQ(config.tls.allow_insecure_http, defaults.tls.allow_insecure_http);
}

TEST_F(ConfigTest, ExampleFileShowsEveryKey) {
  const toml::table document = toml::parse_file(example_file().string());
  std::set<std::string> keys;
  for (const auto& [key, node] : document) {
    if (const auto* table = node.as_table()) {
      for (const auto& entry : *table) {
        keys.insert(std::string(key) + "." + std::string(entry.first));
      }
    } else {
      keys.insert(std::string(key));
    }
  }
  const std::set<std::string> expected = {"province",
                                          "state_dir",
                                          "status_file",
                                          "metrics_file",
                                          "control_socket",
                                          "poll_interval",
                                          "full_resync_interval",
                                          "provincial.base_url",
                                          "provincial.token_file",
                                          "provincial.page_size",
                                          "provincial.timeout",
                                          "provincial.dialect",
                                          "provincial.mapping_file",
                                          "national.base_url",
                                          "national.token_url",
                                          "national.client_id",
                                          "national.client_secret_file",
                                          "national.max_concurrency",
                                          "national.max_requests_per_second",
                                          "national.timeout",
                                          "retry.initial_backoff",
                                          "retry.max_backoff",
                                          "retry.max_attempts",
                                          "safety.withdraw_removed",
                                          "safety.max_withdraw_fraction",
                                          "safety.max_catalogue_shrink",
                                          "tls.ca_file",
                                          "tls.client_cert",
                                          "tls.client_key",
                                          "tls.allow_insecure_http",
                                          "agencies.remap_file"};
  EXPECT_EQ(keys, expected);
}

TEST_F(ConfigTest, UnknownTopLevelKeyNamesKeyAndLine) {
  Doc doc;
  doc.set("", "pol_interval", R"("5m")");
  const auto error = error_of(doc.text());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->key(), "pol_interval");
  EXPECT_EQ(error->line(), doc.line("", "pol_interval"));
  EXPECT_THAT(error->what(), testing::HasSubstr("unknown key (did you mean poll_interval?)"));
}

TEST_F(ConfigTest, UnknownNestedKeyNamesKeyAndLine) {
  Doc doc;
  doc.set("national", "max_concurency", "8");
  const auto error = error_of(doc.text());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->key(), "national.max_concurency");
  const int line = doc.line("national", "max_concurency");
  EXPECT_EQ(error->line(), line);
  EXPECT_EQ(std::string(error->what()),
            std::string(kSource) + ":" + std::to_string(line) +
                ": national.max_concurency: unknown key (did you mean max_concurrency?)");
}

TEST_F(ConfigTest, UnknownTablesAreRefused) {
  for (const std::string extra : {"[metrics]\npath = \"x\"\n", "[national.extra]\nx = 1\n",
                                  "[[retry.rules]]\nx = 1\n", "[safety]\nwithdraw = true\n"}) {
    const std::string text = Doc().text() + extra;
    const auto error = error_of(text);
    ASSERT_TRUE(error) << extra;
    EXPECT_THAT(error->what(), testing::HasSubstr("unknown key")) << extra;
    EXPECT_EQ(error->line(), line_of(text, extra.substr(0, extra.find('\n'))) +
                                 (extra.starts_with("[safety]") ? 1 : 0))
        << extra;
  }
  const auto error = error_of(Doc().text() + "[national.extra]\nx = 1\n");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->key(), "national.extra");
}

TEST_F(ConfigTest, KeyUnderTheWrongTableSaysWhereItBelongs) {
  std::string text = Doc().text() + "control_socket = \"/run/psd.sock\"\n";
  auto error = error_of(text);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->key(), "national.control_socket");
  EXPECT_EQ(error->line(), line_of(text, "control_socket"));
  EXPECT_THAT(error->what(), testing::HasSubstr("unknown key (it is a top-level key"));

  text = Doc().text() + "[tls]\npage_size = 50\n";
  error = error_of(text);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->key(), "tls.page_size");
  EXPECT_THAT(error->what(), testing::HasSubstr("unknown key (it belongs in [provincial])"));
}

TEST_F(ConfigTest, EarliestProblemIsReported) {
  Doc doc;
  doc.set("", "poll_interval", R"("soon")").set("tls", "bogus", "1");
  const auto error = error_of(doc.text());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->key(), "poll_interval");
  EXPECT_EQ(error->line(), doc.line("", "poll_interval"));
}

TEST_F(ConfigTest, MissingRequiredKeyIsNamedWithoutLine) {
  const std::pair<std::string, std::string> required[] = {
      {"", "province"},          {"provincial", "base_url"}, {"national", "base_url"},
      {"national", "token_url"}, {"national", "client_id"},  {"national", "client_secret_file"},
  };
  for (const auto& [section, key] : required) {
    const std::string dotted = section.empty() ? key : std::string(section).append(".").append(key);
    const auto error = error_of(Doc().erase(section, key).text());
    ASSERT_TRUE(error) << dotted;
    EXPECT_EQ(error->key(), dotted);
    EXPECT_EQ(error->line(), 0);
    EXPECT_EQ(std::string(error->what()),
              std::string(kSource) + ": " + dotted + ": required key is missing");
  }
}

TEST_F(ConfigTest, MissingSectionReportsItsRequiredKeys) {
  const auto error =
      error_of("province = \"H43\"\n[provincial]\nbase_url = \"https://c.example\"\n");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->key(), "national.base_url");
  EXPECT_EQ(error->line(), 0);
}

TEST_F(ConfigTest, SyntaxErrorNamesFileAndLine) {
  const std::string text = "province = \"H43\"\n[national]\nclient_id = \"x\n";
  const auto error = error_of(text);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->line(), 3);
  EXPECT_EQ(error->key(), "");
  EXPECT_THAT(error->what(), testing::StartsWith(std::string(kSource) + ":3: TOML syntax error"));
}

TEST_F(ConfigTest, DuplicateKeyIsASyntaxError) {
  const std::string text = Doc().text() + "[retry]\nmax_attempts = 3\nmax_attempts = 4\n";
  const auto error = error_of(text);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->line(), line_of(text, "max_attempts = 4"));
}

TEST_F(ConfigTest, UnreadableFileIsNamed) {
  const fs::path missing = dir_.path() / "nope.toml";
  try {
    load_config(missing);
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_THAT(error.what(), testing::StartsWith(missing.string() + ": cannot read"));
    EXPECT_EQ(error.line(), 0);
  }
  EXPECT_THROW(load_config(dir_.path()), ConfigError);
}

}  // namespace
}  // namespace psd::config::test
