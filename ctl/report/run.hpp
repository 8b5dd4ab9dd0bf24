#pragma once
// portal-syncctl report: read state.db read-only and write the report.

#include "ctl/options.hpp"

namespace psd::ctl::report {

/// Run the report command; return portal-syncctl's exit code. Errors are
/// printed on stderr, naming the file.
int run_report(const Options& options);

}  // namespace psd::ctl::report
