#include "daemon/core/failure.hpp"

#include "daemon/core/enum_names.hpp"

namespace psd::core {
namespace {

constexpr auto kKindNames =
    enum_names<FailureKind::fatal>("transient", "rate_limited", "unauthorized", "forbidden",
                                   "bad_response", "torn", "rejected", "invalid", "fatal");

}  // namespace

std::string_view to_string(FailureKind kind) { return kKindNames(kind); }

}  // namespace psd::core
