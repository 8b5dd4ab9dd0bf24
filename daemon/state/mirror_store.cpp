// StateStore: the national portal's listing as the last cycle left it, kept
// so that coverage can be computed again from state.db alone (portal-syncctl
// report). Written as a difference: a cycle that changes nothing on the
// portal rewrites no row.
#include <SQLiteCpp/Statement.h>

#include <string>
#include <string_view>
#include <vector>

#include "daemon/state/reads.hpp"
#include "daemon/state/state_store.hpp"
#include "daemon/state/store_detail.hpp"
#include "daemon/state/utc_time.hpp"

namespace psd::state {
namespace {

struct MirrorStatements {
  explicit MirrorStatements(SQLite::Database& db)
      : upsert(db,
               "INSERT INTO mirror_service (code, content_hash, level) VALUES (?, ?, ?)"
               " ON CONFLICT (code) DO UPDATE SET content_hash = excluded.content_hash,"
               " level = excluded.level"),
        remove(db, "DELETE FROM mirror_service WHERE code = ?") {}

  void put(std::string_view code, std::string_view content_hash, core::Level level) {
    detail::run(upsert, std::string(code), std::string(content_hash),
                std::string(core::to_string(level)));
  }
  void erase(const std::string& code) { detail::run(remove, code); }

  SQLite::Statement upsert;
  SQLite::Statement remove;
};

/// The column's text, without a copy: valid until the statement steps on.
std::string_view text_of(const SQLite::Column& column) {
  const char* text = column.getText();  // first, then its length (sqlite3_column_bytes)
  return {text, static_cast<std::size_t>(column.getBytes())};
}

void stamp(SQLite::Database& db) {
  SQLite::Statement stamp(db,
                          "INSERT INTO mirror (id, saved_at) VALUES (1, ?)"
                          " ON CONFLICT (id) DO UPDATE SET saved_at = excluded.saved_at");
  stamp.bind(1, now_utc());
  stamp.exec();
}

}  // namespace

void StateStore::save_mirror(const core::Mirror& mirror) {
  write_transaction("save national listing", [&] {
    std::vector<bool> same(mirror.size(), false);  // by the listing's index
    std::vector<std::string> gone;
    {
      SQLite::Statement select(db_, "SELECT code, content_hash, level FROM mirror_service");
      while (select.executeStep()) {
        const std::string_view code = text_of(select.getColumn(0));
        const std::size_t held = mirror.index_of(code);
        if (held == core::Mirror::npos) {
          gone.emplace_back(code);
          continue;
        }
        same[held] = mirror[held].content_hash == text_of(select.getColumn(1)) &&
                     core::to_string(mirror[held].level) == text_of(select.getColumn(2));
      }
    }
    MirrorStatements statements(db_);
    for (const std::string& code : gone) statements.erase(code);
    for (std::size_t i = 0; i < mirror.size(); ++i) {
      if (!same[i]) statements.put(mirror[i].code, mirror[i].content_hash, mirror[i].level);
    }
    stamp(db_);
  });
}

void StateStore::record_mirror_writes(const std::vector<MirrorWrite>& writes) {
  if (writes.empty()) return;  // no commit, no fsync
  write_transaction("record writes in the national listing", [&] {
    MirrorStatements statements(db_);
    for (const MirrorWrite& write : writes) {
      if (write.entry) {
        statements.put(write.code, write.entry->content_hash, write.entry->level);
      } else {
        statements.erase(write.code);
      }
    }
    stamp(db_);
  });
}

std::optional<core::Mirror> StateStore::load_mirror() const {
  return read_transaction("load national listing", [&] { return detail::read_mirror(db_, path_); });
}

}  // namespace psd::state
