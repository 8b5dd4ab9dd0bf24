#pragma once
// What stands before every catalogue page, in both the contract's shape and
// the foreign shapes: one order of faults, latency and token check.

#include <httplib.h>

#include <optional>

#include "sim/args.hpp"
#include "sim/fault_plan.hpp"
#include "sim/gate.hpp"
#include "sim/ledger.hpp"

namespace psd::sim {

/// How a catalogue request got past the gate.
struct CatalogueEntry {
  bool answered = false;       // `res` holds the answer: serve no page
  std::optional<Fault> fault;  // an armed fault the page itself carries out (a 200 body fault)
  Roll roll;                   // the random fault drawn for this request
};

/// Run, in order: a closed window, an armed fault with a status or an HTML
/// body, a random fault, the latency, the catalogue's bearer token (401 with
/// a challenge when --catalogue-token is set and the request lacks it).
CatalogueEntry enter_catalogue(const SimOptions& options, Gate& gate, Ledger& ledger,
                               const httplib::Request& req, httplib::Response& res);

}  // namespace psd::sim
