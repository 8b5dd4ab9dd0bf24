#include "sim/fault_profile.hpp"

#include <array>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "sim/json_fields.hpp"
#include "sim/numbers.hpp"
#include "sim/profile_fields.hpp"

namespace psd::sim {
namespace {

constexpr std::array<std::pair<std::string_view, Target>, 5> kTargetNames{{
    {"put", Target::kNationalPut},
    {"delete", Target::kNationalDelete},
    {"list", Target::kNationalList},
    {"token", Target::kToken},
    {"catalogue", Target::kCatalogue},
}};

Done set_probability(double& field, std::string_view name, std::string_view value) {
  const auto v = parse_number<double>(value);
  if (!v || !(*v >= 0.0 && *v <= 1.0)) {
    return not_done(std::string(name) + " must be a number in 0..1, got '" + std::string(value) +
                    "'");
  }
  field = *v;
  return {};
}

Done set_int(std::int64_t& field, std::string_view name, std::string_view value, std::int64_t lo,
             std::int64_t hi) {
  const auto v = parse_int(value);
  if (!v || *v < lo || *v > hi) {
    return not_done(std::string(name) + " must be an integer in " + std::to_string(lo) + ".." +
                    std::to_string(hi) + ", got '" + std::string(value) + "'");
  }
  field = *v;
  return {};
}

}  // namespace

Done set_profile_field(Profile& p, std::string_view name, std::string_view value) {
  const ProfileField* field = find_profile_field(name);
  if (field == nullptr) {
    return not_done("unknown fault profile field '" + std::string(name) + "'");
  }
  return std::visit(
      [&](auto* slot) -> Done {
        using Slot = std::remove_pointer_t<decltype(slot)>;
        if constexpr (std::is_same_v<Slot, double>) {
          return set_probability(*slot, name, value);
        } else if constexpr (std::is_same_v<Slot, std::int64_t>) {
          return set_int(*slot, name, value, field->min, field->max);
        } else if (!parse_targets(value, *slot)) {
          return not_done(
              "targets must be a comma list of put, delete, list, token, catalogue, national, "
              "all or none, got '" +
              std::string(value) + "'");
        }
        return {};
      },
      field->slot(p));
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

std::string profile_json(const Profile& profile) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  Profile p = profile;  // the slots point into a Profile they may change
  w.StartObject();
  for (const ProfileField& field : kProfileFields) {
    std::visit(
        [&](auto* slot) {
          using Slot = std::remove_pointer_t<decltype(slot)>;
          if constexpr (std::is_same_v<Slot, unsigned>) {
            write_field(w, field.name, targets_text(*slot));  // a set of targets, as text
          } else {
            write_field(w, field.name, *slot);
          }
        },
        field.slot(p));
  }
  w.EndObject();
  return buf.GetString();
}

}  // namespace psd::sim
