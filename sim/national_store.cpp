#include "sim/national_store.hpp"

namespace psd::sim {

NationalStore::NationalStore(std::string province, const std::vector<NationalEntry>& seed,
                             std::map<std::string, Rejection> rejects)
    : province_(std::move(province)), rejects_(std::move(rejects)) {
  for (const auto& e : seed) {
    entries_.emplace(e.code, e);
  }
}

NationalStore::WriteResult NationalStore::put(const NationalEntry& entry, NationalEntry& stored) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = entries_.try_emplace(entry.code, entry);
  if (inserted) {
    stored = it->second;
    return WriteResult::kCreated;
  }
  if (it->second.content_hash == entry.content_hash) {
    stored = it->second;
    return WriteResult::kUnchanged;
  }
  it->second = entry;
  stored = it->second;
  return WriteResult::kUpdated;
}

bool NationalStore::remove(const std::string& code) {
  std::lock_guard lock(mu_);
  return entries_.erase(code) > 0;
}

std::vector<NationalEntry> NationalStore::page(const std::string& after, std::size_t limit,
                                               bool& more) const {
  std::lock_guard lock(mu_);
  std::vector<NationalEntry> out;
  auto it = after.empty() ? entries_.begin() : entries_.upper_bound(after);
  for (; it != entries_.end() && out.size() < limit; ++it) {
    out.push_back(it->second);
  }
  more = it != entries_.end();
  return out;
}

std::map<std::string, NationalEntry> NationalStore::entries() const {
  std::lock_guard lock(mu_);
  return entries_;
}

std::optional<Rejection> NationalStore::rejection(const std::string& code) const {
  const auto it = rejects_.find(code);
  if (it == rejects_.end()) {
    return std::nullopt;
  }
  return it->second;
}

}  // namespace psd::sim
