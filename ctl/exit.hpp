#pragma once
// portal-syncctl's exit codes (man portal-syncctl(8), EXIT STATUS), and the
// one place that says which code a failure ends the program with.

#include "daemon/core/failure.hpp"

namespace psd::ctl {

/// portal-syncctl's exit codes beyond a cycle's own 0-3 (sysexits.h values).
enum Exit : int {
  kOk = 0,
  kCommandFailed = 1,  ///< the daemon refused or failed the command
  kUsage = 64,         ///< EX_USAGE: a bad command line
  kProtocol = 70,      ///< EX_SOFTWARE: the daemon said something unexpected
  kNoInput = 66,       ///< EX_NOINPUT: report: state.db cannot be read
  kNotRunning = 69,    ///< EX_UNAVAILABLE: no daemon answers on the socket
  kCantCreate = 73,    ///< EX_CANTCREAT: report: the output cannot be written
  kCancelled = 75,     ///< EX_TEMPFAIL: the cycle waited for was cancelled (pause, stop)
  kNoAccess = 77,      ///< EX_NOPERM: the socket is not accessible to this user
};

/// Return the exit code of a failure to talk to the daemon, by its kind:
/// invalid (a socket path that cannot be one) is a usage error, transient
/// (no daemon, or it went away) means it is not running, forbidden (the
/// socket's permissions, the peer check, a command not allowed) no access,
/// rejected (the daemon refused or failed the command) and fatal (the
/// command failed here: a backup file cannot be written) 1, and any other
/// (bad_response: an answer outside the protocol, or none in time) 70.
Exit exit_code(core::FailureKind kind);

}  // namespace psd::ctl
