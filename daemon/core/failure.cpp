#include "daemon/core/failure.hpp"

namespace psd::core {

std::string_view to_string(FailureKind kind) {
  switch (kind) {
    case FailureKind::transient:
      return "transient";
    case FailureKind::rate_limited:
      return "rate_limited";
    case FailureKind::unauthorized:
      return "unauthorized";
    case FailureKind::forbidden:
      return "forbidden";
    case FailureKind::bad_response:
      return "bad_response";
    case FailureKind::torn:
      return "torn";
    case FailureKind::rejected:
      return "rejected";
    case FailureKind::invalid:
      return "invalid";
    case FailureKind::fatal:
      return "fatal";
  }
  return "fatal";
}

}  // namespace psd::core
