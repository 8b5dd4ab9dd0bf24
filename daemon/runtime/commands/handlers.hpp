#pragma once
// The handlers of the control commands, one per entry of the table in
// daemon/control/commands.hpp; registry.cpp binds them to it. They run on the
// event loop's thread, inside Daemon::contain, with arguments already checked
// against the command's schema, and they answer the client (now, or later
// through a waiter) exactly once.

#include <rapidjson/document.h>

#include <cstdint>
#include <string_view>

#include "daemon/control/arguments.hpp"
#include "daemon/control/protocol.hpp"
#include "daemon/control/server.hpp"

namespace psd::runtime {
class Daemon;
}

namespace psd::runtime::commands {

/// A request whose command exists and whose arguments fit its schema.
struct Call {
  control::ClientId client;
  std::int64_t id;
  control::Arguments args;
};

using Handler = void (*)(Daemon&, const Call&);

/// The handlers, as one friend of Daemon (the loop's state they read and change).
struct Handlers {
  static void status(Daemon& daemon, const Call& call);         // status.cpp
  static void list_commands(Daemon& daemon, const Call& call);  // list.cpp
  static void resync(Daemon& daemon, const Call& call);         // cycles.cpp
  static void plan(Daemon& daemon, const Call& call);           // cycles.cpp
  static void retry(Daemon& daemon, const Call& call);          // cycles.cpp
  static void pause(Daemon& daemon, const Call& call);          // pause.cpp
  static void resume(Daemon& daemon, const Call& call);         // pause.cpp
  static void reload(Daemon& daemon, const Call& call);         // pause.cpp
  static void history(Daemon& daemon, const Call& call);        // reads.cpp
  static void codes(Daemon& daemon, const Call& call);          // reads.cpp
  static void backup(Daemon& daemon, const Call& call);         // backup.cpp

  /// Send `result` as the reply to `call`.
  static void reply(Daemon& daemon, const Call& call, const rapidjson::Value& result);
  /// Answer `call` with the error result `code`.
  static void refuse(Daemon& daemon, const Call& call, control::ResultCode code,
                     std::string_view error);
};

}  // namespace psd::runtime::commands
