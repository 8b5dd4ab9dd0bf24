#include "daemon/core/plan.hpp"

#include <gtest/gtest.h>

#include "tests/unit/core/sample_service.hpp"

namespace psd::core {
namespace {

using testing::entry_of;
using testing::sample_service;

/// A snapshot of active services with codes `codes`, in the order given.
Snapshot snapshot_of(std::initializer_list<const char*> codes) {
  Snapshot snapshot;
  for (const char* code : codes) snapshot.services.push_back(entry_of(sample_service(code)));
  return snapshot;
}

std::string hash_of(const Snapshot& snapshot, std::string_view code) {
  for (const auto& entry : snapshot.services) {
    if (entry.service.code == code) return entry.content_hash;
  }
  return "";
}

TEST(Plan, CreatesWhatThePortalLacks) {
  const Snapshot snapshot = snapshot_of({"B", "A"});
  const Plan plan = make_plan(snapshot, {}, {}, WithdrawPolicy::keep_orphans);
  ASSERT_EQ(plan.creates.size(), 2u);
  EXPECT_EQ(plan.creates[0], (Push{PushKind::create, "A", hash_of(snapshot, "A")}));
  EXPECT_EQ(plan.creates[1].code, "B");
  EXPECT_TRUE(plan.updates.empty());
  EXPECT_EQ(plan.write_count(), 2u);
}

TEST(Plan, UpdatesWhatThePortalHoldsWithAnotherHash) {
  const Snapshot snapshot = snapshot_of({"A"});
  const Mirror mirror{{"A", {"sha256:old", Level::full}}};
  const Plan plan = make_plan(snapshot, mirror, {}, WithdrawPolicy::keep_orphans);
  ASSERT_EQ(plan.updates.size(), 1u);
  EXPECT_EQ(plan.updates[0].kind, PushKind::update);
  EXPECT_TRUE(plan.creates.empty());
}

TEST(Plan, LeavesInSyncServicesAlone) {
  const Snapshot snapshot = snapshot_of({"A"});
  const Mirror mirror{{"A", {hash_of(snapshot, "A"), Level::full}}};
  const Plan plan = make_plan(snapshot, mirror, {}, WithdrawPolicy::keep_orphans);
  EXPECT_EQ(plan.in_sync, 1u);
  EXPECT_EQ(plan.write_count(), 0u);
}

TEST(Plan, ListsOrphansAndWithdrawsThemOnlyWhenAsked) {
  const Snapshot snapshot = snapshot_of({"A"});
  const Mirror mirror{{"Z", {"sha256:z", Level::partial}}, {"A", {"sha256:a", Level::full}}};
  const Plan keep = make_plan(snapshot, mirror, {}, WithdrawPolicy::keep_orphans);
  EXPECT_EQ(keep.orphaned, std::vector<std::string>{"Z"});
  EXPECT_TRUE(keep.withdrawals.empty());
  const Plan withdraw = make_plan(snapshot, mirror, {}, WithdrawPolicy::withdraw_orphans);
  EXPECT_EQ(withdraw.withdrawals, std::vector<std::string>{"Z"});
}

TEST(Plan, TreatsASuspendedServiceAsAbsent) {
  Snapshot snapshot = snapshot_of({"A"});
  snapshot.services[0].service.status = Status::suspended;
  const Mirror mirror{{"A", {"sha256:a", Level::full}}};
  const Plan plan = make_plan(snapshot, mirror, {}, WithdrawPolicy::keep_orphans);
  EXPECT_TRUE(plan.creates.empty());
  EXPECT_TRUE(plan.updates.empty());
  EXPECT_EQ(plan.orphaned, std::vector<std::string>{"A"});
}

TEST(Plan, ReportsInvalidRecordsThatCountActiveAndNeverOrphansThem) {
  Snapshot snapshot;
  InvalidRecord broken;
  broken.code = "X";
  broken.reason = "field 'level': must be one of full, partial";
  snapshot.invalid.push_back(broken);
  InvalidRecord suspended = broken;
  suspended.code = "Y";
  suspended.counts_active = false;
  snapshot.invalid.push_back(suspended);
  const Mirror mirror{{"X", {"sha256:x", Level::full}}, {"Y", {"sha256:y", Level::full}}};
  const Plan plan = make_plan(snapshot, mirror, {}, WithdrawPolicy::withdraw_orphans);
  ASSERT_EQ(plan.invalid.size(), 1u);
  EXPECT_EQ(plan.invalid[0].code, "X");
  EXPECT_EQ(plan.orphaned, std::vector<std::string>{"Y"});
  EXPECT_EQ(plan.withdrawals, std::vector<std::string>{"Y"});
}

TEST(Plan, ParksARejectedServiceUntilItsContentChanges) {
  const Snapshot snapshot = snapshot_of({"A"});
  const ParkedIndex parked{{"A", {"A", hash_of(snapshot, "A"), "INVALID_FIELD: name"}}};
  const Plan plan = make_plan(snapshot, {}, parked, WithdrawPolicy::keep_orphans);
  ASSERT_EQ(plan.parked.size(), 1u);
  EXPECT_EQ(plan.parked[0].reason, "INVALID_FIELD: name");
  EXPECT_TRUE(plan.creates.empty());

  Snapshot edited = snapshot;
  edited.services[0].service.name += " (sửa đổi)";
  edited.services[0].content_hash = content_hash(edited.services[0].service);
  const Plan after_edit = make_plan(edited, {}, parked, WithdrawPolicy::keep_orphans);
  EXPECT_TRUE(after_edit.parked.empty());
  ASSERT_EQ(after_edit.creates.size(), 1u);
}

TEST(Plan, PutsEveryActiveServiceInExactlyOneClass) {
  const Snapshot snapshot = snapshot_of({"A", "B", "C", "D"});
  const Mirror mirror{{"B", {"sha256:old", Level::full}},
                      {"C", {hash_of(snapshot, "C"), Level::full}}};
  const ParkedIndex parked{{"D", {"D", hash_of(snapshot, "D"), "rejected"}}};
  const Plan plan = make_plan(snapshot, mirror, parked, WithdrawPolicy::keep_orphans);
  EXPECT_EQ(plan.creates.size() + plan.updates.size() + plan.in_sync + plan.parked.size(), 4u);
  EXPECT_EQ(plan.creates[0].code, "A");
  EXPECT_EQ(plan.updates[0].code, "B");
  EXPECT_EQ(plan.in_sync, 1u);  // C
  EXPECT_EQ(plan.parked[0].code, "D");
}

}  // namespace
}  // namespace psd::core
