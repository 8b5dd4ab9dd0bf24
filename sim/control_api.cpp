#include "sim/control_api.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <set>

#include "sim/coverage.hpp"
#include "sim/http_util.hpp"

namespace psd::sim {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_str(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

// count=N, 1 by default; nullopt (and a 400) when malformed.
std::optional<std::int64_t> count_param(const httplib::Request& req, httplib::Response& res) {
  if (!req.has_param("count")) {
    return 1;
  }
  const auto n = parse_int(req.get_param_value("count"));
  if (!n || *n < 0 || *n > 1000000) {
    send_error(res, 400, "INVALID_PARAMETER", "count must be an integer in 0..1000000", "count");
    return std::nullopt;
  }
  return n;
}

}  // namespace

ControlApi::ControlApi(CatalogueStore& catalogue, NationalStore& national, TokenIssuer& tokens,
                       Ledger& ledger, Gate& gate)
    : catalogue_(catalogue), national_(national), tokens_(tokens), ledger_(ledger), gate_(gate) {}

void ControlApi::install(httplib::Server& server) {
  server.Get("/_sim/ledger", [this](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, ledger_.to_json());
  });
  server.Get("/_sim/coverage", [this](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200,
              coverage_json(compute_coverage(*catalogue_.snapshot(), national_.entries())));
  });
  server.Get("/_sim/services",
             [this](const httplib::Request&, httplib::Response& res) { services(res); });
  server.Post("/_sim/edit",
              [this](const httplib::Request& req, httplib::Response& res) { edit(req, res); });
  server.Post("/_sim/tear",
              [this](const httplib::Request& req, httplib::Response& res) { tear(req, res); });
  server.Post("/_sim/fail",
              [this](const httplib::Request& req, httplib::Response& res) { fail(req, res); });
  server.Get("/_sim/faults", [this](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, profile_json(gate_.profile()));
  });
  server.Post("/_sim/faults", [this](const httplib::Request& req, httplib::Response& res) {
    set_faults(req, res);
  });
  server.Post("/_sim/revoke-tokens", [this](const httplib::Request&, httplib::Response& res) {
    tokens_.revoke_all();
    send_json(res, 200, R"({"revoked":true})");
  });
  server.Post("/_sim/reset-ledger", [this](const httplib::Request&, httplib::Response& res) {
    ledger_.reset();
    send_json(res, 200, ledger_.to_json());
  });
}

void ControlApi::services(httplib::Response& res) {
  const auto snap = catalogue_.snapshot();
  const auto national = national_.entries();
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("version");
  write_str(w, snap->version);
  w.Key("records");
  w.StartArray();
  std::set<std::string> active;
  for (const auto& r : snap->records) {
    const auto it = national.find(r.code);
    const bool on_portal = it != national.end();
    std::string_view state;
    if (!r.counts_active()) {
      state = "suspended";
    } else if (!r.valid()) {
      state = "invalid";
    } else if (!on_portal) {
      state = "missing";
    } else {
      state = it->second.content_hash == r.expected_hash ? "in_sync" : "stale";
    }
    if (r.counts_active()) {
      active.insert(r.code);
    }
    w.StartObject();
    w.Key("code");
    write_str(w, r.code);
    w.Key("status");
    write_str(w, r.status);
    w.Key("level");
    write_str(w, r.level);
    w.Key("agency_code");
    write_str(w, r.agency.code);
    w.Key("valid");
    w.Bool(r.valid());
    w.Key("defect");
    write_str(w, defect_name(r.defect));
    w.Key("expected_hash");
    write_str(w, r.expected_hash);
    w.Key("national_hash");
    if (on_portal) {
      write_str(w, it->second.content_hash);
    } else {
      w.Null();
    }
    w.Key("rejected_by_portal");
    w.Bool(national_.rejection(r.code).has_value());
    w.Key("state");
    write_str(w, state);
    w.EndObject();
  }
  w.EndArray();
  w.Key("orphans");
  w.StartArray();
  for (const auto& [code, entry] : national) {
    if (active.count(code) == 0) {
      write_str(w, code);
    }
  }
  w.EndArray();
  w.EndObject();
  send_json(res, 200, buf.GetString());
}

void ControlApi::edit(const httplib::Request& req, httplib::Response& res) {
  std::vector<std::string> codes;
  if (req.has_param("code")) {
    const std::string code = req.get_param_value("code");
    if (!catalogue_.edit_code(code)) {
      send_json(res, 404, R"({"error":"no active valid record with that code"})");
      return;
    }
    codes.push_back(code);
  } else {
    const auto count = count_param(req, res);
    if (!count) {
      return;
    }
    codes = catalogue_.edit(static_cast<std::size_t>(*count));
  }
  ledger_.add(Counter::kEdits, codes.size());
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("version");
  write_str(w, catalogue_.snapshot()->version);
  w.Key("codes");
  w.StartArray();
  for (const auto& c : codes) {
    write_str(w, c);
  }
  w.EndArray();
  w.EndObject();
  send_json(res, 200, buf.GetString());
}

void ControlApi::tear(const httplib::Request& req, httplib::Response& res) {
  const auto count = count_param(req, res);
  if (!count) {
    return;
  }
  catalogue_.arm_tears(static_cast<std::size_t>(*count));
  send_json(res, 200, "{\"pending_tears\":" + std::to_string(catalogue_.pending_tears()) + "}");
}

void ControlApi::fail(const httplib::Request& req, httplib::Response& res) {
  std::string error;
  auto fault = parse_fault(req, error);
  if (!fault) {
    send_error(res, 400, "INVALID_PARAMETER", error);
    return;
  }
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("target");
  write_str(w, fault->target);
  w.Key("status");
  w.Int(fault->status);
  w.Key("count");
  w.Int64(fault->count);
  w.Key("retry_after");
  w.Int64(fault->retry_after);
  w.Key("delay_ms");
  w.Int64(fault->delay_ms);
  if (!fault->kind.empty()) {
    w.Key("kind");
    write_str(w, fault->kind);
  }
  w.EndObject();
  gate_.arm(std::move(*fault));
  send_json(res, 200, buf.GetString());
}

void ControlApi::set_faults(const httplib::Request& req, httplib::Response& res) {
  // All or nothing: a typo in one field changes nothing.
  Profile profile = req.has_param("reset") ? gate_.plan().initial() : gate_.profile();
  for (const auto& [name, value] : req.params) {
    if (name == "reset") {
      continue;
    }
    if (auto set = set_profile_field(profile, name, value); !set) {
      send_error(res, 400, "INVALID_PARAMETER", set.error(), name);
      return;
    }
  }
  if (auto rates = check_rates(profile.faults); !rates) {
    send_error(res, 400, "INVALID_PARAMETER", rates.error());
    return;
  }
  gate_.plan().set(profile);
  send_json(res, 200, profile_json(profile));
}

}  // namespace psd::sim
