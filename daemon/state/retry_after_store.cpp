// StateStore: the portals' Retry-After windows, kept across restarts.
#include <SQLiteCpp/Statement.h>

#include <string>

#include "daemon/state/state_store.hpp"
#include "daemon/state/store_detail.hpp"
#include "daemon/state/utc_time.hpp"

namespace psd::state {

std::string_view to_string(Portal portal) {
  return portal == Portal::national ? "national" : "provincial";
}

void StateStore::keep_retry_after(Portal portal,
                                  std::optional<std::chrono::system_clock::time_point> until) {
  locked("keep the Retry-After window", [&] {
    if (!until) {
      SQLite::Statement clear(db_, "DELETE FROM retry_after WHERE portal = ?");
      clear.bind(1, std::string(to_string(portal)));
      clear.exec();
      return;
    }
    // Rounded up: a restart never wakes a millisecond early.
    const auto end = std::chrono::ceil<std::chrono::milliseconds>(*until);
    SQLite::Statement keep(db_,
                           "INSERT INTO retry_after (portal, until) VALUES (?, ?)"
                           " ON CONFLICT (portal) DO UPDATE SET until = excluded.until");
    SQLite::bind(keep, std::string(to_string(portal)),
                 format_utc(std::chrono::system_clock::time_point(end)));
    keep.exec();
  });
}

std::optional<std::chrono::system_clock::time_point> StateStore::retry_after_until(
    Portal portal) const {
  return locked("read the Retry-After window",
                [&]() -> std::optional<std::chrono::system_clock::time_point> {
                  SQLite::Statement read(db_, "SELECT until FROM retry_after WHERE portal = ?");
                  read.bind(1, std::string(to_string(portal)));
                  if (!read.executeStep()) return std::nullopt;
                  const std::string text = read.getColumn(0).getString();
                  const auto until = parse_utc(text);
                  if (!until) {
                    detail::fail(path_, "read the Retry-After window",
                                 "portal " + std::string(to_string(portal)) + ": '" + text +
                                     "' is not an RFC 3339 UTC time");
                  }
                  return until;
                });
}

}  // namespace psd::state
