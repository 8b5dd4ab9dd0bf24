#include "ctl/render.hpp"

#include <fmt/format.h>

#include "daemon/control/protocol.hpp"

namespace psd::ctl {
namespace {

std::string str(const rapidjson::Value& object, const char* name, const char* fallback = "-") {
  if (!object.IsObject()) return fallback;
  const auto found = object.FindMember(name);
  if (found == object.MemberEnd() || !found->value.IsString()) return fallback;
  return found->value.GetString();
}

std::uint64_t num(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return 0;
  const auto found = object.FindMember(name);
  if (found == object.MemberEnd() || !found->value.IsUint64()) return 0;
  return found->value.GetUint64();
}

double real(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return 0;
  const auto found = object.FindMember(name);
  if (found == object.MemberEnd() || !found->value.IsNumber()) return 0;
  return found->value.GetDouble();
}

const rapidjson::Value& member(const rapidjson::Value& object, const char* name) {
  static const rapidjson::Value null;
  if (!object.IsObject()) return null;
  const auto found = object.FindMember(name);
  return found == object.MemberEnd() ? null : found->value;
}

std::string tally(const rapidjson::Value& t) {
  return fmt::format("{:6.2f}%  {} of {} integrated", real(t, "percent"), num(t, "integrated"),
                     num(t, "total"));
}

void list_named(std::string& out, const char* title, const rapidjson::Value& items,
                std::uint64_t count) {
  if (!items.IsArray() || items.Empty()) return;
  constexpr rapidjson::SizeType kShown = 5;
  out += fmt::format("{:<14}{}\n", title, count);
  for (rapidjson::SizeType i = 0; i < items.Size() && i < kShown; ++i) {
    out += fmt::format("  {}: {}\n", str(items[i], "code"), str(items[i], "reason"));
  }
  if (count > kShown)
    out += fmt::format("  ... and {} more (status --json lists them)\n", count - kShown);
}

}  // namespace

std::string to_json(const rapidjson::Value& value) { return control::to_line(value); }

std::string render_status(const rapidjson::Value& status) {
  const auto& daemon = member(status, "daemon");
  const auto& coverage = member(status, "coverage");
  const auto& queue = member(status, "queue");
  const auto& last = member(status, "last_cycle");
  const auto& progress = member(status, "progress");
  std::string out =
      fmt::format("portal-syncd {} (pid {}), province {}: {}\n", str(daemon, "version"),
                  num(daemon, "pid"), str(status, "province"), str(status, "state"));
  out += fmt::format("{:<14}{}, {} in sync, {} orphaned\n", "Coverage", tally(coverage),
                     num(coverage, "in_sync"), num(coverage, "orphaned"));
  const auto& levels = member(coverage, "by_level");
  out += fmt::format("{:<14}{}\n", "  full", tally(member(levels, "full")));
  out += fmt::format("{:<14}{}\n", "  partial", tally(member(levels, "partial")));
  out += fmt::format("{:<14}pending {}, retrying {}, rejected {}, invalid {}\n", "Queue",
                     num(queue, "pending"), num(queue, "retrying"), num(queue, "rejected"),
                     num(queue, "invalid"));
  if (progress.IsObject()) {
    out += fmt::format("{:<14}cycle {} running since {}: {} of {} pushes done\n", "Progress",
                       num(daemon, "running_cycle"), str(progress, "started_at"),
                       num(progress, "done"), num(progress, "total"));
  }
  if (last.IsObject()) {
    out += fmt::format("{:<14}{}, {} to {}, pushed {}, failed {}\n", "Last cycle",
                       str(last, "result"), str(last, "started_at"), str(last, "finished_at"),
                       num(last, "pushed"), num(last, "failed"));
    if (member(last, "error").IsString()) {
      out += fmt::format("{:<14}{}\n", "  error", str(last, "error"));
    }
  } else {
    out += fmt::format("{:<14}none yet\n", "Last cycle");
  }
  out += fmt::format("{:<14}{}\n", "Last success", str(status, "last_success_at", "never"));
  if (member(daemon, "paused").IsTrue()) {
    out += fmt::format("{:<14}paused ('portal-syncctl resume' to go on)\n", "Next cycle");
  } else if (member(daemon, "next_cycle_in_seconds").IsUint64()) {
    out += fmt::format("{:<14}in {} s\n", "Next cycle", num(daemon, "next_cycle_in_seconds"));
  }
  list_named(out, "Rejected", member(status, "rejected_services"), num(queue, "rejected"));
  list_named(out, "Invalid", member(status, "invalid_records"), num(queue, "invalid"));
  return out;
}

std::string render_history(const rapidjson::Value& history) {
  const auto& cycles = member(history, "cycles");
  std::string out = fmt::format("{:<25} {:<8} {:>7} {:>7} {:>8}  {}\n", "FINISHED", "RESULT",
                                "PUSHED", "FAILED", "COVERAGE", "ERROR");
  if (!cycles.IsArray()) return out;
  for (const auto& cycle : cycles.GetArray()) {
    out += fmt::format("{:<25} {:<8} {:>7} {:>7} {:>7.2f}%  {}\n", str(cycle, "finished_at"),
                       str(cycle, "result"), num(cycle, "pushed"), num(cycle, "failed"),
                       real(cycle, "percent"), str(cycle, "error", ""));
  }
  return out;
}

std::string render_retry(const rapidjson::Value& retry) {
  std::string out;
  const auto list = [&](const char* name, const char* what) {
    const auto& codes = member(retry, name);
    if (!codes.IsArray() || codes.Empty()) return;
    out += fmt::format("{} {}:", codes.Size(), what);
    for (const auto& code : codes.GetArray()) out += fmt::format(" {}", code.GetString());
    out += "\n";
  };
  list("rejected", "rejected service(s) re-queued");
  list("failed", "failed push(es) pending, resent by the next cycle");
  list("not_parked", "code(s) not parked (nothing to retry)");
  if (member(retry, "cycle").IsUint64()) {
    out += fmt::format("cycle {} queued\n", num(retry, "cycle"));
  } else if (out.empty()) {
    out = "nothing is parked: nothing to retry\n";
  }
  return out;
}

std::string render_commands(const rapidjson::Value& list) {
  std::string out;
  const auto& commands = member(list, "commands");
  if (!commands.IsArray()) return out;
  for (const auto& command : commands.GetArray()) {
    out += fmt::format("{:<14}{}\n", str(command, "name"), str(command, "summary"));
    if (!str(command, "args", "").empty()) {
      out += fmt::format("{:<14}args: {}\n", "", str(command, "args"));
    }
  }
  return out;
}

std::string render_finished(const rapidjson::Value& finished) {
  if (member(finished, "cancelled").IsTrue()) {
    return fmt::format("cycle {} {}\n", num(finished, "cycle"), str(finished, "error"));
  }
  std::string out =
      fmt::format("cycle {} {}: pushed {}, failed {}", num(finished, "cycle"),
                  str(finished, "result"), num(finished, "pushed"), num(finished, "failed"));
  if (member(finished, "percent").IsNumber()) {
    out += fmt::format(", coverage {:.2f}% ({} of {})", real(finished, "percent"),
                       num(finished, "integrated"), num(finished, "total"));
  }
  out += "\n";
  if (member(finished, "error").IsString()) out += "error: " + str(finished, "error") + "\n";
  return out;
}

}  // namespace psd::ctl
