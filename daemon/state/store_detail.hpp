#pragma once
// Helpers shared by the state store's source files; not part of its interface.

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Exception.h>

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <utility>

#include "daemon/state/state_store.hpp"

namespace psd::state::detail {

inline constexpr std::string_view kFileName = "state.db";
/// Finished cycles kept in the history (about five weeks at the default 5 min
/// poll); the last ok one is kept beyond that so that last_success_at survives.
inline constexpr int kHistoryRows = 10000;

/// Throw std::runtime_error "state store `path`: `action`: `detail`".
[[noreturn]] void fail(const std::filesystem::path& path, std::string_view action,
                       std::string_view detail);

/// Run `body` and return its result, turning an SQLite error into
/// std::runtime_error that names `path` and `action`.
template <typename Body>
decltype(auto) guarded(const std::filesystem::path& path, std::string_view action, Body&& body) {
  try {
    return std::forward<Body>(body)();
  } catch (const SQLite::Exception& e) {
    fail(path, action, e.what());
  }
}

/// Return `value` as SQLite's signed integer; throw naming `path` when it does not fit.
std::int64_t to_sql_int(std::uint64_t value, const std::filesystem::path& path);
/// Return the non-negative integer in `column`; throw naming `path` when it is negative.
std::uint64_t to_unsigned(const SQLite::Column& column, const std::filesystem::path& path);

/// Return the text stored for `kind`.
std::string_view to_text(OpKind kind);
/// Return the OpKind stored as `text`; throw naming `path` when unknown.
OpKind parse_op_kind(std::string_view text, const std::filesystem::path& path);

}  // namespace psd::state::detail
