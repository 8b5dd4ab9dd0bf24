#pragma once
// Dropping a client's connection from inside a cpp-httplib handler, which
// is given no socket: find the connection's descriptor (the TLS session's,
// or by matching the request's local and peer ports against the process's
// sockets), set SO_LINGER 0 and close it, so the kernel sends a TCP RST and
// the client sees the connection reset with no HTTP status.

#include <httplib.h>

namespace psd::sim {

/// Reset the connection of `req`. Its descriptor number is taken over by
/// /dev/null, so what httplib later writes or closes there is harmless and
/// never hits another connection. False when the socket is not found.
bool reset_connection(const httplib::Request& req);

}  // namespace psd::sim
