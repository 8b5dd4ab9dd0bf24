#pragma once
// The agency remap table applied to a contract-shaped record before it is
// validated and hashed (contract dialects.md section 4).

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/agency_remap.hpp"
#include "daemon/core/service.hpp"

namespace psd::provincial {

class AgencyRemap {
 public:
  AgencyRemap() = default;
  explicit AgencyRemap(std::vector<config::AgencyRemapRow> rows);

  bool empty() const { return rows_.empty(); }
  std::size_t size() const { return rows_.size(); }

  /// Move `record` (an object of the contract's shape) to its agency's new
  /// code, and new name when the row has one. Return the row used, if any.
  std::optional<std::size_t> apply(rapidjson::Value& record,
                                   rapidjson::Document::AllocatorType& allocator) const;

  /// Return each row with the records it moved, from `counts` (one per row).
  std::vector<core::RemapUse> uses(const std::vector<std::uint64_t>& counts) const;

 private:
  std::vector<config::AgencyRemapRow> rows_;
  std::unordered_map<std::string, std::size_t> by_old_code_;
};

/// Add `counts` into `total` (both one per remap row; `total` grows to fit).
void add_counts(std::vector<std::uint64_t>& total, const std::vector<std::uint64_t>& counts);

}  // namespace psd::provincial
