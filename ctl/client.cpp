#include "ctl/client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "daemon/control/protocol.hpp"

namespace psd::ctl {
namespace {

using core::failure;
using core::FailureKind;

tl::unexpected<core::Failure> not_running(const std::filesystem::path& socket,
                                          const std::string& detail) {
  return failure(FailureKind::transient,
                 "portal-syncd is not running: " + detail + " " + socket.string() +
                     " (start it with 'systemctl start portal-syncd', or give the socket with "
                     "--socket)");
}

/// The daemon answered outside the protocol (or not in time).
tl::unexpected<core::Failure> protocol_error(std::string message) {
  return failure(FailureKind::bad_response, std::move(message));
}

}  // namespace

tl::expected<ControlClient, core::Failure> ControlClient::connect(
    const std::filesystem::path& socket) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string path = socket.string();
  if (path.size() >= sizeof address.sun_path) {
    return failure(FailureKind::invalid, "socket path too long: " + path);
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return failure(FailureKind::fatal, std::string("socket: ") + std::strerror(errno));
  // Owned from here: closed on every way out.
  ControlClient client(socket, fd);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const int error = errno;
    if (error == ENOENT) return not_running(socket, "no control socket at");
    if (error == ECONNREFUSED) return not_running(socket, "nobody listens on the stale socket");
    if (error == EACCES || error == EPERM) {
      return failure(FailureKind::forbidden,
                     "cannot open the control socket " + path +
                         ": permission denied; run as root, as the daemon's user, or as a "
                         "member of the socket's group");
    }
    return failure(FailureKind::transient,
                   "cannot connect to " + path + ": " + std::strerror(error));
  }
  if (auto greeted = client.greet(); !greeted) return tl::unexpected(std::move(greeted.error()));
  return client;
}

tl::expected<void, core::Failure> ControlClient::greet() {
  auto greeting = read_message(std::chrono::seconds(10));
  if (!greeting) return tl::unexpected(std::move(greeting.error()));
  hello_ = std::move(*greeting);
  const auto type = hello_.FindMember("type");
  if (type != hello_.MemberEnd() && type->value == "reply") {
    const auto error = hello_.FindMember("error");
    return failure(FailureKind::forbidden,
                   "the daemon refused this connection: " +
                       std::string(error != hello_.MemberEnd() && error->value.IsString()
                                       ? error->value.GetString()
                                       : "no reason given"));
  }
  const auto protocol = hello_.FindMember("protocol");
  const auto version = hello_.FindMember("version");
  if (type == hello_.MemberEnd() || type->value != "hello" || protocol == hello_.MemberEnd() ||
      protocol->value != control::kProtocolName.data() || version == hello_.MemberEnd() ||
      !version->value.IsInt()) {
    return protocol_error(socket_.string() + " is not a portal-syncd control socket");
  }
  if (version->value.GetInt() != control::kProtocolVersion) {
    return protocol_error("the daemon speaks control protocol version " +
                          std::to_string(version->value.GetInt()) + ", this portal-syncctl " +
                          std::to_string(control::kProtocolVersion) +
                          "; use the portal-syncctl installed with the daemon");
  }
  return {};
}

ControlClient::ControlClient(ControlClient&& other) noexcept
    : socket_(std::move(other.socket_)),
      fd_(std::exchange(other.fd_, -1)),
      buffer_(std::move(other.buffer_)),
      next_id_(other.next_id_),
      hello_(std::move(other.hello_)) {}

ControlClient::~ControlClient() {
  if (fd_ >= 0) ::close(fd_);
}

tl::expected<std::string, core::Failure> ControlClient::read_line(
    std::optional<std::chrono::milliseconds> timeout) {
  const auto deadline = timeout ? std::chrono::steady_clock::now() + *timeout
                                : std::chrono::steady_clock::time_point{};
  while (true) {
    const auto newline = buffer_.find('\n');
    if (newline != std::string::npos) {
      std::string line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      return line;
    }
    int wait_ms = -1;
    if (timeout) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        return protocol_error("no answer from portal-syncd on " + socket_.string() + " within " +
                              std::to_string(timeout->count() / 1000) + " s");
      }
      wait_ms = static_cast<int>(left.count());
    }
    pollfd fd{fd_, POLLIN, 0};
    const int ready = ::poll(&fd, 1, wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;
    char chunk[4096];
    const ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      return failure(FailureKind::transient,
                     "portal-syncd closed the connection (it stopped or reloaded)");
    }
    buffer_.append(chunk, static_cast<std::size_t>(got));
  }
}

Message ControlClient::read_message(std::optional<std::chrono::milliseconds> timeout) {
  const auto line = read_line(timeout);
  if (!line) return tl::unexpected(line.error());
  rapidjson::Document message;
  message.Parse(line->c_str());
  if (message.HasParseError() || !message.IsObject()) {
    return protocol_error("the daemon sent a line that is not a JSON object");
  }
  return message;
}

ssize_t ControlClient::send_some(std::string_view line, int fd) {
  if (fd < 0) return ::send(fd_, line.data(), line.size(), MSG_NOSIGNAL);
  iovec io{const_cast<char*>(line.data()), line.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr message{};
  message.msg_iov = &io;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  cmsghdr* header = CMSG_FIRSTHDR(&message);
  header->cmsg_level = SOL_SOCKET;
  header->cmsg_type = SCM_RIGHTS;
  header->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(header), &fd, sizeof fd);
  return ::sendmsg(fd_, &message, MSG_NOSIGNAL);
}

Message ControlClient::request(const std::string& command, const rapidjson::Value& args,
                               std::optional<std::chrono::milliseconds> timeout, int pass_fd) {
  const std::int64_t id = next_id_++;
  rapidjson::Document request(rapidjson::kObjectType);
  auto& alloc = request.GetAllocator();
  request.AddMember("id", id, alloc);
  request.AddMember("command", rapidjson::Value(command.c_str(), alloc), alloc);
  request.AddMember("args", rapidjson::Value(args, alloc), alloc);
  const std::string line = control::to_line(request) + "\n";
  std::size_t sent = 0;
  while (sent < line.size()) {
    // The descriptor goes with the first byte of the request.
    const ssize_t n = send_some(std::string_view(line).substr(sent), sent == 0 ? pass_fd : -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return failure(FailureKind::transient,
                     "cannot send to portal-syncd: " + std::string(std::strerror(errno)));
    }
    sent += static_cast<std::size_t>(n);
  }
  while (true) {
    Message reply = read_message(timeout);
    if (!reply) return reply;
    const auto type = reply->FindMember("type");
    const auto reply_id = reply->FindMember("id");
    if (type != reply->MemberEnd() && type->value == "reply" && reply_id != reply->MemberEnd() &&
        (reply_id->value.IsNull() ||
         (reply_id->value.IsInt64() && reply_id->value.GetInt64() == id))) {
      return reply;
    }
    // Anything else (an event of an earlier request) is not ours: skip it.
  }
}

tl::expected<int, core::Failure> result_code(const rapidjson::Document& reply) {
  const auto code = reply.FindMember("code");
  if (code == reply.MemberEnd() || !code->value.IsInt()) {
    return protocol_error("the daemon's reply has no result code");
  }
  return code->value.GetInt();
}

core::FailureKind refusal_kind(int code) {
  return code == static_cast<int>(control::ResultCode::not_allowed) ? FailureKind::forbidden
                                                                    : FailureKind::rejected;
}

}  // namespace psd::ctl
