// StateStore: the history of sync cycles.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <string>

#include "daemon/state/state_store.hpp"
#include "daemon/state/store_detail.hpp"

namespace psd::state {
namespace {

CycleResult parse_cycle_result(std::string_view text, const std::filesystem::path& path) {
  for (CycleResult result : {CycleResult::ok, CycleResult::partial, CycleResult::failed}) {
    if (text == to_string(result)) {
      return result;
    }
  }
  detail::fail(path, "read history", "unknown cycle result '" + std::string(text) + "'");
}

}  // namespace

std::int64_t StateStore::begin_cycle(const std::string& started_at) {
  std::lock_guard lock(*mutex_);
  return detail::guarded(path_, "begin cycle", [&] {
    SQLite::Statement insert(db_, "INSERT INTO cycles (started_at) VALUES (?)");
    insert.bind(1, started_at);
    insert.exec();
    return db_.getLastInsertRowid();
  });
}

void StateStore::finish_cycle(const CycleRecord& record) {
  std::lock_guard lock(*mutex_);
  detail::guarded(path_, "finish cycle", [&] {
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement update(db_,
                             "UPDATE cycles SET finished_at = ?, result = ?, pushed = ?,"
                             " failed = ?, error = ?, total = ?, integrated = ?, in_sync = ?,"
                             " percent = ? WHERE id = ?");
    update.bind(1, record.finished_at);
    update.bind(2, std::string(to_string(record.result)));
    update.bind(3, detail::to_sql_int(record.pushed, path_));
    update.bind(4, detail::to_sql_int(record.failed, path_));
    update.bind(5, record.error);
    update.bind(6, detail::to_sql_int(record.total, path_));
    update.bind(7, detail::to_sql_int(record.integrated, path_));
    update.bind(8, detail::to_sql_int(record.in_sync, path_));
    update.bind(9, record.percent);
    update.bind(10, record.id);
    if (update.exec() == 0) {
      detail::fail(path_, "finish cycle", "no cycle " + std::to_string(record.id));
    }
    SQLite::Statement prune(db_,
                            "DELETE FROM cycles WHERE id NOT IN"
                            " (SELECT id FROM cycles ORDER BY id DESC LIMIT ?)"
                            " AND id IS NOT (SELECT MAX(id) FROM cycles WHERE result = 'ok')");
    prune.bind(1, detail::kHistoryRows);
    prune.exec();
    transaction.commit();
  });
}

std::vector<CycleRecord> StateStore::history(int limit) const {
  std::lock_guard lock(*mutex_);
  return detail::guarded(path_, "read history", [&] {
    SQLite::Statement select(db_,
                             "SELECT id, started_at, finished_at, result, pushed, failed, error,"
                             " total, integrated, in_sync, percent FROM cycles"
                             " WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT ?");
    select.bind(1, limit < 0 ? 0 : limit);
    std::vector<CycleRecord> records;
    while (select.executeStep()) {
      CycleRecord record;
      record.id = select.getColumn(0).getInt64();
      record.started_at = select.getColumn(1).getString();
      record.finished_at = select.getColumn(2).getString();
      record.result = parse_cycle_result(select.getColumn(3).getString(), path_);
      record.pushed = detail::to_unsigned(select.getColumn(4), path_);
      record.failed = detail::to_unsigned(select.getColumn(5), path_);
      record.error = select.getColumn(6).getString();
      record.total = detail::to_unsigned(select.getColumn(7), path_);
      record.integrated = detail::to_unsigned(select.getColumn(8), path_);
      record.in_sync = detail::to_unsigned(select.getColumn(9), path_);
      record.percent = select.getColumn(10).getDouble();
      records.push_back(std::move(record));
    }
    return records;
  });
}

std::optional<std::string> StateStore::last_success_at() const {
  std::lock_guard lock(*mutex_);
  return detail::guarded(path_, "read history", [&]() -> std::optional<std::string> {
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
