#pragma once
// The service record of the contract (section 1) and the listing it comes in.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace psd::core {

enum class Level { full, partial };
enum class AdminLevel { province, district, commune };
enum class Status { active, suspended };

struct Agency {
  std::string code;
  std::string name;
  bool operator==(const Agency&) const = default;
};

/// One valid record of the provincial catalogue.
struct Service {
  std::string code;
  std::string name;
  Level level = Level::full;
  Agency agency;
  std::string field;
  AdminLevel admin_level = AdminLevel::province;
  std::uint64_t fee_vnd = 0;
  std::uint32_t processing_days = 0;
  Status status = Status::active;
  std::string updated_at;
  bool operator==(const Service&) const = default;
};

/// A record that breaks a rule of the contract. It is reported, never pushed.
struct InvalidRecord {
  std::string code;                       ///< as read; empty when missing or not a string
  std::string reason;                     ///< "field 'level': must be one of full, partial"
  bool counts_active = true;              ///< false only when `status` is exactly "suspended"
  std::optional<Level> level;             ///< when the record's level was readable
  std::string agency_code;                ///< when readable, else empty
  std::optional<AdminLevel> admin_level;  ///< when the record's admin_level was readable
  int page = 0;                           ///< catalogue page it came from (1-based)
  int index = 0;                          ///< position on that page (0-based)
  bool operator==(const InvalidRecord&) const = default;
};

/// A valid record with its content hash, computed once when it is read.
struct CatalogueEntry {
  Service service;
  std::string content_hash;  ///< "sha256:..." of the PUT body
  bool operator==(const CatalogueEntry&) const = default;
};

/// One row of the agency remap table and the records it moved in a listing.
struct RemapUse {
  std::string old_code;
  std::string new_code;
  std::uint64_t services = 0;
  bool operator==(const RemapUse&) const = default;
};

/// One complete, consistent listing of the provincial catalogue.
struct Snapshot {
  std::vector<CatalogueEntry> services;  ///< valid records, active and suspended
  std::vector<InvalidRecord> invalid;
  std::string version;  ///< X-Catalogue-Version of every page
  std::string etag;     ///< ETag of page 1
  /// Services of level "information" (MucDo 2) in a mapped catalogue: they
  /// exist but are not online services, so they are neither pushed nor counted.
  std::uint64_t information_only = 0;
  std::vector<RemapUse> remapped;  ///< every remap row, in file order; empty without a table
};

std::string_view to_string(Level level);
std::string_view to_string(AdminLevel admin_level);
std::string_view to_string(Status status);
std::optional<Level> parse_level(std::string_view text);
std::optional<AdminLevel> parse_admin_level(std::string_view text);
std::optional<Status> parse_status(std::string_view text);

}  // namespace psd::core
