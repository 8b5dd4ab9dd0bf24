#include "daemon/runtime/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

namespace psd::runtime {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const char* what, int error) {
  throw std::runtime_error(std::string("cannot write ") + path.string() + ": " + what + ": " +
                           std::strerror(error));
}

/// Closes a file descriptor on every path out.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  const std::filesystem::path folder =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) fail(path, "create its folder", error.value());

  std::string temp = (folder / ("." + path.filename().string() + ".XXXXXX")).string();
  Fd file(::mkstemp(temp.data()));
  if (file.get() < 0) fail(path, "create a temporary file", errno);
  // mkstemp makes 0600; monitoring reads these files, so 0644 like any report.
  ::fchmod(file.get(), 0644);
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t written = ::write(file.get(), data, left);
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) {
      const int saved = errno;
      ::unlink(temp.c_str());
      fail(path, "write", saved);
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
  if (::fsync(file.get()) != 0 || ::close(file.release()) != 0) {
    const int saved = errno;
    ::unlink(temp.c_str());
    fail(path, "fsync", saved);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(temp.c_str());
    fail(path, "rename the temporary file over it", saved);
  }
  // The rename is durable only once the folder is synced.
  Fd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());
}

}  // namespace psd::runtime
