// StateStore: re-queueing parked pushes (portal-syncctl retry).
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <set>

#include "daemon/state/state_store.hpp"
#include "daemon/state/store_detail.hpp"
#include "daemon/state/utc_time.hpp"

namespace psd::state {
namespace {

bool wanted(const RequeueRequest& request, const std::string& code) {
  return request.codes.empty() ||
         std::find(request.codes.begin(), request.codes.end(), code) != request.codes.end();
}

}  // namespace

RequeueResult StateStore::requeue_parked(const RequeueRequest& request) {
  const bool all_kinds = !request.rejected && !request.failed;
  return write_transaction("re-queue parked pushes", [&] {
    RequeueResult result;
    if (all_kinds || request.rejected) {
      // A rejected service stays out of the plan while its content is the one
      // rejected (load_parked); marking it failed lets the next plan push it.
      SQLite::Statement select(db_, "SELECT code FROM sync_status WHERE result = 'rejected'");
      SQLite::Statement update(db_,
                               "UPDATE sync_status SET result = 'failed', last_error ="
                               " 're-queued by an operator; rejected before: ' || last_error,"
                               " updated_at = ? WHERE code = ?");
      const std::string now = now_utc();
      while (select.executeStep()) {
        std::string code = select.getColumn(0).getString();
        if (!wanted(request, code)) continue;
        detail::run(update, now, code);
        result.rejected.push_back(std::move(code));
      }
    }
    if (all_kinds || request.failed) {
      // Ops that failed stay in the outbox with their key; the next cycle
      // resends them, so there is nothing to change, only to report.
      SQLite::Statement select(db_,
                               "SELECT code FROM outbox WHERE attempts > 0 AND last_error <> ''");
      while (select.executeStep()) {
        std::string code = select.getColumn(0).getString();
        if (wanted(request, code)) result.failed.push_back(std::move(code));
      }
    }
    const std::set<std::string> found(result.rejected.begin(), result.rejected.end());
    for (const auto& code : request.codes) {
      const bool failed =
          std::find(result.failed.begin(), result.failed.end(), code) != result.failed.end();
      if (!found.count(code) && !failed) result.not_parked.push_back(code);
    }
    return result;
  });
}

}  // namespace psd::state
