#include "tests/support/sim_process.hpp"

#include <httplib.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <csignal>
#include <cstdlib>
#include <iomanip>
#include <locale>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <type_traits>
#include <variant>

#include "sim/coverage_json.hpp"
#include "sim/profile_fields.hpp"

#ifndef PSD_SUPPORT_SIM_BINARY
#define PSD_SUPPORT_SIM_BINARY "portal-sim"
#endif

namespace psd::testing {
namespace {

constexpr const char* kListening = "portal-sim listening on http";
constexpr const char* kControl = "portal-sim control on http://127.0.0.1:";

// The value of `--name V` or `--name=V` in `args`, if given.
std::optional<std::string> option_value(const std::vector<std::string>& args,
                                        const std::string& name) {
  std::optional<std::string> found;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == name && i + 1 < args.size()) {
      found = args[i + 1];
    } else if (args[i].rfind(name + "=", 0) == 0) {
      found = args[i].substr(name.size() + 1);
    }
  }
  return found;
}

rapidjson::Document parse(const std::string& body, const std::string& what) {
  rapidjson::Document doc;
  doc.Parse(body.c_str(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    throw std::runtime_error("portal-sim " + what + ": not a JSON object: " + body);
  }
  return doc;
}

std::int64_t int_of(const rapidjson::Value& obj, const char* name) {
  return obj.HasMember(name) && obj[name].IsInt64() ? obj[name].GetInt64() : 0;
}

double double_of(const rapidjson::Value& obj, const char* name) {
  return obj.HasMember(name) && obj[name].IsNumber() ? obj[name].GetDouble() : 0.0;
}

std::string string_of(const rapidjson::Value& obj, const char* name) {
  return obj.HasMember(name) && obj[name].IsString()
             ? std::string(obj[name].GetString(), obj[name].GetStringLength())
             : std::string();
}

void set_timeouts(httplib::ClientImpl& client) {
  client.set_connection_timeout(std::chrono::seconds(5));
  client.set_read_timeout(std::chrono::seconds(30));
  client.set_write_timeout(std::chrono::seconds(30));
}

httplib::Client make_client(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(std::chrono::seconds(5));
  client.set_read_timeout(std::chrono::seconds(30));
  client.set_write_timeout(std::chrono::seconds(30));
  return client;
}

std::unique_ptr<httplib::SSLClient> make_tls_client(int port, const SimTls& tls) {
  auto client = tls.client_cert_file.empty()
                    ? std::make_unique<httplib::SSLClient>("127.0.0.1", port)
                    : std::make_unique<httplib::SSLClient>("127.0.0.1", port, tls.client_cert_file,
                                                           tls.client_key_file);
  if (tls.ca_file.empty()) {
    client->enable_server_certificate_verification(false);
  } else {
    client->set_ca_cert_path(tls.ca_file);
    client->enable_server_certificate_verification(true);
  }
  set_timeouts(*client);
  return client;
}

bool is_control_path(const std::string& path) { return path.rfind("/_sim/", 0) == 0; }

std::string number_text(double v) {
  std::ostringstream out;
  out.imbue(std::locale::classic());
  out << std::setprecision(17) << v;
  return out.str();
}

// SimFaultProfile's member for each field of sim::kProfileFields, in the
// table's order; the table gives the names and the options.
using ProfileMember =
    std::variant<std::optional<double> SimFaultProfile::*, std::optional<int> SimFaultProfile::*,
                 std::optional<std::string> SimFaultProfile::*>;
constexpr std::array<ProfileMember, sim::kProfileFields.size()> kProfileMembers{
    &SimFaultProfile::p500,
    &SimFaultProfile::p503,
    &SimFaultProfile::p503_retry_after_share,
    &SimFaultProfile::retry_after_seconds,
    &SimFaultProfile::p_reset,
    &SimFaultProfile::p_apply_reset,
    &SimFaultProfile::p_slow,
    &SimFaultProfile::slow_ms,
    &SimFaultProfile::p_html,
    &SimFaultProfile::targets,
    &SimFaultProfile::latency_ms,
    &SimFaultProfile::rate_limit,
    &SimFaultProfile::max_concurrency,
    &SimFaultProfile::token_ttl,
};

// Each member has the kind of its field: a probability, an integer, targets.
constexpr bool members_match_fields() {
  sim::Profile profile;
  for (std::size_t i = 0; i < kProfileMembers.size(); ++i) {
    if (sim::kProfileFields[i].slot(profile).index() != kProfileMembers[i].index()) {
      return false;
    }
  }
  return true;
}
static_assert(members_match_fields(), "kProfileMembers follows sim::kProfileFields");

std::string value_text(double v) { return number_text(v); }
std::string value_text(int v) { return std::to_string(v); }
std::string value_text(const std::string& v) { return v; }

// Every set field of `p` with its value as text.
std::vector<std::pair<const sim::ProfileField*, std::string>> profile_fields(
    const SimFaultProfile& p) {
  std::vector<std::pair<const sim::ProfileField*, std::string>> out;
  for (std::size_t i = 0; i < kProfileMembers.size(); ++i) {
    std::visit(
        [&](auto member) {
          if (const auto& value = p.*member) {
            out.emplace_back(&sim::kProfileFields[i], value_text(*value));
          }
        },
        kProfileMembers[i]);
  }
  return out;
}

SimResponse to_response(const httplib::Result& result) {
  SimResponse out;
  if (!result) {
    return out;
  }
  out.status = result->status;
  out.body = result->body;
  for (const auto& [name, value] : result->headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out.headers[lower] = value;
  }
  return out;
}

// SimLedger's member for each counter of /_sim/ledger, by the counter's name.
struct LedgerCounter {
  std::string_view name;
  std::uint64_t SimLedger::*member;
};
constexpr std::array kLedgerCounters{
    LedgerCounter{"creates", &SimLedger::creates},
    LedgerCounter{"updates", &SimLedger::updates},
    LedgerCounter{"deletes", &SimLedger::deletes},
    LedgerCounter{"idempotent_replays", &SimLedger::idempotent_replays},
    LedgerCounter{"wasted_writes", &SimLedger::wasted_writes},
    LedgerCounter{"hash_mismatches", &SimLedger::hash_mismatches},
    LedgerCounter{"rejections", &SimLedger::rejections},
    LedgerCounter{"key_reuse_errors", &SimLedger::key_reuse_errors},
    LedgerCounter{"missing_keys", &SimLedger::missing_keys},
    LedgerCounter{"unauthorized", &SimLedger::unauthorized},
    LedgerCounter{"token_requests", &SimLedger::token_requests},
    LedgerCounter{"token_errors", &SimLedger::token_errors},
    LedgerCounter{"catalogue_pages", &SimLedger::catalogue_pages},
    LedgerCounter{"catalogue_not_modified", &SimLedger::catalogue_not_modified},
    LedgerCounter{"national_list_pages", &SimLedger::national_list_pages},
    LedgerCounter{"puts", &SimLedger::puts},
    LedgerCounter{"delete_requests", &SimLedger::delete_requests},
    LedgerCounter{"invalid_requests", &SimLedger::invalid_requests},
    LedgerCounter{"not_found", &SimLedger::not_found},
    LedgerCounter{"in_progress_conflicts", &SimLedger::in_progress_conflicts},
    LedgerCounter{"off_catalogue_writes", &SimLedger::off_catalogue_writes},
    LedgerCounter{"stale_writes", &SimLedger::stale_writes},
    LedgerCounter{"rate_limited", &SimLedger::rate_limited},
    LedgerCounter{"concurrency_limited", &SimLedger::concurrency_limited},
    LedgerCounter{"retry_after_violations", &SimLedger::retry_after_violations},
    LedgerCounter{"faults_injected", &SimLedger::faults_injected},
    LedgerCounter{"resets", &SimLedger::resets},
    LedgerCounter{"apply_resets", &SimLedger::apply_resets},
    LedgerCounter{"slow_answers", &SimLedger::slow_answers},
    LedgerCounter{"injected_500", &SimLedger::injected_500},
    LedgerCounter{"injected_503", &SimLedger::injected_503},
    LedgerCounter{"html_pages", &SimLedger::html_pages},
    LedgerCounter{"edits", &SimLedger::edits},
    LedgerCounter{"torn_listings", &SimLedger::torn_listings},
    LedgerCounter{"max_in_flight", &SimLedger::max_in_flight},
    LedgerCounter{"requests", &SimLedger::requests},
    LedgerCounter{"catalogue_retry_after_violations", &SimLedger::catalogue_retry_after_violations},
    LedgerCounter{"national_window_until_ms", &SimLedger::national_window_until_ms},
    LedgerCounter{"national_first_request_after_window_ms",
                  &SimLedger::national_first_request_after_window_ms},
    LedgerCounter{"catalogue_window_until_ms", &SimLedger::catalogue_window_until_ms},
    LedgerCounter{"catalogue_first_request_after_window_ms",
                  &SimLedger::catalogue_first_request_after_window_ms},
};

// The body of an answer from the simulator's control API; anything but 200 throws.
std::string body_of(const char* method, const std::string& path, const SimResponse& res) {
  if (res.status != 200) {
    throw std::runtime_error(std::string(method) + " " + path + " on portal-sim: status " +
                             std::to_string(res.status) + " " + res.body);
  }
  return res.body;
}

}  // namespace

std::string sim_binary() {
  if (const char* env = std::getenv("PSD_SIM_BINARY"); env != nullptr && *env != '\0') {
    return env;
  }
  return PSD_SUPPORT_SIM_BINARY;
}

namespace {

SimProcess::Options with_args(std::vector<std::string> args) {
  SimProcess::Options o;
  o.args = std::move(args);
  return o;
}

}  // namespace

SimProcess::SimProcess(std::vector<std::string> args) : SimProcess(with_args(std::move(args))) {}

SimProcess::SimProcess(const Options& options) : tls_(options.tls) {
  std::vector<std::string> args = options.args;
  for (auto& arg : options.faults.to_args()) {
    args.push_back(std::move(arg));
  }
  if (!tls_.cert_file.empty()) {
    args.insert(args.end(), {"--tls-cert", tls_.cert_file, "--tls-key", tls_.key_file});
    if (!tls_.client_ca_file.empty()) {
      args.insert(args.end(), {"--tls-client-ca", tls_.client_ca_file});
    }
  }
  province_ = option_value(args, "--province").value_or(province_);
  client_id_ = option_value(args, "--client-id").value_or(client_id_);
  client_secret_ = option_value(args, "--client-secret").value_or(client_secret_);
  ChildOptions child;
  child.err = options.err;
  const std::string binary = options.binary.empty() ? sim_binary() : options.binary;
  process_ = std::make_unique<ChildProcess>(binary, args, child);
  const auto line = process_->wait_for_stdout_line(kListening, options.start_timeout);
  if (!line) {
    process_->terminate(std::chrono::seconds(2));
    process_->wait_output_closed(std::chrono::seconds(2));
    throw std::runtime_error("portal-sim did not start (" + binary +
                             "); stderr: " + process_->stderr_text());
  }
  https_ = line->find("listening on https://") != std::string::npos;
  if (https_) {
    // httplib 0.11's TLS client writes with plain write(): a connection the
    // simulator reset would kill the test with SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);
  }
  port_ = std::stoi(line->substr(line->rfind(':') + 1));
  control_port_ = port_;
  // The control line comes before the listening line.
  const std::string out = process_->stdout_text();
  if (const auto at = out.find(kControl); at != std::string::npos) {
    control_port_ = std::stoi(out.substr(at + std::string(kControl).size()));
  }
}

SimProcess::~SimProcess() {
  if (process_) {
    stop();
  }
}

int SimProcess::stop() {
  if (!exit_code_) {
    exit_code_ = process_->terminate(std::chrono::seconds(10));
    process_->wait_output_closed(std::chrono::seconds(5));
  }
  return *exit_code_;
}

std::string SimProcess::base_url() const {
  return (https_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_);
}
std::string SimProcess::provincial_url() const { return base_url() + "/provincial"; }
std::string SimProcess::national_url() const { return base_url() + "/national"; }
std::string SimProcess::token_url() const { return base_url() + "/national/oauth2/token"; }

SimResponse SimProcess::get(const std::string& path,
                            const std::map<std::string, std::string>& headers) const {
  const httplib::Headers h(headers.begin(), headers.end());
  if (https_ && !is_control_path(path)) {
    return to_response(make_tls_client(port_, tls_)->Get(path, h));
  }
  auto client = make_client(is_control_path(path) ? control_port_ : port_);
  return to_response(client.Get(path, h));
}

SimResponse SimProcess::post(const std::string& path, const std::string& body,
                             const std::string& content_type,
                             const std::map<std::string, std::string>& headers) const {
  const httplib::Headers h(headers.begin(), headers.end());
  if (https_ && !is_control_path(path)) {
    return to_response(make_tls_client(port_, tls_)->Post(path, h, body, content_type));
  }
  auto client = make_client(is_control_path(path) ? control_port_ : port_);
  return to_response(client.Post(path, h, body, content_type));
}

std::string SimProcess::checked_get(const std::string& path) const {
  return body_of("GET", path, get(path));
}

std::string SimProcess::checked_post(const std::string& path) const {
  return body_of("POST", path, post(path));
}

SimLedger SimProcess::ledger() const {
  const auto doc = parse(checked_get("/_sim/ledger"), "ledger");
  SimLedger l;
  for (const auto& m : doc.GetObject()) {
    if (m.value.IsUint64()) {
      l.all[m.name.GetString()] = m.value.GetUint64();
    }
  }
  for (const auto& [name, member] : kLedgerCounters) {
    const auto it = l.all.find(std::string(name));
    l.*member = it == l.all.end() ? 0 : it->second;
  }
  return l;
}

sim::Coverage SimProcess::coverage() const {
  auto coverage = sim::parse_coverage_json(checked_get("/_sim/coverage"));
  if (!coverage) {
    throw std::runtime_error("portal-sim GET /_sim/coverage: " + coverage.error());
  }
  return *coverage;
}

SimServices SimProcess::services() const {
  const auto doc = parse(checked_get("/_sim/services"), "services");
  SimServices out;
  out.version = string_of(doc, "version");
  for (const auto& r : doc["records"].GetArray()) {
    SimService s;
    s.code = string_of(r, "code");
    s.status = string_of(r, "status");
    s.level = string_of(r, "level");
    s.agency_code = string_of(r, "agency_code");
    s.valid = r["valid"].GetBool();
    s.defect = string_of(r, "defect");
    s.expected_hash = string_of(r, "expected_hash");
    if (r["national_hash"].IsString()) {
      s.national_hash = r["national_hash"].GetString();
    }
    s.rejected_by_portal = r["rejected_by_portal"].GetBool();
    s.state = string_of(r, "state");
    out.records.push_back(std::move(s));
  }
  for (const auto& code : doc["orphans"].GetArray()) {
    out.orphans.emplace_back(code.GetString());
  }
  return out;
}

std::vector<std::string> SimProcess::edit(int n) const {
  const auto doc = parse(checked_post("/_sim/edit?count=" + std::to_string(n)), "edit");
  std::vector<std::string> codes;
  for (const auto& c : doc["codes"].GetArray()) {
    codes.emplace_back(c.GetString());
  }
  return codes;
}

void SimProcess::edit_code(const std::string& code) const {
  checked_post("/_sim/edit?code=" + code);
}

void SimProcess::tear(int n) const { checked_post("/_sim/tear?count=" + std::to_string(n)); }

void SimProcess::fail(const SimFault& f) const {
  std::string path = "/_sim/fail?target=" + f.target + "&count=" + std::to_string(f.count);
  if (!f.kind.empty()) {
    path += "&kind=" + f.kind;
  } else if (f.status != 0 || f.body.empty()) {
    path += "&status=" + std::to_string(f.status);
  }
  if (f.retry_after >= 0) {
    path += "&retry_after=" + std::to_string(f.retry_after);
  }
  if (!f.code.empty()) {
    path += "&code=" + f.code;
  }
  if (f.delay_ms > 0) {
    path += "&delay_ms=" + std::to_string(f.delay_ms);
  }
  if (!f.body.empty() && f.kind.empty()) {
    path += "&body=" + f.body;
  }
  checked_post(path);
}

SimFaultProfile SimFaultProfile::mixed_on_both_portals() {
  return {.p503 = 0.2,
          .p503_retry_after_share = 0.05,
          .retry_after_seconds = 1,
          .p_reset = 0.05,
          .p_apply_reset = 0.05,
          .p_slow = 0.03,
          .slow_ms = 2500,
          .targets = "all"};
}

std::vector<std::string> SimFaultProfile::to_args() const {
  std::vector<std::string> out;
  for (const auto& [field, value] : profile_fields(*this)) {
    out.emplace_back(field->option);
    out.push_back(value);
  }
  return out;
}

std::string SimFaultProfile::to_query() const {
  std::string out;
  for (const auto& [field, value] : profile_fields(*this)) {
    out += (out.empty() ? "" : "&") + std::string(field->name) + "=" +
           httplib::detail::encode_query_param(value);
  }
  return out;
}

namespace {

SimFaultProfile profile_of(const std::string& body) {
  const auto doc = parse(body, "faults");
  SimFaultProfile p;
  for (std::size_t i = 0; i < kProfileMembers.size(); ++i) {
    const std::string name(sim::kProfileFields[i].name);
    std::visit(
        [&](auto member) {
          using Value = typename std::remove_reference_t<decltype(p.*member)>::value_type;
          if constexpr (std::is_same_v<Value, double>) {
            p.*member = double_of(doc, name.c_str());
          } else if constexpr (std::is_same_v<Value, int>) {
            p.*member = static_cast<int>(int_of(doc, name.c_str()));
          } else {
            p.*member = string_of(doc, name.c_str());
          }
        },
        kProfileMembers[i]);
  }
  return p;
}

}  // namespace

SimFaultProfile SimProcess::set_faults(const SimFaultProfile& profile, bool reset) const {
  std::string query = profile.to_query();
  if (reset) {
    query = "reset=1" + (query.empty() ? "" : "&" + query);
  }
  return profile_of(checked_post("/_sim/faults?" + query));
}

SimFaultProfile SimProcess::faults() const { return profile_of(checked_get("/_sim/faults")); }

void SimProcess::revoke_tokens() const { checked_post("/_sim/revoke-tokens"); }

void SimProcess::reset_ledger() const { checked_post("/_sim/reset-ledger"); }

std::string SimProcess::access_token() const {
  const auto res = post(
      "/national/oauth2/token",
      "grant_type=client_credentials&client_id=" + httplib::detail::encode_query_param(client_id_) +
          "&client_secret=" + httplib::detail::encode_query_param(client_secret_),
      "application/x-www-form-urlencoded");
  if (res.status != 200) {
    throw std::runtime_error("portal-sim token: status " + std::to_string(res.status) + " " +
                             res.body);
  }
  return string_of(parse(res.body, "token"), "access_token");
}

}  // namespace psd::testing
