// StateStore: the outbox of writes committed before they are sent.
#include <SQLiteCpp/Statement.h>

#include "daemon/state/state_store.hpp"
#include "daemon/state/store_detail.hpp"
#include "daemon/state/utc_time.hpp"

namespace psd::state {
namespace {

std::vector<OutboxOp> select_pending(SQLite::Database& db, const std::filesystem::path& path) {
  SQLite::Statement select(db,
                           "SELECT id, kind, code, content_hash, idempotency_key, body, attempts"
                           " FROM outbox ORDER BY id");
  return detail::rows(select, [&](const SQLite::Statement& row) {
    return OutboxOp{.id = row.getColumn(0).getInt64(),
                    .kind = detail::parse_op_kind(row.getColumn(1).getString(), path),
                    .code = row.getColumn(2).getString(),
                    .content_hash = row.getColumn(3).getString(),
                    .idempotency_key = row.getColumn(4).getString(),
                    .body = row.getColumn(5).getString(),
                    .attempts = row.getColumn(6).getInt()};
  });
}

}  // namespace

std::vector<OutboxOp> StateStore::enqueue(const std::vector<OutboxOp>& ops) {
  return write_transaction("enqueue", [&] {
    SQLite::Statement find(db_, "SELECT id, kind, content_hash FROM outbox WHERE code = ?");
    SQLite::Statement remove(db_, "DELETE FROM outbox WHERE id = ?");
    SQLite::Statement insert(db_,
                             "INSERT INTO outbox (kind, code, content_hash, idempotency_key, body,"
                             " created_at) VALUES (?, ?, ?, ?, ?, ?)");
    const std::string now = now_utc();
    for (const OutboxOp& op : ops) {
      find.bind(1, op.code);
      if (find.executeStep()) {
        const std::int64_t id = find.getColumn(0).getInt64();
        const bool same = find.getColumn(1).getString() == detail::to_text(op.kind) &&
                          find.getColumn(2).getString() == op.content_hash;
        find.reset();
        if (same) {
          continue;  // a restart resends it with the key it was first sent with
        }
        detail::run(remove, id);
      } else {
        find.reset();
      }
      detail::run(insert, std::string(detail::to_text(op.kind)), op.code, op.content_hash,
                  op.idempotency_key, op.body, now);
    }
    return select_pending(db_, path_);
  });
}

std::vector<OutboxOp> StateStore::pending_ops() const {
  return locked("read outbox", [&] { return select_pending(db_, path_); });
}

std::uint64_t StateStore::pending_count() const {
  return locked("read outbox", [&] {
    return static_cast<std::uint64_t>(db_.execAndGet("SELECT count(*) FROM outbox").getInt64());
  });
}

void StateStore::drop_pending(const std::vector<std::string>& codes) {
  write_transaction("drop pending ops", [&] {
    SQLite::Statement remove(db_, "DELETE FROM outbox WHERE code = ?");
    for (const std::string& code : codes) {
      detail::run(remove, code);
    }
  });
}

}  // namespace psd::state
