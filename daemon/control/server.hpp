#pragma once
// The control socket's listening end: accepts peers that pass the peer check,
// greets them, splits their input into lines and queues output. It never
// blocks: the daemon's event loop polls the descriptors it hands out.

#include <poll.h>
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "daemon/control/peer.hpp"

namespace psd::control {

using ClientId = std::uint64_t;

class ControlServer {
 public:
  /// Called with each complete line a client sends.
  using LineHandler = std::function<void(ClientId, std::string_view line)>;

  /// Create the socket at `path` with mode 0660 (creating its folder if
  /// needed; a stale socket file is replaced, a live one is an error) and
  /// greet each allowed peer with `greeting`. Throw std::runtime_error naming
  /// the path.
  ControlServer(std::filesystem::path path, std::string greeting);
  /// Close every connection and remove the socket file.
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  const std::filesystem::path& path() const { return path_; }

  /// Append the descriptors to poll, and remember where they start.
  void add_poll_fds(std::vector<pollfd>& fds);
  /// Handle what poll reported for the descriptors add_poll_fds added.
  void handle(std::span<const pollfd> fds, const LineHandler& on_line);

  /// Queue `line` (a newline is added) for `client`; ignored once it is gone.
  void send(ClientId client, std::string_view line);
  /// Close `client` once its queued output is written.
  void close_after_output(ClientId client);
  /// Take the file descriptor `client` passed (SCM_RIGHTS) with its latest
  /// request, or -1; the caller then owns it. Only the newest one is kept.
  int take_passed_fd(ClientId client);
  /// Return true while `client` is connected.
  bool connected(ClientId client) const { return clients_.count(client) != 0; }

 private:
  struct Client {
    int fd = -1;
    std::string in;
    std::string out;
    bool closing = false;
    int passed_fd = -1;  ///< from SCM_RIGHTS, until a command takes it
  };

  void accept_peers();
  void read_from(ClientId id, Client& client, const LineHandler& on_line);
  void write_to(Client& client);
  void drop(ClientId id);
  static void close_client(Client& client);
  static ssize_t receive(Client& client, char* buffer, std::size_t size);

  std::filesystem::path path_;
  std::string greeting_;
  int listen_fd_ = -1;
  PeerPolicy policy_;
  ClientId next_id_ = 1;
  std::map<ClientId, Client> clients_;
  std::vector<ClientId> polled_;  ///< client ids in the order of their pollfds
  std::size_t first_fd_ = 0;
};

}  // namespace psd::control
