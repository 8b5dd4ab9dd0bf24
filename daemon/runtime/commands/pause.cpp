// pause, resume and reload: the commands that change the daemon's own state.
#include <spdlog/spdlog.h>

#include "daemon/runtime/commands/handlers.hpp"
#include "daemon/runtime/daemon.hpp"

namespace psd::runtime::commands {

void Handlers::pause(Daemon& daemon, const Call& call) {
  rapidjson::Document result(rapidjson::kObjectType);
  auto& alloc = result.GetAllocator();
  result.AddMember("was_paused", daemon.paused_, alloc);
  if (!daemon.paused_) {
    daemon.paused_ = true;
    daemon.worker_->set_paused(true);
    for (auto& outcome : daemon.worker_->cancel_queued_cycles()) daemon.answer_waiters(outcome);
    const auto running = daemon.worker_->running();
    if (running && running->job.kind == CycleJob::Kind::cycle) {
      daemon.worker_->stop_running();
      result.AddMember("stopping_cycle", running->ticket, alloc);
    }
    spdlog::info("paused on the control socket: no push until resume");
    daemon.publish_status();
  }
  reply(daemon, call, result);
}

void Handlers::resume(Daemon& daemon, const Call& call) {
  rapidjson::Document result(rapidjson::kObjectType);
  auto& alloc = result.GetAllocator();
  result.AddMember("was_paused", daemon.paused_, alloc);
  if (daemon.paused_ && !daemon.stopping_) {
    daemon.paused_ = false;
    daemon.worker_->set_paused(false);
    result.AddMember("cycle", daemon.worker_->submit({.reason = "resume"}), alloc);
    spdlog::info("resumed on the control socket");
    daemon.next_status_write_ = Daemon::Clock::now();
    daemon.publish_status();
  }
  reply(daemon, call, result);
}

void Handlers::reload(Daemon& daemon, const Call& call) {
  // Answered after the socket's poll round (the reload may replace the server).
  daemon.pending_reload_ =
      Daemon::PendingReload{.source = "control socket", .client = call.client, .id = call.id};
}

}  // namespace psd::runtime::commands
