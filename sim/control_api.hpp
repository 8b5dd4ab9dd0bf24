#pragma once
// /_sim/...: what tests use to look inside the simulator and to steer it.

#include <httplib.h>

#include "sim/catalogue_store.hpp"
#include "sim/gate.hpp"
#include "sim/ledger.hpp"
#include "sim/national_store.hpp"
#include "sim/token_issuer.hpp"

namespace psd::sim {

class ControlApi {
 public:
  ControlApi(CatalogueStore& catalogue, NationalStore& national, TokenIssuer& tokens,
             Ledger& ledger, Gate& gate);

  /// Register every control route on `server`.
  void install(httplib::Server& server);

 private:
  void services(httplib::Response& res);
  void edit(const httplib::Request& req, httplib::Response& res);
  void tear(const httplib::Request& req, httplib::Response& res);
  void fail(const httplib::Request& req, httplib::Response& res);
  void set_faults(const httplib::Request& req, httplib::Response& res);

  CatalogueStore& catalogue_;
  NationalStore& national_;
  TokenIssuer& tokens_;
  Ledger& ledger_;
  Gate& gate_;
};

}  // namespace psd::sim
