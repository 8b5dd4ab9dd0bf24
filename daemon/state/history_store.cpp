// StateStore: the history of sync cycles.
#include <SQLiteCpp/Statement.h>

#include <string>

#include "daemon/state/reads.hpp"
#include "daemon/state/state_store.hpp"
#include "daemon/state/store_detail.hpp"

namespace psd::state {

std::int64_t StateStore::begin_cycle(const std::string& started_at) {
  return locked("begin cycle", [&] {
    SQLite::Statement insert(db_, "INSERT INTO cycles (started_at) VALUES (?)");
    insert.bind(1, started_at);
    insert.exec();
    return db_.getLastInsertRowid();
  });
}

void StateStore::finish_cycle(const CycleRecord& record) {
  write_transaction("finish cycle", [&] {
    SQLite::Statement update(db_,
                             "UPDATE cycles SET finished_at = ?, result = ?, pushed = ?,"
                             " failed = ?, error = ?, total = ?, integrated = ?, in_sync = ?,"
                             " percent = ?, has_coverage = ?, full_total = ?, partial_total = ?,"
                             " integrated_before = ?, in_sync_before = ? WHERE id = ?");
    SQLite::bind(update, record.finished_at, std::string(to_string(record.result)),
                 detail::to_sql_int(record.pushed, path_), detail::to_sql_int(record.failed, path_),
                 record.error, detail::to_sql_int(record.total, path_),
                 detail::to_sql_int(record.integrated, path_),
                 detail::to_sql_int(record.in_sync, path_), record.percent,
                 record.has_coverage ? 1 : 0, detail::to_sql_int(record.full_total, path_),
                 detail::to_sql_int(record.partial_total, path_),
                 detail::to_sql_int(record.integrated_before, path_),
                 detail::to_sql_int(record.in_sync_before, path_), record.id);
    if (update.exec() == 0) {
      detail::fail(path_, "finish cycle", "no cycle " + std::to_string(record.id));
    }
    SQLite::Statement prune(db_,
                            "DELETE FROM cycles WHERE id NOT IN"
                            " (SELECT id FROM cycles ORDER BY id DESC LIMIT ?)"
                            " AND id IS NOT (SELECT MAX(id) FROM cycles WHERE result = 'ok')");
    prune.bind(1, detail::kHistoryRows);
    prune.exec();
  });
}

std::vector<CycleRecord> StateStore::history(int limit) const {
  return locked("read history", [&] { return detail::read_history(db_, path_, limit); });
}

std::optional<std::string> StateStore::last_success_at() const {
  return locked("read history", [&]() -> std::optional<std::string> {
    SQLite::Statement select(db_,
                             "SELECT finished_at FROM cycles WHERE result = 'ok'"
                             " AND finished_at IS NOT NULL ORDER BY id DESC LIMIT 1");
    if (!select.executeStep()) {
      return std::nullopt;
    }
    return select.getColumn(0).getString();
  });
}

}  // namespace psd::state
