#pragma once
// The deterministic world at start-up: the catalogue, what the national portal
// already holds, and which services it refuses.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/args.hpp"
#include "sim/record.hpp"

namespace psd::sim {

struct NationalEntry {
  std::string code;
  std::string content_hash;
  std::string level;
  std::string integrated_at;
};

/// A business refusal of the portal: 422 {"error":{"code","message","field"?}}.
struct Rejection {
  std::string error_code;
  std::string message;
  std::string field;  // empty: no "field" member
};

struct World {
  std::vector<CatalogueRecord> records;  // in catalogue order
  std::vector<NationalEntry> national;   // sorted by code
  std::map<std::string, Rejection> rejects;
  // What was chosen, for tests and the ledger table.
  std::vector<std::string> integrated_codes;
  std::vector<std::string> stale_codes;
  std::vector<std::string> reject_codes;
  std::vector<std::string> orphan_codes;
};

/// Build the world for `options`; the same options give the same world.
World generate_world(const SimOptions& options);

/// The k-th procedure code of a province ("1.00NNNN.000.00.00.H43"); distinct
/// for k < kMaxCodes.
std::string procedure_code(std::int64_t k, std::uint64_t seed, const std::string& province);

/// A deterministic "edited at" timestamp for the n-th edit (1-based).
std::string edit_timestamp(std::uint64_t n);

}  // namespace psd::sim
