#include "daemon/state/reads.hpp"

#include <SQLiteCpp/Statement.h>

#include "daemon/state/store_detail.hpp"

namespace psd::state::detail {
namespace {

// Return the value parsed from `column` by `parse`; throw naming `path` when unknown.
template <typename Parse>
auto parse_column(const SQLite::Column& column, Parse parse, const std::filesystem::path& path) {
  const std::string text = column.getString();
  auto value = parse(text);
  if (!value) fail(path, "read", "unknown value '" + text + "' in column " + column.getName());
  return *value;
}

std::vector<core::CatalogueEntry> read_services(SQLite::Database& db,
                                                const std::filesystem::path& path) {
  SQLite::Statement select(db,
                           "SELECT code, name, level, agency_code, agency_name, field, admin_level,"
                           " fee_vnd, processing_days, status, updated_at, content_hash"
                           " FROM snapshot_service ORDER BY position, code");
  std::vector<core::CatalogueEntry> entries;
  while (select.executeStep()) {
    core::CatalogueEntry entry;
    core::Service& service = entry.service;
    service.code = select.getColumn(0).getString();
    service.name = select.getColumn(1).getString();
    service.level = parse_column(select.getColumn(2), core::parse_level, path);
    service.agency.code = select.getColumn(3).getString();
    service.agency.name = select.getColumn(4).getString();
    service.field = select.getColumn(5).getString();
    service.admin_level = parse_column(select.getColumn(6), core::parse_admin_level, path);
    service.fee_vnd = to_unsigned(select.getColumn(7), path);
    service.processing_days = select.getColumn(8).getUInt();
    service.status = parse_column(select.getColumn(9), core::parse_status, path);
    service.updated_at = select.getColumn(10).getString();
    entry.content_hash = select.getColumn(11).getString();
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace

std::vector<core::InvalidRecord> read_invalid(SQLite::Database& db,
                                              const std::filesystem::path& path) {
  SQLite::Statement select(db,
                           "SELECT code, reason, counts_active, level, agency_code, page,"
                           " page_index, admin_level FROM snapshot_invalid WHERE snapshot_id = 1"
                           " ORDER BY position");
  std::vector<core::InvalidRecord> records;
  while (select.executeStep()) {
    core::InvalidRecord record;
    record.code = select.getColumn(0).getString();
    record.reason = select.getColumn(1).getString();
    record.counts_active = select.getColumn(2).getInt() != 0;
    if (!select.isColumnNull(3)) {
      record.level = parse_column(select.getColumn(3), core::parse_level, path);
    }
    record.agency_code = select.getColumn(4).getString();
    record.page = select.getColumn(5).getInt();
    record.index = select.getColumn(6).getInt();
    if (!select.isColumnNull(7)) {
      record.admin_level = parse_column(select.getColumn(7), core::parse_admin_level, path);
    }
    records.push_back(std::move(record));
  }
  return records;
}

namespace {

std::optional<std::string> saved_at(SQLite::Database& db, const char* table) {
  SQLite::Statement select(db, std::string("SELECT saved_at FROM ") + table + " WHERE id = 1");
  if (!select.executeStep()) return std::nullopt;
  return select.getColumn(0).getString();
}

}  // namespace

std::optional<core::Snapshot> read_snapshot(SQLite::Database& db,
                                            const std::filesystem::path& path) {
  SQLite::Statement select(db, "SELECT version, etag FROM snapshot WHERE id = 1");
  if (!select.executeStep()) return std::nullopt;
  core::Snapshot snapshot;
  snapshot.version = select.getColumn(0).getString();
  snapshot.etag = select.getColumn(1).getString();
  snapshot.services = read_services(db, path);
  snapshot.invalid = read_invalid(db, path);
  return snapshot;
}

std::optional<std::string> read_snapshot_saved_at(SQLite::Database& db) {
  return saved_at(db, "snapshot");
}

std::optional<core::Mirror> read_mirror(SQLite::Database& db, const std::filesystem::path& path) {
  if (!saved_at(db, "mirror")) return std::nullopt;
  SQLite::Statement select(db, "SELECT code, content_hash, level FROM mirror_service");
  core::Mirror mirror;
  while (select.executeStep()) {
    mirror.add(select.getColumn(0).getString(), select.getColumn(1).getString(),
               parse_column(select.getColumn(2), core::parse_level, path));
  }
  return mirror;
}

std::optional<std::string> read_mirror_saved_at(SQLite::Database& db) {
  return saved_at(db, "mirror");
}

core::ParkedIndex read_parked(SQLite::Database& db) {
  SQLite::Statement select(db,
                           "SELECT code, pushed_hash, last_error FROM sync_status"
                           " WHERE result = 'rejected'");
  core::ParkedIndex parked;
  while (select.executeStep()) {
    std::string code = select.getColumn(0).getString();
    core::ParkedPush push{code, select.getColumn(1).getString(), select.getColumn(2).getString()};
    parked.emplace(std::move(code), std::move(push));
  }
  return parked;
}

std::vector<CycleRecord> read_history(SQLite::Database& db, const std::filesystem::path& path,
                                      int limit) {
  SQLite::Statement select(db,
                           "SELECT id, started_at, finished_at, result, pushed, failed, error,"
                           " total, integrated, in_sync, percent, has_coverage, full_total,"
                           " partial_total, integrated_before, in_sync_before FROM cycles"
                           " WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT ?");
  select.bind(1, limit < 0 ? 0 : limit);
  std::vector<CycleRecord> records;
  while (select.executeStep()) {
    CycleRecord record;
    record.id = select.getColumn(0).getInt64();
    record.started_at = select.getColumn(1).getString();
    record.finished_at = select.getColumn(2).getString();
    record.result = parse_column(select.getColumn(3), parse_cycle_result, path);
    record.pushed = to_unsigned(select.getColumn(4), path);
    record.failed = to_unsigned(select.getColumn(5), path);
    record.error = select.getColumn(6).getString();
    record.total = to_unsigned(select.getColumn(7), path);
    record.integrated = to_unsigned(select.getColumn(8), path);
    record.in_sync = to_unsigned(select.getColumn(9), path);
    record.percent = select.getColumn(10).getDouble();
    record.has_coverage = select.getColumn(11).getInt() != 0;
    record.full_total = to_unsigned(select.getColumn(12), path);
    record.partial_total = to_unsigned(select.getColumn(13), path);
    record.integrated_before = to_unsigned(select.getColumn(14), path);
    record.in_sync_before = to_unsigned(select.getColumn(15), path);
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace psd::state::detail
