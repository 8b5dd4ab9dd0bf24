// portal-sim: both portals of the contract on loopback, for tests and demos.

#include <signal.h>

#include <cstdio>
#include <ctime>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "sim/args.hpp"
#include "sim/coverage.hpp"
#include "sim/server.hpp"

int main(int argc, char** argv) {
  using psd::sim::ParseResult;
  const std::vector<std::string> args(argv + 1, argv + argc);
  const ParseResult parsed = psd::sim::parse_args(args);
  switch (parsed.action) {
    case ParseResult::Action::kHelp:
      std::fputs(psd::sim::usage_text().c_str(), stdout);
      return 0;
    case ParseResult::Action::kVersion:
      std::puts("portal-sim 1.0 (contract version 1.0)");
      return 0;
    case ParseResult::Action::kError:
      std::fprintf(stderr, "portal-sim: %s\n", parsed.error.c_str());
      return 2;
    case ParseResult::Action::kRun:
      break;
  }

  // Block the stop signals in every thread (the server's threads inherit the
  // mask) and take them synchronously here.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a client hanging up must not kill the simulator

  std::unique_ptr<psd::sim::SimServer> owned;
  try {
    owned = std::make_unique<psd::sim::SimServer>(parsed.options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "portal-sim: %s\n", e.what());
    return 1;
  }
  psd::sim::SimServer& server = *owned;
  const int port = server.start_background();
  if (port < 0) {
    std::fprintf(stderr, "portal-sim: cannot listen on 127.0.0.1:%d%s\n", parsed.options.port,
                 parsed.options.control_port > 0
                     ? (" or 127.0.0.1:" + std::to_string(parsed.options.control_port)).c_str()
                     : "");
    return 1;
  }
  // The control line first: whoever waits for "listening on" has both.
  if (server.control_port() >= 0) {
    std::printf("portal-sim control on http://127.0.0.1:%d\n", server.control_port());
  }
  std::printf("portal-sim listening on %s://127.0.0.1:%d\n", server.https() ? "https" : "http",
              port);
  std::fflush(stdout);

  const timespec tick{0, 200L * 1000 * 1000};
  int exit_code = 0;
  for (;;) {
    if (sigtimedwait(&stop_signals, nullptr, &tick) >= 0) {
      break;
    }
    if (!server.serving()) {
      std::fprintf(stderr, "portal-sim: the server stopped unexpectedly\n");
      exit_code = 1;
      break;
    }
  }
  server.stop();

  const auto coverage =
      psd::sim::compute_coverage(*server.catalogue().snapshot(), server.national().entries());
  std::string report = server.ledger().to_table();
  report += "coverage: " + std::to_string(coverage.integrated) + "/" +
            std::to_string(coverage.total_active) + " integrated, " +
            std::to_string(coverage.in_sync) + " in sync, " + std::to_string(coverage.orphaned) +
            " orphaned\n";
  std::fputs(report.c_str(), stdout);
  std::fflush(stdout);
  return exit_code;
}
