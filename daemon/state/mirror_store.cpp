// StateStore: the national portal's listing as the last cycle left it, kept
// so that coverage can be computed again from state.db alone (portal-syncctl
// report). Written as a difference: a cycle that changes nothing on the
// portal rewrites no row.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <string>
#include <unordered_set>

#include "daemon/state/reads.hpp"
#include "daemon/state/state_store.hpp"
#include "daemon/state/store_detail.hpp"
#include "daemon/state/utc_time.hpp"

namespace psd::state {
namespace {

struct MirrorStatements {
  explicit MirrorStatements(SQLite::Database& db)
      : upsert(db,
               "INSERT INTO mirror_service (code, content_hash, level) VALUES (?, ?, ?)"
               " ON CONFLICT (code) DO UPDATE SET content_hash = excluded.content_hash,"
               " level = excluded.level"),
        remove(db, "DELETE FROM mirror_service WHERE code = ?") {}

  void put(const std::string& code, const core::MirrorEntry& entry) {
    upsert.bind(1, code);
    upsert.bind(2, entry.content_hash);
    upsert.bind(3, std::string(core::to_string(entry.level)));
    upsert.exec();
    upsert.reset();
  }
  void erase(const std::string& code) {
    remove.bind(1, code);
    remove.exec();
    remove.reset();
  }

  SQLite::Statement upsert;
  SQLite::Statement remove;
};

void stamp(SQLite::Database& db) {
  SQLite::Statement stamp(db,
                          "INSERT INTO mirror (id, saved_at) VALUES (1, ?)"
                          " ON CONFLICT (id) DO UPDATE SET saved_at = excluded.saved_at");
  stamp.bind(1, now_utc());
  stamp.exec();
}

}  // namespace

void StateStore::save_mirror(const core::Mirror& mirror) {
  std::lock_guard lock(*mutex_);
  detail::guarded(path_, "save national listing", [&] {
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    std::unordered_set<std::string> same;
    std::vector<std::string> gone;
    {
      SQLite::Statement select(db_, "SELECT code, content_hash, level FROM mirror_service");
      while (select.executeStep()) {
        std::string code = select.getColumn(0).getString();
        const auto held = mirror.find(code);
        if (held == mirror.end()) {
          gone.push_back(std::move(code));
        } else if (held->second.content_hash == select.getColumn(1).getString() &&
                   core::to_string(held->second.level) == select.getColumn(2).getString()) {
          same.insert(std::move(code));
        }
      }
    }
    MirrorStatements statements(db_);
    for (const std::string& code : gone) statements.erase(code);
    for (const auto& [code, entry] : mirror) {
      if (!same.contains(code)) statements.put(code, entry);
    }
    stamp(db_);
    transaction.commit();
  });
}

void StateStore::record_mirror_writes(const std::vector<MirrorWrite>& writes) {
  if (writes.empty()) return;  // no commit, no fsync
  std::lock_guard lock(*mutex_);
  detail::guarded(path_, "record writes in the national listing", [&] {
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    MirrorStatements statements(db_);
    for (const MirrorWrite& write : writes) {
      if (write.entry) {
        statements.put(write.code, *write.entry);
      } else {
        statements.erase(write.code);
      }
    }
    stamp(db_);
    transaction.commit();
  });
}

std::optional<core::Mirror> StateStore::load_mirror() const {
  std::lock_guard lock(*mutex_);
  return detail::guarded(path_, "load national listing", [&] {
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::DEFERRED);
    auto mirror = detail::read_mirror(db_, path_);
    transaction.commit();
    return mirror;
  });
}

}  // namespace psd::state
