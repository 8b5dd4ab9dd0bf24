#pragma once
// The control socket's commands: the one table of names, arguments and help.
// The daemon dispatches on it and checks arguments against it (a handler is
// bound to each entry in daemon/runtime/commands/registry.cpp, and the build
// fails when one is missing); list-commands returns it; portal-syncctl reads
// its names for the command check and its help for --help.

#include <array>
#include <span>
#include <string>
#include <string_view>

#include "daemon/control/command_spec.hpp"

namespace psd::control {

namespace args {

inline constexpr std::array kResync = {
    ArgSpec{.name = "full", .type = ArgType::boolean},
    ArgSpec{.name = "services", .type = ArgType::texts},
    ArgSpec{.name = "agency", .type = ArgType::text},
    ArgSpec{.name = "wait", .type = ArgType::boolean},
};
inline constexpr std::array kRetry = {
    ArgSpec{.name = "services", .type = ArgType::texts},
    ArgSpec{.name = "rejected", .type = ArgType::boolean},
    ArgSpec{.name = "failed", .type = ArgType::boolean},
};
inline constexpr std::array kHistory = {
    ArgSpec{.name = "limit", .type = ArgType::integer, .low = 1, .high = 1000, .fallback = 10},
};
inline constexpr std::array<std::string_view, 2> kCodeKinds = {"services", "agencies"};
inline constexpr std::array kCodes = {
    ArgSpec{.name = "kind", .type = ArgType::one_of, .required = true, .choices = kCodeKinds},
    ArgSpec{.name = "prefix", .type = ArgType::any_text},
    ArgSpec{.name = "limit", .type = ArgType::integer, .low = 1, .high = 10000, .fallback = 1000},
};

}  // namespace args

/// Every command the daemon answers, in the order list-commands and
/// portal-syncctl --help show them.
inline constexpr std::array kCommands = {
    CommandSpec{.name = "status",
                .summary = "the daemon's state, coverage, queue, last cycle and progress",
                .usage = "status",
                .help = "The daemon's state (idle, syncing, backoff, paused, error), coverage\n"
                        "overall and per level, the queue, the last cycle, and the running\n"
                        "cycle's progress."},
    CommandSpec{.name = "resync",
                .args = args::kResync,
                .summary = "start a cycle now (after the running one); full re-lists both sides; "
                           "services/agency limit the pushes; wait streams progress and the result",
                .usage = "resync [--full] [--service CODE]... [--agency CODE] [--wait]",
                .help = "Start a cycle now, or right after the running one. --full ignores the\n"
                        "catalogue's ETag and re-lists both sides. --service (repeatable) and\n"
                        "--agency push only those services; the plan and coverage still cover\n"
                        "the whole catalogue. --wait follows the cycle to its end: on a\n"
                        "terminal a progress bar (pushes done/total, pushes per second, ETA),\n"
                        "otherwise a progress line every few seconds; the exit status is then\n"
                        "the cycle's (see EXIT STATUS)."},
    CommandSpec{.name = "plan",
                .summary = "read both sides and return what the next cycle would do (no write)",
                .usage = "plan",
                .help = "Read both portals and print what the next cycle would do. Sends no\n"
                        "write and records nothing."},
    CommandSpec{.name = "retry",
                .args = args::kRetry,
                .summary = "re-queue parked pushes (all when no argument) and start a cycle",
                .usage = "retry [CODE... | --rejected | --failed]",
                .help = "Re-queue parked pushes and start a cycle: services the portal\n"
                        "rejected (they are pushed again although their content did not\n"
                        "change) and pushes that ran out of attempts. Without arguments, all."},
    CommandSpec{.name = "pause",
                .summary = "stop the running cycle's pushes and start no cycle until resume",
                .usage = "pause",
                .help = "Stop pushing: the running cycle starts no new request, and no cycle\n"
                        "starts until resume. status says \"paused\"."},
    CommandSpec{.name = "resume",
                .summary = "leave pause and start a cycle now",
                .usage = "resume",
                .help = "Leave pause and start a cycle now."},
    CommandSpec{.name = "history",
                .args = args::kHistory,
                .summary = "the most recent cycles, newest first",
                .usage = "history [-n N]",
                .help = "The N most recent cycles (default 10, at most 1000), newest first,\n"
                        "with their result, pushes and coverage."},
    CommandSpec{.name = "reload",
                .summary = "re-read the configuration file and secrets (as SIGHUP does)",
                .usage = "reload",
                .help = "Re-read the configuration and secret files, as SIGHUP does. A bad file\n"
                        "is refused with its key and line; the running configuration stays."},
    CommandSpec{.name = "backup",
                .args_note = "(a file descriptor passed with the request, SCM_RIGHTS)",
                .summary =
                    "write a consistent, integrity-checked copy of state.db into the passed file "
                    "(portal-syncctl backup FILE); runs beside a cycle",
                .usage = "backup FILE",
                .help = "Write a copy of state.db to FILE: consistent while a cycle writes\n"
                        "(SQLite's VACUUM INTO, one read transaction), checked with PRAGMA\n"
                        "integrity_check, written under a temporary name in FILE's folder,\n"
                        "then renamed, mode 0600, owned by whoever runs portal-syncctl. When\n"
                        "the daemon runs, it makes the copy (it can read state.db) and\n"
                        "writes it into the file portal-syncctl opened; when it is stopped,\n"
                        "portal-syncctl reads state_dir/state.db itself (run it as root or\n"
                        "the daemon's user). To restore: stop the daemon, put the file in\n"
                        "place as state.db (README \"Backup and restore\"), start it."},
    CommandSpec{.name = "codes",
                .args = args::kCodes,
                .summary =
                    "service or agency codes of the last complete catalogue listing that start "
                    "with prefix, sorted (for shell completion)",
                .usage = "codes services|agencies [PREFIX]",
                .help = "Service or agency codes of the last complete catalogue listing that\n"
                        "start with PREFIX, one a line, at most 1000 (for shell completion)."},
    CommandSpec{.name = "list-commands",
                .summary = "this table",
                .usage = "list-commands",
                .help = "The commands the daemon answers and the protocol's result codes."},
};

/// Every command the daemon answers, in the order of kCommands.
std::span<const CommandSpec> command_table();

/// Return the command named `name`, or nullptr.
const CommandSpec* find_command(std::string_view name);

/// Return the arguments `command` takes, as list-commands documents them
/// ("full: bool, services: [string], …").
std::string describe_args(const CommandSpec& command);

}  // namespace psd::control
