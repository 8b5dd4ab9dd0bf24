#include "sim/control_api.hpp"

#include <set>

#include "sim/coverage_json.hpp"
#include "sim/http_util.hpp"
#include "sim/json_fields.hpp"

namespace psd::sim {
namespace {

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
  JsonWriter w(buf);
  w.StartObject();
  write_field(w, "version", snap->version);
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
    write_object(w, {{"code", r.code},
                     {"status", r.status},
                     {"level", r.level},
                     {"agency_code", r.agency.code},
                     {"valid", r.valid()},
                     {"defect", defect_name(r.defect)},
                     {"expected_hash", r.expected_hash},
                     {"national_hash", on_portal ? JsonValue(it->second.content_hash) : nullptr},
                     {"rejected_by_portal", national_.rejection(r.code).has_value()},
                     {"state", state}});
  }
  w.EndArray();
  w.Key("orphans");
  w.StartArray();
  for (const auto& [code, entry] : national) {
    if (active.count(code) == 0) {
      write_text(w, code);
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
  JsonWriter w(buf);
  w.StartObject();
  write_field(w, "version", catalogue_.snapshot()->version);
  w.Key("codes");
  w.StartArray();
  for (const auto& c : codes) {
    write_text(w, c);
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
  const std::string body = object_json({{"target", fault->target},
                                        {"status", fault->status},
                                        {"count", fault->count},
                                        {"retry_after", fault->retry_after},
                                        {"delay_ms", fault->delay_ms},
                                        {"kind", fault->kind, !fault->kind.empty()}});
  gate_.arm(std::move(*fault));
  send_json(res, 200, body);
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
