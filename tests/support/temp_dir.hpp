#pragma once
// A fresh directory for one test, removed with everything in it at the end.

#include <string>
#include <string_view>

namespace psd::testing {

class TempDir {
 public:
  /// Create $TMPDIR/psd-XXXXXX (or /tmp/...). The path is kept short so that
  /// unix socket paths under it fit in sun_path.
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  /// path() + "/" + name (nothing is created).
  std::string file(std::string_view name) const;
  /// Write `content` to file(name), creating parent directories; returns the path.
  std::string write(std::string_view name, std::string_view content, int mode = 0600) const;
  /// The content of file(name); throws when it cannot be read.
  std::string read(std::string_view name) const;
  /// A unix socket file at file(name) that nobody listens on, as a daemon
  /// killed with SIGKILL leaves it; returns the path. Throws when it cannot be made.
  std::string stale_socket(std::string_view name) const;
  /// Keep the directory after the test (for debugging a failure).
  void keep() { keep_ = true; }

 private:
  std::string path_;
  bool keep_ = false;
};

}  // namespace psd::testing
