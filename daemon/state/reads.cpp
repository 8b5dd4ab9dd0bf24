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

// Return nothing for NULL in `column`, else parse_column's value.
template <typename Parse>
auto parse_nullable(const SQLite::Column& column, Parse parse, const std::filesystem::path& path)
    -> std::optional<decltype(parse_column(column, parse, path))> {
  if (column.isNull()) return std::nullopt;
  return parse_column(column, parse, path);
}

std::vector<core::CatalogueEntry> read_services(SQLite::Database& db,
                                                const std::filesystem::path& path) {
  SQLite::Statement select(db,
                           "SELECT code, name, level, agency_code, agency_name, field, admin_level,"
                           " fee_vnd, processing_days, status, updated_at, content_hash"
                           " FROM snapshot_service ORDER BY position, code");
  return rows(select, [&](const SQLite::Statement& row) {
    return core::CatalogueEntry{
        .service = {.code = row.getColumn(0).getString(),
                    .name = row.getColumn(1).getString(),
                    .level = parse_column(row.getColumn(2), core::parse_level, path),
                    .agency = {.code = row.getColumn(3).getString(),
                               .name = row.getColumn(4).getString()},
                    .field = row.getColumn(5).getString(),
                    .admin_level = parse_column(row.getColumn(6), core::parse_admin_level, path),
                    .fee_vnd = to_unsigned(row.getColumn(7), path),
                    .processing_days = row.getColumn(8).getUInt(),
                    .status = parse_column(row.getColumn(9), core::parse_status, path),
                    .updated_at = row.getColumn(10).getString()},
        .content_hash = row.getColumn(11).getString()};
  });
}

}  // namespace

std::vector<core::InvalidRecord> read_invalid(SQLite::Database& db,
                                              const std::filesystem::path& path) {
  SQLite::Statement select(db,
                           "SELECT code, reason, counts_active, level, agency_code, page,"
                           " page_index, admin_level FROM snapshot_invalid WHERE snapshot_id = 1"
                           " ORDER BY position");
  return rows(select, [&](const SQLite::Statement& row) {
    return core::InvalidRecord{
        .code = row.getColumn(0).getString(),
        .reason = row.getColumn(1).getString(),
        .counts_active = row.getColumn(2).getInt() != 0,
        .level = parse_nullable(row.getColumn(3), core::parse_level, path),
        .agency_code = row.getColumn(4).getString(),
        .admin_level = parse_nullable(row.getColumn(7), core::parse_admin_level, path),
        .page = row.getColumn(5).getInt(),
        .index = row.getColumn(6).getInt()};
  });
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
  return rows(select, [&](const SQLite::Statement& row) {
    return CycleRecord{.id = row.getColumn(0).getInt64(),
                       .started_at = row.getColumn(1).getString(),
                       .finished_at = row.getColumn(2).getString(),
                       .result = parse_column(row.getColumn(3), parse_cycle_result, path),
                       .pushed = to_unsigned(row.getColumn(4), path),
                       .failed = to_unsigned(row.getColumn(5), path),
                       .error = row.getColumn(6).getString(),
                       .total = to_unsigned(row.getColumn(7), path),
                       .integrated = to_unsigned(row.getColumn(8), path),
                       .in_sync = to_unsigned(row.getColumn(9), path),
                       .percent = row.getColumn(10).getDouble(),
                       .has_coverage = row.getColumn(11).getInt() != 0,
                       .full_total = to_unsigned(row.getColumn(12), path),
                       .partial_total = to_unsigned(row.getColumn(13), path),
                       .integrated_before = to_unsigned(row.getColumn(14), path),
                       .in_sync_before = to_unsigned(row.getColumn(15), path)};
  });
}

}  // namespace psd::state::detail
