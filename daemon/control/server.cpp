#include "daemon/control/server.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "daemon/control/protocol.hpp"

namespace psd::control {
namespace {

/// More clients than this are turned away: ops tools connect one at a time.
constexpr std::size_t kMaxClients = 32;
/// Output queued for a client that does not read is capped, then it is dropped.
constexpr std::size_t kMaxQueuedOutput = 4u << 20;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what, int error) {
  throw std::runtime_error("control socket " + path.string() + ": " + what + ": " +
                           std::strerror(error));
}

sockaddr_un address_of(const std::filesystem::path& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string text = path.string();
  if (text.size() >= sizeof address.sun_path) {
    throw std::runtime_error("control socket " + text + ": the path is longer than " +
                             std::to_string(sizeof address.sun_path - 1) + " bytes");
  }
  std::memcpy(address.sun_path, text.c_str(), text.size() + 1);
  return address;
}

/// Return true when a daemon already answers on `path`.
bool someone_listens(const sockaddr_un& address) {
  const int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (probe < 0) return false;
  const bool live =
      ::connect(probe, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(probe);
  return live;
}

}  // namespace

ControlServer::ControlServer(std::filesystem::path path, std::string greeting)
    : path_(std::move(path)), greeting_(std::move(greeting)) {
  const sockaddr_un address = address_of(path_);
  std::error_code error;
  if (path_.has_parent_path()) std::filesystem::create_directories(path_.parent_path(), error);
  if (error) fail(path_, "create its folder", error.value());
  struct stat existing {};
  if (::lstat(path_.c_str(), &existing) == 0) {
    if (!S_ISSOCK(existing.st_mode)) {
      throw std::runtime_error("control socket " + path_.string() +
                               ": a file that is not a socket is in the way");
    }
    if (someone_listens(address)) {
      throw std::runtime_error("control socket " + path_.string() +
                               ": another portal-syncd is listening on it");
    }
    ::unlink(path_.c_str());  // left behind by a daemon that died
  }
  listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) fail(path_, "socket", errno);
  // Between bind and chmod the mode is 0777 & ~umask: never wider than 0660
  // under the usual umask, and the peer check below holds in any case.
  if (::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const int saved = errno;
    ::close(listen_fd_);
    fail(path_, "bind", saved);
  }
  if (::chmod(path_.c_str(), 0660) != 0 || ::listen(listen_fd_, 16) != 0) {
    const int saved = errno;
    ::close(listen_fd_);
    ::unlink(path_.c_str());
    fail(path_, "chmod/listen", saved);
  }
  struct stat info {};
  ::stat(path_.c_str(), &info);
  policy_ = {::geteuid(), info.st_gid};
}

ControlServer::~ControlServer() {
  for (auto& [id, client] : clients_) close_client(client);
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
    ::unlink(path_.c_str());
  }
}

void ControlServer::add_poll_fds(std::vector<pollfd>& fds) {
  first_fd_ = fds.size();
  fds.push_back({listen_fd_, POLLIN, 0});
  polled_.clear();
  for (const auto& [id, client] : clients_) {
    short events = client.closing ? 0 : POLLIN;
    if (!client.out.empty()) events |= POLLOUT;
    fds.push_back({client.fd, events, 0});
    polled_.push_back(id);
  }
}

void ControlServer::handle(std::span<const pollfd> fds, const LineHandler& on_line) {
  const auto ours = fds.subspan(first_fd_, 1 + polled_.size());
  for (std::size_t i = 0; i < polled_.size(); ++i) {
    const short revents = ours[i + 1].revents;
    auto found = clients_.find(polled_[i]);
    if (found == clients_.end() || revents == 0) continue;
    if ((revents & POLLOUT) != 0) write_to(found->second);
    if ((revents & (POLLIN | POLLHUP | POLLERR)) != 0)
      read_from(polled_[i], found->second, on_line);
  }
  for (auto it = clients_.begin(); it != clients_.end();) {
    const bool done = it->second.fd < 0 || (it->second.closing && it->second.out.empty());
    if (done) {
      close_client(it->second);
      it = clients_.erase(it);
    } else {
      ++it;
    }
  }
  if ((ours[0].revents & POLLIN) != 0) accept_peers();
}

void ControlServer::accept_peers() {
  while (true) {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        spdlog::warn("control socket {}: accept: {}", path_.string(), std::strerror(errno));
      }
      return;
    }
    const auto peer = read_peer(fd);
    std::string refusal = peer ? peer_refusal(*peer, policy_).value_or("")
                               : "the kernel did not give the peer's credentials";
    if (refusal.empty() && clients_.size() >= kMaxClients) {
      refusal = "too many control connections";
    }
    if (!refusal.empty()) {
      spdlog::warn("control socket: refused a peer (pid {}): {}", peer ? peer->pid : 0, refusal);
      const std::string line = error_line(-1, ResultCode::not_allowed, refusal) + "\n";
      // Best effort: the peer may not read it; the socket buffer takes one line.
      [[maybe_unused]] const auto sent = ::send(fd, line.data(), line.size(), MSG_NOSIGNAL);
      ::close(fd);
      continue;
    }
    const ClientId id = next_id_++;
    Client& client = clients_[id];
    client.fd = fd;
    client.out = greeting_ + "\n";
    write_to(client);
  }
}

void ControlServer::read_from(ClientId id, Client& client, const LineHandler& on_line) {
  char buffer[4096];
  while (client.fd >= 0) {
    const ssize_t got = receive(client, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (got <= 0) {  // end of file or error: the client is gone
      close_client(client);
      return;
    }
    client.in.append(buffer, static_cast<std::size_t>(got));
    std::size_t newline;
    while (!client.closing && (newline = client.in.find('\n')) != std::string::npos) {
      std::string line = client.in.substr(0, newline);
      client.in.erase(0, newline + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) on_line(id, line);
    }
    if (client.in.size() > kMaxLineBytes) {
      send(id, error_line(-1, ResultCode::bad_request, "request line too long"));
      close_after_output(id);
      client.in.clear();
    }
  }
}

void ControlServer::write_to(Client& client) {
  while (client.fd >= 0 && !client.out.empty()) {
    const ssize_t sent = ::send(client.fd, client.out.data(), client.out.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (sent < 0) {
      close_client(client);
      return;
    }
    client.out.erase(0, static_cast<std::size_t>(sent));
  }
}

void ControlServer::send(ClientId client, std::string_view line) {
  const auto found = clients_.find(client);
  if (found == clients_.end() || found->second.fd < 0) return;
  Client& target = found->second;
  if (target.out.size() + line.size() > kMaxQueuedOutput) {
    spdlog::warn("control socket: dropping a client that does not read its replies");
    drop(client);
    return;
  }
  target.out.append(line);
  target.out.push_back('\n');
  write_to(target);
}

void ControlServer::close_after_output(ClientId client) {
  const auto found = clients_.find(client);
  if (found != clients_.end()) found->second.closing = true;
}

void ControlServer::drop(ClientId id) {
  const auto found = clients_.find(id);
  if (found != clients_.end()) close_client(found->second);
}

void ControlServer::close_client(Client& client) {
  if (client.fd >= 0) ::close(client.fd);
  if (client.passed_fd >= 0) ::close(client.passed_fd);
  client.fd = -1;
  client.passed_fd = -1;
  client.out.clear();
}

int ControlServer::take_passed_fd(ClientId client) {
  const auto found = clients_.find(client);
  if (found == clients_.end()) return -1;
  return std::exchange(found->second.passed_fd, -1);
}

// recv() that also takes file descriptors passed with SCM_RIGHTS (portal-syncctl
// backup passes the file to write): the newest is kept in `client`, any other
// is closed at once.
ssize_t ControlServer::receive(Client& client, char* buffer, std::size_t size) {
  iovec io{buffer, size};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 4)];
  msghdr message{};
  message.msg_iov = &io;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  const ssize_t got = ::recvmsg(client.fd, &message, MSG_CMSG_CLOEXEC);
  if (got < 0) return got;
  for (cmsghdr* header = CMSG_FIRSTHDR(&message); header != nullptr;
       header = CMSG_NXTHDR(&message, header)) {
    if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) continue;
    const std::size_t count = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (std::size_t i = 0; i < count; ++i) {
      int fd = -1;
      std::memcpy(&fd, CMSG_DATA(header) + i * sizeof(int), sizeof fd);
      if (client.passed_fd >= 0) ::close(client.passed_fd);
      client.passed_fd = fd;
    }
  }
  return got;
}

}  // namespace psd::control
