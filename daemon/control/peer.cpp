#include "daemon/control/peer.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <string>

namespace psd::control {

std::optional<std::string> peer_refusal(const PeerCredentials& peer, const PeerPolicy& policy) {
  if (peer.uid == 0 || peer.uid == policy.daemon_uid) return std::nullopt;
  if (peer.gid == policy.socket_gid) return std::nullopt;
  if (std::find(peer.groups.begin(), peer.groups.end(), policy.socket_gid) != peer.groups.end()) {
    return std::nullopt;
  }
  return "uid " + std::to_string(peer.uid) + " is neither root, the daemon's uid (" +
         std::to_string(policy.daemon_uid) + ") nor in the socket's group (gid " +
         std::to_string(policy.socket_gid) + ")";
}

std::optional<PeerCredentials> read_peer(int fd) {
  ucred cred{};
  socklen_t length = sizeof cred;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) != 0) return std::nullopt;
  PeerCredentials peer{.pid = cred.pid, .uid = cred.uid, .gid = cred.gid};
  // SO_PEERGROUPS (Linux 4.13) reports ERANGE with the size needed first.
  std::vector<gid_t> groups(16);
  for (int tries = 0; tries < 3; ++tries) {
    socklen_t bytes = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &bytes) == 0) {
      groups.resize(bytes / sizeof(gid_t));
      peer.groups = std::move(groups);
      break;
    }
    if (errno != ERANGE) break;
    groups.resize(bytes / sizeof(gid_t) + 1);
  }
  return peer;
}

}  // namespace psd::control
