#include "daemon/core/service.hpp"

#include "daemon/core/enum_names.hpp"

namespace psd::core {
namespace {

constexpr auto kLevelNames = enum_names<Level::partial>("full", "partial");
constexpr auto kAdminLevelNames =
    enum_names<AdminLevel::commune>("province", "district", "commune");
constexpr auto kStatusNames = enum_names<Status::suspended>("active", "suspended");

}  // namespace

std::string_view to_string(Level level) { return kLevelNames(level); }

std::string_view to_string(AdminLevel admin_level) { return kAdminLevelNames(admin_level); }

std::string_view to_string(Status status) { return kStatusNames(status); }

std::optional<Level> parse_level(std::string_view text) { return kLevelNames.parse(text); }

std::optional<AdminLevel> parse_admin_level(std::string_view text) {
  return kAdminLevelNames.parse(text);
}

std::optional<Status> parse_status(std::string_view text) { return kStatusNames.parse(text); }

}  // namespace psd::core
