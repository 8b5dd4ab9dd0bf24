// portal-syncctl: the operator's client of portal-syncd's control socket.

#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "ctl/backup.hpp"
#include "ctl/client.hpp"
#include "ctl/exit.hpp"
#include "ctl/options.hpp"
#include "ctl/progress.hpp"
#include "ctl/render.hpp"
#include "ctl/report/run.hpp"
#include "daemon/control/protocol.hpp"
#include "psd_version.hpp"

namespace psd::ctl {
namespace {

using control::json_strings;

rapidjson::Document request_args(const Options& options) {
  rapidjson::Document args(rapidjson::kObjectType);
  auto& alloc = args.GetAllocator();
  if (options.command == "resync") {
    if (options.full) args.AddMember("full", true, alloc);
    if (!options.services.empty())
      args.AddMember("services", json_strings(options.services, alloc), alloc);
    if (!options.agency.empty()) {
      args.AddMember("agency", rapidjson::Value(options.agency.c_str(), alloc), alloc);
    }
    if (options.wait) args.AddMember("wait", true, alloc);
  } else if (options.command == "retry") {
    if (!options.codes.empty())
      args.AddMember("services", json_strings(options.codes, alloc), alloc);
    if (options.rejected) args.AddMember("rejected", true, alloc);
    if (options.failed) args.AddMember("failed", true, alloc);
  } else if (options.command == "history") {
    args.AddMember("limit", options.limit, alloc);
  } else if (options.command == "codes") {
    args.AddMember("kind", rapidjson::Value(options.codes_kind.c_str(), alloc), alloc);
    args.AddMember("prefix", rapidjson::Value(options.codes_prefix.c_str(), alloc), alloc);
  }
  return args;
}

std::uint64_t uint_member(const rapidjson::Value& object, const char* name) {
  const auto found = object.FindMember(name);
  return found != object.MemberEnd() && found->value.IsUint64() ? found->value.GetUint64() : 0;
}

void print(const std::string& text) { std::fputs(text.c_str(), stdout); }

/// Follow cycle `cycle` to its end; return its exit code.
tl::expected<int, core::Failure> follow(ControlClient& client, std::uint64_t cycle, bool json) {
  ProgressView view(stdout, ::isatty(STDOUT_FILENO) == 1);
  if (!json)
    std::printf("cycle %llu queued; waiting for it\n", static_cast<unsigned long long>(cycle));
  std::fflush(stdout);
  while (true) {
    const Message event = client.read_message(std::nullopt);
    if (!event) return tl::unexpected(event.error());
    const auto type = event->FindMember("type");
    if (type == event->MemberEnd() || !type->value.IsString()) continue;
    if (uint_member(*event, "cycle") != cycle) continue;
    if (json) print(to_json(*event) + "\n");
    if (type->value == "progress") {
      if (!json) view.update(cycle, uint_member(*event, "done"), uint_member(*event, "total"));
      continue;
    }
    if (type->value != "finished") continue;
    view.finish();
    if (!json) print(render_finished(*event));
    const auto cancelled = event->FindMember("cancelled");
    if (cancelled != event->MemberEnd() && cancelled->value.IsTrue()) return kCancelled;
    const auto code = event->FindMember("exit_code");
    if (code == event->MemberEnd() || !code->value.IsInt()) {
      return core::failure(core::FailureKind::bad_response,
                           "the daemon's 'finished' event has no exit_code");
    }
    return code->value.GetInt();
  }
}

tl::expected<int, core::Failure> run_command(ControlClient& client, const Options& options) {
  const rapidjson::Document args = request_args(options);
  // A plan reads both portals: it may take minutes on a large catalogue.
  const auto timeout = options.command == "plan"
                           ? std::optional<std::chrono::milliseconds>()
                           : std::optional<std::chrono::milliseconds>(std::chrono::seconds(30));
  const Message answer = client.request(options.command, args, timeout);
  if (!answer) return tl::unexpected(answer.error());
  const rapidjson::Document& reply = *answer;
  const auto reply_code = result_code(reply);
  if (!reply_code) return tl::unexpected(reply_code.error());
  if (*reply_code != 0) {
    const auto error = reply.FindMember("error");
    const auto status = reply.FindMember("status");
    std::fprintf(
        stderr, "portal-syncctl: %s: %s (%s)\n", options.command.c_str(),
        error != reply.MemberEnd() && error->value.IsString() ? error->value.GetString() : "failed",
        status != reply.MemberEnd() && status->value.IsString() ? status->value.GetString() : "?");
    return exit_code(refusal_kind(*reply_code));
  }
  const auto found = reply.FindMember("result");
  if (found == reply.MemberEnd() || !found->value.IsObject()) {
    return core::failure(core::FailureKind::bad_response, "the daemon's reply has no result");
  }
  const rapidjson::Value& result = found->value;
  const std::string& command = options.command;
  if (command == "resync" && options.wait) {
    return follow(client, uint_member(result, "cycle"), options.json);
  }
  if (options.json) {
    print(to_json(result) + "\n");
    return kOk;
  }
  if (command == "status") {
    print(render_status(result));
  } else if (command == "resync") {
    const auto behind = result.FindMember("after_running_cycle");
    std::printf("cycle %llu queued%s\n",
                static_cast<unsigned long long>(uint_member(result, "cycle")),
                behind != result.MemberEnd() && behind->value.IsTrue()
                    ? " (it starts when the running cycle ends)"
                    : "");
  } else if (command == "plan") {
    const auto text = result.FindMember("text");
    print(text != result.MemberEnd() && text->value.IsString() ? text->value.GetString() : "");
  } else if (command == "retry") {
    print(render_retry(result));
  } else if (command == "pause") {
    const auto was = result.FindMember("was_paused");
    if (was != result.MemberEnd() && was->value.IsTrue()) {
      print("already paused\n");
    } else {
      print("paused: no push until 'portal-syncctl resume'\n");
      if (result.HasMember("stopping_cycle")) {
        std::printf("cycle %llu is stopping: requests in flight finish, no new one starts\n",
                    static_cast<unsigned long long>(uint_member(result, "stopping_cycle")));
      }
    }
  } else if (command == "resume") {
    if (result.HasMember("cycle")) {
      std::printf("resumed; cycle %llu queued\n",
                  static_cast<unsigned long long>(uint_member(result, "cycle")));
    } else {
      print("was not paused\n");
    }
  } else if (command == "history") {
    print(render_history(result));
  } else if (command == "reload") {
    print("configuration reloaded\n");
  } else if (command == "list-commands") {
    print(render_commands(result));
  } else if (command == "codes") {
    const auto codes = result.FindMember("codes");
    if (codes != result.MemberEnd() && codes->value.IsArray()) {
      for (const auto& code : codes->value.GetArray()) {
        if (code.IsString()) std::printf("%s\n", code.GetString());
      }
    }
  } else {
    // A command portal-syncctl has no table for: its result as the daemon sent it.
    print(to_json(result) + "\n");
  }
  return kOk;
}

/// Run the command `options` names; return the exit code.
int run(const Options& options) {
  if (options.help) {
    std::fputs(help_text().c_str(), stdout);
    return kOk;
  }
  if (options.version) {
    std::printf("portal-syncctl %s\n", psd::kVersion);
    return kOk;
  }
  // The report reads state.db itself: it works whether the daemon runs or not.
  if (options.command == kReportCommand) return report::run_report(options);
  const auto socket = socket_path(options);
  if (!socket) {
    std::fprintf(stderr, "portal-syncctl: %s\n", socket.error().message.c_str());
    return kUsage;
  }
  if (options.command == "backup") return run_backup(options, *socket);
  auto done = ControlClient::connect(*socket).and_then(
      [&](ControlClient client) { return run_command(client, options); });
  if (!done) {
    std::fprintf(stderr, "portal-syncctl: %s\n", done.error().message.c_str());
    return exit_code(done.error().kind);
  }
  return *done;
}

/// Say what ended `command` with an exception; return `code`.
int ended_by(const std::string& command, const std::exception& error, Exit code) {
  std::fprintf(stderr, "portal-syncctl: %s: %s\n", command.c_str(), error.what());
  return code;
}

}  // namespace
}  // namespace psd::ctl

// The one boundary of portal-syncctl's one thread.
int main(int argc, char** argv) {
  using namespace psd::ctl;
  const std::vector<std::string> args(argv + 1, argv + argc);
  const auto parsed = parse_options(args);
  if (!parsed) {
    std::fprintf(stderr, "portal-syncctl: %s\nTry 'portal-syncctl --help'.\n",
                 parsed.error().message.c_str());
    return kUsage;
  }
  // Thrown is only what no caller mends (ARCHITECTURE.md, "Errors"): the
  // configuration file report reads, and state.db, which report reads
  // (StateReader) and backup copies and checks when the daemon is stopped.
  const std::string& command = parsed->command;
  try {
    return run(*parsed);
  } catch (const psd::config::ConfigError& error) {
    return ended_by(command, error, kUsage);
  } catch (const std::exception& error) {
    return ended_by(command, error, command == kReportCommand ? kNoInput : kCommandFailed);
  }
}
