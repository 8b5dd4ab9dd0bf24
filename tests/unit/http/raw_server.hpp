#pragma once
// A one-connection TCP server that answers with fixed bytes, for replies
// httplib will not produce: an empty reply, a short body, an interim 100, non-TLS bytes.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

namespace psd::http::test {

class RawServer {
 public:
  /// Accept one connection, read the request, send `reply` and close.
  explicit RawServer(std::string reply) : reply_(std::move(reply)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(listener_, 1) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("cannot listen on loopback");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve_one(); });
  }
  ~RawServer() {
    thread_.join();
    ::close(listener_);
  }
  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;

  std::string url(const std::string& scheme = "http") const {
    return scheme + "://127.0.0.1:" + std::to_string(port_) + "/raw";
  }

 private:
  void serve_one() {
    pollfd ready{listener_, POLLIN, 0};
    if (::poll(&ready, 1, 10000) != 1) {
      return;  // the client never came; the test fails on its own
    }
    const int peer = ::accept(listener_, nullptr, nullptr);
    if (peer < 0) {
      return;
    }
    // Read the whole request (or a TLS hello, which has no blank line) so that
    // closing sends FIN, not RST, and the client reads our reply.
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
      pollfd readable{peer, POLLIN, 0};
      if (::poll(&readable, 1, 2000) != 1) {
        break;
      }
      const ssize_t got = ::recv(peer, buffer, sizeof buffer, 0);
      if (got <= 0) {
        break;
      }
      request.append(buffer, static_cast<std::size_t>(got));
      if (static_cast<unsigned char>(request[0]) == 0x16) {
        break;  // TLS handshake record
      }
    }
    if (!reply_.empty()) {
      (void)::send(peer, reply_.data(), reply_.size(), MSG_NOSIGNAL);
    }
    ::shutdown(peer, SHUT_WR);
    ::close(peer);
  }

  std::string reply_;
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
};

/// Return a loopback port that nothing listens on (bound, then released).
inline int unused_port() {
  const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(probe, reinterpret_cast<sockaddr*>(&address), length);
  ::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(probe);
  return ntohs(address.sin_port);
}

}  // namespace psd::http::test
