#include "sim/args.hpp"

#include <gtest/gtest.h>

#include "sim/profile_fields.hpp"

namespace psd::sim {
namespace {

TEST(Args, Defaults) {
  const auto r = parse_args({});
  ASSERT_EQ(r.action, ParseResult::Action::kRun);
  EXPECT_EQ(r.options.port, 0);
  EXPECT_EQ(r.options.province, "H43");
  EXPECT_EQ(r.options.services, 1126);
  EXPECT_EQ(r.options.full, 582);
  EXPECT_EQ(r.options.integrated, 985);
  EXPECT_EQ(r.options.client_id, "province-h43");
  EXPECT_EQ(r.options.client_secret, "sim-secret");
  EXPECT_EQ(r.options.profile.token_ttl, 3600);
}

TEST(Args, BothSpellings) {
  const auto r = parse_args({"--services", "10", "--full=3", "--integrated", "4", "--province=H01",
                             "--extra-fields", "--stale", "2"});
  ASSERT_EQ(r.action, ParseResult::Action::kRun) << r.error;
  EXPECT_EQ(r.options.services, 10);
  EXPECT_EQ(r.options.full, 3);
  EXPECT_EQ(r.options.integrated, 4);
  EXPECT_EQ(r.options.stale, 2);
  EXPECT_EQ(r.options.province, "H01");
  EXPECT_TRUE(r.options.extra_fields);
}

TEST(Args, ErrorsNameTheOption) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"--services", "ten"}, "--services"},
      {{"--bogus"}, "--bogus"},
      {{"--full", "2000"}, "--full"},
      {{"--stale", "990"}, "--stale"},
      {{"--reject", "142"}, "--reject"},
      {{"--province", "H-43"}, "--province"},
      {{"--port", "70000"}, "--port"},
      {{"--token-ttl", "0"}, "--token-ttl"},
      {{"--seed"}, "--seed"},
      {{"--invalid", "-1"}, "--invalid"},
  };
  for (const auto& [args, name] : cases) {
    const auto r = parse_args(args);
    EXPECT_EQ(r.action, ParseResult::Action::kError) << args[0];
    EXPECT_NE(r.error.find(name), std::string::npos) << r.error;
  }
}

TEST(Args, Help) {
  EXPECT_EQ(parse_args({"--help"}).action, ParseResult::Action::kHelp);
  EXPECT_EQ(parse_args({"-h"}).action, ParseResult::Action::kHelp);
  const std::string help = usage_text();
  for (const char* documented :
       {"--integrated", "--tls-cert", "--tls-key", "--tls-client-ca", "--control-port",
        "GET  /_sim/faults", "POST /_sim/faults", "body=html", "apply_resets", "html_pages",
        "injected_503", "portal-sim control on"}) {
    EXPECT_NE(help.find(documented), std::string::npos) << documented;
  }
  // Every field of the run-time profile: its option, and its name in the
  // list of GET /_sim/faults.
  const std::string faults = help.substr(help.find("GET  /_sim/faults"));
  for (const ProfileField& field : kProfileFields) {
    EXPECT_NE(help.find(std::string(field.option) + " "), std::string::npos) << field.option;
    const std::string word = " " + std::string(field.name);
    EXPECT_TRUE(faults.find(word + " ") != std::string::npos ||
                faults.find(word + "\n") != std::string::npos)
        << field.name;
  }
}

TEST(Args, EveryProfileOptionSetsItsField) {
  for (const ProfileField& field : kProfileFields) {
    // A value inside every field's range that is no field's default.
    const bool targets = field.name == "targets";
    const std::string value = targets ? "catalogue" : field.max == 0 ? "0.125" : "7";
    const auto r = parse_args({std::string(field.option), value});
    ASSERT_EQ(r.action, ParseResult::Action::kRun) << field.option << ": " << r.error;
    const std::string json = profile_json(r.options.profile);
    const std::string expected =
        "\"" + std::string(field.name) + "\":" + (targets ? "\"catalogue\"" : value);
    EXPECT_NE(json.find(expected), std::string::npos) << field.option << " " << json;
    const auto bad = parse_args({std::string(field.option), "x"});
    EXPECT_EQ(bad.action, ParseResult::Action::kError) << field.option;
    EXPECT_NE(bad.error.find(field.option), std::string::npos) << bad.error;
    EXPECT_NE(bad.error.find(field.name), std::string::npos) << bad.error;
  }
}

TEST(Args, FaultProfile) {
  const auto r = parse_args({"--p503", "0.2", "--p503-retry-after-share=0.25", "--p-reset", "0.05",
                             "--p-apply-reset", "0.05", "--p-slow", "0.03", "--slow-ms", "2500",
                             "--p500", "0.01", "--p-html", "0.02", "--retry-after-seconds", "3",
                             "--fault-targets", "national,catalogue"});
  ASSERT_EQ(r.action, ParseResult::Action::kRun) << r.error;
  const FaultRates& f = r.options.profile.faults;
  EXPECT_DOUBLE_EQ(f.p503, 0.2);
  EXPECT_DOUBLE_EQ(f.p503_retry_after_share, 0.25);
  EXPECT_DOUBLE_EQ(f.p_reset, 0.05);
  EXPECT_DOUBLE_EQ(f.p_apply_reset, 0.05);
  EXPECT_DOUBLE_EQ(f.p_slow, 0.03);
  EXPECT_EQ(f.slow_ms, 2500);
  EXPECT_DOUBLE_EQ(f.p500, 0.01);
  EXPECT_DOUBLE_EQ(f.p_html, 0.02);
  EXPECT_EQ(f.retry_after_seconds, 3);
  EXPECT_EQ(targets_text(f.targets), "put,delete,list,catalogue");
  const auto d = parse_args({});
  EXPECT_DOUBLE_EQ(d.options.profile.faults.p503, 0.0);
  EXPECT_EQ(targets_text(d.options.profile.faults.targets), "put,delete,list,token");
}

TEST(Args, FaultAndTlsErrorsNameTheOption) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"--p503", "1.2"}, "--p503"},
      {{"--p-reset", "-0.1"}, "--p-reset"},
      {{"--p-slow", "often"}, "--p-slow"},
      {{"--slow-ms", "-5"}, "--slow-ms"},
      {{"--fault-targets", "put,moon"}, "--fault-targets"},
      {{"--p500", "0.6", "--p503", "0.6"}, "--p503"},
      {{"--tls-cert", "a.pem"}, "--tls-key"},
      {{"--tls-client-ca", "ca.pem"}, "--tls-client-ca"},
      {{"--control-port", "70000"}, "--control-port"},
  };
  for (const auto& [args, name] : cases) {
    const auto r = parse_args(args);
    EXPECT_EQ(r.action, ParseResult::Action::kError) << args[0];
    EXPECT_NE(r.error.find(name), std::string::npos) << r.error;
  }
}

}  // namespace
}  // namespace psd::sim
