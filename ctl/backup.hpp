#pragma once
// portal-syncctl backup FILE: through the daemon when it runs, directly when
// it is stopped; either way the copy is checked and then renamed into place.

#include "ctl/options.hpp"

namespace psd::ctl {

/// Write the backup `options.backup_file`; return the exit code.
int run_backup(const Options& options, const std::filesystem::path& socket);

}  // namespace psd::ctl
