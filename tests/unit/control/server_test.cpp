// ControlServer over a real unix socket, driven by poll() as the daemon does.
#include "daemon/control/server.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include "daemon/control/protocol.hpp"
#include "tests/support/temp_dir.hpp"

namespace psd::control {
namespace {

int connect_to(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

/// Poll the server once (up to 100 ms) and collect the lines it received.
void pump(ControlServer& server, std::vector<std::pair<ClientId, std::string>>& lines) {
  std::vector<pollfd> fds;
  server.add_poll_fds(fds);
  ::poll(fds.data(), fds.size(), 100);
  server.handle(fds, [&](ClientId client, std::string_view line) {
    lines.emplace_back(client, std::string(line));
  });
}

/// Read from `fd` until a newline, pumping the server meanwhile.
std::string read_line(ControlServer& server, int fd,
                      std::vector<std::pair<ClientId, std::string>>& lines) {
  std::string text;
  for (int i = 0; i < 100 && text.find('\n') == std::string::npos; ++i) {
    pump(server, lines);
    char chunk[4096];
    const ssize_t got = ::recv(fd, chunk, sizeof chunk, MSG_DONTWAIT);
    if (got == 0) break;
    if (got > 0) text.append(chunk, static_cast<std::size_t>(got));
  }
  return text.substr(0, text.find('\n'));
}

TEST(ControlServer, GreetsDeliversLinesAndSendsReplies) {
  psd::testing::TempDir dir;
  const std::string path = dir.file("run/ctl.sock");  // the folder is created
  ControlServer server(path, R"({"type":"hello"})");
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_TRUE(S_ISSOCK(info.st_mode));
  EXPECT_EQ(info.st_mode & 0777, 0660u);

  const int fd = connect_to(path);
  ASSERT_GE(fd, 0);
  std::vector<std::pair<ClientId, std::string>> lines;
  EXPECT_EQ(read_line(server, fd, lines), R"({"type":"hello"})");
  const std::string request = "{\"command\":\"a\"}\r\n{\"command\":\"b\"}\n{\"comm";
  ASSERT_EQ(::write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
  for (int i = 0; i < 20 && lines.size() < 2; ++i) pump(server, lines);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].second, R"({"command":"a"})");
  EXPECT_EQ(lines[1].second, R"({"command":"b"})");
  EXPECT_TRUE(server.connected(lines[0].first));
  server.send(lines[0].first, "reply");
  EXPECT_EQ(read_line(server, fd, lines), "reply");
  ::close(fd);
  for (int i = 0; i < 5; ++i) pump(server, lines);
  EXPECT_FALSE(server.connected(lines[0].first));
}

TEST(ControlServer, ALineTooLongIsRefusedAndTheClientClosed) {
  psd::testing::TempDir dir;
  ControlServer server(dir.file("ctl.sock"), "hello");
  const int fd = connect_to(dir.file("ctl.sock"));
  std::vector<std::pair<ClientId, std::string>> lines;
  EXPECT_EQ(read_line(server, fd, lines), "hello");
  const std::string flood(kMaxLineBytes + 10, 'x');
  std::size_t sent = 0;
  std::string reply;
  for (int i = 0; i < 200 && reply.empty(); ++i) {
    if (sent < flood.size()) {
      const ssize_t n = ::send(fd, flood.data() + sent, flood.size() - sent, MSG_DONTWAIT);
      if (n > 0) sent += static_cast<std::size_t>(n);
    }
    pump(server, lines);
    char chunk[4096];
    const ssize_t got = ::recv(fd, chunk, sizeof chunk, MSG_DONTWAIT);
    if (got > 0) reply.assign(chunk, static_cast<std::size_t>(got));
  }
  EXPECT_NE(reply.find("request line too long"), std::string::npos) << reply;
  EXPECT_TRUE(lines.empty());
  ::close(fd);
}

TEST(ControlServer, ReplacesAStaleSocketButNotALiveOneOrAFile) {
  psd::testing::TempDir dir;
  const std::string path = dir.file("ctl.sock");
  {
    ControlServer first(path, "hello");
    EXPECT_THROW(ControlServer second(path, "hello"), std::runtime_error);
  }
  EXPECT_FALSE(std::filesystem::exists(path)) << "the socket file is removed on close";
  // A socket file left by a daemon that was killed: nobody listens on it.
  dir.stale_socket("ctl.sock");
  EXPECT_NO_THROW(ControlServer replaced(path, "hello"));

  const std::string file = dir.write("not-a-socket", "data");
  try {
    ControlServer refused(file, "hello");
    FAIL() << "a regular file was replaced";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("not a socket"), std::string::npos) << error.what();
  }
  EXPECT_EQ(dir.read("not-a-socket"), "data");
}

}  // namespace
}  // namespace psd::control
