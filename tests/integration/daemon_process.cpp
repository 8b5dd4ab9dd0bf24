#include "tests/integration/daemon_process.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include "tests/support/wait.hpp"

namespace psd::testing {

NotifySocket::NotifySocket(std::string path) : path_(std::move(path)) {
  fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (fd_ < 0 || path_.size() >= sizeof address.sun_path) {
    throw std::runtime_error("cannot make the notify socket " + path_);
  }
  std::memcpy(address.sun_path, path_.c_str(), path_.size() + 1);
  if (::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error("cannot bind the notify socket " + path_ + ": " +
                             std::strerror(errno));
  }
  reader_ = std::thread([this] { receive(); });
}

NotifySocket::~NotifySocket() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  reader_.join();
  ::close(fd_);
  ::unlink(path_.c_str());
}

void NotifySocket::receive() {
  char buffer[4096];
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stop_) return;
    }
    pollfd fd{fd_, POLLIN, 0};
    if (::poll(&fd, 1, 50) <= 0) continue;
    const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
    if (got <= 0) continue;
    std::lock_guard lock(mutex_);
    messages_.emplace_back(Clock::now(), std::string(buffer, static_cast<std::size_t>(got)));
  }
}

std::vector<std::string> NotifySocket::messages() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [at, text] : messages_) out.push_back(text);
  return out;
}

namespace {
bool has_line(const std::string& message, const std::string& line) {
  std::size_t start = 0;
  while (start <= message.size()) {
    const auto end = message.find('\n', start);
    if (message.substr(start, end - start) == line) return true;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return false;
}
}  // namespace

std::vector<NotifySocket::Clock::time_point> NotifySocket::arrivals(const std::string& line) const {
  std::lock_guard lock(mutex_);
  std::vector<Clock::time_point> out;
  for (const auto& [at, text] : messages_) {
    if (has_line(text, line)) out.push_back(at);
  }
  return out;
}

bool NotifySocket::wait_for(const std::string& line, std::chrono::milliseconds timeout,
                            std::size_t after) const {
  return eventually(
      [&] {
        std::lock_guard lock(mutex_);
        for (std::size_t i = after; i < messages_.size(); ++i) {
          if (has_line(messages_[i].second, line)) return true;
        }
        return false;
      },
      timeout);
}

CtlResult run_ctl(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  return run_program(PSD_CTL_BINARY, args, timeout);
}

CtlResult run_program(const std::string& binary, const std::vector<std::string>& args,
                      std::chrono::milliseconds timeout) {
  ChildProcess ctl(binary, args);
  CtlResult result;
  const auto code = ctl.wait(timeout);
  EXPECT_TRUE(code) << binary << " did not finish";
  ctl.wait_output_closed(std::chrono::seconds(5));
  result.exit_code = code.value_or(-1);
  result.out = ctl.stdout_text();
  result.err = ctl.stderr_text();
  return result;
}

DaemonProcess::DaemonProcess(const SimProcess& sim, const Options& options)
    : socket_(short_dir_.file("ctl.sock")) {
  run_ = std::make_unique<DaemonRun>(
      sim, "control_socket = \"" + socket_ + "\"\n" + options.extra_toml, options.national_extra);
  if (options.prepare) options.prepare(*run_);
  notify_ = std::make_unique<NotifySocket>(short_dir_.file("notify.sock"));
  std::vector<std::string> argv = {"--config", run_->config_path().string()};
  argv.insert(argv.end(), options.args.begin(), options.args.end());
  ChildOptions child;
  child.env = options.env;
  child.env.push_back("NOTIFY_SOCKET=" + notify_->path());
  process_ = std::make_unique<ChildProcess>(PSD_DAEMON_BINARY, argv, child);
  EXPECT_TRUE(notify_->wait_for("READY=1", std::chrono::seconds(60)))
      << "no READY=1 from portal-syncd\n"
      << process_->stderr_text();
}

DaemonProcess::~DaemonProcess() {
  if (process_->running()) process_->terminate(std::chrono::seconds(20));
}

CtlResult DaemonProcess::ctl(const std::vector<std::string>& args,
                             std::chrono::milliseconds timeout) const {
  std::vector<std::string> argv = {"--socket", socket_};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_ctl(argv, timeout);
}

std::optional<rapidjson::Document> DaemonProcess::status() const {
  const std::string text = read_file(run_->status_path());
  if (text.empty()) return std::nullopt;
  rapidjson::Document document;
  document.Parse(text.c_str());
  if (document.HasParseError() || !document.IsObject()) return std::nullopt;
  return document;
}

bool DaemonProcess::wait_first_cycle(std::chrono::milliseconds timeout) const {
  return eventually(
      [&] {
        const auto document = status();
        return document && (*document)["last_cycle"].IsObject();
      },
      timeout, std::chrono::milliseconds(50));
}

}  // namespace psd::testing
