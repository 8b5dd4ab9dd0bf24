#include "ctl/backup.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include "ctl/client.hpp"
#include "daemon/state/backup.hpp"

namespace psd::ctl {
namespace {

namespace fs = std::filesystem;

std::string errno_text() { return std::strerror(errno); }

/// The temporary file the copy is written to: beside `target` (so the rename
/// is atomic), hidden, and 0600 from its creation (mkstemp).
struct TempFile {
  explicit TempFile(const fs::path& target) {
    std::string pattern =
        (target.parent_path() / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    fd = ::mkstemp(pattern.data());
    if (fd < 0) {
      throw std::runtime_error("cannot create a file in " + target.parent_path().string() + ": " +
                               errno_text());
    }
    path = pattern;
  }
  ~TempFile() {
    if (fd >= 0) ::close(fd);
    if (!path.empty()) ::unlink(path.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  /// fsync, rename over `target`, fsync the folder: the backup is whole or absent.
  void commit(const fs::path& target) {
    if (::fsync(fd) != 0) throw std::runtime_error("fsync " + path.string() + ": " + errno_text());
    ::close(fd);
    fd = -1;
    if (::rename(path.c_str(), target.c_str()) != 0) {
      throw std::runtime_error("rename " + path.string() + " to " + target.string() + ": " +
                               errno_text());
    }
    path.clear();
    const int dir = ::open(target.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
      ::fsync(dir);
      ::close(dir);
    }
  }

  int fd = -1;
  fs::path path;
};

/// Ask the daemon to write the copy into `temp`; false when it is not running.
bool backup_through_daemon(const fs::path& socket, const TempFile& temp) {
  std::optional<ControlClient> client;
  try {
    client.emplace(socket);
  } catch (const ClientError& error) {
    if (error.exit_code() == kNotRunning) return false;
    throw;
  }
  rapidjson::Document args(rapidjson::kObjectType);
  // No timeout: a large state.db takes as long as it takes; the daemon answers.
  const rapidjson::Document reply = client->request("backup", args, std::nullopt, temp.fd);
  const auto code = reply.FindMember("code");
  if (code == reply.MemberEnd() || !code->value.IsInt()) {
    throw ClientError("the daemon's reply has no result code", kProtocol);
  }
  if (code->value.GetInt() != 0) {
    const auto error = reply.FindMember("error");
    throw ClientError(
        std::string("the daemon's backup failed: ") +
            (error != reply.MemberEnd() && error->value.IsString() ? error->value.GetString()
                                                                   : "no reason given"),
        code->value.GetInt() == 6 ? kNoAccess : kCommandFailed);
  }
  return true;
}

}  // namespace

int run_backup(const Options& options, const fs::path& socket) {
  const fs::path target = fs::absolute(options.backup_file).lexically_normal();
  try {
    TempFile temp(target);
    std::string how = "by portal-syncd";
    if (!backup_through_daemon(socket, temp)) {
      const auto database = state_db_path(options);
      if (!database) {
        std::fprintf(stderr, "portal-syncctl: %s\n", database.error().message.c_str());
        return kUsage;
      }
      const fs::path& source = *database;
      state::snapshot_database(source, temp.path);
      how = "from " + source.string() + " (portal-syncd is not running)";
    }
    // Checked here too: what arrived is what the daemon checked.
    const state::BackupInfo info = state::check_backup(temp.path);
    temp.commit(target);
    std::printf("backup written to %s %s: schema %d, %llu bytes, integrity_check ok\n",
                target.c_str(), how.c_str(), info.schema_version,
                static_cast<unsigned long long>(info.bytes));
    return kOk;
  } catch (const ClientError& error) {
    std::fprintf(stderr, "portal-syncctl: backup: %s\n", error.what());
    return error.exit_code();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "portal-syncctl: backup: %s\n", error.what());
    return kCommandFailed;
  }
}

}  // namespace psd::ctl
