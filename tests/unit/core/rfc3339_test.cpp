#include "daemon/core/rfc3339.hpp"

#include <gtest/gtest.h>

namespace psd::core {
namespace {

TEST(Rfc3339, AcceptsOffsetsZuluAndFractions) {
  EXPECT_TRUE(is_rfc3339_timestamp("2024-10-28T09:15:00+07:00"));
  EXPECT_TRUE(is_rfc3339_timestamp("2024-10-28T02:15:00Z"));
  EXPECT_TRUE(is_rfc3339_timestamp("2024-10-28t02:15:00.25-03:30"));
  EXPECT_TRUE(is_rfc3339_timestamp("2000-02-29T00:00:00Z"));
}

TEST(Rfc3339, RefusesWhatIsNotAFullTimestampWithOffset) {
  for (const char* text :
       {"", "2024-10-28", "2024-10-28T09:15:00", "2024-10-28T09:15+07:00", "2024-13-01T00:00:00Z",
        "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2024-10-28T24:00:00Z",
        "2024-10-28T09:15:00+0700", "2024-10-28T09:15:00.Z", "2024-10-28T09:15:00+24:00",
        "2024-10-28T09:15:00Z ", "२०२४-10-28T09:15:00Z"}) {
    EXPECT_FALSE(is_rfc3339_timestamp(text)) << text;
  }
}

}  // namespace
}  // namespace psd::core
