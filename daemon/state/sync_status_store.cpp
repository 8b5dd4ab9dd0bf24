// StateStore: what the portal answered, per service, and the rejects parked.
#include <SQLiteCpp/Statement.h>

#include "daemon/core/enum_names.hpp"
#include "daemon/state/reads.hpp"
#include "daemon/state/state_store.hpp"
#include "daemon/state/store_detail.hpp"
#include "daemon/state/utc_time.hpp"

namespace psd::state {
namespace {

constexpr auto kSyncResultNames = core::enum_names<SyncResult::failed>("ok", "rejected", "failed");

SyncResult parse_sync_result(std::string_view text, const std::filesystem::path& path) {
  if (const auto result = kSyncResultNames.parse(text)) return *result;
  detail::fail(path, "read sync_status", "unknown result '" + std::string(text) + "'");
}

// The prepared statements of one record_outcomes batch, reused for every outcome.
struct OutcomeStatements {
  explicit OutcomeStatements(SQLite::Database& db)
      : find(db, "SELECT kind, code, content_hash, attempts FROM outbox WHERE id = ?"),
        remove_op(db, "DELETE FROM outbox WHERE id = ?"),
        keep_op(db, "UPDATE outbox SET last_error = ?, attempts = attempts + ? WHERE id = ?"),
        upsert_status(db,
                      "INSERT INTO sync_status (code, pushed_hash, result, attempts, last_error,"
                      " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET"
                      " pushed_hash = excluded.pushed_hash, result = excluded.result,"
                      " attempts = excluded.attempts, last_error = excluded.last_error,"
                      " updated_at = excluded.updated_at"),
        remove_status(db, "DELETE FROM sync_status WHERE code = ?") {}

  SQLite::Statement find;
  SQLite::Statement remove_op;
  SQLite::Statement keep_op;
  SQLite::Statement upsert_status;
  SQLite::Statement remove_status;
};

}  // namespace

void StateStore::record_outcomes(const std::vector<PushOutcome>& outcomes) {
  write_transaction("record outcomes", [&] {
    OutcomeStatements sql(db_);
    const std::string now = now_utc();
    for (const PushOutcome& outcome : outcomes) {
      sql.find.bind(1, outcome.op_id);
      if (!sql.find.executeStep()) {
        sql.find.reset();
        continue;  // dropped or superseded since it was sent
      }
      const OpKind kind = detail::parse_op_kind(sql.find.getColumn(0).getString(), path_);
      const std::string code = sql.find.getColumn(1).getString();
      const std::string hash = sql.find.getColumn(2).getString();
      const int attempts = sql.find.getColumn(3).getInt() + outcome.sends;
      sql.find.reset();

      if (outcome.kind == OutcomeKind::failed) {
        detail::run(sql.keep_op, outcome.reason, outcome.sends, outcome.op_id);
      } else {
        detail::run(sql.remove_op, outcome.op_id);
      }
      if (outcome.kind == OutcomeKind::done && kind == OpKind::remove) {
        detail::run(sql.remove_status, code);  // withdrawn: nothing left to know about it
        continue;
      }
      const SyncResult result = outcome.kind == OutcomeKind::done       ? SyncResult::ok
                                : outcome.kind == OutcomeKind::rejected ? SyncResult::rejected
                                                                        : SyncResult::failed;
      detail::run(sql.upsert_status, code, hash, std::string(kSyncResultNames(result)), attempts,
                  result == SyncResult::ok ? std::string() : outcome.reason, now);
    }
  });
}

std::optional<SyncStatus> StateStore::sync_status(const std::string& code) const {
  return locked("read sync_status", [&]() -> std::optional<SyncStatus> {
    SQLite::Statement select(db_,
                             "SELECT pushed_hash, result, attempts, last_error, updated_at"
                             " FROM sync_status WHERE code = ?");
    select.bind(1, code);
    if (!select.executeStep()) {
      return std::nullopt;
    }
    SyncStatus status;
    status.code = code;
    status.pushed_hash = select.getColumn(0).getString();
    status.result = parse_sync_result(select.getColumn(1).getString(), path_);
    status.attempts = select.getColumn(2).getInt();
    status.last_error = select.getColumn(3).getString();
    status.updated_at = select.getColumn(4).getString();
    return status;
  });
}

core::ParkedIndex StateStore::load_parked() const {
  return locked("load parked", [&] { return detail::read_parked(db_); });
}

}  // namespace psd::state
