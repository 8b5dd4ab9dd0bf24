#include "daemon/core/service.hpp"

namespace psd::core {

std::string_view to_string(Level level) { return level == Level::full ? "full" : "partial"; }

std::string_view to_string(AdminLevel admin_level) {
  switch (admin_level) {
    case AdminLevel::province:
      return "province";
    case AdminLevel::district:
      return "district";
    case AdminLevel::commune:
      return "commune";
  }
  return "province";
}

std::string_view to_string(Status status) {
  return status == Status::active ? "active" : "suspended";
}

std::optional<Level> parse_level(std::string_view text) {
  if (text == "full") return Level::full;
  if (text == "partial") return Level::partial;
  return std::nullopt;
}

std::optional<AdminLevel> parse_admin_level(std::string_view text) {
  if (text == "province") return AdminLevel::province;
  if (text == "district") return AdminLevel::district;
  if (text == "commune") return AdminLevel::commune;
  return std::nullopt;
}

std::optional<Status> parse_status(std::string_view text) {
  if (text == "active") return Status::active;
  if (text == "suspended") return Status::suspended;
  return std::nullopt;
}

}  // namespace psd::core
