// StateStore: the settled state a cycle leaves when everything is in sync.
#include <SQLiteCpp/Statement.h>

#include <string>

#include "daemon/state/state_store.hpp"
#include "daemon/state/store_detail.hpp"

namespace psd::state {
namespace {

void insert_tally(SQLite::Statement& insert, const char* scope, const std::string& agency,
                  const core::Tally& tally, const std::filesystem::path& path) {
  detail::run(insert, scope, agency, detail::to_sql_int(tally.total, path),
              detail::to_sql_int(tally.integrated, path), detail::to_sql_int(tally.in_sync, path));
}

}  // namespace

void StateStore::save_settled(const std::optional<Settled>& settled) {
  write_transaction("save settled state", [&] {
    db_.exec("DELETE FROM settled");
    db_.exec("DELETE FROM settled_tally");
    if (settled) {
      SQLite::Statement row(db_,
                            "INSERT INTO settled (id, etag, withdraw, mirror_digest, listed,"
                            " orphaned) VALUES (1, ?, ?, ?, ?, ?)");
      SQLite::bind(row, settled->etag, settled->withdraw, settled->mirror_digest,
                   detail::to_sql_int(settled->listed, path_),
                   detail::to_sql_int(settled->coverage.orphaned, path_));
      row.exec();
      SQLite::Statement insert(db_,
                               "INSERT INTO settled_tally (scope, agency, total, integrated,"
                               " in_sync) VALUES (?, ?, ?, ?, ?)");
      const core::Coverage& coverage = settled->coverage;
      insert_tally(insert, "overall", "", coverage.overall, path_);
      insert_tally(insert, "full", "", coverage.full, path_);
      insert_tally(insert, "partial", "", coverage.partial, path_);
      for (const auto& [agency, tally] : coverage.by_agency) {
        insert_tally(insert, "agency", agency, tally, path_);
      }
    }
  });
}

std::optional<Settled> StateStore::load_settled() const {
  return read_transaction("load settled state", [&]() -> std::optional<Settled> {
    SQLite::Statement row(db_,
                          "SELECT etag, withdraw, mirror_digest, listed, orphaned FROM settled"
                          " WHERE id = 1");
    if (!row.executeStep()) return std::nullopt;
    Settled settled;
    settled.etag = row.getColumn(0).getString();
    settled.withdraw = row.getColumn(1).getString();
    settled.mirror_digest = row.getColumn(2).getString();
    settled.listed = detail::to_unsigned(row.getColumn(3), path_);
    settled.coverage.orphaned = detail::to_unsigned(row.getColumn(4), path_);
    SQLite::Statement tallies(
        db_, "SELECT scope, agency, total, integrated, in_sync FROM settled_tally");
    while (tallies.executeStep()) {
      const std::string scope = tallies.getColumn(0).getString();
      core::Tally tally{detail::to_unsigned(tallies.getColumn(2), path_),
                        detail::to_unsigned(tallies.getColumn(3), path_),
                        detail::to_unsigned(tallies.getColumn(4), path_)};
      if (scope == "overall") {
        settled.coverage.overall = tally;
      } else if (scope == "full") {
        settled.coverage.full = tally;
      } else if (scope == "partial") {
        settled.coverage.partial = tally;
      } else {
        settled.coverage.by_agency.emplace(tallies.getColumn(1).getString(), tally);
      }
    }
    return settled;
  });
}

}  // namespace psd::state
