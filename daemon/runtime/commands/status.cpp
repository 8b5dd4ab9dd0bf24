// status: the status file's document plus the daemon's own state.
#include <unistd.h>

#include "daemon/runtime/commands/handlers.hpp"
#include "daemon/runtime/daemon.hpp"
#include "psd_version.hpp"

namespace psd::runtime::commands {

void Handlers::status(Daemon& daemon, const Call& call) {
  rapidjson::Document result;
  const std::string json = daemon.syncer()->status_json_text(daemon.daemon_state());
  result.Parse(json.c_str());
  auto& alloc = result.GetAllocator();
  rapidjson::Value state(rapidjson::kObjectType);
  state.AddMember("version", control::json_string(kVersion, alloc), alloc);
  state.AddMember("pid", static_cast<std::int64_t>(::getpid()), alloc);
  state.AddMember("config", control::json_string(daemon.config_.source.string(), alloc), alloc);
  state.AddMember("paused", daemon.paused_, alloc);
  state.AddMember("stopping", daemon.stopping_, alloc);
  const auto running = daemon.worker_->running();
  if (running && running->job.kind == CycleJob::Kind::cycle) {
    state.AddMember("running_cycle", running->ticket, alloc);
  } else {
    state.AddMember("running_cycle", rapidjson::Value(), alloc);
  }
  if (!daemon.paused_ && !daemon.stopping_ &&
      daemon.next_poll_ != Daemon::Clock::time_point::max()) {
    const auto left =
        std::chrono::duration_cast<std::chrono::seconds>(daemon.next_poll_ - Daemon::Clock::now());
    state.AddMember("next_cycle_in_seconds", std::max<std::int64_t>(0, left.count()), alloc);
  } else {
    state.AddMember("next_cycle_in_seconds", rapidjson::Value(), alloc);
  }
  result.AddMember("daemon", state, alloc);
  reply(daemon, call, result);
}

void Handlers::reply(Daemon& daemon, const Call& call, const rapidjson::Value& result) {
  if (daemon.server_) daemon.server_->send(call.client, control::reply_line(call.id, result));
}

void Handlers::refuse(Daemon& daemon, const Call& call, control::ResultCode code,
                      std::string_view error) {
  daemon.reply_error(call.client, call.id, code, error);
}

}  // namespace psd::runtime::commands
