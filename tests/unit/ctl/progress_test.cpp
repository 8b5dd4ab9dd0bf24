#include "ctl/progress.hpp"

#include <gtest/gtest.h>

namespace psd::ctl {
namespace {

using Clock = RateMeter::Clock;
using std::chrono::seconds;

TEST(RateMeter, MeasuresPushesPerSecondOverTheRecentWindow) {
  RateMeter meter;
  const auto t0 = Clock::time_point{} + seconds(100);
  meter.add(t0, 0);
  EXPECT_FALSE(meter.rate());
  meter.add(t0 + seconds(2), 40);
  ASSERT_TRUE(meter.rate());
  EXPECT_DOUBLE_EQ(*meter.rate(), 20.0);
  EXPECT_DOUBLE_EQ(*meter.eta_seconds(100), 5.0);
  // Old samples leave the window, so the rate follows a slowdown.
  meter.add(t0 + seconds(30), 100);
  meter.add(t0 + seconds(32), 110);
  EXPECT_DOUBLE_EQ(*meter.rate(), 5.0);
}

TEST(ProgressBar, ShowsDoneTotalRateAndEtaWithinTheWidth) {
  const std::string bar = progress_bar(40, 160, 12.5, 9.6, 80);
  EXPECT_EQ(bar.size(), 80u) << bar;
  EXPECT_NE(bar.find("40/160"), std::string::npos) << bar;
  EXPECT_NE(bar.find(" 25%"), std::string::npos) << bar;
  EXPECT_NE(bar.find("12.5/s"), std::string::npos) << bar;
  EXPECT_NE(bar.find("ETA 0:10"), std::string::npos) << bar;
  EXPECT_EQ(bar.front(), '[');
  EXPECT_NE(progress_bar(0, 0, std::nullopt, std::nullopt, 80).find("ETA -"), std::string::npos);
}

TEST(ProgressLine, IsOnePlainLine) {
  EXPECT_EQ(progress_line(3, 40, 160, 12.5, 3725),
            "cycle 3: 40 of 160 pushes done, 12.5/s, ETA 1:02:05");
  EXPECT_EQ(progress_line(3, 0, 160, std::nullopt, std::nullopt), "cycle 3: 0 of 160 pushes done");
}

}  // namespace
}  // namespace psd::ctl
