#include "sim/catalogue_entry.hpp"

#include "sim/http_util.hpp"

namespace psd::sim {

CatalogueEntry enter_catalogue(const SimOptions& options, Gate& gate, Ledger& ledger,
                               const httplib::Request& req, httplib::Response& res) {
  CatalogueEntry entry;
  entry.answered = true;
  if (gate.refuse_in_window(Target::kCatalogue, res)) {
    return entry;
  }
  entry.fault = gate.take(Target::kCatalogue);
  const auto& fault = entry.fault;
  if (fault && fault->status != 0 && (fault->status != 200 || fault->body == "html")) {
    gate.answer(*fault, Target::kCatalogue, res);
    return entry;
  }
  entry.roll = gate.roll(Target::kCatalogue, req);
  if (gate.inject(entry.roll, Target::kCatalogue, req, res)) {
    return entry;
  }
  sleep_ms(gate.profile().latency_ms);
  if (!options.catalogue_token.empty()) {
    const auto token = auth_credentials(req, "Bearer");
    if (!token || *token != options.catalogue_token) {
      ledger.add(Counter::kUnauthorized);
      send_error(res, 401, "UNAUTHORIZED", "missing or wrong catalogue token");
      res.set_header("WWW-Authenticate", "Bearer realm=\"provincial-catalogue\"");
      return entry;
    }
  }
  entry.answered = false;
  return entry;
}

}  // namespace psd::sim
