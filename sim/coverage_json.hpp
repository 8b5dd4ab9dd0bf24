#pragma once
// The JSON of GET /_sim/coverage both ways: portal-sim writes it and the
// tests' SimProcess reads it back, from one list of its members.

#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "sim/coverage.hpp"

namespace psd::sim {

/// The JSON of GET /_sim/coverage.
std::string coverage_json(const Coverage& c);

/// Read the JSON of GET /_sim/coverage back. The error names the member that
/// is missing or of the wrong type ("coverage.by_level.full.percent").
tl::expected<Coverage, std::string> parse_coverage_json(std::string_view body);

}  // namespace psd::sim
