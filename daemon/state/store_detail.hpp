#pragma once
// Helpers shared by the state store's source files; not part of its interface.

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <SQLiteCpp/VariadicBind.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

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

/// Run `body` in one transaction of `db` that begins as `behavior`, commit it
/// when `body` returns (it rolls back when `body` throws) and return what
/// `body` returns.
template <typename Body>
decltype(auto) in_transaction(SQLite::Database& db, SQLite::TransactionBehavior behavior,
                              Body&& body) {
  SQLite::Transaction transaction(db, behavior);
  if constexpr (std::is_void_v<std::invoke_result_t<Body&>>) {
    body();
    transaction.commit();
  } else {
    auto result = body();
    transaction.commit();
    return result;
  }
}

/// Bind `values` to `statement`'s parameters 1, 2, ... in order (SQLite::bind:
/// text is copied), execute it and reset it for its next values.
template <typename... Values>
void run(SQLite::Statement& statement, const Values&... values) {
  SQLite::bind(statement, values...);
  statement.exec();
  statement.reset();
}

/// Step `select` through its rows and return what `row` makes of each, in order.
template <typename Row>
auto rows(SQLite::Statement& select, Row&& row) {
  std::vector<std::invoke_result_t<Row&, const SQLite::Statement&>> result;
  while (select.executeStep()) result.push_back(row(std::as_const(select)));
  return result;
}

/// Return the stored name of `value` to bind as text, or nullptr when there is
/// none, which SQLite binds as NULL (sqlite3_bind_text). The names are
/// NUL-terminated literals (core::enum_names).
template <typename Enum>
const char* name_or_null(const std::optional<Enum>& value) {
  return value ? core::to_string(*value).data() : nullptr;
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

namespace psd::state {

template <typename Body>
decltype(auto) StateStore::locked(std::string_view action, Body&& body) const {
  std::lock_guard lock(*mutex_);
  return detail::guarded(path_, action, std::forward<Body>(body));
}

template <typename Body>
decltype(auto) StateStore::write_transaction(std::string_view action, Body&& body) {
  return locked(action, [&]() -> decltype(auto) {
    return detail::in_transaction(db_, SQLite::TransactionBehavior::IMMEDIATE, body);
  });
}

template <typename Body>
decltype(auto) StateStore::read_transaction(std::string_view action, Body&& body) const {
  return locked(action, [&]() -> decltype(auto) {
    return detail::in_transaction(db_, SQLite::TransactionBehavior::DEFERRED, body);
  });
}

}  // namespace psd::state
