#pragma once
// Who may use the control socket: root, the daemon's own uid, and members
// of the socket file's group (the file mode 0660 says the same to the kernel;
// this check also holds when the mode is changed by hand).

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace psd::control {

struct PeerCredentials {
  pid_t pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups{};  ///< supplementary groups
};

struct PeerPolicy {
  uid_t daemon_uid = 0;
  gid_t socket_gid = 0;
};

/// Return why `peer` may not connect under `policy`, or nothing when it may.
std::optional<std::string> peer_refusal(const PeerCredentials& peer, const PeerPolicy& policy);

/// Read the credentials of the process at the other end of the unix socket
/// `fd` (SO_PEERCRED, SO_PEERGROUPS). Return nothing when the kernel will not say.
std::optional<PeerCredentials> read_peer(int fd);

}  // namespace psd::control
