#include "daemon/core/enum_names.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string_view>

#include "daemon/core/failure.hpp"
#include "daemon/core/service.hpp"

namespace psd::core {
namespace {

enum class Colour { red, green, blue };

constexpr auto kColours = enum_names<Colour::blue>("red", "green", "blue");

// The table is usable at compile time: a spelling is checked by the compiler.
static_assert(kColours(Colour::green) == "green");
static_assert(kColours.parse("blue") == Colour::blue);

TEST(EnumNames, NamesEveryValueAndParsesEachNameBack) {
  for (const Colour colour : {Colour::red, Colour::green, Colour::blue}) {
    EXPECT_EQ(kColours.parse(kColours(colour)), colour) << kColours(colour);
  }
}

TEST(EnumNames, ParsesOnlyExactNames) {
  for (const std::string_view text : {"", "Red", "red ", "gree", "greens", "purple"}) {
    EXPECT_EQ(kColours.parse(text), std::nullopt) << "'" << text << "'";
  }
}

TEST(EnumNames, AValueOutsideTheTableHasNoName) {
  // A value read from a file or a cast can be outside the enumerators.
  EXPECT_EQ(kColours(static_cast<Colour>(3)), "");
  EXPECT_EQ(kColours(static_cast<Colour>(-1)), "");
}

TEST(EnumNames, EachNameEndsInANulForCInterfaces) {
  for (const Colour colour : {Colour::red, Colour::green, Colour::blue}) {
    const std::string_view name = kColours(colour);
    EXPECT_EQ(std::strlen(name.data()), name.size()) << name;
  }
}

// The project's tables, as files, logs and the wire spell them.
TEST(EnumNames, TheProjectsEnumsRoundTrip) {
  for (const Level level : {Level::full, Level::partial}) {
    EXPECT_EQ(parse_level(to_string(level)), level);
  }
  for (const AdminLevel admin : {AdminLevel::province, AdminLevel::district, AdminLevel::commune}) {
    EXPECT_EQ(parse_admin_level(to_string(admin)), admin);
  }
  for (const Status status : {Status::active, Status::suspended}) {
    EXPECT_EQ(parse_status(to_string(status)), status);
  }
  EXPECT_EQ(to_string(FailureKind::rate_limited), "rate_limited");
  EXPECT_EQ(to_string(FailureKind::fatal), "fatal");
}

}  // namespace
}  // namespace psd::core
