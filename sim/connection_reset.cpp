#include "sim/connection_reset.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>

#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
#include <openssl/ssl.h>
#endif

namespace psd::sim {
namespace {

int port_of(const sockaddr_storage& addr) {
  if (addr.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in&>(addr).sin_port);
  }
  if (addr.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6&>(addr).sin6_port);
  }
  return -1;
}

// The server-side socket whose local port is the request's local port and
// whose peer port is the client's port (a client socket of this same process
// has them the other way round).
int find_plain_socket(const httplib::Request& req) {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) {
    return -1;
  }
  int found = -1;
  while (const dirent* entry = ::readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == ::dirfd(dir)) {
      continue;
    }
    struct stat st {};
    if (::fstat(static_cast<int>(fd), &st) != 0 || !S_ISSOCK(st.st_mode)) {
      continue;
    }
    sockaddr_storage local{};
    sockaddr_storage peer{};
    socklen_t local_len = sizeof local;
    socklen_t peer_len = sizeof peer;
    if (::getsockname(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&local), &local_len) != 0 ||
        ::getpeername(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) {
      continue;
    }
    if (port_of(local) == req.local_port && port_of(peer) == req.remote_port) {
      found = static_cast<int>(fd);
      break;
    }
  }
  ::closedir(dir);
  return found;
}

}  // namespace

bool reset_connection(const httplib::Request& req) {
  // One reset at a time: a scan of /proc/self/fd must not fstat the
  // descriptor another handler's scan is closing or swapping (TSan saw it).
  static std::mutex one_at_a_time;
  const std::lock_guard lock(one_at_a_time);
  int fd = -1;
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  if (req.ssl != nullptr) {
    fd = SSL_get_fd(req.ssl);
  }
#endif
  if (fd < 0) {
    fd = find_plain_socket(req);
  }
  if (fd < 0) {
    return false;
  }
  const linger abort_on_close{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
  const int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd < 0) {
    // Without a stand-in the socket cannot be closed under httplib's feet;
    // a shutdown still ends the exchange without an answer.
    ::shutdown(fd, SHUT_RDWR);
    return true;
  }
  // dup2 closes the socket (its last reference: RST, thanks to the linger)
  // and puts /dev/null under the same number in one step.
  ::dup2(null_fd, fd);
  ::close(null_fd);
  return true;
}

}  // namespace psd::sim
