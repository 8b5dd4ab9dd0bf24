// Daemon: the control socket's commands (the table is daemon/control/commands.cpp).
#include <fcntl.h>
#include <rapidjson/document.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <initializer_list>
#include <string>

#include "daemon/control/commands.hpp"
#include "daemon/runtime/daemon.hpp"
#include "daemon/runtime/plan_printer.hpp"
#include "psd_version.hpp"

namespace psd::runtime {
namespace {

using control::ResultCode;
using Alloc = rapidjson::Document::AllocatorType;

rapidjson::Value text(std::string_view value, Alloc& alloc) {
  return rapidjson::Value(value.data(), static_cast<rapidjson::SizeType>(value.size()), alloc);
}

/// Reads a request's "args", recording the first problem with them.
class Args {
 public:
  Args(const rapidjson::Value& args, std::initializer_list<std::string_view> known) : args_(args) {
    for (const auto& member : args.GetObject()) {
      const std::string_view name(member.name.GetString(), member.name.GetStringLength());
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        problem_ = "unknown argument \"" + std::string(name) + "\"";
        return;
      }
    }
  }
  bool flag(const char* name) {
    const auto found = args_.FindMember(name);
    if (found == args_.MemberEnd()) return false;
    if (!found->value.IsBool()) return fail(name, "a boolean");
    return found->value.GetBool();
  }
  std::string string(const char* name) {
    const auto found = args_.FindMember(name);
    if (found == args_.MemberEnd()) return {};
    if (!found->value.IsString() || found->value.GetStringLength() == 0) {
      fail(name, "a non-empty string");
      return {};
    }
    return found->value.GetString();
  }
  std::vector<std::string> strings(const char* name) {
    std::vector<std::string> values;
    const auto found = args_.FindMember(name);
    if (found == args_.MemberEnd()) return values;
    if (!found->value.IsArray()) {
      fail(name, "an array of strings");
      return values;
    }
    for (const auto& item : found->value.GetArray()) {
      if (!item.IsString() || item.GetStringLength() == 0) {
        fail(name, "an array of non-empty strings");
        return {};
      }
      values.emplace_back(item.GetString(), item.GetStringLength());
    }
    return values;
  }
  int integer(const char* name, int fallback, int low, int high) {
    const auto found = args_.FindMember(name);
    if (found == args_.MemberEnd()) return fallback;
    if (!found->value.IsInt() || found->value.GetInt() < low || found->value.GetInt() > high) {
      fail(name, "an integer from " + std::to_string(low) + " to " + std::to_string(high));
      return fallback;
    }
    return found->value.GetInt();
  }
  const std::string& problem() const { return problem_; }

 private:
  bool fail(const char* name, const std::string& what) {
    if (problem_.empty()) problem_ = "\"" + std::string(name) + "\" must be " + what;
    return false;
  }
  const rapidjson::Value& args_;
  std::string problem_;
};

rapidjson::Value string_array(const std::vector<std::string>& values, Alloc& alloc) {
  rapidjson::Value array(rapidjson::kArrayType);
  for (const auto& value : values) array.PushBack(text(value, alloc), alloc);
  return array;
}

}  // namespace

void Daemon::reply_error(control::ClientId client, std::int64_t id, ResultCode code,
                         std::string_view error) {
  if (server_) server_->send(client, control::error_line(id, code, error));
}

void Daemon::on_line(control::ClientId client, std::string_view line) {
  control::Request request;
  if (const auto problem = control::parse_request(line, request)) {
    reply_error(client, request.id, ResultCode::bad_request, *problem);
    return;
  }
  if (!control::find_command(request.command)) {
    reply_error(client, request.id, ResultCode::unknown_command,
                "no command \"" + request.command + "\" (list-commands shows them)");
    return;
  }
  contain(
      "control command " + request.command, [&] { dispatch(client, request); },
      ReplyTo{.client = client, .id = request.id});
}

void Daemon::dispatch(control::ClientId client, const control::Request& request) {
  const std::string& name = request.command;
  if (name == "status") return command_status(client, request);
  if (name == "resync") return command_resync(client, request);
  if (name == "plan") return command_plan(client, request);
  if (name == "retry") return command_retry(client, request);
  if (name == "pause") return command_pause(client, request);
  if (name == "resume") return command_resume(client, request);
  if (name == "history") return command_history(client, request);
  if (name == "list-commands") return command_list(client, request);
  if (name == "backup") return command_backup(client, request);
  if (name == "codes") return command_codes(client, request);
  if (name == "reload") {
    if (!request.args.ObjectEmpty()) {
      return reply_error(client, request.id, ResultCode::invalid_argument, "takes no argument");
    }
    pending_reload_ = PendingReload{.source = "control socket", .client = client, .id = request.id};
  }
}

void Daemon::command_status(control::ClientId client, const control::Request& request) {
  rapidjson::Document result;
  const std::string json = syncer()->status_json_text(daemon_state());
  result.Parse(json.c_str());
  auto& alloc = result.GetAllocator();
  rapidjson::Value daemon(rapidjson::kObjectType);
  daemon.AddMember("version", text(kVersion, alloc), alloc);
  daemon.AddMember("pid", static_cast<std::int64_t>(::getpid()), alloc);
  daemon.AddMember("config", text(config_.source.string(), alloc), alloc);
  daemon.AddMember("paused", paused_, alloc);
  daemon.AddMember("stopping", stopping_, alloc);
  const auto running = worker_->running();
  if (running && running->job.kind == CycleJob::Kind::cycle) {
    daemon.AddMember("running_cycle", running->ticket, alloc);
  } else {
    daemon.AddMember("running_cycle", rapidjson::Value(), alloc);
  }
  if (!paused_ && !stopping_ && next_poll_ != Clock::time_point::max()) {
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(next_poll_ - Clock::now());
    daemon.AddMember("next_cycle_in_seconds", std::max<std::int64_t>(0, left.count()), alloc);
  } else {
    daemon.AddMember("next_cycle_in_seconds", rapidjson::Value(), alloc);
  }
  result.AddMember("daemon", daemon, alloc);
  server_->send(client, control::reply_line(request.id, result));
}

void Daemon::command_resync(control::ClientId client, const control::Request& request) {
  Args args(request.args, {"full", "services", "agency", "wait"});
  CycleJob job{.target = {.cache = args.flag("full") ? engine::CatalogueCache::ignore
                                                     : engine::CatalogueCache::use_etag,
                          .only_codes = args.strings("services"),
                          .only_agency = args.string("agency")}};
  const bool wait = args.flag("wait");
  if (!args.problem().empty()) {
    return reply_error(client, request.id, ResultCode::invalid_argument, args.problem());
  }
  if (stopping_)
    return reply_error(client, request.id, ResultCode::refused, "the daemon is stopping");
  if (paused_) {
    return reply_error(client, request.id, ResultCode::refused,
                       "the daemon is paused; 'portal-syncctl resume' first");
  }
  job.reason = "resync requested on the control socket";
  const bool behind = !worker_->idle();
  const std::uint64_t ticket = worker_->submit(std::move(job));
  rapidjson::Document result(rapidjson::kObjectType);
  auto& alloc = result.GetAllocator();
  result.AddMember("cycle", ticket, alloc);
  result.AddMember("after_running_cycle", behind, alloc);
  server_->send(client, control::reply_line(request.id, result));
  if (wait) waiters_[ticket].push_back({client, request.id, true});
  next_status_write_ = Clock::now();
  next_progress_ = Clock::now();
}

void Daemon::command_plan(control::ClientId client, const control::Request& request) {
  if (!request.args.ObjectEmpty()) {
    return reply_error(client, request.id, ResultCode::invalid_argument, "takes no argument");
  }
  if (stopping_)
    return reply_error(client, request.id, ResultCode::refused, "the daemon is stopping");
  const std::uint64_t ticket = worker_->submit({.kind = CycleJob::Kind::plan, .reason = "plan"});
  waiters_[ticket].push_back({client, request.id, false});
}

void Daemon::command_retry(control::ClientId client, const control::Request& request) {
  Args args(request.args, {"services", "rejected", "failed"});
  state::RequeueRequest requeue;
  requeue.codes = args.strings("services");
  requeue.rejected = args.flag("rejected");
  requeue.failed = args.flag("failed");
  if (!args.problem().empty()) {
    return reply_error(client, request.id, ResultCode::invalid_argument, args.problem());
  }
  if (stopping_)
    return reply_error(client, request.id, ResultCode::refused, "the daemon is stopping");
  state::RequeueResult requeued;
  try {
    requeued = syncer()->requeue(requeue);
  } catch (const std::exception& error) {
    return reply_error(client, request.id, ResultCode::failed, error.what());
  }
  rapidjson::Document result(rapidjson::kObjectType);
  auto& alloc = result.GetAllocator();
  result.AddMember("rejected", string_array(requeued.rejected, alloc), alloc);
  result.AddMember("failed", string_array(requeued.failed, alloc), alloc);
  result.AddMember("not_parked", string_array(requeued.not_parked, alloc), alloc);
  const bool anything = !requeued.rejected.empty() || !requeued.failed.empty();
  if (anything && !paused_) {
    result.AddMember("cycle",
                     worker_->submit({.target = {.only_codes = requeue.codes},
                                      .reason = "retry requested on the control socket"}),
                     alloc);
    next_status_write_ = Clock::now();
  } else {
    result.AddMember("cycle", rapidjson::Value(), alloc);
  }
  spdlog::info("control socket: re-queued {} rejected service(s); {} failed push(es) pending",
               requeued.rejected.size(), requeued.failed.size());
  server_->send(client, control::reply_line(request.id, result));
}

void Daemon::command_pause(control::ClientId client, const control::Request& request) {
  rapidjson::Document result(rapidjson::kObjectType);
  auto& alloc = result.GetAllocator();
  result.AddMember("was_paused", paused_, alloc);
  if (!paused_) {
    paused_ = true;
    worker_->set_paused(true);
    for (auto& outcome : worker_->cancel_queued_cycles()) answer_waiters(outcome);
    const auto running = worker_->running();
    if (running && running->job.kind == CycleJob::Kind::cycle) {
      worker_->stop_running();
      result.AddMember("stopping_cycle", running->ticket, alloc);
    }
    spdlog::info("paused on the control socket: no push until resume");
    publish_status();
  }
  server_->send(client, control::reply_line(request.id, result));
}

void Daemon::command_resume(control::ClientId client, const control::Request& request) {
  rapidjson::Document result(rapidjson::kObjectType);
  auto& alloc = result.GetAllocator();
  result.AddMember("was_paused", paused_, alloc);
  if (paused_ && !stopping_) {
    paused_ = false;
    worker_->set_paused(false);
    result.AddMember("cycle", worker_->submit({.reason = "resume"}), alloc);
    spdlog::info("resumed on the control socket");
    next_status_write_ = Clock::now();
    publish_status();
  }
  server_->send(client, control::reply_line(request.id, result));
}

void Daemon::command_history(control::ClientId client, const control::Request& request) {
  Args args(request.args, {"limit"});
  const int limit = args.integer("limit", 10, 1, 1000);
  if (!args.problem().empty()) {
    return reply_error(client, request.id, ResultCode::invalid_argument, args.problem());
  }
  std::vector<state::CycleRecord> rows;
  try {
    rows = syncer()->history(limit);
  } catch (const std::exception& error) {
    return reply_error(client, request.id, ResultCode::failed, error.what());
  }
  rapidjson::Document result(rapidjson::kObjectType);
  auto& alloc = result.GetAllocator();
  rapidjson::Value cycles(rapidjson::kArrayType);
  for (const auto& row : rows) {
    rapidjson::Value cycle(rapidjson::kObjectType);
    cycle.AddMember("started_at", text(row.started_at, alloc), alloc);
    cycle.AddMember("finished_at", text(row.finished_at, alloc), alloc);
    cycle.AddMember("result", text(state::to_string(row.result), alloc), alloc);
    cycle.AddMember("pushed", row.pushed, alloc);
    cycle.AddMember("failed", row.failed, alloc);
    cycle.AddMember("total", row.total, alloc);
    cycle.AddMember("integrated", row.integrated, alloc);
    cycle.AddMember("in_sync", row.in_sync, alloc);
    cycle.AddMember("percent", row.percent, alloc);
    if (row.error.empty()) {
      cycle.AddMember("error", rapidjson::Value(), alloc);
    } else {
      cycle.AddMember("error", text(row.error, alloc), alloc);
    }
    cycles.PushBack(cycle, alloc);
  }
  result.AddMember("cycles", cycles, alloc);
  server_->send(client, control::reply_line(request.id, result));
}

void Daemon::command_list(control::ClientId client, const control::Request& request) {
  rapidjson::Document result(rapidjson::kObjectType);
  auto& alloc = result.GetAllocator();
  rapidjson::Value commands(rapidjson::kArrayType);
  for (const auto& command : control::command_table()) {
    rapidjson::Value entry(rapidjson::kObjectType);
    entry.AddMember("name", text(command.name, alloc), alloc);
    entry.AddMember("args", text(command.args, alloc), alloc);
    entry.AddMember("summary", text(command.summary, alloc), alloc);
    commands.PushBack(entry, alloc);
  }
  result.AddMember("commands", commands, alloc);
  rapidjson::Value codes(rapidjson::kObjectType);
  for (int code = 0; code <= static_cast<int>(ResultCode::not_allowed); ++code) {
    rapidjson::Value name = text(control::to_string(static_cast<ResultCode>(code)), alloc);
    codes.AddMember(name, rapidjson::Value(code), alloc);
  }
  result.AddMember("result_codes", codes, alloc);
  result.AddMember("protocol_version", control::kProtocolVersion, alloc);
  server_->send(client, control::reply_line(request.id, result));
}

void Daemon::command_backup(control::ClientId client, const control::Request& request) {
  // Taken first, so that a refused request never leaves a descriptor open.
  const int fd = server_->take_passed_fd(client);
  std::string problem;
  struct stat info {};
  const int flags = fd >= 0 ? ::fcntl(fd, F_GETFL) : -1;
  if (!request.args.ObjectEmpty()) {
    problem = "takes no argument";
  } else if (fd < 0) {
    problem =
        "backup needs the file to write passed with the request (SCM_RIGHTS), as "
        "'portal-syncctl backup FILE' does";
  } else if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) || flags < 0 ||
             (flags & O_ACCMODE) == O_RDONLY) {
    problem = "the passed descriptor is not a regular file open for writing";
  }
  if (!problem.empty()) {
    if (fd >= 0) ::close(fd);
    return reply_error(client, request.id, ResultCode::invalid_argument, problem);
  }
  if (backup_->busy()) {
    ::close(fd);
    return reply_error(client, request.id, ResultCode::refused, "a backup is already running");
  }
  const std::filesystem::path database = syncer()->state_path();
  spdlog::info("control socket: backup of {} started", database.string());
  backup_->start(database, database.parent_path(), fd, client, request.id);
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

void Daemon::command_codes(control::ClientId client, const control::Request& request) {
  Args args(request.args, {"kind", "prefix", "limit"});
  const std::string kind = args.string("kind");
  const auto prefix = request.args.FindMember("prefix");
  const bool prefix_ok = prefix == request.args.MemberEnd() || prefix->value.IsString();
  const int limit = args.integer("limit", 1000, 1, 10000);
  if (args.problem().empty() && kind != "services" && kind != "agencies") {
    return reply_error(client, request.id, ResultCode::invalid_argument,
                       "\"kind\" must be \"services\" or \"agencies\"");
  }
  if (!args.problem().empty() || !prefix_ok) {
    return reply_error(client, request.id, ResultCode::invalid_argument,
                       prefix_ok ? args.problem() : "\"prefix\" must be a string");
  }
  const std::string start = prefix == request.args.MemberEnd() ? "" : prefix->value.GetString();
  std::vector<std::string> codes;
  try {
    codes = syncer()->catalogue_codes(kind == "agencies", start, limit);
  } catch (const std::exception& error) {
    return reply_error(client, request.id, ResultCode::failed, error.what());
  }
  rapidjson::Document result(rapidjson::kObjectType);
  auto& alloc = result.GetAllocator();
  result.AddMember("codes", string_array(codes, alloc), alloc);
  server_->send(client, control::reply_line(request.id, result));
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
      event.AddMember("text", text(format_plan(report, config_.province), alloc), alloc);
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
      event.AddMember("result", text(state::to_string(report.result), alloc), alloc);
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
      event.AddMember("error", text(error, alloc), alloc);
    }
    const std::string line = control::to_line(event);
    for (const auto& waiter : waiting) server_->send(waiter.client, line);
  }
}

}  // namespace psd::runtime
