#pragma once
// Typed reading of one TOML table that records every problem with the file,
// its dotted key and its line, instead of stopping at the first one.

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.hpp"

namespace psd::config::detail {

/// Return the TOML document `text`; throw ConfigError naming `source`, the
/// line and the column of a syntax error.
toml::table parse_toml(std::string_view text, const std::string& source);

/// The problems found in one file; the earliest one is reported.
class Problems {
 public:
  /// Collect problems of the file named `file` in messages.
  explicit Problems(std::string file);

  /// Record that `key` (dotted) at `line` (0: not in the file) is wrong.
  void add(int line, std::string key, std::string message);

  /// Record that `key` (dotted) at `line` is not a key of the schema.
  void add_unknown(int line, std::string key);

  /// Record that `key` (dotted) is a key of the schema, for hints.
  void know(std::string key);

  /// Throw ConfigError for the problem on the earliest line, missing keys
  /// last, so the operator fixes the file top to bottom. Do nothing if none.
  void throw_first() const;

  bool empty() const { return problems_.empty(); }

 private:
  struct Problem {
    int line;
    std::string key;
    std::string message;
    bool unknown;
  };
  // Suggest what an unknown key may have been meant as, or "".
  std::string hint(const std::string& unknown) const;

  std::string file_;
  std::vector<Problem> problems_;
  std::set<std::string, std::less<>> known_;
};

/// Reads the keys of one table. Every key asked for becomes known; finish()
/// reports the rest as unknown, so the schema is written down only once.
class TableReader {
 public:
  /// Read `table` (null when absent from the file), whose dotted name is
  /// `prefix` ("" for the top level).
  TableReader(const toml::table* table, std::string prefix, Problems& problems);

  /// Return a reader for the sub-table `key`; a missing one reads as empty.
  TableReader table(std::string_view key);

  /// Read a string without control characters.
  std::optional<std::string> string(std::string_view key, bool required = false);

  /// Read an integer from `min` to `max`.
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max);

  /// Read a number (integer or float) greater than 0 and at most `max`.
  std::optional<double> positive_number(std::string_view key, double max);

  /// Read a number (integer or float) from 0 to 1.
  std::optional<double> fraction(std::string_view key);

  /// Read true or false.
  std::optional<bool> boolean(std::string_view key);

  /// Read an array of strings and integers, each as text ("0" for 0).
  std::optional<std::vector<std::string>> text_array(std::string_view key);

  /// One entry of a table of strings, with the line it is on.
  struct Entry {
    std::string key;
    std::string value;
    int line = 0;
  };
  /// Read a table (inline or not) whose values are all strings.
  std::optional<std::vector<Entry>> string_map(std::string_view key);

  /// Read a duration string ("30s") greater than zero and at most `max`.
  std::optional<Duration> duration(std::string_view key, Duration max);

  /// Return the line of `key`'s value, 0 when it is not in the file.
  int line(std::string_view key) const;

  /// Return the dotted name of `key`, e.g. "national.client_id".
  std::string name(std::string_view key) const;

  /// Record a problem with `key` at its line.
  void fail(std::string_view key, std::string message);

  /// Record a problem with `entry` of the table `key` (see string_map).
  void fail_entry(std::string_view key, const Entry& entry, std::string message);

  /// Record every key of the table that was never asked for as unknown.
  void finish();

 private:
  const toml::node* get(std::string_view key, bool required);

  /// Return `key`'s value as `convert` reads it (nothing when the key is
  /// absent); record "must be `expected`, got ..." when `convert` returns nothing.
  template <typename Convert>
  auto read(std::string_view key, bool required, std::string_view expected, Convert convert)
      -> decltype(convert(std::declval<const toml::node&>()));

  const toml::table* table_;
  std::string prefix_;
  Problems* problems_;
  std::set<std::string, std::less<>> known_;
};

}  // namespace psd::config::detail
