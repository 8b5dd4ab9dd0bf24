// resync, plan and retry: the commands that queue a job on the cycle worker.
#include <spdlog/spdlog.h>

#include "daemon/runtime/commands/handlers.hpp"
#include "daemon/runtime/daemon.hpp"

namespace psd::runtime::commands {
namespace {

using control::ResultCode;

}  // namespace

void Handlers::resync(Daemon& daemon, const Call& call) {
  if (daemon.stopping_) return refuse(daemon, call, ResultCode::refused, "the daemon is stopping");
  if (daemon.paused_) {
    return refuse(daemon, call, ResultCode::refused,
                  "the daemon is paused; 'portal-syncctl resume' first");
  }
  const bool behind = !daemon.worker_->idle();
  const std::uint64_t ticket = daemon.worker_->submit(
      {.target = {.cache = call.args.flag("full") ? engine::CatalogueCache::ignore
                                                  : engine::CatalogueCache::use_etag,
                  .only_codes = call.args.texts("services"),
                  .only_agency = call.args.text("agency")},
       .reason = "resync requested on the control socket"});
  rapidjson::Document result(rapidjson::kObjectType);
  auto& alloc = result.GetAllocator();
  result.AddMember("cycle", ticket, alloc);
  result.AddMember("after_running_cycle", behind, alloc);
  reply(daemon, call, result);
  if (call.args.flag("wait")) daemon.waiters_[ticket].push_back({call.client, call.id, true});
  daemon.next_status_write_ = Daemon::Clock::now();
  daemon.next_progress_ = Daemon::Clock::now();
}

void Handlers::plan(Daemon& daemon, const Call& call) {
  if (daemon.stopping_) return refuse(daemon, call, ResultCode::refused, "the daemon is stopping");
  const std::uint64_t ticket =
      daemon.worker_->submit({.kind = CycleJob::Kind::plan, .reason = "plan"});
  daemon.waiters_[ticket].push_back({call.client, call.id, false});
}

void Handlers::retry(Daemon& daemon, const Call& call) {
  if (daemon.stopping_) return refuse(daemon, call, ResultCode::refused, "the daemon is stopping");
  state::RequeueRequest requeue;
  requeue.codes = call.args.texts("services");
  requeue.rejected = call.args.flag("rejected");
  requeue.failed = call.args.flag("failed");
  const state::RequeueResult requeued = daemon.syncer()->requeue(requeue);
  rapidjson::Document result(rapidjson::kObjectType);
  auto& alloc = result.GetAllocator();
  result.AddMember("rejected", control::json_strings(requeued.rejected, alloc), alloc);
  result.AddMember("failed", control::json_strings(requeued.failed, alloc), alloc);
  result.AddMember("not_parked", control::json_strings(requeued.not_parked, alloc), alloc);
  const bool anything = !requeued.rejected.empty() || !requeued.failed.empty();
  if (anything && !daemon.paused_) {
    result.AddMember("cycle",
                     daemon.worker_->submit({.target = {.only_codes = requeue.codes},
                                             .reason = "retry requested on the control socket"}),
                     alloc);
    daemon.next_status_write_ = Daemon::Clock::now();
  } else {
    result.AddMember("cycle", rapidjson::Value(), alloc);
  }
  spdlog::info("control socket: re-queued {} rejected service(s); {} failed push(es) pending",
               requeued.rejected.size(), requeued.failed.size());
  reply(daemon, call, result);
}

}  // namespace psd::runtime::commands
