// backup: a copy of state.db into the file passed with the request.
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/runtime/commands/handlers.hpp"
#include "daemon/runtime/daemon.hpp"

namespace psd::runtime::commands {

void Handlers::backup(Daemon& daemon, const Call& call) {
  using control::ResultCode;
  // Taken first, so that a refused backup never leaves a descriptor open (one
  // passed with another request is closed with its connection, or the next one).
  const int fd = daemon.server_->take_passed_fd(call.client);
  struct stat info {};
  const int flags = fd >= 0 ? ::fcntl(fd, F_GETFL) : -1;
  if (fd < 0) {
    return refuse(daemon, call, ResultCode::invalid_argument,
                  "backup needs the file to write passed with the request (SCM_RIGHTS), as "
                  "'portal-syncctl backup FILE' does");
  }
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) || flags < 0 ||
      (flags & O_ACCMODE) == O_RDONLY) {
    ::close(fd);
    return refuse(daemon, call, ResultCode::invalid_argument,
                  "the passed descriptor is not a regular file open for writing");
  }
  if (daemon.backup_->busy()) {
    ::close(fd);
    return refuse(daemon, call, ResultCode::refused, "a backup is already running");
  }
  const std::filesystem::path database = daemon.syncer()->state_path();
  spdlog::info("control socket: backup of {} started", database.string());
  daemon.backup_->start(database, database.parent_path(), fd, call.client, call.id);
}

}  // namespace psd::runtime::commands
