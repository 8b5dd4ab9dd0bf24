#include "ctl/backup.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

#include "ctl/client.hpp"
#include "ctl/exit.hpp"
#include "daemon/state/backup.hpp"

namespace psd::ctl {
namespace {

namespace fs = std::filesystem;

using core::failure;
using core::FailureKind;

tl::unexpected<core::Failure> failed(const std::string& what) {
  return failure(FailureKind::fatal, what + ": " + std::strerror(errno));
}

/// The temporary file the copy is written to: beside the target (so the
/// rename is atomic), hidden, and 0600 from its creation (mkstemp). Removed
/// unless committed.
class TempFile {
 public:
  static tl::expected<TempFile, core::Failure> create(const fs::path& target) {
    std::string pattern =
        (target.parent_path() / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) return failed("cannot create a file in " + target.parent_path().string());
    return TempFile(fd, pattern);
  }
  TempFile(TempFile&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)), path_(std::exchange(other.path_, {})) {}
  TempFile& operator=(TempFile&&) = delete;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }

  int fd() const { return fd_; }
  const fs::path& path() const { return path_; }

  /// fsync, rename over `target`, fsync the folder: the backup is whole or absent.
  tl::expected<void, core::Failure> commit(const fs::path& target) {
    if (::fsync(fd_) != 0) return failed("fsync " + path_.string());
    ::close(fd_);
    fd_ = -1;
    if (::rename(path_.c_str(), target.c_str()) != 0) {
      return failed("rename " + path_.string() + " to " + target.string());
    }
    path_.clear();
    const int dir = ::open(target.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
      ::fsync(dir);
      ::close(dir);
    }
    return {};
  }

 private:
  TempFile(int fd, fs::path path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  fs::path path_;
};

/// Ask the daemon to write the copy into `temp`; false when it is not running.
tl::expected<bool, core::Failure> backup_through_daemon(const fs::path& socket,
                                                        const TempFile& temp) {
  auto client = ControlClient::connect(socket);
  if (!client) {
    if (exit_code(client.error().kind) == kNotRunning) return false;
    return tl::unexpected(std::move(client.error()));
  }
  rapidjson::Document args(rapidjson::kObjectType);
  // No timeout: a large state.db takes as long as it takes; the daemon answers.
  const Message reply = client->request("backup", args, std::nullopt, temp.fd());
  if (!reply) return tl::unexpected(reply.error());
  const auto code = result_code(*reply);
  if (!code) return tl::unexpected(code.error());
  if (*code != 0) {
    const auto error = reply->FindMember("error");
    return failure(refusal_kind(*code), std::string("the daemon's backup failed: ") +
                                            (error != reply->MemberEnd() && error->value.IsString()
                                                 ? error->value.GetString()
                                                 : "no reason given"));
  }
  return true;
}

/// Write the backup into `target`; say how it was made.
tl::expected<std::string, core::Failure> write_backup(const Options& options,
                                                      const fs::path& socket,
                                                      const fs::path& target) {
  auto temp = TempFile::create(target);
  if (!temp) return tl::unexpected(std::move(temp.error()));
  const auto by_daemon = backup_through_daemon(socket, *temp);
  if (!by_daemon) return tl::unexpected(by_daemon.error());
  std::string how = "by portal-syncd";
  if (!*by_daemon) {
    const auto database = state_db_path(options);
    if (!database) return tl::unexpected(database.error());
    // SQLite's errors are thrown (state/backup.hpp): main reports them.
    state::snapshot_database(*database, temp->path());
    how = "from " + database->string() + " (portal-syncd is not running)";
  }
  // Checked here too: what arrived is what the daemon checked.
  const state::BackupInfo info = state::check_backup(temp->path());
  if (auto committed = temp->commit(target); !committed) {
    return tl::unexpected(std::move(committed.error()));
  }
  return fmt::format("backup written to {} {}: schema {}, {} bytes, integrity_check ok\n",
                     target.string(), how, info.schema_version, info.bytes);
}

}  // namespace

int run_backup(const Options& options, const fs::path& socket) {
  const fs::path target = fs::absolute(options.backup_file).lexically_normal();
  const auto written = write_backup(options, socket, target);
  if (!written) {
    std::fprintf(stderr, "portal-syncctl: backup: %s\n", written.error().message.c_str());
    return exit_code(written.error().kind);
  }
  std::fputs(written->c_str(), stdout);
  return kOk;
}

}  // namespace psd::ctl
