// The harness's checks: ledger_has and no_mistakes on a ledger, the stale
// socket TempDir makes and the $JOURNAL_STREAM value of a file.

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <string>

#include "tests/support/journal_stream.hpp"
#include "tests/support/ledger_has.hpp"
#include "tests/support/temp_dir.hpp"

namespace psd::testing {
namespace {

SimLedger ledger_of(const LedgerCounts& counts) {
  SimLedger ledger;
  for (const std::string_view name : kMistakes) {
    ledger.all[std::string(name)] = 0;
  }
  for (const auto& [name, value] : counts) {
    ledger.all[name] = value;
  }
  return ledger;
}

TEST(LedgerHas, PassesWhenEveryNamedCounterHasItsValue) {
  EXPECT_TRUE(ledger_has(ledger_of({{"creates", 3}, {"updates", 0}}), {{"creates", 3}}));
  EXPECT_TRUE(ledger_has(ledger_of({{"creates", 3}}), {}));
}

TEST(LedgerHas, NamesEachCounterThatDiffersWithBothValues) {
  const auto result =
      ledger_has(ledger_of({{"creates", 3}, {"updates", 1}}), {{"creates", 4}, {"updates", 2}});
  ASSERT_FALSE(result);
  EXPECT_NE(std::string(result.message()).find("creates is 3, expected 4"), std::string::npos)
      << result.message();
  EXPECT_NE(std::string(result.message()).find("updates is 1, expected 2"), std::string::npos)
      << result.message();
}

TEST(LedgerHas, ACounterTheSimulatorDoesNotKeepFails) {
  const auto result = ledger_has(ledger_of({}), {{"creats", 0}});
  ASSERT_FALSE(result);
  EXPECT_NE(std::string(result.message()).find("creats: portal-sim's ledger has no such counter"),
            std::string::npos)
      << result.message();
}

TEST(NoMistakes, FailsOnAnyMistakeCounterAboveZero) {
  EXPECT_TRUE(no_mistakes(ledger_of({{"creates", 10}, {"idempotent_replays", 2}})));
  for (const std::string_view name : kMistakes) {
    EXPECT_FALSE(no_mistakes(ledger_of({{std::string(name), 1}}))) << name;
  }
}

TEST(TempDir, StaleSocketIsASocketFileNobodyListensOn) {
  TempDir dir;
  const std::string path = dir.stale_socket("gone.sock");
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_TRUE(S_ISSOCK(info.st_mode));
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  EXPECT_NE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  EXPECT_EQ(errno, ECONNREFUSED);
  ::close(fd);
}

TEST(JournalStreamOf, IsTheDeviceAndInodeOfTheFile) {
  TempDir dir;
  const std::string path = dir.write("stderr.log", "");
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(journal_stream_of(path),
            std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino));
  EXPECT_THROW(journal_stream_of(dir.file("missing")), std::runtime_error);
}

}  // namespace
}  // namespace psd::testing
