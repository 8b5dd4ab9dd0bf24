#include "sim/server.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdio>
#include <stdexcept>

#include "sim/http_util.hpp"

namespace psd::sim {
namespace {

// httplib listens with a backlog of 5, fixed in Debian's compiled library: a
// client opening 8 or 16 connections at once on a loaded machine overflowed
// it, and each dropped SYN cost the kernel's 1 s retry. Listening again on
// the same socket only raises the backlog.
void raise_listen_backlog(int port) {
  for (int fd = 3; fd < 1024; ++fd) {
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    int listening = 0;
    socklen_t flag_len = sizeof listening;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0 &&
        addr.sin_family == AF_INET && ntohs(addr.sin_port) == port &&
        ::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &flag_len) == 0 && listening) {
      ::listen(fd, 256);
    }
  }
}

std::unique_ptr<httplib::Server> make_server(const SimOptions& o) {
  if (o.tls_cert.empty()) {
    return std::make_unique<httplib::Server>();
  }
  auto server = std::make_unique<httplib::SSLServer>(
      o.tls_cert.c_str(), o.tls_key.c_str(),
      o.tls_client_ca.empty() ? nullptr : o.tls_client_ca.c_str());
  if (!server->is_valid()) {
    throw std::runtime_error(
        "cannot load the TLS files --tls-cert " + o.tls_cert + ", --tls-key " + o.tls_key +
        (o.tls_client_ca.empty() ? "" : ", --tls-client-ca " + o.tls_client_ca));
  }
  return server;
}

void stop_server(httplib::Server& server, std::thread& thread, const std::atomic<bool>& done) {
  if (thread.joinable()) {
    // httplib's stop() does nothing before the accept loop runs: wait for it.
    while (!server.is_running() && !done) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    server.stop();
    thread.join();
  } else {
    server.stop();
  }
}

}  // namespace

SimServer::SimServer(SimOptions options)
    : options_(std::move(options)),
      world_(generate_world(options_)),
      gate_(options_, ledger_),
      catalogue_(world_.records),
      national_(options_.province, world_.national, world_.rejects),
      tokens_(options_, ledger_, gate_),
      catalogue_api_(options_, catalogue_, ledger_, gate_),
      national_api_(options_, national_, catalogue_, tokens_, ledger_, gate_),
      control_api_(catalogue_, national_, tokens_, ledger_, gate_),
      server_(make_server(options_)) {
  if (!options_.tls_cert.empty() || options_.control_port >= 0) {
    control_ = std::make_unique<httplib::Server>();
  }
  configure(*server_);
  if (control_) {
    configure(*control_);
  }
  route();
}

SimServer::~SimServer() { stop(); }

void SimServer::configure(httplib::Server& server) {
  // Clients send up to max_concurrency requests at once, and benchmarks more:
  // the default pool (a few threads) would serialise them.
  server.new_task_queue = [] { return new httplib::ThreadPool(64); };
  server.set_keep_alive_max_count(1000);
  // httplib writes headers and body apart; with Nagle the body would wait for
  // the client's delayed ACK (~40 ms a response), which no real gateway does.
  server.set_tcp_nodelay(true);
  server.set_payload_max_length(1 << 20);
  // httplib's default adds SO_REUSEPORT, which would let two simulators share
  // a fixed port and split a client's requests between them.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  // Unrouted requests get a contract-shaped error body too.
  server.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) {
      return;
    }
    if (res.status == 404) {
      ledger_.add(Counter::kNotFound);
      send_error(res, 404, "NOT_FOUND", "no route for " + req.method + " " + req.path);
    } else if (res.status >= 400) {
      send_error(res, res.status, "HTTP_" + std::to_string(res.status), "request failed");
    }
  });
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, const std::exception_ptr& ep) {
        std::string what = "unknown error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        send_error(res, 500, "SIMULATOR_FAULT", "portal-sim bug: " + what);
      });
  if (options_.verbose) {
    server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      const std::string dropped = res.get_header_value(kDroppedHeader);
      if (!dropped.empty()) {
        std::fprintf(stderr, "portal-sim: %s %s -> connection %s\n", req.method.c_str(),
                     req.target.c_str(), dropped.c_str());
        return;
      }
      std::fprintf(stderr, "portal-sim: %s %s -> %d\n", req.method.c_str(), req.target.c_str(),
                   res.status);
    });
  }
}

void SimServer::route() {
  httplib::Server& s = *server_;
  // Counted before routing, so that a test can prove a client sent nothing at all.
  s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response&) {
    if (!req.path.starts_with("/_sim/")) ledger_.add(Counter::kRequests);
    return httplib::Server::HandlerResponse::Unhandled;
  });
  const std::string national = R"(/national/provinces/([^/]+)/services)";
  s.Get("/provincial/services", [this](const httplib::Request& req, httplib::Response& res) {
    catalogue_api_.handle(req, res);
  });
  s.Post("/national/oauth2/token",
         [this](const httplib::Request& req, httplib::Response& res) { tokens_.handle(req, res); });
  s.Get(national, [this](const httplib::Request& req, httplib::Response& res) {
    national_api_.list(req, res);
  });
  s.Put(national + "/([^/]+)", [this](const httplib::Request& req, httplib::Response& res) {
    national_api_.put(req, res);
  });
  s.Delete(national + "/([^/]+)", [this](const httplib::Request& req, httplib::Response& res) {
    national_api_.remove(req, res);
  });
  control_api_.install(s);
  if (control_) {
    control_api_.install(*control_);
  }
}

int SimServer::bind() {
  port_ = options_.port == 0
              ? server_->bind_to_any_port("127.0.0.1")
              : (server_->bind_to_port("127.0.0.1", options_.port) ? options_.port : -1);
  if (port_ >= 0 && control_) {
    control_port_ =
        options_.control_port <= 0
            ? control_->bind_to_any_port("127.0.0.1")
            : (control_->bind_to_port("127.0.0.1", options_.control_port) ? options_.control_port
                                                                          : -1);
    if (control_port_ < 0) {
      port_ = -1;
    }
  }
  if (port_ > 0) raise_listen_backlog(port_);
  if (port_ > 0 && control_port_ > 0) raise_listen_backlog(control_port_);
  return port_;
}

int SimServer::start_background() {
  if (bind() < 0) {
    return -1;
  }
  loop_done_ = false;
  thread_ = std::thread([this] {
    server_->listen_after_bind();
    loop_done_ = true;
  });
  if (control_) {
    control_done_ = false;
    control_thread_ = std::thread([this] {
      control_->listen_after_bind();
      control_done_ = true;
    });
  }
  return port_;
}

void SimServer::stop() {
  if (control_) {
    stop_server(*control_, control_thread_, control_done_);
  }
  stop_server(*server_, thread_, loop_done_);
}

bool SimServer::serving() const { return thread_.joinable() && !loop_done_; }

}  // namespace psd::sim
