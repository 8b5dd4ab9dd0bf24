// The control socket and portal-syncctl: the protocol's greeting, codes and
// command table (every command in it answered, its arguments checked), who
// may connect, the messages when the daemon is not there, status, history
// and retry.

#include <grp.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "daemon/control/commands.hpp"
#include "daemon/control/protocol.hpp"
#include "tests/integration/daemon_process.hpp"
#include "tests/support/wait.hpp"

namespace psd::testing {
namespace {

using std::chrono::seconds;

/// A raw connection to the control socket, reading whole lines.
class RawClient {
 public:
  explicit RawClient(const std::string& path) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    timeval timeout{30, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~RawClient() { ::close(fd_); }
  bool connected() const { return connected_; }
  void send(const std::string& line) {
    const std::string text = line + "\n";
    ASSERT_EQ(::write(fd_, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }
  /// The next line, or "" at end of file or timeout.
  std::string line() {
    while (buffer_.find('\n') == std::string::npos) {
      char chunk[4096];
      const ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
      if (got <= 0) return "";
      buffer_.append(chunk, static_cast<std::size_t>(got));
    }
    const auto at = buffer_.find('\n');
    std::string out = buffer_.substr(0, at);
    buffer_.erase(0, at + 1);
    return out;
  }
  rapidjson::Document json() {
    rapidjson::Document document;
    const std::string text = line();
    document.Parse(text.c_str());
    EXPECT_FALSE(document.HasParseError()) << text;
    return document;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

TEST(ControlSocket, GreetsWithItsProtocolAndAnswersWithFixedCodes) {
  SimProcess sim;
  DaemonProcess daemon(sim, DaemonProcess::Options::manual_only());
  struct stat info {};
  ASSERT_EQ(::stat(daemon.socket().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0660u);

  RawClient client(daemon.socket());
  ASSERT_TRUE(client.connected());
  const auto hello = client.json();
  EXPECT_STREQ(hello["type"].GetString(), "hello");
  EXPECT_STREQ(hello["protocol"].GetString(), "portal-syncd-control");
  EXPECT_EQ(hello["version"].GetInt(), 1);
  EXPECT_STREQ(hello["province"].GetString(), "H43");

  client.send("not json");
  EXPECT_EQ(client.json()["code"].GetInt(), 1);
  client.send(R"({"id":2,"command":"frobnicate"})");
  auto unknown = client.json();
  EXPECT_EQ(unknown["id"].GetInt(), 2);
  EXPECT_EQ(unknown["code"].GetInt(), 2);
  EXPECT_STREQ(unknown["status"].GetString(), "unknown_command");
  client.send(R"({"id":3,"command":"history","args":{"limit":"ten"}})");
  EXPECT_EQ(client.json()["code"].GetInt(), 3);
  client.send(R"({"id":4,"command":"resync","args":{"bogus":true}})");
  EXPECT_EQ(client.json()["code"].GetInt(), 3);

  client.send(R"({"id":5,"command":"list-commands"})");
  const auto list = client.json();
  ASSERT_EQ(list["code"].GetInt(), 0);
  std::vector<std::string> names;
  for (const auto& command : list["result"]["commands"].GetArray()) {
    names.emplace_back(command["name"].GetString());
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"status", "resync", "plan", "retry", "pause", "resume",
                                      "history", "reload", "backup", "codes", "list-commands"}));
  EXPECT_EQ(list["result"]["result_codes"]["not_allowed"].GetInt(), 6);
}

/// The smallest "args" object that fits `command`'s schema: its required members.
std::string fitting_args(const control::CommandSpec& command) {
  std::string args;
  for (const auto& arg : command.args) {
    if (!arg.required) continue;
    std::string value;
    switch (arg.type) {
      case control::ArgType::boolean:
        value = "true";
        break;
      case control::ArgType::text:
      case control::ArgType::any_text:
        value = "\"X\"";
        break;
      case control::ArgType::texts:
        value = "[\"X\"]";
        break;
      case control::ArgType::integer:
        value = std::to_string(arg.low);
        break;
      case control::ArgType::one_of:
        value = "\"" + std::string(arg.choices.front()) + "\"";
        break;
    }
    args += (args.empty() ? "\"" : ",\"") + std::string(arg.name) + "\":" + value;
  }
  return "{" + args + "}";
}

std::string request(std::int64_t id, std::string_view command, const std::string& args) {
  return "{\"id\":" + std::to_string(id) + ",\"command\":\"" + std::string(command) +
         "\",\"args\":" + args + "}";
}

TEST(ControlSocket, EveryCommandInTheTableIsAnsweredAndChecksItsArguments) {
  SimProcess sim;
  DaemonProcess daemon(sim, DaemonProcess::Options::manual_only());
  ASSERT_TRUE(daemon.wait_first_cycle()) << daemon.log();
  RawClient client(daemon.socket());
  ASSERT_TRUE(client.connected());
  ASSERT_STREQ(client.json()["type"].GetString(), "hello");

  // The daemon lists exactly the table.
  client.send(request(1, "list-commands", "{}"));
  const auto list = client.json();
  ASSERT_EQ(list["code"].GetInt(), 0);
  std::vector<std::string> listed;
  for (const auto& command : list["result"]["commands"].GetArray()) {
    listed.emplace_back(command["name"].GetString());
  }
  std::vector<std::string> table;
  for (const auto& command : control::command_table()) table.emplace_back(command.name);
  EXPECT_EQ(listed, table);

  std::int64_t id = 100;
  for (const auto& command : control::command_table()) {
    SCOPED_TRACE(std::string(command.name));
    // An unknown argument is refused, naming it, before any handler runs.
    client.send(request(++id, command.name, R"({"bogus":true})"));
    const auto bogus = client.json();
    ASSERT_TRUE(bogus.IsObject()) << "no answer";
    EXPECT_EQ(bogus["id"].GetInt64(), id);
    EXPECT_EQ(bogus["code"].GetInt(), 3);
    EXPECT_NE(std::string(bogus["error"].GetString()).find("\"bogus\""), std::string::npos)
        << bogus["error"].GetString();

    // With arguments that fit, every command is answered: never a timeout.
    client.send(request(++id, command.name, fitting_args(command)));
    const auto reply = client.json();
    ASSERT_TRUE(reply.IsObject()) << "no answer within 30 s";
    EXPECT_STREQ(reply["type"].GetString(), "reply");
    EXPECT_EQ(reply["id"].GetInt64(), id);
    // backup without a passed file is refused; every other command succeeds.
    EXPECT_EQ(reply["code"].GetInt(), command.name == "backup" ? 3 : 0) << control::to_line(reply);
  }
}

TEST(ControlSocket, PortalSyncctlSaysWhenTheDaemonIsNotRunning) {
  TempDir dir;
  const CtlResult missing = run_ctl({"--socket", dir.file("none.sock"), "status"});
  EXPECT_EQ(missing.exit_code, 69) << describe(missing);
  EXPECT_NE(missing.err.find("portal-syncd is not running"), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find(dir.file("none.sock")), std::string::npos) << missing.err;

  // A socket file left behind by a daemon that died: nobody listens.
  const std::string stale = dir.stale_socket("stale.sock");
  const CtlResult dead = run_ctl({"--socket", stale, "status"});
  EXPECT_EQ(dead.exit_code, 69) << describe(dead);
  EXPECT_NE(dead.err.find("nobody listens"), std::string::npos) << dead.err;

  const CtlResult usage = run_ctl({"frobnicate"});
  EXPECT_EQ(usage.exit_code, 64) << describe(usage);
}

/// In a child process running as `uid` with groups `groups`: connect to
/// `path` and return the first line the daemon sent (or "connect: …").
std::string first_line_as(uid_t uid, const std::vector<gid_t>& groups, const std::string& path) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return "pipe failed";
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(pipe_fds[0]);
    std::string line;
    if (::setgroups(groups.size(), groups.data()) != 0 || ::setgid(uid) != 0 ||
        ::setuid(uid) != 0) {
      line = "cannot drop privileges";
    } else {
      RawClient client(path);
      line = client.connected() ? client.line() : std::string("connect: ") + std::strerror(errno);
    }
    [[maybe_unused]] auto n = ::write(pipe_fds[1], line.data(), line.size());
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string out;
  char chunk[4096];
  ssize_t got;
  while ((got = ::read(pipe_fds[0], chunk, sizeof chunk)) > 0) out.append(chunk, got);
  ::close(pipe_fds[0]);
  ::waitpid(child, nullptr, 0);
  return out;
}

/// Run portal-syncctl as `uid` (no supplementary group); return its exit code.
int ctl_exit_as(uid_t uid, const std::vector<std::string>& args) {
  const pid_t child = ::fork();
  if (child == 0) {
    if (::setgroups(0, nullptr) != 0 || ::setgid(uid) != 0 || ::setuid(uid) != 0) ::_exit(99);
    std::vector<char*> argv{const_cast<char*>(PSD_CTL_BINARY)};
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    ::execv(PSD_CTL_BINARY, argv.data());
    ::_exit(98);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(ControlSocket, APeerOutsideTheAllowedSetIsRefused) {
  if (::geteuid() != 0) {
    GTEST_SKIP() << "needs root, to connect as another uid (setuid in a forked child)";
  }
  SimProcess sim;
  DaemonProcess daemon(sim, DaemonProcess::Options::manual_only());
  const uid_t nobody = 65534;
  const std::string dir = std::filesystem::path(daemon.socket()).parent_path();
  ::chmod(dir.c_str(), 0755);  // so the other uid can reach the socket file

  // With the socket's mode 0660 the kernel already says no.
  const std::string by_mode = first_line_as(nobody, {}, daemon.socket());
  EXPECT_NE(by_mode.find("Permission denied"), std::string::npos) << by_mode;
  EXPECT_EQ(ctl_exit_as(nobody, {"--socket", daemon.socket(), "status"}), 77);

  // Opened by hand to everyone, the peer check still refuses the stranger…
  ASSERT_EQ(::chmod(daemon.socket().c_str(), 0666), 0);
  const std::string refused = first_line_as(nobody, {}, daemon.socket());
  EXPECT_NE(refused.find("\"code\":6"), std::string::npos) << refused;
  EXPECT_NE(refused.find("not_allowed"), std::string::npos) << refused;
  EXPECT_NE(refused.find("uid 65534"), std::string::npos) << refused;
  EXPECT_EQ(ctl_exit_as(nobody, {"--socket", daemon.socket(), "status"}), 77);
  // …and lets in a member of the socket's group.
  struct stat info {};
  ASSERT_EQ(::stat(daemon.socket().c_str(), &info), 0);
  const std::string member = first_line_as(nobody, {info.st_gid}, daemon.socket());
  EXPECT_NE(member.find("\"type\":\"hello\""), std::string::npos) << member;
  // The log is read from a pipe by another thread: wait for the line to arrive.
  EXPECT_TRUE(eventually([&] { return daemon.log().find("refused a peer") != std::string::npos; },
                         std::chrono::seconds(10)))
      << daemon.log();
}

TEST(ControlSocket, StatusHistoryPlanAndRetryThroughPortalSyncctl) {
  SimProcess sim({"--reject", "3"});
  DaemonProcess daemon(sim, DaemonProcess::Options::manual_only());
  ASSERT_TRUE(daemon.wait_first_cycle()) << daemon.log();

  const CtlResult status = daemon.ctl({"status"});
  ASSERT_EQ(status.exit_code, 0) << describe(status);
  EXPECT_NE(status.out.find("province H43: idle"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("rejected 3"), std::string::npos) << status.out;
  const CtlResult json = daemon.ctl({"status", "--json"});
  ASSERT_EQ(json.exit_code, 0) << describe(json);
  rapidjson::Document parsed;
  parsed.Parse(json.out.c_str());
  ASSERT_FALSE(parsed.HasParseError()) << json.out;
  EXPECT_EQ(parsed["queue"]["rejected"].GetInt(), 3);
  EXPECT_FALSE(parsed["daemon"]["paused"].GetBool());

  const CtlResult plan = daemon.ctl({"plan"});
  ASSERT_EQ(plan.exit_code, 0) << describe(plan);
  EXPECT_NE(plan.out.find("Plan for province H43"), std::string::npos) << plan.out;

  sim.reset_ledger();
  const CtlResult retry = daemon.ctl({"retry", "--rejected"});
  ASSERT_EQ(retry.exit_code, 0) << describe(retry);
  EXPECT_NE(retry.out.find("3 rejected service(s) re-queued"), std::string::npos) << retry.out;
  // The portal still refuses them: the retry cycle sends the three again.
  EXPECT_TRUE(eventually([&] { return sim.ledger().rejections == 3; }, seconds(60)))
      << daemon.log();

  const CtlResult history = daemon.ctl({"history", "-n", "1"});
  ASSERT_EQ(history.exit_code, 0) << describe(history);
  EXPECT_NE(history.out.find("FINISHED"), std::string::npos) << history.out;
  const auto rows = std::count(history.out.begin(), history.out.end(), '\n');
  EXPECT_EQ(rows, 2) << "a header and one cycle:\n" << history.out;

  const CtlResult reload = daemon.ctl({"reload"});
  EXPECT_EQ(reload.exit_code, 0) << describe(reload);
  EXPECT_NE(reload.out.find("configuration reloaded"), std::string::npos);
}

}  // namespace
}  // namespace psd::testing
