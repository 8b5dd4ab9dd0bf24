#include "daemon/core/plan.hpp"

#include <algorithm>
#include <unordered_set>

namespace psd::core {

Plan make_plan(const Snapshot& snapshot, const Mirror& mirror, const ParkedIndex& parked,
               WithdrawPolicy policy) {
  Plan plan;
  std::unordered_set<std::string_view> active;
  active.reserve(snapshot.services.size() + snapshot.invalid.size());

  std::vector<const CatalogueEntry*> entries;
  entries.reserve(snapshot.services.size());
  for (const auto& entry : snapshot.services) {
    if (entry.service.status == Status::active) entries.push_back(&entry);
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto* a, const auto* b) { return a->service.code < b->service.code; });

  for (const CatalogueEntry* entry : entries) {
    const std::string& code = entry->service.code;
    active.insert(code);
    const auto held = mirror.find(code);
    if (held != mirror.end() && held->second.content_hash == entry->content_hash) {
      plan.in_sync.push_back(code);
      continue;
    }
    const auto rejected = parked.find(code);
    if (rejected != parked.end() && rejected->second.content_hash == entry->content_hash) {
      plan.parked.push_back(rejected->second);
      continue;
    }
    const PushKind kind = held == mirror.end() ? PushKind::create : PushKind::update;
    (kind == PushKind::create ? plan.creates : plan.updates)
        .push_back(Push{kind, code, entry->content_hash});
  }

  for (const auto& record : snapshot.invalid) {
    if (!record.counts_active) continue;
    plan.invalid.push_back(record);
    // An invalid record still exists in the catalogue: never an orphan.
    if (!record.code.empty()) active.insert(record.code);
  }

  for (const auto& [code, entry] : mirror) {
    if (!active.contains(code)) plan.orphaned.push_back(code);
  }
  std::sort(plan.orphaned.begin(), plan.orphaned.end());
  if (policy == WithdrawPolicy::withdraw_orphans) plan.withdrawals = plan.orphaned;
  return plan;
}

}  // namespace psd::core
