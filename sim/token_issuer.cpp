#include "sim/token_issuer.hpp"

#include <cstdio>

#include "sim/http_util.hpp"
#include "sim/json_fields.hpp"

namespace psd::sim {

TokenIssuer::TokenIssuer(const SimOptions& options, Ledger& ledger, Gate& gate)
    : options_(options),
      ledger_(ledger),
      gate_(gate),
      // Tokens differ between runs, so a client cannot get by with a stale one.
      rng_(derive_seed(options.seed, 0x70c3) ^
           static_cast<std::uint64_t>(Clock::now().time_since_epoch().count())) {}

std::string TokenIssuer::new_token_locked() {
  char buf[64];
  std::snprintf(buf, sizeof buf, "simtok.%016llx%016llx",
                static_cast<unsigned long long>(rng_.next()),
                static_cast<unsigned long long>(rng_.next()));
  return buf;
}

void TokenIssuer::fail(httplib::Response& res, int status, std::string_view error,
                       std::string_view description, bool basic_challenge) {
  ledger_.add(Counter::kTokenErrors);
  send_json(res, status, object_json({{"error", error}, {"error_description", description}}));
  res.set_header("Cache-Control", "no-store");
  if (basic_challenge) {
    res.set_header("WWW-Authenticate", "Basic realm=\"national-portal\"");
  }
}

void TokenIssuer::handle(const httplib::Request& req, httplib::Response& res) {
  ledger_.add(Counter::kTokenRequests);
  const auto slot = gate_.admit(Target::kToken, res);
  if (!slot.admitted()) {
    return;
  }
  const Roll fault = gate_.roll(Target::kToken, req);
  if (gate_.inject(fault, Target::kToken, req, res)) {
    return;
  }
  const Profile profile = gate_.profile();
  sleep_ms(profile.latency_ms);

  const std::string type = req.get_header_value("Content-Type");
  if (type.rfind("application/x-www-form-urlencoded", 0) != 0) {
    fail(res, 400, "invalid_request", "the body must be application/x-www-form-urlencoded", false);
    return;
  }
  // The body is parsed here, not through httplib's params, so that query
  // parameters can never pass for form fields.
  const auto form = parse_form(req.body);
  if (!form) {
    fail(res, 400, "invalid_request", "malformed form body", false);
    return;
  }
  for (const char* name : {"grant_type", "client_id", "client_secret", "scope"}) {
    if (form->count(name) > 1) {
      fail(res, 400, "invalid_request", std::string(name) + " is repeated", false);
      return;
    }
  }
  const auto param = [&](const char* name) -> std::optional<std::string> {
    const auto it = form->find(name);
    return it == form->end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  const auto grant = param("grant_type");
  if (!grant) {
    fail(res, 400, "invalid_request", "grant_type is missing", false);
    return;
  }
  if (*grant != "client_credentials") {
    fail(res, 400, "unsupported_grant_type", "only client_credentials is supported", false);
    return;
  }

  std::optional<std::string> id;
  std::optional<std::string> secret;
  const auto basic = auth_credentials(req, "Basic");
  if (basic) {
    if (param("client_id") || param("client_secret")) {
      // RFC 6749 2.3: one authentication method per request.
      fail(res, 400, "invalid_request", "client credentials both in the header and the body",
           false);
      return;
    }
    const auto decoded = base64_decode(*basic);
    const auto colon = decoded ? decoded->find(':') : std::string::npos;
    if (colon == std::string::npos) {
      fail(res, 401, "invalid_client", "malformed Basic credentials", true);
      return;
    }
    // RFC 6749 2.3.1: both parts are form-urlencoded before base64.
    id = form_decode(decoded->substr(0, colon));
    secret = form_decode(decoded->substr(colon + 1));
  } else {
    id = param("client_id");
    secret = param("client_secret");
  }
  if (!id || !secret || *id != options_.client_id || *secret != options_.client_secret) {
    fail(res, 401, "invalid_client", "unknown client or wrong secret", basic.has_value());
    return;
  }

  std::string token;
  {
    std::lock_guard lock(mu_);
    token = new_token_locked();
    tokens_.emplace(token, Clock::now() + std::chrono::seconds(profile.token_ttl));
    ++issued_;
  }
  send_json(
      res, 200,
      object_json(
          {{"access_token", token}, {"token_type", "Bearer"}, {"expires_in", profile.token_ttl}}));
  res.set_header("Cache-Control", "no-store");
  res.set_header("Pragma", "no-cache");
  if (fault.kind == Injection::kSlow) {
    gate_.hold_answer();
  }
}

bool TokenIssuer::authorize(const httplib::Request& req, httplib::Response& res) {
  const auto token = auth_credentials(req, "Bearer");
  std::string why = "missing bearer token";
  if (token) {
    std::lock_guard lock(mu_);
    const auto it = tokens_.find(*token);
    if (it == tokens_.end()) {
      why = "unknown or revoked token";
    } else if (Clock::now() >= it->second) {
      why = "expired token";
    } else {
      return true;
    }
  }
  ledger_.add(Counter::kUnauthorized);
  send_error(res, 401, "UNAUTHORIZED", why);
  res.set_header("WWW-Authenticate",
                 token ? "Bearer realm=\"national-portal\", error=\"invalid_token\""
                       : "Bearer realm=\"national-portal\"");
  return false;
}

void TokenIssuer::revoke_all() {
  std::lock_guard lock(mu_);
  tokens_.clear();
}

std::uint64_t TokenIssuer::issued() const {
  std::lock_guard lock(mu_);
  return issued_;
}

}  // namespace psd::sim
