// StateStore: the national portal's listing as the last cycle left it, kept
// so that coverage can be computed again from state.db alone (portal-syncctl
// report).
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "daemon/state/reads.hpp"
#include "daemon/state/state_store.hpp"
#include "daemon/state/store_detail.hpp"
#include "daemon/state/utc_time.hpp"

namespace psd::state {

void StateStore::save_mirror(const core::Mirror& mirror) {
  std::lock_guard lock(*mutex_);
  detail::guarded(path_, "save national listing", [&] {
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    db_.exec("DELETE FROM mirror_service");
    db_.exec("DELETE FROM mirror");
    SQLite::Statement stamp(db_, "INSERT INTO mirror (id, saved_at) VALUES (1, ?)");
    stamp.bind(1, now_utc());
    stamp.exec();
    SQLite::Statement insert(db_,
                             "INSERT INTO mirror_service (code, content_hash, level)"
                             " VALUES (?, ?, ?)");
    for (const auto& [code, entry] : mirror) {
      insert.bind(1, code);
      insert.bind(2, entry.content_hash);
      insert.bind(3, std::string(core::to_string(entry.level)));
      insert.exec();
      insert.reset();
    }
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
