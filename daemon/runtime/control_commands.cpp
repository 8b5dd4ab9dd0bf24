// Daemon: the control socket's side of the event loop. A request line is
// parsed, its command looked up in the table (daemon/control/commands.hpp),
// its arguments checked against the command's schema, and its handler
// (commands/) run inside the loop's error boundary; progress events, plan
// and cycle outcomes and backup results are sent back from here later.
#include <rapidjson/document.h>
#include <spdlog/spdlog.h>

#include <string>

#include "daemon/control/arguments.hpp"
#include "daemon/control/commands.hpp"
#include "daemon/runtime/commands/registry.hpp"
#include "daemon/runtime/daemon.hpp"
#include "daemon/runtime/plan_printer.hpp"

namespace psd::runtime {
namespace {

using control::json_string;
using control::ResultCode;

}  // namespace

void Daemon::reply_error(control::ClientId client, std::int64_t id, ResultCode code,
                         std::string_view error) {
  if (server_) server_->send(client, control::error_line(id, code, error));
}

void Daemon::on_line(control::ClientId client, std::string_view line) {
  auto parsed = control::parse_request(line);
  if (!parsed) {
    reply_error(client, parsed.error().id, ResultCode::bad_request, parsed.error().failure.message);
    return;
  }
  const control::Request& request = *parsed;
  const control::CommandSpec* command = control::find_command(request.command);
  if (!command) {
    reply_error(client, request.id, ResultCode::unknown_command,
                "no command \"" + request.command + "\" (list-commands shows them)");
    return;
  }
  auto args = control::check_arguments(*command, request.args);
  if (!args) {
    reply_error(client, request.id, ResultCode::invalid_argument, args.error().message);
    return;
  }
  const commands::Call call{client, request.id, *args};
  contain(
      "control command " + request.command, [&] { commands::handler_of (*command)(*this, call); },
      ReplyTo{.client = client, .id = request.id});
}

void Daemon::answer_backup(const BackupOutcome& outcome) {
  if (!outcome.info) {
    spdlog::error("{}", outcome.error);
    return reply_error(outcome.client, outcome.id, ResultCode::failed, outcome.error);
  }
  spdlog::info("control socket: backup done (schema {}, {} bytes, integrity_check ok)",
               outcome.info->schema_version, outcome.info->bytes);
  rapidjson::Document result(rapidjson::kObjectType);
  auto& alloc = result.GetAllocator();
  result.AddMember("schema_version", outcome.info->schema_version, alloc);
  result.AddMember("bytes", outcome.info->bytes, alloc);
  result.AddMember("integrity_check", "ok", alloc);
  if (server_) server_->send(outcome.client, control::reply_line(outcome.id, result));
}

void Daemon::send_progress_events() {
  const auto running = worker_->running();
  if (!running || running->job.kind != CycleJob::Kind::cycle || !server_) return;
  const auto progress = syncer()->progress();
  for (const std::uint64_t ticket : running->tickets) {
    const auto found = waiters_.find(ticket);
    if (found == waiters_.end()) continue;
    rapidjson::Document event(rapidjson::kObjectType);
    auto& alloc = event.GetAllocator();
    event.AddMember("type", "progress", alloc);
    event.AddMember("cycle", ticket, alloc);
    event.AddMember("running_as", running->ticket, alloc);
    event.AddMember("done", progress ? progress->done : 0, alloc);
    event.AddMember("total", progress ? progress->total : 0, alloc);
    const std::string line = control::to_line(event);
    for (const auto& waiter : found->second) {
      if (waiter.progress) server_->send(waiter.client, line);
    }
  }
}

void Daemon::answer_waiters(const JobOutcome& outcome) {
  for (const std::uint64_t ticket : outcome.tickets) {
    const auto found = waiters_.find(ticket);
    if (found == waiters_.end()) continue;
    const std::vector<Waiter> waiting = std::move(found->second);
    waiters_.erase(found);
    if (!server_) continue;
    const auto& report = outcome.report;
    rapidjson::Document event(rapidjson::kObjectType);
    auto& alloc = event.GetAllocator();
    if (outcome.job.kind == CycleJob::Kind::plan) {
      if (outcome.cancelled || report.result == state::CycleResult::failed) {
        const std::string why = outcome.cancelled ? "the daemon is stopping" : report.error;
        for (const auto& waiter : waiting) {
          reply_error(waiter.client, waiter.id, ResultCode::failed, why);
        }
        continue;
      }
      event.AddMember("text", json_string(format_plan(report, config_.province), alloc), alloc);
      const auto& plan = *report.plan;
      event.AddMember("create", static_cast<std::uint64_t>(plan.creates.size()), alloc);
      event.AddMember("update", static_cast<std::uint64_t>(plan.updates.size()), alloc);
      event.AddMember("writes", static_cast<std::uint64_t>(plan.write_count()), alloc);
      for (const auto& waiter : waiting) {
        server_->send(waiter.client, control::reply_line(waiter.id, event));
      }
      continue;
    }
    event.AddMember("type", "finished", alloc);
    event.AddMember("cycle", ticket, alloc);
    event.AddMember("ran_as", outcome.ticket, alloc);
    event.AddMember("cancelled", outcome.cancelled, alloc);
    if (!outcome.cancelled) {
      event.AddMember("result", json_string(state::to_string(report.result), alloc), alloc);
      event.AddMember("exit_code", static_cast<int>(report.exit_code), alloc);
      event.AddMember("pushed", report.pushed, alloc);
      event.AddMember("failed", report.failed, alloc);
      event.AddMember("stopped", report.cut_short, alloc);
      if (report.coverage) {
        event.AddMember("percent", report.coverage->overall.percent(), alloc);
        event.AddMember("integrated", report.coverage->overall.integrated, alloc);
        event.AddMember("total", report.coverage->overall.total, alloc);
      }
    }
    const std::string error = outcome.cancelled
                                  ? std::string(paused_ ? "cancelled: the daemon was paused"
                                                        : "cancelled: the daemon is stopping")
                                  : report.error;
    if (error.empty()) {
      event.AddMember("error", rapidjson::Value(), alloc);
    } else {
      event.AddMember("error", json_string(error, alloc), alloc);
    }
    const std::string line = control::to_line(event);
    for (const auto& waiter : waiting) server_->send(waiter.client, line);
  }
}

}  // namespace psd::runtime
