#pragma once
// The agency remap table (contract dialects.md section 4): old agency codes
// → new ones after the 2025 reorganisation, read from a CSV file.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace psd::config {

struct AgencyRemapRow {
  std::string old_code;
  std::string new_code;
  std::string new_name;  ///< "": the record's agency name is kept
  int line = 0;          ///< in the CSV file
};

/// Parse the CSV `text` read from `source` (RFC 4180, UTF-8, header
/// `old_code,new_code,new_name`). Throw ConfigError naming the file, the
/// column and the line; a chain names both lines.
std::vector<AgencyRemapRow> parse_agency_remap(std::string_view text, const std::string& source);

}  // namespace psd::config
