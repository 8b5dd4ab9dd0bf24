// ControlClient against a real unix socket that answers one connection with a
// given greeting: each way of failing to talk to the daemon is a value whose
// kind gives the exit code the man page documents.
#include "ctl/client.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <thread>

#include "ctl/exit.hpp"
#include "tests/support/temp_dir.hpp"

namespace psd::ctl {
namespace {

/// A listener on `path` that accepts one connection, writes `greeting` to it
/// (nothing when empty) and closes it.
class OneGreeting {
 public:
  OneGreeting(const std::string& path, std::string greeting) {
    listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    bound_ = ::bind(listener_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0 &&
             ::listen(listener_, 1) == 0;
    if (!bound_) return;
    server_ = std::thread([this, greeting = std::move(greeting)] {
      const int client = ::accept(listener_, nullptr, nullptr);
      if (client < 0) return;
      if (!greeting.empty()) {
        const std::string line = greeting + "\n";
        [[maybe_unused]] const auto sent = ::send(client, line.data(), line.size(), MSG_NOSIGNAL);
      }
      ::close(client);
    });
  }
  ~OneGreeting() {
    // Wakes an accept() still waiting when the client never came.
    ::shutdown(listener_, SHUT_RDWR);
    if (server_.joinable()) server_.join();
    ::close(listener_);
  }
  OneGreeting(const OneGreeting&) = delete;
  OneGreeting& operator=(const OneGreeting&) = delete;
  bool bound() const { return bound_; }

 private:
  int listener_ = -1;
  bool bound_ = false;
  std::thread server_;
};

struct Refusal {
  const char* name;
  const char* greeting;  ///< "" closes without one
  Exit exit;
  const char* says;
};

class ControlClientGreeting : public ::testing::TestWithParam<Refusal> {};

TEST_P(ControlClientGreeting, FailsWithTheExitCodeOfItsKind) {
  const Refusal& refusal = GetParam();
  psd::testing::TempDir dir;
  const std::string path = dir.file("ctl.sock");
  OneGreeting server(path, refusal.greeting);
  ASSERT_TRUE(server.bound()) << path;
  const auto client = ControlClient::connect(path);
  ASSERT_FALSE(client.has_value());
  EXPECT_EQ(exit_code(client.error().kind), refusal.exit) << client.error().message;
  EXPECT_NE(client.error().message.find(refusal.says), std::string::npos) << client.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    EachRefusal, ControlClientGreeting,
    ::testing::Values(Refusal{"PeerCheck",
                              R"({"type":"reply","id":null,"code":6,"error":"uid 1000 may not"})",
                              kNoAccess, "the daemon refused this connection: uid 1000 may not"},
                      Refusal{"OtherProtocol", R"({"type":"hello","protocol":"smtp","version":1})",
                              kProtocol, "is not a portal-syncd control socket"},
                      Refusal{"OtherVersion",
                              R"({"type":"hello","protocol":"portal-syncd-control","version":99})",
                              kProtocol, "control protocol version 99"},
                      Refusal{"NotJson", "220 mail.example ESMTP", kProtocol, "not a JSON object"},
                      Refusal{"ClosedBeforeGreeting", "", kNotRunning, "closed the connection"}),
    [](const ::testing::TestParamInfo<Refusal>& each) { return std::string(each.param.name); });

TEST(ControlClient, NoSocketMeansTheDaemonIsNotRunning) {
  psd::testing::TempDir dir;
  const auto client = ControlClient::connect(dir.file("none.sock"));
  ASSERT_FALSE(client.has_value());
  EXPECT_EQ(exit_code(client.error().kind), kNotRunning);
  EXPECT_NE(client.error().message.find("portal-syncd is not running"), std::string::npos)
      << client.error().message;
}

TEST(ControlClient, ASocketPathLongerThanSunPathIsAUsageError) {
  const auto client = ControlClient::connect("/tmp/" + std::string(120, 'a') + ".sock");
  ASSERT_FALSE(client.has_value());
  EXPECT_EQ(exit_code(client.error().kind), kUsage);
  EXPECT_NE(client.error().message.find("socket path too long"), std::string::npos);
}

}  // namespace
}  // namespace psd::ctl
