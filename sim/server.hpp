#pragma once
// One HTTP(S) server on 127.0.0.1 serving the catalogue, the national portal
// and the control API, wired to one world; with TLS (or --control-port) a
// second, plain-HTTP server serves the control API alone.

#include <httplib.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "sim/args.hpp"
#include "sim/catalogue_api.hpp"
#include "sim/catalogue_gen.hpp"
#include "sim/catalogue_shapes.hpp"
#include "sim/catalogue_store.hpp"
#include "sim/control_api.hpp"
#include "sim/gate.hpp"
#include "sim/ledger.hpp"
#include "sim/national_api.hpp"
#include "sim/national_store.hpp"
#include "sim/token_issuer.hpp"

namespace psd::sim {

class SimServer {
 public:
  /// Throws std::runtime_error when the TLS files cannot be loaded.
  explicit SimServer(SimOptions options);
  ~SimServer();
  SimServer(const SimServer&) = delete;
  SimServer& operator=(const SimServer&) = delete;

  /// Bind 127.0.0.1:options.port (0 = ephemeral), and the control port when
  /// there is one. Returns the port, or -1 when either cannot be bound.
  int bind();
  /// Bind and serve on background threads; returns the port, or -1.
  int start_background();
  /// Stop serving (and join the background thread, if any). Idempotent.
  void stop();
  /// True while the background accept loop has not ended.
  bool serving() const;

  int port() const { return port_; }
  /// The plain control server's port, or -1 when there is none.
  int control_port() const { return control_port_; }
  bool https() const { return !options_.tls_cert.empty(); }
  const SimOptions& options() const { return options_; }
  Ledger& ledger() { return ledger_; }
  CatalogueStore& catalogue() { return catalogue_; }
  NationalStore& national() { return national_; }

 private:
  void configure(httplib::Server& server);
  void route();

  const SimOptions options_;
  const World world_;
  Ledger ledger_;
  Gate gate_;
  CatalogueStore catalogue_;
  NationalStore national_;
  TokenIssuer tokens_;
  CatalogueApi catalogue_api_;
  CatalogueShapes catalogue_shapes_;
  NationalApi national_api_;
  ControlApi control_api_;
  std::unique_ptr<httplib::Server> server_;
  std::unique_ptr<httplib::Server> control_;  // plain HTTP, /_sim/... only
  int port_ = -1;
  int control_port_ = -1;
  std::thread thread_;
  std::thread control_thread_;
  std::atomic<bool> loop_done_{false};
  std::atomic<bool> control_done_{false};
};

}  // namespace psd::sim
