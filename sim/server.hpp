#pragma once
// One HTTP server on 127.0.0.1 serving the catalogue, the national portal and
// the control API, wired to one world.

#include <httplib.h>

#include <atomic>
#include <memory>
#include <thread>

#include "sim/args.hpp"
#include "sim/catalogue_api.hpp"
#include "sim/catalogue_gen.hpp"
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
  explicit SimServer(SimOptions options);
  ~SimServer();
  SimServer(const SimServer&) = delete;
  SimServer& operator=(const SimServer&) = delete;

  /// Bind 127.0.0.1:options.port (0 = ephemeral). Returns the port, or -1.
  int bind();
  /// Serve until stop(); call after bind().
  void run();
  /// Bind and serve on a background thread; returns the port, or -1.
  int start_background();
  /// Stop serving (and join the background thread, if any). Idempotent.
  void stop();
  /// True while the background accept loop has not ended.
  bool serving() const;

  int port() const { return port_; }
  const SimOptions& options() const { return options_; }
  const World& initial_world() const { return world_; }
  Ledger& ledger() { return ledger_; }
  CatalogueStore& catalogue() { return catalogue_; }
  NationalStore& national() { return national_; }

 private:
  void route();

  const SimOptions options_;
  const World world_;
  Ledger ledger_;
  Gate gate_;
  CatalogueStore catalogue_;
  NationalStore national_;
  TokenIssuer tokens_;
  CatalogueApi catalogue_api_;
  NationalApi national_api_;
  ControlApi control_api_;
  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
  std::atomic<bool> loop_done_{false};
};

}  // namespace psd::sim
