#pragma once
// The provincial catalogue as a sequence of immutable snapshots. Readers take
// a snapshot and never see a half-applied edit; every edit makes a new
// snapshot with a new version.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/record.hpp"

namespace psd::sim {

struct CatalogueSnapshot {
  std::vector<CatalogueRecord> records;  // catalogue order
  std::uint64_t sequence = 0;            // 1 for the generated catalogue, +1 per edit
  std::string version;                   // X-Catalogue-Version: "<sequence>-<digest>"
  // Position of every valid active record by code. Edits change neither
  // codes, order nor validity, so snapshots share it.
  std::shared_ptr<const std::unordered_map<std::string, std::size_t>> valid_active_index;

  /// The valid active record with `code`, or nullptr.
  const CatalogueRecord* find_valid_active(const std::string& code) const {
    const auto it = valid_active_index->find(code);
    return it == valid_active_index->end() ? nullptr : &records[it->second];
  }
};

class CatalogueStore {
 public:
  explicit CatalogueStore(std::vector<CatalogueRecord> records);

  std::shared_ptr<const CatalogueSnapshot> snapshot() const;

  /// Change the name and updated_at of up to `count` active valid records,
  /// chosen deterministically and spread over the catalogue, as one new
  /// snapshot. Returns the codes edited, in the order chosen.
  std::vector<std::string> edit(std::size_t count);
  /// Edit the active valid record `code` the same way; false when there is none.
  bool edit_code(const std::string& code);

  /// Arm `count` torn listings (see take_tear).
  void arm_tears(std::size_t count) { tears_.fetch_add(count); }
  std::size_t pending_tears() const { return tears_.load(); }
  /// Consume one armed tear; true when the caller must tear this listing.
  bool take_tear();

 private:
  // Both called with mu_ held.
  void apply_edit(CatalogueRecord& record);
  void publish(std::shared_ptr<CatalogueSnapshot> next);

  mutable std::mutex mu_;
  std::shared_ptr<const CatalogueSnapshot> current_;
  std::uint64_t edit_cursor_ = 0;  // position in the spread-out edit order
  std::uint64_t edits_ = 0;        // records edited so far (for timestamps)
  std::atomic<std::size_t> tears_{0};
};

/// The version string of `records` at `sequence`.
std::string snapshot_version(const std::vector<CatalogueRecord>& records, std::uint64_t sequence);

}  // namespace psd::sim
