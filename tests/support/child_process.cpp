#include "tests/support/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace psd::testing {
namespace {

std::string env_name(const std::string& entry) { return entry.substr(0, entry.find('=')); }

// Resolve a bare name through PATH before fork: execve needs a path, and the
// child may only make async-signal-safe calls.
std::string resolve(const std::string& binary) {
  if (binary.find('/') != std::string::npos) {
    return binary;
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  std::size_t pos = 0;
  while (pos <= dirs.size()) {
    auto end = dirs.find(':', pos);
    if (end == std::string::npos) {
      end = dirs.size();
    }
    std::string candidate = dirs.substr(pos, end - pos);
    if (candidate.empty()) {
      candidate = ".";
    }
    candidate += "/";
    candidate += binary;
    if (::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    pos = end + 1;
  }
  return binary;
}

// The descriptor the child's stream is redirected to, or -1 to inherit.
// For kCapture, `read_end` receives the parent's end of the pipe.
int open_sink(const OutputSink& sink, int& read_end) {
  read_end = -1;
  switch (sink.kind) {
    case OutputSink::Kind::kCapture: {
      int fds[2];
      if (::pipe2(fds, O_CLOEXEC) != 0) {
        throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
      }
      read_end = fds[0];
      return fds[1];
    }
    case OutputSink::Kind::kFile: {
      const int fd = ::open(sink.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd < 0) {
        throw std::runtime_error("cannot open " + sink.path + ": " + std::strerror(errno));
      }
      return fd;
    }
    case OutputSink::Kind::kDiscard:
      return ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    case OutputSink::Kind::kInherit:
      return -1;
  }
  return -1;
}

}  // namespace

ChildProcess::ChildProcess(std::string binary, std::vector<std::string> args, ChildOptions options)
    : binary_(std::move(binary)) {
  // Everything the child needs is built before fork().
  const std::string path = resolve(binary_);
  std::vector<std::string> argv_store;
  argv_store.push_back(binary_);
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(argv_store.size() + 1);
  for (auto& a : argv_store) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);

  std::vector<std::string> env_store;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const std::string name = env_name(entry);
    bool drop = false;
    for (const auto& u : options.unset_env) {
      drop = drop || u == name;
    }
    for (const auto& add : options.env) {
      drop = drop || env_name(add) == name;
    }
    if (!drop) {
      env_store.push_back(entry);
    }
  }
  env_store.insert(env_store.end(), options.env.begin(), options.env.end());
  std::vector<char*> envp;
  envp.reserve(env_store.size() + 1);
  for (auto& e : env_store) {
    envp.push_back(e.data());
  }
  envp.push_back(nullptr);

  int out_read = -1;
  int err_read = -1;
  const int out_fd = open_sink(options.out, out_read);
  const int err_fd = open_sink(options.err, err_read);
  const int null_in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  int exec_pipe[2];
  if (::pipe2(exec_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
  }
  const char* dir = options.working_dir.empty() ? nullptr : options.working_dir.c_str();

  pid_ = ::fork();
  if (pid_ == 0) {
    // Child: async-signal-safe calls only. Its own process group lets the
    // destructor kill what it started too (a shell's children, say).
    ::setpgid(0, 0);
    ::dup2(null_in, 0);
    if (out_fd >= 0) {
      ::dup2(out_fd, 1);
    }
    if (err_fd >= 0) {
      ::dup2(err_fd, 2);
    }
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);  // gtest threads may block signals
    ::signal(SIGPIPE, SIG_DFL);
    int err = 0;
    if (dir != nullptr && ::chdir(dir) != 0) {
      err = errno;
    } else {
      ::execve(path.c_str(), argv.data(), envp.data());
      err = errno;
    }
    [[maybe_unused]] const auto n = ::write(exec_pipe[1], &err, sizeof err);
    ::_exit(127);
  }
  const int fork_errno = errno;
  if (pid_ > 0) {
    ::setpgid(pid_, pid_);  // also here, so that it holds before either side goes on
  }
  for (const int fd : {out_fd, err_fd, null_in, exec_pipe[1]}) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
  if (pid_ < 0) {
    ::close(exec_pipe[0]);
    throw std::runtime_error("fork: " + std::string(std::strerror(fork_errno)));
  }
  // The exec pipe closes on a successful exec; otherwise it carries errno.
  int child_errno = 0;
  ssize_t got = 0;
  do {
    got = ::read(exec_pipe[0], &child_errno, sizeof child_errno);
  } while (got < 0 && errno == EINTR);
  ::close(exec_pipe[0]);
  if (got == static_cast<ssize_t>(sizeof child_errno)) {
    reap(true);
    for (const int fd : {out_read, err_read}) {
      if (fd >= 0) {
        ::close(fd);
      }
    }
    throw std::runtime_error("cannot start " + binary_ + ": " + std::strerror(child_errno));
  }
  if (out_read >= 0) {
    start_reader(out_, out_read);
  } else {
    out_.closed = true;
  }
  if (err_read >= 0) {
    start_reader(err_, err_read);
  } else {
    err_.closed = true;
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    // The whole group: the child and anything it started that is still there.
    ::kill(-pid_, SIGKILL);
    if (!status_) {
      ::kill(pid_, SIGKILL);
      reap(true);
    }
  }
  for (Capture* cap : {&out_, &err_}) {
    if (cap->reader.joinable()) {
      {
        // A grandchild may still hold the pipe open: drain briefly, then give up.
        std::unique_lock lock(cap->mu);
        cap->cv.wait_for(lock, std::chrono::seconds(1), [&] { return cap->closed; });
        cap->closed = true;
      }
      cap->reader.join();
    }
  }
}

void ChildProcess::start_reader(Capture& cap, int fd) {
  cap.reader = std::thread([&cap, fd] {
    char buf[4096];
    for (;;) {
      {
        std::lock_guard lock(cap.mu);
        if (cap.closed) {
          break;
        }
      }
      pollfd p{fd, POLLIN, 0};
      const int ready = ::poll(&p, 1, 100);
      if (ready < 0 && errno == EINTR) {
        continue;
      }
      if (ready <= 0) {
        continue;
      }
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      std::lock_guard lock(cap.mu);
      if (n <= 0) {
        cap.closed = true;
      } else {
        cap.text.append(buf, static_cast<std::size_t>(n));
      }
      cap.cv.notify_all();
    }
    ::close(fd);
  });
}

bool ChildProcess::reap(bool block) {
  if (status_) {
    return true;
  }
  int st = 0;
  pid_t r = 0;
  do {
    r = ::waitpid(pid_, &st, block ? 0 : WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == pid_) {
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return true;
  }
  return false;
}

bool ChildProcess::running() { return !reap(false); }

std::optional<int> ChildProcess::wait(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!reap(false)) {
    if (Clock::now() >= deadline) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return status_;
}

void ChildProcess::signal(int sig) {
  if (!status_ && pid_ > 0) {
    ::kill(pid_, sig);
  }
}

int ChildProcess::terminate(std::chrono::milliseconds grace) {
  signal(SIGTERM);
  if (auto st = wait(grace)) {
    return *st;
  }
  if (!status_) {
    ::kill(-pid_, SIGKILL);
    reap(true);
  }
  return *status_;
}

bool ChildProcess::wait_output_closed(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (Capture* cap : {&out_, &err_}) {
    std::unique_lock lock(cap->mu);
    if (!cap->cv.wait_until(lock, deadline, [&] { return cap->closed; })) {
      return false;
    }
  }
  return true;
}

std::string ChildProcess::stdout_text() const {
  std::lock_guard lock(out_.mu);
  return out_.text;
}

std::string ChildProcess::stderr_text() const {
  std::lock_guard lock(err_.mu);
  return err_.text;
}

std::optional<std::string> ChildProcess::wait_for_line(Capture& cap, std::string_view needle,
                                                       std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::unique_lock lock(cap.mu);
  for (;;) {
    std::size_t start = 0;
    for (;;) {
      const auto nl = cap.text.find('\n', start);
      // A last line without a newline counts only once the stream has ended.
      if (nl == std::string::npos && !cap.closed) {
        break;
      }
      const std::string line =
          cap.text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      if (line.find(needle) != std::string::npos) {
        return line;
      }
      if (nl == std::string::npos) {
        break;
      }
      start = nl + 1;
    }
    if (cap.closed) {
      return std::nullopt;
    }
    if (cap.cv.wait_until(lock, deadline) == std::cv_status::timeout && Clock::now() >= deadline) {
      return std::nullopt;
    }
  }
}

std::optional<std::string> ChildProcess::wait_for_stdout_line(std::string_view needle,
                                                              std::chrono::milliseconds timeout) {
  return wait_for_line(out_, needle, timeout);
}

std::optional<std::string> ChildProcess::wait_for_stderr_line(std::string_view needle,
                                                              std::chrono::milliseconds timeout) {
  return wait_for_line(err_, needle, timeout);
}

}  // namespace psd::testing
