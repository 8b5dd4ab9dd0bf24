#include "sim/fault_profile.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <charconv>
#include <optional>
#include <utility>

namespace psd::sim {
namespace {

constexpr std::array<std::pair<std::string_view, Target>, 5> kTargetNames{{
    {"put", Target::kNationalPut},
    {"delete", Target::kNationalDelete},
    {"list", Target::kNationalList},
    {"token", Target::kToken},
    {"catalogue", Target::kCatalogue},
}};

std::optional<double> to_double(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto res = std::from_chars(text.data(), end, value);
  if (text.empty() || res.ec != std::errc() || res.ptr != end) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> to_int(std::string_view text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto res = std::from_chars(text.data(), end, value);
  if (text.empty() || res.ec != std::errc() || res.ptr != end) {
    return std::nullopt;
  }
  return value;
}

Done set_probability(double& field, std::string_view name, std::string_view value) {
  const auto v = to_double(value);
  if (!v || !(*v >= 0.0 && *v <= 1.0)) {
    return not_done(std::string(name) + " must be a number in 0..1, got '" + std::string(value) +
                    "'");
  }
  field = *v;
  return {};
}

Done set_int(std::int64_t& field, std::string_view name, std::string_view value, std::int64_t lo,
             std::int64_t hi) {
  const auto v = to_int(value);
  if (!v || *v < lo || *v > hi) {
    return not_done(std::string(name) + " must be an integer in " + std::to_string(lo) + ".." +
                    std::to_string(hi) + ", got '" + std::string(value) + "'");
  }
  field = *v;
  return {};
}

}  // namespace

Done set_profile_field(Profile& p, std::string_view name, std::string_view value, bool fault_only) {
  FaultRates& f = p.faults;
  constexpr std::int64_t kMaxMs = 600000;
  if (name == "p500") {
    return set_probability(f.p500, name, value);
  }
  if (name == "p503") {
    return set_probability(f.p503, name, value);
  }
  if (name == "p503_retry_after_share") {
    return set_probability(f.p503_retry_after_share, name, value);
  }
  if (name == "retry_after_seconds") {
    return set_int(f.retry_after_seconds, name, value, 0, 3600);
  }
  if (name == "p_reset") {
    return set_probability(f.p_reset, name, value);
  }
  if (name == "p_apply_reset") {
    return set_probability(f.p_apply_reset, name, value);
  }
  if (name == "p_slow") {
    return set_probability(f.p_slow, name, value);
  }
  if (name == "slow_ms") {
    return set_int(f.slow_ms, name, value, 0, kMaxMs);
  }
  if (name == "p_html") {
    return set_probability(f.p_html, name, value);
  }
  if (name == "targets") {
    if (parse_targets(value, f.targets)) return {};
    return not_done(
        "targets must be a comma list of put, delete, list, token, catalogue, national, all or "
        "none, got '" +
        std::string(value) + "'");
  }
  if (!fault_only) {
    if (name == "latency_ms") {
      return set_int(p.latency_ms, name, value, 0, kMaxMs);
    }
    if (name == "rate_limit") {
      return set_int(p.rate_limit, name, value, 0, 1000000);
    }
    if (name == "max_concurrency") {
      return set_int(p.max_concurrency, name, value, 0, 1000000);
    }
    if (name == "token_ttl") {
      return set_int(p.token_ttl, name, value, 1, std::int64_t{86400} * 365);
    }
  }
  return not_done("unknown fault profile field '" + std::string(name) + "'");
}

Done check_rates(const FaultRates& f) {
  // Each request draws one number and the bands follow each other.
  const double sum = f.p_reset + f.p_apply_reset + f.p500 + f.p503 + f.p_html + f.p_slow;
  if (sum > 1.0 + 1e-9) {
    return not_done(
        "p_reset + p_apply_reset + p500 + p503 + p_html + p_slow must not exceed 1, got " +
        std::to_string(sum));
  }
  return {};
}

std::string targets_text(unsigned targets) {
  std::string out;
  for (const auto& [name, t] : kTargetNames) {
    if ((targets & target_bit(t)) != 0) {
      out += (out.empty() ? "" : ",") + std::string(name);
    }
  }
  return out.empty() ? "none" : out;
}

bool parse_targets(std::string_view text, unsigned& targets) {
  unsigned out = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto end = text.find(',', pos);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    const std::string_view item = text.substr(pos, end - pos);
    bool known = false;
    for (const auto& [name, t] : kTargetNames) {
      if (item == name) {
        out |= target_bit(t);
        known = true;
      }
    }
    if (item == "national") {
      out |= kNationalTargets;
    } else if (item == "all") {
      out |= kAllTargets;
    } else if (item != "none" && !known) {
      return false;
    }
    pos = end + 1;
  }
  targets = out;
  return true;
}

std::string profile_json(const Profile& p) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  const FaultRates& f = p.faults;
  w.StartObject();
  const auto num = [&](const char* name, double v) {
    w.Key(name);
    w.Double(v);
  };
  const auto integer = [&](const char* name, std::int64_t v) {
    w.Key(name);
    w.Int64(v);
  };
  num("p500", f.p500);
  num("p503", f.p503);
  num("p503_retry_after_share", f.p503_retry_after_share);
  integer("retry_after_seconds", f.retry_after_seconds);
  num("p_reset", f.p_reset);
  num("p_apply_reset", f.p_apply_reset);
  num("p_slow", f.p_slow);
  integer("slow_ms", f.slow_ms);
  num("p_html", f.p_html);
  const std::string targets = targets_text(f.targets);
  w.Key("targets");
  w.String(targets.c_str(), static_cast<rapidjson::SizeType>(targets.size()));
  integer("latency_ms", p.latency_ms);
  integer("rate_limit", p.rate_limit);
  integer("max_concurrency", p.max_concurrency);
  integer("token_ttl", p.token_ttl);
  w.EndObject();
  return buf.GetString();
}

}  // namespace psd::sim
