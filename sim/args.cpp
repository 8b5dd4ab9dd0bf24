#include "sim/args.hpp"

#include <functional>
#include <map>
#include <optional>

#include "sim/numbers.hpp"
#include "sim/profile_fields.hpp"

namespace psd::sim {
namespace {

bool valid_province(std::string_view p) {
  if (p.empty() || p.size() > 16) {
    return false;
  }
  for (const char c : p) {
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum) {
      return false;
    }
  }
  return true;
}

Done check(const SimOptions& o) {
  if (o.port < 0 || o.port > 65535) {
    return not_done("--port must be 0..65535");
  }
  if (!valid_province(o.province)) {
    return not_done("--province must be 1-16 characters of [A-Za-z0-9]");
  }
  for (const auto& [name, value] :
       std::map<std::string, std::int64_t>{{"--services", o.services},
                                           {"--full", o.full},
                                           {"--integrated", o.integrated},
                                           {"--stale", o.stale},
                                           {"--orphans", o.orphans},
                                           {"--reject", o.reject},
                                           {"--invalid", o.invalid},
                                           {"--suspended", o.suspended},
                                           {"--information", o.information},
                                           {"--retry-after-grace-ms", o.retry_after_grace_ms}}) {
    if (value < 0) {
      return not_done(name + " must not be negative");
    }
  }
  if (o.full > o.services) {
    return not_done("--full must not exceed --services");
  }
  if (o.integrated > o.services) {
    return not_done("--integrated must not exceed --services");
  }
  if (o.stale > o.integrated) {
    return not_done("--stale must not exceed --integrated");
  }
  if (o.reject > o.services - o.integrated) {
    return not_done("--reject must not exceed --services minus --integrated");
  }
  if (o.services + o.invalid + o.suspended + o.orphans > kMaxCodes) {
    return not_done("--services + --invalid + --suspended + --orphans must not exceed " +
                    std::to_string(kMaxCodes));
  }
  if (o.information > 8000) {
    return not_done("--information must not exceed 8000");
  }
  if (o.client_id.empty() || o.client_secret.empty()) {
    return not_done("--client-id and --client-secret must not be empty");
  }
  if (auto rates = check_rates(o.profile.faults); !rates) {
    return not_done("--p-reset, --p-apply-reset, --p500, --p503, --p-html, --p-slow: " +
                    rates.error());
  }
  if (o.tls_cert.empty() != o.tls_key.empty()) {
    return not_done("--tls-cert and --tls-key go together");
  }
  if (!o.tls_client_ca.empty() && o.tls_cert.empty()) {
    return not_done("--tls-client-ca needs --tls-cert and --tls-key");
  }
  if (o.control_port < -1 || o.control_port > 65535) {
    return not_done("--control-port must be 0..65535");
  }
  return {};
}

}  // namespace

ParseResult parse_args(const std::vector<std::string>& args) {
  ParseResult result;
  SimOptions& o = result.options;
  using IntSetter = std::function<void(std::int64_t)>;
  const std::map<std::string, IntSetter> ints{
      {"--port", [&](std::int64_t v) { o.port = static_cast<int>(v < 0 || v > 65535 ? -1 : v); }},
      {"--services", [&](std::int64_t v) { o.services = v; }},
      {"--full", [&](std::int64_t v) { o.full = v; }},
      {"--integrated", [&](std::int64_t v) { o.integrated = v; }},
      {"--stale", [&](std::int64_t v) { o.stale = v; }},
      {"--orphans", [&](std::int64_t v) { o.orphans = v; }},
      {"--reject", [&](std::int64_t v) { o.reject = v; }},
      {"--invalid", [&](std::int64_t v) { o.invalid = v; }},
      {"--suspended", [&](std::int64_t v) { o.suspended = v; }},
      {"--information", [&](std::int64_t v) { o.information = v; }},
      {"--seed", [&](std::int64_t v) { o.seed = static_cast<std::uint64_t>(v); }},
      {"--retry-after-grace-ms", [&](std::int64_t v) { o.retry_after_grace_ms = v; }},
      {"--control-port",
       [&](std::int64_t v) { o.control_port = static_cast<int>(v < 0 || v > 65535 ? -2 : v); }},
  };
  const std::map<std::string, std::string*> strings{
      {"--province", &o.province},           {"--client-id", &o.client_id},
      {"--client-secret", &o.client_secret}, {"--catalogue-token", &o.catalogue_token},
      {"--tls-cert", &o.tls_cert},           {"--tls-key", &o.tls_key},
      {"--tls-client-ca", &o.tls_client_ca},
  };

  auto fail = [&](std::string message) {
    result.action = ParseResult::Action::kError;
    result.error = std::move(message);
    return result;
  };

  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    std::optional<std::string> value;
    if (const auto eq = name.find('='); name.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (name == "-h" || name == "--help") {
      result.action = ParseResult::Action::kHelp;
      return result;
    }
    if (name == "--version") {
      result.action = ParseResult::Action::kVersion;
      return result;
    }
    const std::map<std::string, bool*> flags{{"--extra-fields", &o.extra_fields},
                                             {"--verbose", &o.verbose},
                                             {"--old-agency-codes", &o.old_agency_codes},
                                             {"--opencps-values", &o.opencps_values}};
    if (const auto flag = flags.find(name); flag != flags.end()) {
      if (value) {
        return fail(name + " takes no value");
      }
      *flag->second = true;
      continue;
    }
    const auto int_it = ints.find(name);
    const auto str_it = strings.find(name);
    const ProfileField* field = find_profile_option(name);
    if (int_it == ints.end() && str_it == strings.end() && field == nullptr) {
      return fail("unknown option '" + name + "' (see --help)");
    }
    if (!value) {
      if (i + 1 >= args.size()) {
        return fail(name + " needs a value");
      }
      value = args[++i];
    }
    if (field != nullptr) {
      if (auto set = set_profile_field(o.profile, field->name, *value); !set) {
        return fail(name.append(": ").append(set.error()));
      }
    } else if (int_it != ints.end()) {
      const auto number = parse_int(*value);
      if (!number) {
        return fail(name + " needs an integer, got '" + *value + "'");
      }
      if (name == "--seed" && *number < 0) {
        return fail("--seed must not be negative");
      }
      int_it->second(*number);
    } else {
      *str_it->second = *value;
    }
  }
  if (auto checked = check(o); !checked) {
    return fail(checked.error());
  }
  return result;
}

std::string usage_text() {
  return R"(Usage: portal-sim [OPTION]...

Simulate, on 127.0.0.1, both HTTP APIs that portal-syncd talks to: the
province's catalogue and the national portal's integration API, exactly as
the contract (shared/contract) defines them. It checks every request
strictly, keeps a ledger of what the client did, and is the test oracle of
the project.

Endpoints (BASE = http://127.0.0.1:PORT):
  BASE/provincial/services                      the catalogue (provincial.base_url = BASE/provincial)
  BASE/national/oauth2/token                    OAuth2 client credentials (national.token_url)
  BASE/national/provinces/{province}/services   listing, PUT and DELETE (national.base_url = BASE/national)
  BASE/_sim/...                                 control: ledger, coverage, edit, tear, fail, ...

The same catalogue in two foreign shapes (provincial.dialect = "mapped"):
  BASE/provincial/opencps/serviceinfos?start=S&end=E
        OpenCPS v2: {"total", "data": [{"serviceCode", "maxLevel": 4|3|2, ...}]}
        (suspended services are not listed); mapping_file = "opencps"
  BASE/provincial/gateway/thutuc?pageNumber=P&pageSize=S (at most 100)
        {"message": "<JSON>"} wrapping {"error_code": 0, "total": "N", "result":
        [{"MATTHC", "TENTTHC", "MUCDO": "4", "COQUANTHUCHIEN": [{"MADONVI", ...}],
        "LEPHI": "150000", "NGAYCAPNHAT": "yyyyMMddHHmmss", ...}]}
  BASE/_sim/agency-remap.csv   the [agencies] remap_file that corrects --old-agency-codes

World (deterministic from --seed):
      --province CODE       province code on the national portal (default H43)
      --services N          valid active services in the catalogue (default 1126)
      --full N              of them at level "full", the rest "partial" (default 582)
      --integrated N        of them already on the national portal (default 985)
      --stale N             of the integrated, how many hold an outdated content_hash (default 0)
      --orphans N           national entries that are not in the catalogue (default 0)
      --reject N            not-integrated services whose PUT the portal refuses
                            with 422 and a business reason (default 0)
      --invalid N           extra catalogue records that break the contract, cycling
                            through: bad level, missing name, negative fee, bad code
                            characters, duplicated code (two records), bad updated_at
                            (default 0)
      --suspended N         extra records with status "suspended" (default 0)
      --extra-fields        add unknown members at every depth (a client must ignore them)
      --information N       extra services of level "information" (MucDo 2), listed only
                            in the foreign shapes (default 0)
      --old-agency-codes    the foreign shapes show the agencies with an odd number under
                            their pre-2025 code (000.20.N...); /_sim/agency-remap.csv maps them back
      --opencps-values      give every record only what the OpenCPS shape carries (admin level
                            province, fee 0, 0 processing days), so that shape is the whole record
      --seed N              seed of the generator (default 1)

National portal:
      --client-id ID        the only client accepted by the token endpoint (default province-h43)
      --client-secret S     its secret (default sim-secret)
      --token-ttl SECONDS   expires_in of issued tokens; an expired token gets 401
                            UNAUTHORIZED "expired token" (default 3600)
      --rate-limit N        national requests per second before 429 RATE_LIMIT (default 0 = off)
      --max-concurrency N   concurrent national requests before 429 CONCURRENCY_LIMIT
                            (default 0 = off)
      --retry-after-grace-ms MS
                            requests arriving this long after a Retry-After was sent and
                            before it ends count as violations (default 250)

Random faults (each request of a target draws at most one; the draw depends
on --seed, the request's method and target, and how often that same request
came before, so a run is reproducible even with concurrent clients; all
changeable at run time through POST /_sim/faults):
      --p-reset P           connection reset (TCP RST, no HTTP status) before any work
                            (default 0)
      --p-apply-reset P     PUT/DELETE: done and stored under its Idempotency-Key, then the
                            connection reset without the answer; a retry with the same key
                            replays (default 0)
      --p500 P              500 INTERNAL, nothing done (default 0)
      --p503 P              503 UNAVAILABLE, nothing done (default 0)
      --p503-retry-after-share P
                            of those 503s, the share that carries a Retry-After (default 0.5)
      --retry-after-seconds N
                            the Retry-After of those 503s (default 1)
      --p-html P            a national listing or catalogue page answered 200 with
                            Content-Type text/html and an HTML body (default 0)
      --p-slow P            the work is done, then the answer is held back --slow-ms; the
                            request stops counting against --max-concurrency and
                            max_in_flight while held (default 0)
      --slow-ms MS          (default 2000)
      --fault-targets LIST  comma list of put, delete, list, token, catalogue (or national =
                            put,delete,list; all; none) the random faults hit
                            (default put,delete,list,token)
  The probabilities are bands of one draw: --p-reset + --p-apply-reset + --p500 +
  --p503 + --p-html + --p-slow must not exceed 1. A band that does not apply to a
  request (apply-reset on a GET, html on a PUT) leaves it unharmed.

HTTPS:
      --tls-cert FILE       serve HTTPS with this PEM certificate (chain) ...
      --tls-key FILE        ... and this PEM private key
      --tls-client-ca FILE  require a client certificate signed by a CA in this PEM file
                            (mutual TLS); a client without one fails the handshake
      --control-port N      also serve the control endpoints (/_sim/...) over plain HTTP on
                            127.0.0.1:N, 0 for an ephemeral port. With --tls-cert this
                            control server is always started (ephemeral unless given), so
                            tests can steer the simulator without a client certificate

Catalogue:
      --catalogue-token T   require "Authorization: Bearer T" on the catalogue (default: none)

Both:
      --port N              TCP port on 127.0.0.1, 0 for an ephemeral one (default 0)
      --latency-ms MS       delay added to every catalogue and national request; a PUT or
                            DELETE spends it holding its key and its concurrency slot
                            (default 0)
      --verbose             log every request ("METHOD PATH -> STATUS") to stderr
  -h, --help                show this help and exit
      --version             show the version and exit

What a PUT or DELETE goes through, in order:
  Retry-After window, /_sim/fail faults, rate and concurrency caps (429);
  random faults that come before any work (reset, 500, 503); bearer token (401); exactly one Idempotency-Key of 1-255 printable ASCII
  characters (400 MISSING_IDEMPOTENCY_KEY); the key's memory: the same request
  replays the stored response, another request is 422 IDEMPOTENCY_KEY_REUSED,
  one still running is 409 IN_PROGRESS; the province (404 UNKNOWN_PROVINCE);
  the path code (400). PUT then checks the body: application/json, valid UTF-8
  JSON, no duplicate or unknown member (status and updated_at are never sent),
  every required field with its type (400 INVALID_FIELD with "field"), enums
  and ranges (422 INVALID_FIELD), body code = path code (422), content_hash =
  "sha256:" + SHA-256 of the body's RFC 8785 form (422 HASH_MISMATCH), the
  reject set (422 with a reason); then 201 created, 200 updated, or 200 and a
  wasted write when the hash is already stored. DELETE answers 204, or 404
  NOT_INTEGRATED. Successes and 4xx are stored under their key; 401, 409, 429
  and 5xx are not. Last, a random apply-reset drops the stored answer with the
  connection, and a random slow answer holds it back.

Ledger counters (GET /_sim/ledger, and the table printed at exit):
  creates updates deletes wasted_writes   what the writes did
  idempotent_replays key_reuse_errors missing_keys in_progress_conflicts
  hash_mismatches rejections invalid_requests not_found unauthorized
  token_requests token_errors catalogue_pages catalogue_not_modified
  national_list_pages puts delete_requests
  off_catalogue_writes   accepted PUTs of codes that are not valid active records
  stale_writes           accepted PUTs of content that is not the catalogue's current one
  rate_limited concurrency_limited
  retry_after_violations requests sent inside a Retry-After window (after the grace)
  faults_injected        every injected fault, from /_sim/fail or the random profile
  resets apply_resets slow_answers injected_500 injected_503 html_pages
                         injected faults by kind
  edits torn_listings max_in_flight (most PUT/DELETE handled at once)
  requests               every request to either portal (/_sim/... not counted)

On start portal-sim prints "portal-sim listening on http://127.0.0.1:PORT" (https://
with --tls-cert), preceded, when a control server runs, by the line
"portal-sim control on http://127.0.0.1:CPORT".
On SIGTERM or SIGINT it stops, prints the ledger as a table and exits 0.

Control endpoints (no authentication; loopback test use only):
  GET  /_sim/ledger           counters of what the client did (JSON)
  GET  /_sim/coverage         the simulator's own coverage per contract section 4
  GET  /_sim/services         every catalogue record: code, status, validity, expected
                              and national content_hash, state
  POST /_sim/edit?count=N     edit N active valid records (name, updated_at); new version
  POST /_sim/edit?code=C      edit the active valid record C the same way (404 when none)
  POST /_sim/tear?count=N     tear the next N catalogue listings after their page 1
  POST /_sim/fail?target=T&status=S&count=N[&retry_after=SEC][&code=C][&delay_ms=MS][&body=B]
                              answer the next N requests of target national|put|delete|list|
                              token|catalogue with status S (body=malformed|bad_utf8|bad_shape
                              breaks a catalogue page instead; body=html answers a catalogue
                              or list page 200 text/html). A 429 or 503 with retry_after
                              opens a Retry-After window for the whole national portal
  POST /_sim/fail?target=T&kind=K&count=N
                              the next N requests of target T get the random profile's fault
                              K = reset | apply_reset (put, delete, national) | slow (held
                              back the profile's slow_ms), whatever the probabilities
  GET  /_sim/faults           the run-time profile (JSON): p500 p503 p503_retry_after_share
                              retry_after_seconds p_reset p_apply_reset p_slow slow_ms p_html
                              targets latency_ms rate_limit max_concurrency token_ttl
  POST /_sim/faults?NAME=V&...
                              change those fields (the others keep their value; reset=1
                              starts from the command line's profile); all or nothing: an
                              unknown name or bad value is 400 and changes nothing.
                              token_ttl applies to tokens issued afterwards
  POST /_sim/revoke-tokens    invalidate every issued access token
  POST /_sim/reset-ledger     zero the ledger
  (POSTs need a Content-Length, even 0: curl -d '' URL)

Exit status: 0 after a signal-initiated stop, 1 when a port cannot be bound or
the TLS files cannot be loaded, 2 on a usage error.
)";
}

}  // namespace psd::sim
