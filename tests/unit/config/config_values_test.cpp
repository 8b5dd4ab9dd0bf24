// Values of the right key that are wrong: types, ranges, durations, URLs and
// the checks that tie two keys together.

#include <string>
#include <vector>

#include "tests/unit/config/config_test_support.hpp"

namespace psd::config::test {
namespace {

// One key set to one value, and whether the loader must refuse it.
struct Case {
  std::string section;
  std::string key;
  std::string value;
};

std::string dotted(const Case& c) { return c.section.empty() ? c.key : c.section + "." + c.key; }

// Expect that each case is refused, naming its key and line.
void expect_refused(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    Doc doc;
    doc.set(c.section, c.key, c.value);
    const auto error = error_of(doc.text());
    ASSERT_TRUE(error) << dotted(c) << " = " << c.value;
    EXPECT_EQ(error->key(), dotted(c)) << c.value;
    EXPECT_EQ(error->line(), doc.line(c.section, c.key)) << dotted(c) << " = " << c.value;
  }
}

// Expect that each case loads.
void expect_accepted(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    Doc doc;
    doc.set(c.section, c.key, c.value);
    EXPECT_FALSE(error_of(doc.text()))
        << dotted(c) << " = " << c.value << ": " << error_of(doc.text())->what();
  }
}

TEST_F(ConfigTest, ErrorMessageNamesFileLineKeyAndValue) {
  Doc doc;
  doc.set("national", "max_concurrency", R"("eight")");
  const auto error = error_of(doc.text());
  ASSERT_TRUE(error);
  const int line = doc.line("national", "max_concurrency");
  EXPECT_EQ(std::string(error->what()),
            std::string(kSource) + ":" + std::to_string(line) +
                ": national.max_concurrency: must be an integer from 1 to 256, got \"eight\"");
}

TEST_F(ConfigTest, WrongTypesAreRefused) {
  expect_refused({
      {"", "province", "43"},
      {"", "state_dir", "false"},
      {"", "poll_interval", "300"},
      {"provincial", "base_url", "[\"https://a.example\"]"},
      {"provincial", "page_size", R"("200")"},
      {"provincial", "page_size", "200.0"},
      {"provincial", "timeout", "30"},
      {"national", "client_id", "{ id = \"x\" }"},
      {"national", "max_requests_per_second", R"("fast")"},
      {"retry", "max_attempts", "true"},
      {"safety", "withdraw_removed", R"("yes")"},
      {"safety", "withdraw_removed", "1"},
      {"safety", "max_withdraw_fraction", R"("5%")"},
      {"tls", "allow_insecure_http", R"("true")"},
      {"tls", "ca_file", "1979-05-27"},
  });
}

TEST_F(ConfigTest, SectionThatIsNotATableIsRefused) {
  const auto error = error_of("retry = 5\n" + Doc().text());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->key(), "retry");
  EXPECT_EQ(error->line(), 1);
}

// One key's range: values at its bounds, which load, and values outside it,
// which are refused.
struct Range {
  std::string section;
  std::string key;
  std::vector<std::string> accepted;
  std::vector<std::string> refused;
};

std::vector<Range> ranges() {
  return {
      {"",
       "province",
       {R"("ABCDEFGHIJKLMNOP")", R"("7")"},
       {R"("H-43")", R"("")", R"("ABCDEFGHIJKLMNOPQ")", R"("Hà43")", R"("H43\n")"}},
      {"", "state_dir", {}, {R"("")"}},
      {"", "status_file", {}, {R"("")"}},
      {"", "metrics_file", {R"("")"}, {}},
      {"", "control_socket", {}, {R"("")", "\"/run/" + std::string(110, 's') + ".sock\""}},
      {"", "poll_interval", {R"("1ms")"}, {}},
      {"", "full_resync_interval", {R"("8760h")"}, {}},
      {"provincial", "page_size", {"1", "500"}, {"0", "501", "-1"}},
      {"national", "client_id", {}, {R"("")"}},
      {"national", "client_secret_file", {}, {R"("")"}},
      {"national", "max_concurrency", {"1", "256"}, {"0", "257", "9223372036854775807"}},
      {"national",
       "max_requests_per_second",
       {"0.1", "10000"},
       {"0", "-1.5", "10000.5", "nan", "inf"}},
      {"retry", "max_attempts", {"1", "1000"}, {"0", "1001"}},
      {"safety", "max_withdraw_fraction", {"0", "1"}, {"-0.01", "1.01"}},
      {"safety", "max_catalogue_shrink", {"0.0", "1.0"}, {"2", "nan"}},
  };
}

/// Every range's `accepted` or `refused` values as cases.
std::vector<Case> cases_of(std::vector<std::string> Range::*values) {
  std::vector<Case> cases;
  for (const Range& range : ranges()) {
    for (const std::string& value : range.*values) {
      cases.push_back({range.section, range.key, value});
    }
  }
  return cases;
}

TEST_F(ConfigTest, OutOfRangeValuesAreRefused) { expect_refused(cases_of(&Range::refused)); }

TEST_F(ConfigTest, BoundaryValuesAreAccepted) { expect_accepted(cases_of(&Range::accepted)); }

TEST_F(ConfigTest, BadDurationsAreRefused) {
  const std::string durations[] = {
      "\"30\"", "\"\"",   "\"-5s\"", "\"0s\"", "\"0ms\"",  "\"5 m\"",   "\"1.5s\"",
      "\"5d\"", "\"s\"",  "\" 5s\"", "\"5S\"", "\"5min\"", "\"8761h\"", "\"99999999999999999999h\"",
      "30",     "\"+5s\""};
  const std::pair<std::string, std::string> keys[] = {
      {"", "poll_interval"},   {"", "full_resync_interval"}, {"provincial", "timeout"},
      {"national", "timeout"}, {"retry", "initial_backoff"}, {"retry", "max_backoff"},
  };
  std::vector<Case> cases;
  for (const auto& [section, key] : keys) {
    for (const auto& value : durations) {
      cases.push_back({section, key, value});
    }
  }
  expect_refused(cases);
}

TEST_F(ConfigTest, DurationMessagesSayWhatIsWrong) {
  Doc doc;
  doc.set("provincial", "timeout", R"("30")");
  auto error = error_of(doc.text());
  ASSERT_TRUE(error);
  EXPECT_THAT(error->what(),
              testing::EndsWith(": provincial.timeout: \"30\" is not a duration (use a number and "
                                "a unit: 500ms, 30s, 5m, 24h)"));
  doc.set("provincial", "timeout", R"("0s")");
  error = error_of(doc.text());
  ASSERT_TRUE(error);
  EXPECT_THAT(error->what(), testing::HasSubstr("must be greater than zero"));
}

TEST_F(ConfigTest, InitialBackoffMustNotExceedMaxBackoff) {
  Doc doc;
  doc.set("retry", "initial_backoff", R"("10m")");
  auto error = error_of(doc.text());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->key(), "retry.initial_backoff");
  EXPECT_EQ(error->line(), doc.line("retry", "initial_backoff"));
  EXPECT_THAT(error->what(),
              testing::HasSubstr("must not be longer than retry.max_backoff (5m), got 10m"));

  // With only max_backoff written, it is the one to blame.
  Doc only_max;
  only_max.set("retry", "max_backoff", R"("500ms")");
  error = error_of(only_max.text());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->key(), "retry.max_backoff");
  EXPECT_EQ(error->line(), only_max.line("retry", "max_backoff"));
}

TEST_F(ConfigTest, PlainHttpIsRefusedUnlessAllowed) {
  const Case urls[] = {
      {"provincial", "base_url", R"("http://127.0.0.1:8080/api")"},
      {"national", "base_url", R"("http://127.0.0.1:8081/v1")"},
      {"national", "token_url", R"("http://127.0.0.1:8081/token")"},
  };
  for (const auto& c : urls) {
    Doc doc;
    doc.set(c.section, c.key, c.value);
    const auto error = error_of(doc.text());
    ASSERT_TRUE(error) << dotted(c);
    EXPECT_EQ(error->key(), dotted(c));
    EXPECT_EQ(error->line(), doc.line(c.section, c.key));
    EXPECT_THAT(error->what(), testing::HasSubstr("tls.allow_insecure_http"));

    doc.set("tls", "allow_insecure_http", "true");
    EXPECT_FALSE(error_of(doc.text())) << dotted(c);
  }
}

TEST_F(ConfigTest, MalformedUrlsAreRefused) {
  expect_refused({
      {"provincial", "base_url", R"("catalogue.example/api")"},
      {"provincial", "base_url", R"("ftp://catalogue.example/api")"},
      {"provincial", "base_url", R"("HTTPS://catalogue.example/api")"},
      {"provincial", "base_url", R"("https://")"},
      {"provincial", "base_url", R"("https:///api")"},
      {"provincial", "base_url", R"("https://:443/api")"},
      {"provincial", "base_url", R"("https://catalogue.example:0/api")"},
      {"provincial", "base_url", R"("https://catalogue.example:99999/api")"},
      {"provincial", "base_url", R"("https://catalogue.example/api?x=1")"},
      {"provincial", "base_url", R"("https://catalogue.example/a b")"},
      {"provincial", "base_url", R"("https://[::1/api")"},
      {"national", "base_url", R"("https://portal.example/v1#frag")"},
      {"national", "token_url", R"("https://portal.example/token#frag")"},
      {"national", "token_url", R"("")"},
  });
  expect_accepted({
      {"provincial", "base_url", R"("https://[::1]:8443/api")"},
      {"provincial", "base_url", R"("https://catalogue.example:8443")"},
      {"national", "token_url", R"("https://portal.example/token?tenant=h43")"},
  });
}

TEST_F(ConfigTest, UrlWithPasswordIsRefusedWithoutShowingIt) {
  Doc doc;
  doc.set("national", "token_url", R"("https://user:hunter2@portal.example/token")");
  auto error = error_of(doc.text());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->key(), "national.token_url");
  EXPECT_THAT(error->what(), testing::Not(testing::HasSubstr("hunter2")));

  doc.set("national", "token_url", R"("ftp://user:hunter2@portal.example/token")");
  error = error_of(doc.text());
  ASSERT_TRUE(error);
  EXPECT_THAT(error->what(), testing::Not(testing::HasSubstr("hunter2")));
}

TEST_F(ConfigTest, TrailingSlashOfBaseUrlIsDropped) {
  Doc doc;
  doc.set("provincial", "base_url", R"("https://catalogue.example/api/v1/")");
  EXPECT_EQ(parse_config(doc.text(), kSource).provincial.base_url,
            "https://catalogue.example/api/v1");
}

TEST_F(ConfigTest, ClientCertAndKeyGoTogether) {
  Doc doc;
  doc.set("tls", "client_cert", R"("/etc/pki/cert.pem")");
  auto error = error_of(doc.text());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->key(), "tls.client_key");

  Doc key_only;
  key_only.set("tls", "client_key", R"("/etc/pki/key.pem")");
  error = error_of(key_only.text());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->key(), "tls.client_cert");
}

}  // namespace
}  // namespace psd::config::test
