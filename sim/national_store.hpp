#pragma once
// What the national portal holds for the province: one entry per integrated
// service, sorted by code.

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sim/catalogue_gen.hpp"

namespace psd::sim {

class NationalStore {
 public:
  NationalStore(std::string province, const std::vector<NationalEntry>& seed,
                std::map<std::string, Rejection> rejects);

  const std::string& province() const { return province_; }

  enum class WriteResult { kCreated, kUpdated, kUnchanged };

  /// Store `entry`; tells whether it created, changed or only repeated it.
  WriteResult put(const NationalEntry& entry, NationalEntry& stored);

  /// Remove `code`; false when it was not integrated.
  bool remove(const std::string& code);

  /// Up to `limit` entries with code > `after` (all when `after` is empty),
  /// and whether more follow.
  std::vector<NationalEntry> page(const std::string& after, std::size_t limit, bool& more) const;

  /// A copy of every entry, for coverage and the control API.
  std::map<std::string, NationalEntry> entries() const;

  /// The business refusal of `code`, if it is in the reject set.
  std::optional<Rejection> rejection(const std::string& code) const;

 private:
  const std::string province_;
  const std::map<std::string, Rejection> rejects_;
  mutable std::mutex mu_;
  std::map<std::string, NationalEntry> entries_;
};

}  // namespace psd::sim
