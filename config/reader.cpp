#include "config/reader.hpp"

#include <algorithm>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "config/checks.hpp"

namespace psd::config::detail {
namespace {

int line_of(const toml::source_region& source) { return static_cast<int>(source.begin.line); }

// Show a wrong value the way the operator wrote it.
std::string describe(const toml::node& node) {
  if (const auto* s = node.as_string()) {
    return quote(s->get());
  }
  if (node.is_table()) {
    return "a table";
  }
  if (node.is_array()) {
    return "an array";
  }
  std::ostringstream out;
  node.visit([&out](const auto& value) {
    if constexpr (toml::is_value<decltype(value)>) {
      out << value;
    }
  });
  return out.str();
}

// Levenshtein distance, to suggest the key the operator probably meant.
std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// TOML writes 20 as an integer and 20.5 as a float; both are numbers here.
std::optional<double> as_number(const toml::node& node) {
  if (const auto* i = node.as_integer()) {
    return static_cast<double>(i->get());
  }
  if (const auto* f = node.as_floating_point()) {
    return f->get();
  }
  return std::nullopt;
}

}  // namespace

toml::table parse_toml(std::string_view text, const std::string& source) {
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& error) {
    const auto& where = error.source().begin;
    const int line = static_cast<int>(where.line);
    throw ConfigError(source + ":" + std::to_string(line) + ": TOML syntax error at column " +
                          std::to_string(where.column) + ": " + std::string(error.description()),
                      "", line);
  }
}

Problems::Problems(std::string file) : file_(std::move(file)) {}

void Problems::add(int line, std::string key, std::string message) {
  problems_.push_back({line, std::move(key), std::move(message), false});
}

void Problems::add_unknown(int line, std::string key) {
  problems_.push_back({line, std::move(key), "unknown key", true});
}

void Problems::know(std::string key) { known_.insert(std::move(key)); }

std::string Problems::hint(const std::string& unknown) const {
  const auto split = [](std::string_view dotted) {
    const auto dot = dotted.rfind('.');
    if (dot == std::string_view::npos) {
      return std::pair(std::string_view(), dotted);
    }
    return std::pair(dotted.substr(0, dot), dotted.substr(dot + 1));
  };
  const auto [table, leaf] = split(unknown);
  std::string_view closest;
  std::size_t closest_distance = 3;  // further than 2 edits is no longer a typo
  std::string_view elsewhere;
  bool found_elsewhere = false;
  for (const auto& known : known_) {
    const auto [known_table, known_leaf] = split(known);
    if (known_table == table) {
      const auto d = distance(leaf, known_leaf);
      if (d < closest_distance) {
        closest_distance = d;
        closest = known_leaf;
      }
    } else if (known_leaf == leaf && !found_elsewhere) {
      found_elsewhere = true;
      elsewhere = known_table;
    }
  }
  if (!closest.empty()) {
    return " (did you mean " + std::string(closest) + "?)";
  }
  // A TOML key belongs to the last [table] above it: a classic slip.
  if (found_elsewhere && elsewhere.empty()) {
    return " (it is a top-level key: write it above the first [table])";
  }
  if (found_elsewhere) {
    return " (it belongs in [" + std::string(elsewhere) + "])";
  }
  return "";
}

void Problems::throw_first() const {
  if (problems_.empty()) {
    return;
  }
  const auto order = [](const Problem& p) {
    return p.line > 0 ? p.line : std::numeric_limits<int>::max();
  };
  const auto first = std::min_element(
      problems_.begin(), problems_.end(),
      [&order](const Problem& a, const Problem& b) { return order(a) < order(b); });
  const std::string where = first->line > 0 ? file_ + ":" + std::to_string(first->line) : file_;
  const std::string message = first->unknown ? first->message + hint(first->key) : first->message;
  throw ConfigError(where + ": " + first->key + ": " + message, first->key, first->line);
}

TableReader::TableReader(const toml::table* table, std::string prefix, Problems& problems)
    : table_(table), prefix_(std::move(prefix)), problems_(&problems) {}

std::string TableReader::name(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

int TableReader::line(std::string_view key) const {
  const toml::node* node = table_ != nullptr ? table_->get(key) : nullptr;
  return node != nullptr ? line_of(node->source()) : 0;
}

void TableReader::fail(std::string_view key, std::string message) {
  problems_->add(line(key), name(key), std::move(message));
}

void TableReader::fail_entry(std::string_view key, const Entry& entry, std::string message) {
  problems_->add(entry.line, name(key) + "." + quote(entry.key), std::move(message));
}

const toml::node* TableReader::get(std::string_view key, bool required) {
  known_.emplace(key);
  problems_->know(name(key));
  const toml::node* node = table_ != nullptr ? table_->get(key) : nullptr;
  if (node == nullptr && required) {
    fail(key, "required key is missing");
  }
  return node;
}

TableReader TableReader::table(std::string_view key) {
  // Known, but not offered as a hint: "write it above the first [table]"
  // is wrong advice for a table.
  known_.emplace(key);
  const toml::node* node = table_ != nullptr ? table_->get(key) : nullptr;
  if (node != nullptr && !node->is_table()) {
    fail(key, "must be a table ([" + name(key) + "]), got " + describe(*node));
  }
  return TableReader(node != nullptr ? node->as_table() : nullptr, name(key), *problems_);
}

template <typename Convert>
auto TableReader::read(std::string_view key, bool required, std::string_view expected,
                       Convert convert) -> decltype(convert(std::declval<const toml::node&>())) {
  const toml::node* node = get(key, required);
  if (node == nullptr) {
    return std::nullopt;
  }
  auto value = convert(*node);
  if (!value) {
    fail(key, "must be " + std::string(expected) + ", got " + describe(*node));
  }
  return value;
}

std::optional<std::string> TableReader::string(std::string_view key, bool required) {
  auto text = read(key, required, "a string",
                   [](const toml::node& node) { return node.value_exact<std::string>(); });
  const bool control = text && std::any_of(text->begin(), text->end(), [](char c) {
                         return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
                       });
  if (control) {
    fail(key, "must not contain control characters, got " + quote(*text));
    return std::nullopt;
  }
  return text;
}

std::optional<std::int64_t> TableReader::integer(std::string_view key, std::int64_t min,
                                                 std::int64_t max) {
  return read(key, false, "an integer from " + std::to_string(min) + " to " + std::to_string(max),
              [&](const toml::node& node) -> std::optional<std::int64_t> {
                const auto value = node.value_exact<std::int64_t>();
                if (!value || *value < min || *value > max) return std::nullopt;
                return value;
              });
}

std::optional<double> TableReader::positive_number(std::string_view key, double max) {
  std::ostringstream limit;
  limit << max;
  return read(key, false, "a number greater than 0 and at most " + limit.str(),
              [&](const toml::node& node) -> std::optional<double> {
                const auto value = as_number(node);
                // Written so that NaN fails too.
                if (!value || !(*value > 0 && *value <= max)) return std::nullopt;
                return value;
              });
}

std::optional<double> TableReader::fraction(std::string_view key) {
  return read(key, false, "a number from 0 to 1 (0.05 is 5%)",
              [](const toml::node& node) -> std::optional<double> {
                const auto value = as_number(node);
                if (!value || !(*value >= 0 && *value <= 1)) return std::nullopt;
                return value;
              });
}

std::optional<bool> TableReader::boolean(std::string_view key) {
  return read(key, false, "true or false",
              [](const toml::node& node) { return node.value_exact<bool>(); });
}

std::optional<std::vector<std::string>> TableReader::text_array(std::string_view key) {
  return read(key, false, "an array of strings or integers",
              [](const toml::node& node) -> std::optional<std::vector<std::string>> {
                const auto* array = node.as_array();
                if (array == nullptr) return std::nullopt;
                std::vector<std::string> texts;
                for (const toml::node& item : *array) {
                  if (const auto* s = item.as_string()) {
                    texts.push_back(s->get());
                  } else if (const auto* i = item.as_integer()) {
                    texts.push_back(std::to_string(i->get()));
                  } else {
                    return std::nullopt;
                  }
                }
                return texts;
              });
}

std::optional<std::vector<TableReader::Entry>> TableReader::string_map(std::string_view key) {
  const auto table = read(key, false, "a table of strings such as { \"4\" = \"full\" }",
                          [](const toml::node& node) -> std::optional<const toml::table*> {
                            if (!node.is_table()) return std::nullopt;
                            return node.as_table();
                          });
  if (!table) {
    return std::nullopt;
  }
  std::vector<Entry> entries;
  bool ok = true;
  for (const auto& [name, value] : **table) {
    const auto* text = value.as_string();
    if (text == nullptr) {
      problems_->add(line_of(value.source()), this->name(key) + "." + quote(name.str()),
                     "must be a string, got " + describe(value));
      ok = false;
      continue;
    }
    entries.push_back({std::string(name.str()), text->get(), line_of(value.source())});
  }
  if (!ok) {
    return std::nullopt;
  }
  return entries;
}

std::optional<Duration> TableReader::duration(std::string_view key, Duration max) {
  const auto text = read(key, false, "a duration string such as \"30s\"",
                         [](const toml::node& node) { return node.value_exact<std::string>(); });
  if (!text) {
    return std::nullopt;
  }
  const auto parsed = parse_duration(*text);
  const std::string_view unsigned_text =
      text->starts_with('-') ? std::string_view(*text).substr(1) : std::string_view(*text);
  if (!parsed && !has_duration_shape(unsigned_text)) {
    fail(key, quote(*text) + " is not a duration (use a number and a unit: 500ms, 30s, 5m, 24h)");
    return std::nullopt;
  }
  // Well spelt but zero, negative or too long.
  if (!parsed || *parsed > max) {
    fail(key,
         "must be greater than zero and at most " + format_duration(max) + ", got " + quote(*text));
    return std::nullopt;
  }
  return *parsed;
}

void TableReader::finish() {
  if (table_ == nullptr) {
    return;
  }
  for (const auto& [key, node] : *table_) {
    if (known_.contains(key.str())) {
      continue;
    }
    problems_->add_unknown(line_of(key.source()), name(key.str()));
  }
}

}  // namespace psd::config::detail
