#pragma once
// portal-sim as a child process of a test: start it, learn its port, reach
// its control API through typed accessors, stop it with SIGTERM.
//
//   psd::testing::SimProcess sim({"--stale", "10"});
//   config.provincial_base_url = sim.provincial_url();
//   ... run the daemon ...
//   EXPECT_EQ(sim.coverage().in_sync, 1126);
//   EXPECT_EQ(sim.ledger().wasted_writes, 0u);

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/coverage.hpp"
#include "tests/support/child_process.hpp"

namespace psd::testing {

/// GET /_sim/ledger. Field names are the simulator's counter names.
struct SimLedger {
  std::uint64_t creates = 0;
  std::uint64_t updates = 0;
  std::uint64_t deletes = 0;
  std::uint64_t idempotent_replays = 0;
  std::uint64_t wasted_writes = 0;
  std::uint64_t hash_mismatches = 0;
  std::uint64_t rejections = 0;
  std::uint64_t key_reuse_errors = 0;
  std::uint64_t missing_keys = 0;
  std::uint64_t unauthorized = 0;
  std::uint64_t token_requests = 0;
  std::uint64_t token_errors = 0;
  std::uint64_t catalogue_pages = 0;
  std::uint64_t catalogue_not_modified = 0;
  std::uint64_t national_list_pages = 0;
  std::uint64_t puts = 0;
  std::uint64_t delete_requests = 0;
  std::uint64_t invalid_requests = 0;
  std::uint64_t not_found = 0;
  std::uint64_t in_progress_conflicts = 0;
  std::uint64_t off_catalogue_writes = 0;
  std::uint64_t stale_writes = 0;
  std::uint64_t rate_limited = 0;
  std::uint64_t concurrency_limited = 0;
  std::uint64_t retry_after_violations = 0;
  std::uint64_t faults_injected = 0;  // every injected fault, one-shot or random
  std::uint64_t resets = 0;           // connections reset before any work
  std::uint64_t apply_resets = 0;     // PUT/DELETE done, then the connection reset
  std::uint64_t slow_answers = 0;
  std::uint64_t injected_500 = 0;
  std::uint64_t injected_503 = 0;
  std::uint64_t html_pages = 0;
  std::uint64_t edits = 0;
  std::uint64_t torn_listings = 0;
  std::uint64_t max_in_flight = 0;
  std::uint64_t requests = 0;  // every request to either portal, /_sim/... excepted
  /// Requests to the catalogue inside its own Retry-After window
  /// (retry_after_violations counts the national portal's).
  std::uint64_t catalogue_retry_after_violations = 0;
  /// Per portal, ms since the Unix epoch (0: none): the end of its last
  /// Retry-After window, and when the first request arrived that was not
  /// already on the wire when that window opened.
  std::uint64_t national_window_until_ms = 0;
  std::uint64_t national_first_request_after_window_ms = 0;
  std::uint64_t catalogue_window_until_ms = 0;
  std::uint64_t catalogue_first_request_after_window_ms = 0;
  /// Every counter by name, including any added to the simulator later.
  std::map<std::string, std::uint64_t> all;
};

/// One record of GET /_sim/services.
struct SimService {
  std::string code;
  std::string status;  // active | suspended
  std::string level;
  std::string agency_code;
  bool valid = true;
  std::string defect;         // "" | bad_level | missing_name | negative_fee | bad_code |
                              // duplicate_code | bad_updated_at
  std::string expected_hash;  // "" when invalid
  std::optional<std::string> national_hash;  // what the portal holds, if anything
  bool rejected_by_portal = false;           // in the --reject set
  std::string state;                         // in_sync | stale | missing | invalid | suspended
};

struct SimServices {
  std::string version;
  std::vector<SimService> records;   // catalogue order
  std::vector<std::string> orphans;  // portal codes not active in the catalogue
};

/// POST /_sim/fail: make the next `count` requests of `target` fail. Built
/// with designated initialisers:
///   sim.fail({.target = "put", .status = 503, .count = 2, .retry_after = 1});
///   sim.fail({.target = "put", .count = 3, .kind = "apply_reset"});
struct SimFault {
  std::string target = "national";  // national | put | delete | list | token | catalogue
  int status = 503;                 // 0: delay only
  int count = 1;
  int retry_after = -1;  // seconds; < 0: no Retry-After
  std::string code{};    // error code in the body; default per status
  int delay_ms = 0;      // sleep before answering
  std::string body{};    // catalogue: malformed | bad_utf8 | bad_shape | html; list: html
  std::string kind{};    // reset | apply_reset | slow (then status and body are not sent)
};

/// The random-fault profile and the run-time knobs of portal-sim: on the
/// command line (SimProcess::Options::faults) or at run time
/// (SimProcess::set_faults, POST /_sim/faults). Unset fields keep the
/// simulator's value. One member per row of sim::kProfileFields
/// (sim/profile_fields.hpp, which gives names and options), in its order.
struct SimFaultProfile {
  std::optional<double> p500{};
  std::optional<double> p503{};
  std::optional<double> p503_retry_after_share{};  // of the 503s, those with Retry-After
  std::optional<int> retry_after_seconds{};
  std::optional<double> p_reset{};        // reset before any work
  std::optional<double> p_apply_reset{};  // PUT/DELETE done and stored, then reset
  std::optional<double> p_slow{};         // work done, answer held back slow_ms
  std::optional<int> slow_ms{};
  std::optional<double> p_html{};        // listing/catalogue page as 200 text/html
  std::optional<std::string> targets{};  // "put,delete,list,token", "all", "national", ...
  std::optional<int> latency_ms{};
  std::optional<int> rate_limit{};
  std::optional<int> max_concurrency{};
  std::optional<int> token_ttl{};

  /// The issue-9 mixed profile on both portals: 20% 503 (5% of them with
  /// Retry-After: 1), 5% resets, 5% apply-then-reset, 3% answers held 2.5 s.
  static SimFaultProfile mixed_on_both_portals();

  /// portal-sim options for the set fields ("--p503", "0.2", ...).
  std::vector<std::string> to_args() const;
  /// "p503=0.2&slow_ms=3000" for the set fields.
  std::string to_query() const;
};

/// Files of an HTTPS simulator (see tests/support/test_ca.hpp for a test CA).
struct SimTls {
  std::string cert_file;       // --tls-cert
  std::string key_file;        // --tls-key
  std::string client_ca_file;  // --tls-client-ca: mutual TLS
  // What the harness's own HTTPS calls (get/post on non-/_sim paths,
  // access_token) use: the CA to verify the simulator (empty: no
  // verification) and a client certificate for mutual TLS.
  std::string ca_file;
  std::string client_cert_file;
  std::string client_key_file;
};

/// The result of an HTTP call made by the harness.
struct SimResponse {
  int status = 0;  // 0: no response (connection failed)
  std::string body;
  std::map<std::string, std::string> headers;  // lowercase names
};

class SimProcess {
 public:
  struct Options {
    std::vector<std::string> args;  // portal-sim options, e.g. {"--stale", "10"}
    std::string binary;             // empty: $PSD_SIM_BINARY, else the built portal-sim
    OutputSink err = OutputSink::capture();
    std::chrono::milliseconds start_timeout = std::chrono::seconds(30);
    SimFaultProfile faults;  // added to args
    SimTls tls;              // cert_file set: HTTPS (with a plain control port)
  };

  /// Start portal-sim with `args` and wait for its "listening on" line.
  /// An HTTPS simulator makes this process ignore SIGPIPE (see the .cpp).
  /// Throws std::runtime_error (with its stderr) when it does not come up.
  explicit SimProcess(std::vector<std::string> args = {});
  explicit SimProcess(const Options& options);
  /// SIGTERM; SIGKILL after 10 s.
  ~SimProcess();
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  int port() const { return port_; }
  /// The plain-HTTP port of the control endpoints: port() unless HTTPS.
  int control_port() const { return control_port_; }
  bool https() const { return https_; }
  std::string base_url() const;        // http(s)://127.0.0.1:PORT
  std::string provincial_url() const;  // provincial.base_url
  std::string national_url() const;    // national.base_url
  std::string token_url() const;       // national.token_url
  std::string province() const { return province_; }
  std::string client_id() const { return client_id_; }
  std::string client_secret() const { return client_secret_; }

  SimLedger ledger() const;
  /// GET /_sim/coverage: the simulator's own count per contract section 4.
  sim::Coverage coverage() const;
  SimServices services() const;
  /// Edit `n` active valid records; returns their codes.
  std::vector<std::string> edit(int n = 1) const;
  /// Edit the active valid record `code` (name and updated_at).
  void edit_code(const std::string& code) const;
  /// Tear the next `n` catalogue listings right after their page 1.
  void tear(int n = 1) const;
  void fail(const SimFault& fault) const;
  /// POST /_sim/faults: change the set fields; `reset` first restores the
  /// command line's profile. Returns the whole new profile.
  SimFaultProfile set_faults(const SimFaultProfile& profile, bool reset = false) const;
  /// GET /_sim/faults: every field set.
  SimFaultProfile faults() const;
  void revoke_tokens() const;
  void reset_ledger() const;

  /// A fresh access token for the configured client.
  std::string access_token() const;

  /// Raw calls on the simulator (path from the root, e.g. "/_sim/ledger").
  /// /_sim/... goes to the control port; the rest over HTTPS when https().
  SimResponse get(const std::string& path,
                  const std::map<std::string, std::string>& headers = {}) const;
  SimResponse post(const std::string& path, const std::string& body = "",
                   const std::string& content_type = "text/plain",
                   const std::map<std::string, std::string>& headers = {}) const;

  /// SIGTERM and wait; returns the exit code. stdout_text() then holds the
  /// ledger table. Later calls return the same code.
  int stop();
  bool running() { return process_->running(); }

  std::string stdout_text() const { return process_->stdout_text(); }
  std::string stderr_text() const { return process_->stderr_text(); }
  ChildProcess& process() { return *process_; }

 private:
  std::string checked_get(const std::string& path) const;
  std::string checked_post(const std::string& path) const;

  std::unique_ptr<ChildProcess> process_;
  SimTls tls_;
  bool https_ = false;
  int port_ = 0;
  int control_port_ = 0;
  std::string province_ = "H43";
  std::string client_id_ = "province-h43";
  std::string client_secret_ = "sim-secret";
  std::optional<int> exit_code_;
};

/// The portal-sim binary tests use: $PSD_SIM_BINARY, else the built one.
std::string sim_binary();

}  // namespace psd::testing
