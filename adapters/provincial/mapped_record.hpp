#pragma once
// One record of a foreign catalogue → the contract's record (section 1),
// through a mapping file's pointers, value maps and defaults; then the agency
// remap, the contract's validation and the hash, as for any record.

#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include <array>
#include <optional>
#include <string>
#include <variant>

#include "adapters/provincial/agency_remap.hpp"
#include "config/mapping.hpp"
#include "daemon/core/service.hpp"

namespace psd::provincial {

/// A service of level "information": it exists, it is not an online service.
struct InformationOnly {};

struct MappedRecord {
  std::variant<core::CatalogueEntry, core::InvalidRecord, InformationOnly> value;
  std::string code;                      ///< as read (empty when unreadable), for torn listings
  std::optional<std::size_t> remap_row;  ///< the remap row that moved it
};

/// The contract's fields a mapping file points at, in [fields] order.
enum class Field {
  code,
  name,
  level,
  agency_code,
  agency_name,
  field,
  admin_level,
  fee_vnd,
  processing_days,
  status,
  updated_at
};
inline constexpr std::size_t kFieldCount = 11;

/// A mapping with its pointers parsed once, to map every record of a listing.
class RecordMapper {
 public:
  RecordMapper(config::Mapping mapping, AgencyRemap remap);

  /// Map the foreign `record` found at position `index` of page `page`.
  /// `listing_started_at` is updated_at's default when [defaults] has none.
  MappedRecord map(const rapidjson::Value& record, int page, int index,
                   const std::string& listing_started_at) const;

  const config::Mapping& mapping() const { return mapping_; }
  const AgencyRemap& remap() const { return remap_; }

 private:
  config::Mapping mapping_;
  AgencyRemap remap_;
  std::array<std::optional<rapidjson::Pointer>, kFieldCount> pointers_;
};

}  // namespace psd::provincial
