#pragma once
// A real cpp-httplib server on 127.0.0.1 and an ephemeral port, run in a thread.

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "adapters/http/http_client.hpp"

namespace psd::http::test {

/// Return a request; the aggregate needs every field spelled out under -Wextra.
inline Request make_request(Method method, std::string url, std::vector<std::string> headers = {},
                            std::string body = {}, std::size_t tag = 0) {
  Request request;
  request.method = method;
  request.url = std::move(url);
  request.headers = std::move(headers);
  request.body = std::move(body);
  request.tag = tag;
  return request;
}

class LoopbackServer {
 public:
  LoopbackServer() {
    // More worker threads than any in-flight cap under test, so the server never throttles.
    server.new_task_queue = [] { return new httplib::ThreadPool(64); };
    // httplib closes a connection after 5 requests by default; reuse tests need more.
    server.set_keep_alive_max_count(100000);
    // Headers and body go out in separate writes; Nagle would hold the body ~40 ms.
    server.set_tcp_nodelay(true);
  }
  ~LoopbackServer() { stop(); }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  /// Bind and serve; register the handlers on `server` first.
  void start() {
    port_ = server.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) {
      throw std::runtime_error("cannot bind a loopback port");
    }
    thread_ = std::thread([this] { server.listen_after_bind(); });
    // stop() is a no-op until the accept loop runs, so wait for it.
    while (!server.is_running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
      server.stop();
      thread_.join();
    }
  }

  std::string url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }

  /// Block the calling handler for `limit`, or until the server stops.
  void sleep_for(std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, limit, [this] { return stopping_; });
  }

  /// Count `request` and remember its remote port: one port is one TCP connection.
  void note(const httplib::Request& request) {
    std::lock_guard lock(mutex_);
    ++requests_;
    ports_.insert(request.remote_port);
  }
  std::size_t connections() const {
    std::lock_guard lock(mutex_);
    return ports_.size();
  }
  std::size_t requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  httplib::Server server;

 private:
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::set<int> ports_;
  std::size_t requests_ = 0;
};

}  // namespace psd::http::test
