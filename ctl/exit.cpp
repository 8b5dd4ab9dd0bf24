#include "ctl/exit.hpp"

namespace psd::ctl {

Exit exit_code(core::FailureKind kind) {
  switch (kind) {
    case core::FailureKind::invalid:
      return kUsage;
    case core::FailureKind::transient:
      return kNotRunning;
    case core::FailureKind::forbidden:
    case core::FailureKind::unauthorized:
      return kNoAccess;
    case core::FailureKind::rejected:
    case core::FailureKind::fatal:
      return kCommandFailed;
    case core::FailureKind::rate_limited:
    case core::FailureKind::bad_response:
    case core::FailureKind::torn:
      return kProtocol;
  }
  return kCommandFailed;
}

}  // namespace psd::ctl
