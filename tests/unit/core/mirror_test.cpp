#include "daemon/core/mirror.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <stdexcept>
#include <string>

namespace psd::core {
namespace {

TEST(Mirror, AddsFindsAndKeepsTheFirstOfACode) {
  Mirror mirror;
  EXPECT_FALSE(mirror.contains("A"));
  EXPECT_TRUE(mirror.add("A", "sha256:a", Level::full));
  EXPECT_TRUE(mirror.add("B", "sha256:b", Level::partial));
  EXPECT_FALSE(mirror.add("A", "sha256:other", Level::partial));
  ASSERT_EQ(mirror.size(), 2u);
  EXPECT_EQ(mirror.at("A").content_hash, "sha256:a");
  EXPECT_EQ(mirror.at("A").level, Level::full);
  EXPECT_EQ(mirror.find("B")->level, Level::partial);
  EXPECT_FALSE(mirror.find("C"));
  EXPECT_EQ(mirror.index_of("C"), Mirror::npos);
  EXPECT_THROW(mirror.at("C"), std::out_of_range);
  EXPECT_EQ(mirror[mirror.index_of("B")].code, "B");
}

TEST(Mirror, PutReplacesAndEraseRemoves) {
  Mirror mirror{{"A", {"h1", Level::full}}, {"B", {"h2", Level::full}}};
  mirror.put("A", "h1b", Level::partial);
  mirror.put("C", "h3", Level::full);
  EXPECT_TRUE(mirror.erase("B"));
  EXPECT_FALSE(mirror.erase("B"));
  ASSERT_EQ(mirror.size(), 2u);
  EXPECT_EQ(mirror.at("A").content_hash, "h1b");
  EXPECT_EQ(mirror.at("A").level, Level::partial);
  EXPECT_EQ(mirror.at("C").content_hash, "h3");
  EXPECT_FALSE(mirror.contains("B"));
}

TEST(Mirror, KeepsTextOfEveryLengthAndEmptyHashes) {
  Mirror mirror;
  const std::string long_code(200'000, 'x');  // longer than a text block
  mirror.add(long_code, "", Level::full);
  mirror.add(std::string_view("N\0L", 3), "h", Level::full);
  EXPECT_EQ(mirror.at(long_code).content_hash, "");
  EXPECT_TRUE(mirror.contains(std::string_view("N\0L", 3)));
  EXPECT_FALSE(mirror.contains("N"));
}

// Many adds and removals, checked against std::map: the index stays right
// through every growth and every backward shift.
TEST(Mirror, AgreesWithAMapThroughManyChanges) {
  std::mt19937 random(14);
  Mirror mirror;
  std::map<std::string, MirrorEntry> expected;
  for (int step = 0; step < 20'000; ++step) {
    const std::string code = "S." + std::to_string(random() % 3'000);
    const std::string hash = "sha256:" + std::to_string(step);
    switch (random() % 3) {
      case 0:
        EXPECT_EQ(mirror.add(code, hash, Level::full), !expected.contains(code));
        expected.emplace(code, MirrorEntry{hash, Level::full});
        break;
      case 1:
        mirror.put(code, hash, Level::partial);
        expected[code] = MirrorEntry{hash, Level::partial};
        break;
      default:
        EXPECT_EQ(mirror.erase(code), expected.erase(code) == 1);
    }
  }
  ASSERT_EQ(mirror.size(), expected.size());
  for (const auto& [code, entry] : expected) {
    const auto held = mirror.find(code);
    ASSERT_TRUE(held) << code;
    EXPECT_EQ(held->content_hash, entry.content_hash) << code;
    EXPECT_EQ(held->level, entry.level) << code;
  }
  std::size_t seen = 0;
  for (const HeldService held : mirror) {
    ++seen;
    EXPECT_TRUE(expected.contains(std::string(held.code))) << held.code;
  }
  EXPECT_EQ(seen, expected.size());

  const Mirror copy = mirror;
  ASSERT_EQ(copy.size(), mirror.size());
  for (const HeldService held : mirror)
    EXPECT_EQ(copy.at(held.code).content_hash, held.content_hash);
}

}  // namespace
}  // namespace psd::core
