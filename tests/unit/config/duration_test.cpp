// parse_duration on its own.

#include <string>

#include "tests/unit/config/config_test_support.hpp"

namespace psd::config::test {
namespace {

using namespace std::chrono_literals;

TEST(ParseDuration, ReadsEachUnit) {
  const std::pair<std::string, Duration> cases[] = {
      {"500ms", 500ms}, {"1ms", 1ms}, {"30s", 30s},    {"5m", 5min},
      {"24h", 24h},     {"90s", 90s}, {"0005m", 5min}, {"8760h", 8760h},
  };
  for (const auto& [text, expected] : cases) {
    EXPECT_EQ(parse_duration(text), expected) << text;
  }
}

TEST(ParseDuration, RefusesBadText) {
  const std::string cases[] = {
      "",
      "0s",
      "0ms",
      "-5s",
      "-0s",
      "30",
      "s",
      "ms",
      "5",
      "5d",
      "5S",
      "5 s",
      " 5s",
      "5s ",
      "1.5s",
      "1,5s",
      "+5s",
      "5sec",
      "5mm",
      "5m5s",
      "0x10s",
      "9223372036854775808ms",
      "9223372036854775807h",
      "99999999999999999999999s",
  };
  for (const auto& text : cases) {
    const auto parsed = parse_duration(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().kind, core::FailureKind::invalid) << text;
  }
}

TEST(ParseDuration, LargestValueFits) {
  EXPECT_EQ(parse_duration("9223372036854775807ms")->count(), 9223372036854775807);
  EXPECT_FALSE(parse_duration("9223372036854776s"));
}

TEST(ParseDuration, MessageSaysWhatIsWrong) {
  const auto parsed = parse_duration("30");
  ASSERT_FALSE(parsed) << "no error";
  EXPECT_THAT(parsed.error().message, testing::HasSubstr("\"30\""));
  EXPECT_THAT(parsed.error().message, testing::HasSubstr("unit"));
}

}  // namespace
}  // namespace psd::config::test
