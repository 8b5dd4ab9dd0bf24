#include "daemon/core/plan.hpp"

#include <algorithm>

namespace psd::core {
namespace {

bool by_code(const Push& a, const Push& b) { return a.code < b.code; }

}  // namespace

Plan make_plan(const Snapshot& snapshot, const Mirror& mirror, const ParkedIndex& parked,
               WithdrawPolicy policy) {
  Plan plan;
  // The listing's services that exist in the catalogue: the rest are orphans.
  std::vector<bool> in_catalogue(mirror.size(), false);

  for (const CatalogueEntry& entry : snapshot.services) {
    if (entry.service.status != Status::active) continue;
    const std::string& code = entry.service.code;
    const std::size_t held = mirror.index_of(code);
    if (held != Mirror::npos) {
      in_catalogue[held] = true;
      if (mirror[held].content_hash == entry.content_hash) {
        ++plan.in_sync;
        continue;
      }
    }
    const auto rejected = parked.find(code);
    if (rejected != parked.end() && rejected->second.content_hash == entry.content_hash) {
      plan.parked.push_back(rejected->second);
      continue;
    }
    const PushKind kind = held == Mirror::npos ? PushKind::create : PushKind::update;
    (kind == PushKind::create ? plan.creates : plan.updates)
        .push_back(Push{kind, code, entry.content_hash});
  }
  // Only the lists are sorted (codes are unique once duplicates are
  // rejected), not the whole catalogue: that is most of it when in sync.
  std::sort(plan.creates.begin(), plan.creates.end(), by_code);
  std::sort(plan.updates.begin(), plan.updates.end(), by_code);
  std::sort(plan.parked.begin(), plan.parked.end(),
            [](const ParkedPush& a, const ParkedPush& b) { return a.code < b.code; });

  for (const auto& record : snapshot.invalid) {
    if (!record.counts_active) continue;
    plan.invalid.push_back(record);
    // An invalid record still exists in the catalogue: never an orphan.
    if (record.code.empty()) continue;
    if (const std::size_t held = mirror.index_of(record.code); held != Mirror::npos) {
      in_catalogue[held] = true;
    }
  }

  for (std::size_t i = 0; i < mirror.size(); ++i) {
    if (!in_catalogue[i]) plan.orphaned.emplace_back(mirror[i].code);
  }
  std::sort(plan.orphaned.begin(), plan.orphaned.end());
  if (policy == WithdrawPolicy::withdraw_orphans) plan.withdrawals = plan.orphaned;
  return plan;
}

}  // namespace psd::core
