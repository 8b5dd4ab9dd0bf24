#pragma once
// Realistic Vietnamese agencies and procedure names for the generated catalogue.

#include <span>
#include <string_view>

namespace psd::sim {

struct AgencyTemplate {
  std::string_view code_number;  // "15" → agency code "000.00.15.<province>"
  std::string_view name;
  std::string_view admin_level;  // where its procedures are handled
  std::string_view field;
  std::span<const std::string_view> procedures;
};

/// About twenty agencies: provincial departments, district people's
/// committees and the commune level.
std::span<const AgencyTemplate> agency_templates();

}  // namespace psd::sim
