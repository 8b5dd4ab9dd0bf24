// StateStore: the last complete catalogue listing.
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "daemon/core/withdraw_guard.hpp"
#include "daemon/state/reads.hpp"
#include "daemon/state/state_store.hpp"
#include "daemon/state/store_detail.hpp"
#include "daemon/state/utc_time.hpp"

namespace psd::state {
namespace {

/// The stored columns of a service that, when changed, get its row rewritten:
/// the content hash covers the fields the portal receives; status and
/// updated_at are the ones it does not.
struct StoredKey {
  std::string content_hash;
  std::string status;
  std::string updated_at;
};

bool same_row(const StoredKey& stored, const core::CatalogueEntry& entry) {
  return stored.content_hash == entry.content_hash &&
         stored.status == core::to_string(entry.service.status) &&
         stored.updated_at == entry.service.updated_at;
}

/// Write the services of `entries` that are new or changed against the
/// stored rows, and delete the rows of services gone; return rows touched.
std::size_t write_service_difference(SQLite::Database& db,
                                     const std::vector<core::CatalogueEntry>& entries,
                                     const std::filesystem::path& path) {
  std::unordered_map<std::string_view, std::size_t> index_of;
  index_of.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) index_of.emplace(entries[i].service.code, i);
  std::vector<bool> unchanged(entries.size(), false);
  std::vector<std::string> gone;
  {
    SQLite::Statement select(db,
                             "SELECT code, content_hash, status, updated_at FROM snapshot_service");
    while (select.executeStep()) {
      const char* code = select.getColumn(0).getText();
      const auto found = index_of.find(code);
      if (found == index_of.end()) {
        gone.emplace_back(code);
        continue;
      }
      const StoredKey stored{select.getColumn(1).getString(), select.getColumn(2).getString(),
                             select.getColumn(3).getString()};
      if (same_row(stored, entries[found->second])) unchanged[found->second] = true;
    }
  }
  SQLite::Statement remove(db, "DELETE FROM snapshot_service WHERE code = ?");
  for (const std::string& code : gone) {
    detail::run(remove, code);
  }
  SQLite::Statement upsert(db,
                           "INSERT OR REPLACE INTO snapshot_service (position, code, name, level,"
                           " agency_code, agency_name, field, admin_level, fee_vnd,"
                           " processing_days, status, updated_at, content_hash)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  std::size_t written = gone.size();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (unchanged[i]) continue;
    const core::Service& service = entries[i].service;
    detail::run(
        upsert, static_cast<std::int64_t>(i), service.code, service.name,
        std::string(core::to_string(service.level)), service.agency.code, service.agency.name,
        service.field, std::string(core::to_string(service.admin_level)),
        detail::to_sql_int(service.fee_vnd, path), service.processing_days,
        std::string(core::to_string(service.status)), service.updated_at, entries[i].content_hash);
    ++written;
  }
  return written;
}

void insert_invalid(SQLite::Database& db, const std::vector<core::InvalidRecord>& records) {
  SQLite::Statement insert(db,
                           "INSERT INTO snapshot_invalid (snapshot_id, position, code, reason,"
                           " counts_active, level, agency_code, page, page_index, admin_level)"
                           " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  std::int64_t position = 0;
  for (const core::InvalidRecord& record : records) {
    // A level or admin level that was unreadable is stored as NULL.
    detail::run(insert, position++, record.code, record.reason, record.counts_active ? 1 : 0,
                detail::name_or_null(record.level), record.agency_code, record.page, record.index,
                detail::name_or_null(record.admin_level));
  }
}

}  // namespace

std::size_t StateStore::save_snapshot(const core::Snapshot& snapshot) {
  return write_transaction("save snapshot", [&] {
    SQLite::Statement header(db_,
                             "INSERT INTO snapshot (id, version, etag, saved_at, active_count)"
                             " VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                             " version = excluded.version, etag = excluded.etag,"
                             " saved_at = excluded.saved_at, active_count = excluded.active_count");
    SQLite::bind(header, snapshot.version, snapshot.etag, now_utc(),
                 static_cast<std::int64_t>(core::active_count(snapshot)));
    header.exec();
    std::size_t written = write_service_difference(db_, snapshot.services, path_);
    // Invalid records are few: compared whole, rewritten whole when they differ.
    if (detail::read_invalid(db_, path_) != snapshot.invalid) {
      written += static_cast<std::size_t>(db_.exec("DELETE FROM snapshot_invalid"));
      insert_invalid(db_, snapshot.invalid);
      written += snapshot.invalid.size();
    }
    return written;
  });
}

std::optional<core::Snapshot> StateStore::load_snapshot() const {
  // One read transaction, so that a writer in another process cannot
  // interleave between the three queries.
  return read_transaction("load snapshot", [&] { return detail::read_snapshot(db_, path_); });
}

std::optional<SnapshotHeader> StateStore::load_snapshot_header() const {
  return locked("load snapshot", [&]() -> std::optional<SnapshotHeader> {
    SQLite::Statement select(db_, "SELECT version, etag, active_count FROM snapshot WHERE id = 1");
    if (!select.executeStep()) return std::nullopt;
    return SnapshotHeader{
        select.getColumn(0).getString(), select.getColumn(1).getString(),
        static_cast<std::size_t>(detail::to_unsigned(select.getColumn(2), path_))};
  });
}

std::vector<core::InvalidRecord> StateStore::load_snapshot_invalid() const {
  return locked("load snapshot", [&] { return detail::read_invalid(db_, path_); });
}

std::int64_t StateStore::total_changes() const {
  std::lock_guard lock(*mutex_);
  return sqlite3_total_changes64(db_.getHandle());
}

}  // namespace psd::state

namespace psd::state {

std::vector<std::string> StateStore::catalogue_codes(bool agencies, const std::string& prefix,
                                                     int limit) const {
  return locked("read catalogue codes", [&] {
    // substr() rather than LIKE: codes hold '.', and '_' or '%' must not be wildcards.
    SQLite::Statement query(db_, agencies ? "SELECT DISTINCT agency_code FROM snapshot_service"
                                            " WHERE substr(agency_code, 1, length(?1)) = ?1"
                                            " ORDER BY agency_code LIMIT ?2"
                                          : "SELECT DISTINCT code FROM snapshot_service"
                                            " WHERE substr(code, 1, length(?1)) = ?1"
                                            " ORDER BY code LIMIT ?2");
    SQLite::bind(query, prefix, limit);
    return detail::rows(query,
                        [](const SQLite::Statement& row) { return row.getColumn(0).getString(); });
  });
}

}  // namespace psd::state
