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
    update.bind(1, record.finished_at);
    update.bind(2, std::string(to_string(record.result)));
    update.bind(3, detail::to_sql_int(record.pushed, path_));
    update.bind(4, detail::to_sql_int(record.failed, path_));
    update.bind(5, record.error);
    update.bind(6, detail::to_sql_int(record.total, path_));
    update.bind(7, detail::to_sql_int(record.integrated, path_));
    update.bind(8, detail::to_sql_int(record.in_sync, path_));
    update.bind(9, record.percent);
    update.bind(10, record.has_coverage ? 1 : 0);
    update.bind(11, detail::to_sql_int(record.full_total, path_));
    update.bind(12, detail::to_sql_int(record.partial_total, path_));
    update.bind(13, detail::to_sql_int(record.integrated_before, path_));
    update.bind(14, detail::to_sql_int(record.in_sync_before, path_));
    update.bind(15, record.id);
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
