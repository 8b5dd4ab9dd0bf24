#pragma once
// One catalogue record as the simulator serves it, possibly deliberately
// broken, and the PUT body a correct client derives from it.

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/json_fields.hpp"

namespace psd::sim {

/// How an invalid record breaks the contract (section 1). kNone = valid.
enum class Defect {
  kNone,
  kBadLevel,
  kMissingName,
  kNegativeFee,
  kBadCode,
  kDuplicateCode,
  kBadUpdatedAt,
};

/// Short machine name of a defect ("bad_level", ...); "" for kNone.
std::string_view defect_name(Defect defect);

struct Agency {
  std::string code;
  std::string name;
};

struct CatalogueRecord {
  std::string code;
  std::string name;  // omitted from the JSON when omit_name is set
  std::string level;
  Agency agency;
  std::string field;
  std::string admin_level;
  std::int64_t fee_vnd = 0;
  std::int64_t processing_days = 0;
  std::string status = "active";
  std::string updated_at;

  Defect defect = Defect::kNone;
  bool omit_name = false;
  std::string base_name;      // the name before any simulated edit
  int edit_count = 0;         // how often /_sim/edit changed it
  std::string expected_hash;  // content hash of the PUT body; empty when invalid

  bool valid() const { return defect == Defect::kNone; }
  /// Contract section 1: an invalid record counts as active unless it is suspended.
  bool counts_active() const { return status != "suspended"; }
};

/// Write the record as the catalogue serves it. `extra_fields` adds unknown
/// members at several depths, which a client must ignore.
void write_catalogue_json(JsonWriter& w, const CatalogueRecord& record, bool extra_fields,
                          std::uint64_t ordinal);

/// Return the canonical (JCS) PUT body of a valid record, without content_hash.
std::string canonical_put_body(const CatalogueRecord& record);

/// Return the full PUT body JSON (canonical body plus content_hash), as a
/// correct client would send it. For tests.
std::string put_body_json(const CatalogueRecord& record);

/// Recompute expected_hash (empty for invalid records).
void refresh_expected_hash(CatalogueRecord& record);

}  // namespace psd::sim
