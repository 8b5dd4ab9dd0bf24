#pragma once
// Command line of portal-sim.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/fault_profile.hpp"

namespace psd::sim {

struct SimOptions {
  int port = 0;  // 0: let the kernel choose
  std::string province = "H43";
  std::int64_t services = 1126;   // valid active services in the catalogue
  std::int64_t full = 582;        // of them at level "full"; the rest "partial"
  std::int64_t integrated = 985;  // of them already on the national portal
  std::int64_t stale = 0;         // of the integrated, holding an outdated hash
  std::int64_t orphans = 0;       // national entries that are not in the catalogue
  std::int64_t reject = 0;        // not-integrated services whose PUT is refused (422)
  std::int64_t invalid = 0;       // extra records that break the contract's rules
  std::int64_t suspended = 0;     // extra suspended records
  std::uint64_t seed = 1;
  std::string client_id = "province-h43";
  std::string client_secret = "sim-secret";
  std::string catalogue_token;    // when set, the catalogue requires this bearer token
  bool extra_fields = false;      // serve unknown members the client must ignore
  std::int64_t information = 0;   // extra services of level "information" in the foreign shapes
  bool old_agency_codes = false;  // foreign shapes show pre-2025 codes of some agencies
  bool opencps_values = false;    // records hold only what the OpenCPS shape carries
  std::int64_t retry_after_grace_ms = 250;
  // The random faults (--p500, --p-reset, ...), --latency-ms, --rate-limit,
  // --max-concurrency and --token-ttl: the run-time profile it starts with
  // (every option of kProfileFields, sim/profile_fields.hpp).
  Profile profile;
  std::string tls_cert;  // PEM; with tls_key: serve HTTPS
  std::string tls_key;
  std::string tls_client_ca;  // PEM; require and verify client certificates
  int control_port = -1;      // plain-HTTP control server; -1: none (automatic with TLS)
  bool verbose = false;       // log every request to stderr
};

struct ParseResult {
  enum class Action { kRun, kHelp, kVersion, kError };
  Action action = Action::kRun;
  SimOptions options;
  std::string error;  // for kError: one line naming the option
};

/// Parse `args` (without the program name). Never exits or prints.
ParseResult parse_args(const std::vector<std::string>& args);

/// The --help text.
std::string usage_text();

/// The largest number of distinct procedure codes the generator can make
/// (9,000 per prefix; 120 prefixes cover bench/'s 1,000,000-service scaling table).
inline constexpr std::int64_t kMaxCodes = std::int64_t{120} * 9000;

}  // namespace psd::sim
