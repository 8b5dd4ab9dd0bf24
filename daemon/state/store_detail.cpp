#include "daemon/state/store_detail.hpp"

#include <limits>
#include <stdexcept>
#include <string>

#include "daemon/core/enum_names.hpp"

namespace psd::state::detail {
namespace {

constexpr auto kOpKindNames = core::enum_names<OpKind::remove>("put", "remove");

}  // namespace

void fail(const std::filesystem::path& path, std::string_view action, std::string_view detail) {
  std::string message = "state store ";
  message += path.string();
  message += ": ";
  message += action;
  message += ": ";
  message += detail;
  throw std::runtime_error(message);
}

std::int64_t to_sql_int(std::uint64_t value, const std::filesystem::path& path) {
  if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    fail(path, "store integer", std::to_string(value) + " does not fit in SQLite");
  }
  return static_cast<std::int64_t>(value);
}

std::uint64_t to_unsigned(const SQLite::Column& column, const std::filesystem::path& path) {
  const std::int64_t value = column.getInt64();
  if (value < 0) {
    fail(path, "read integer", std::string("negative value in column ") + column.getName());
  }
  return static_cast<std::uint64_t>(value);
}

std::string_view to_text(OpKind kind) { return kOpKindNames(kind); }

OpKind parse_op_kind(std::string_view text, const std::filesystem::path& path) {
  if (const auto kind = kOpKindNames.parse(text)) return *kind;
  fail(path, "read outbox", "unknown op kind '" + std::string(text) + "'");
}

}  // namespace psd::state::detail
