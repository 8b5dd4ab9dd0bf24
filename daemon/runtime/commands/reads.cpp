// history and codes: the commands that read state.db.
#include "daemon/runtime/commands/handlers.hpp"
#include "daemon/runtime/daemon.hpp"

namespace psd::runtime::commands {

using control::json_string;

void Handlers::history(Daemon& daemon, const Call& call) {
  // A store that fails throws to the loop's boundary, which answers failed.
  const std::vector<state::CycleRecord> rows = daemon.syncer()->history(call.args.integer("limit"));
  rapidjson::Document result(rapidjson::kObjectType);
  auto& alloc = result.GetAllocator();
  rapidjson::Value cycles(rapidjson::kArrayType);
  for (const auto& row : rows) {
    rapidjson::Value cycle(rapidjson::kObjectType);
    cycle.AddMember("started_at", json_string(row.started_at, alloc), alloc);
    cycle.AddMember("finished_at", json_string(row.finished_at, alloc), alloc);
    cycle.AddMember("result", json_string(state::to_string(row.result), alloc), alloc);
    cycle.AddMember("pushed", row.pushed, alloc);
    cycle.AddMember("failed", row.failed, alloc);
    cycle.AddMember("total", row.total, alloc);
    cycle.AddMember("integrated", row.integrated, alloc);
    cycle.AddMember("in_sync", row.in_sync, alloc);
    cycle.AddMember("percent", row.percent, alloc);
    if (row.error.empty()) {
      cycle.AddMember("error", rapidjson::Value(), alloc);
    } else {
      cycle.AddMember("error", json_string(row.error, alloc), alloc);
    }
    cycles.PushBack(cycle, alloc);
  }
  result.AddMember("cycles", cycles, alloc);
  reply(daemon, call, result);
}

void Handlers::codes(Daemon& daemon, const Call& call) {
  const std::vector<std::string> codes = daemon.syncer()->catalogue_codes(
      call.args.text("kind") == "agencies", call.args.text("prefix"), call.args.integer("limit"));
  rapidjson::Document result(rapidjson::kObjectType);
  auto& alloc = result.GetAllocator();
  result.AddMember("codes", control::json_strings(codes, alloc), alloc);
  reply(daemon, call, result);
}

}  // namespace psd::runtime::commands
