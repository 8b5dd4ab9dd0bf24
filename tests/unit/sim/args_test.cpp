#include "sim/args.hpp"

#include <gtest/gtest.h>

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
  EXPECT_EQ(r.options.token_ttl, 3600);
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
  EXPECT_NE(usage_text().find("--integrated"), std::string::npos);
}

}  // namespace
}  // namespace psd::sim
