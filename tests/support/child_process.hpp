#pragma once
// Run a program as a child process for a test: arguments, extra environment,
// captured or redirected output, a wait with a timeout, signals, and a
// SIGKILL on destruction so that a failing test never leaks a process. The
// child leads its own process group; the destructor kills the whole group.

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace psd::testing {

/// Where a child's stdout or stderr goes.
struct OutputSink {
  enum class Kind { kCapture, kFile, kInherit, kDiscard };
  Kind kind = Kind::kCapture;
  std::string path{};  // kFile: truncated and written

  static OutputSink capture() { return {}; }
  static OutputSink file(std::string path) {
    return {.kind = Kind::kFile, .path = std::move(path)};
  }
  static OutputSink inherit() { return {.kind = Kind::kInherit}; }
  static OutputSink discard() { return {.kind = Kind::kDiscard}; }
};

struct ChildOptions {
  std::vector<std::string> env;        // "NAME=value", added to (or replacing in) the parent's
  std::vector<std::string> unset_env;  // names removed from the inherited environment
  std::string working_dir;             // empty: the parent's
  OutputSink out = OutputSink::capture();
  OutputSink err = OutputSink::capture();
};

class ChildProcess {
 public:
  using Clock = std::chrono::steady_clock;

  /// Start `binary` (a path; searched in PATH when it has no '/') with
  /// `args` (argv[1..]). Throws std::runtime_error when it cannot be started.
  ChildProcess(std::string binary, std::vector<std::string> args, ChildOptions options = {});
  /// SIGKILL to the whole process group; reap the child when still running.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();

  /// Wait for the exit: the exit code, or 128 + signal number when killed by
  /// a signal (as a shell reports it); nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);

  /// Send `sig` to the child only (no-op once reaped).
  void signal(int sig);

  /// SIGTERM to the child, wait up to `grace`, then SIGKILL to its whole group;
  /// returns the exit status as wait() does.
  int terminate(std::chrono::milliseconds grace = std::chrono::seconds(10));

  /// Everything captured so far (kCapture sinks only).
  std::string stdout_text() const;
  std::string stderr_text() const;

  /// Wait until a captured stdout line contains `needle`; returns that line
  /// (without the newline), or nullopt on timeout or when the child exits first.
  std::optional<std::string> wait_for_stdout_line(std::string_view needle,
                                                  std::chrono::milliseconds timeout);
  /// The same for stderr.
  std::optional<std::string> wait_for_stderr_line(std::string_view needle,
                                                  std::chrono::milliseconds timeout);

  /// Wait until every captured stream has reached end-of-file (all output
  /// of an exited child is then in stdout_text()/stderr_text()).
  bool wait_output_closed(std::chrono::milliseconds timeout);

  /// Exit status once reaped.
  std::optional<int> exit_status() const { return status_; }

 private:
  struct Capture {
    mutable std::mutex mu;
    std::condition_variable cv;
    std::string text;
    bool closed = false;
    std::thread reader;
  };

  void start_reader(Capture& cap, int fd);
  std::optional<std::string> wait_for_line(Capture& cap, std::string_view needle,
                                           std::chrono::milliseconds timeout);
  bool reap(bool block);

  std::string binary_;
  pid_t pid_ = -1;
  std::optional<int> status_;
  Capture out_;
  Capture err_;
};

}  // namespace psd::testing
