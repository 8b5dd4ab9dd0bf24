// StateStore: the last complete catalogue listing.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <string>

#include "daemon/state/reads.hpp"
#include "daemon/state/state_store.hpp"
#include "daemon/state/store_detail.hpp"
#include "daemon/state/utc_time.hpp"

namespace psd::state {
namespace {

void insert_services(SQLite::Database& db, const std::vector<core::CatalogueEntry>& entries,
                     const std::filesystem::path& path) {
  SQLite::Statement insert(db,
                           "INSERT INTO snapshot_service (snapshot_id, position, code, name, level,"
                           " agency_code, agency_name, field, admin_level, fee_vnd,"
                           " processing_days, status, updated_at, content_hash)"
                           " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  std::int64_t position = 0;
  for (const core::CatalogueEntry& entry : entries) {
    const core::Service& service = entry.service;
    insert.bind(1, position++);
    insert.bind(2, service.code);
    insert.bind(3, service.name);
    insert.bind(4, std::string(core::to_string(service.level)));
    insert.bind(5, service.agency.code);
    insert.bind(6, service.agency.name);
    insert.bind(7, service.field);
    insert.bind(8, std::string(core::to_string(service.admin_level)));
    insert.bind(9, detail::to_sql_int(service.fee_vnd, path));
    insert.bind(10, service.processing_days);
    insert.bind(11, std::string(core::to_string(service.status)));
    insert.bind(12, service.updated_at);
    insert.bind(13, entry.content_hash);
    insert.exec();
    insert.reset();
  }
}

void insert_invalid(SQLite::Database& db, const std::vector<core::InvalidRecord>& records) {
  SQLite::Statement insert(db,
                           "INSERT INTO snapshot_invalid (snapshot_id, position, code, reason,"
                           " counts_active, level, agency_code, page, page_index, admin_level)"
                           " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  std::int64_t position = 0;
  for (const core::InvalidRecord& record : records) {
    insert.bind(1, position++);
    insert.bind(2, record.code);
    insert.bind(3, record.reason);
    insert.bind(4, record.counts_active ? 1 : 0);
    if (record.level) {
      insert.bind(5, std::string(core::to_string(*record.level)));
    } else {
      insert.bind(5);  // NULL: the level was unreadable
    }
    insert.bind(6, record.agency_code);
    insert.bind(7, record.page);
    insert.bind(8, record.index);
    if (record.admin_level) {
      insert.bind(9, std::string(core::to_string(*record.admin_level)));
    } else {
      insert.bind(9);  // NULL: the admin level was unreadable
    }
    insert.exec();
    insert.reset();
  }
}

}  // namespace

void StateStore::save_snapshot(const core::Snapshot& snapshot) {
  std::lock_guard lock(*mutex_);
  detail::guarded(path_, "save snapshot", [&] {
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    db_.exec("DELETE FROM snapshot");  // its rows go with it (ON DELETE CASCADE)
    SQLite::Statement insert(db_,
                             "INSERT INTO snapshot (id, version, etag, saved_at)"
                             " VALUES (1, ?, ?, ?)");
    insert.bind(1, snapshot.version);
    insert.bind(2, snapshot.etag);
    insert.bind(3, now_utc());
    insert.exec();
    insert_services(db_, snapshot.services, path_);
    insert_invalid(db_, snapshot.invalid);
    transaction.commit();
  });
}

std::optional<core::Snapshot> StateStore::load_snapshot() const {
  std::lock_guard lock(*mutex_);
  return detail::guarded(path_, "load snapshot", [&]() -> std::optional<core::Snapshot> {
    // One read transaction, so that a writer in another process cannot
    // interleave between the three queries.
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::DEFERRED);
    auto snapshot = detail::read_snapshot(db_, path_);
    transaction.commit();
    return snapshot;
  });
}

}  // namespace psd::state
