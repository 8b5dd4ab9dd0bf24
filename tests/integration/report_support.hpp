#pragma once
// Running `portal-syncctl report` in tests: the real binary, against the
// state.db of a real portal-syncd run.

#include <string>
#include <vector>

#include "tests/support/external_tool.hpp"

namespace psd::testing {

/// The two summary sentences of the seed province (issue 13), before the sync.
inline constexpr const char* kSeedBeforeEn =
    "1,126 online public services (582 full-process, 544 partial); 985/1,126 integrated and "
    "synchronised with the national public service portal: 87.48%";
inline constexpr const char* kSeedBeforeVi =
    "1.126 dịch vụ công trực tuyến (582 toàn trình, 544 một phần); 985/1.126 dịch vụ đã tích "
    "hợp, đồng bộ lên Cổng Dịch vụ công quốc gia, đạt 87,48%";

/// Run portal-syncctl with `args` in a fixed time zone and an English locale.
inline ToolResult run_report_ctl(const std::vector<std::string>& args,
                                 const std::vector<std::string>& env = {"TZ=UTC", "LANG=C.UTF-8"}) {
  ChildOptions options;
  options.env = env;
  options.unset_env = {"LC_ALL", "LC_MESSAGES"};
  return run_tool(PSD_CTL_BINARY, args, "", options);
}

}  // namespace psd::testing
