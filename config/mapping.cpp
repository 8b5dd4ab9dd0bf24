#include "config/mapping.hpp"

#include <rapidjson/pointer.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>

#include "config/checks.hpp"
#include "config/config.hpp"
#include "config/io.hpp"
#include "config/reader.hpp"

namespace psd::config {
namespace {

using detail::TableReader;

constexpr std::size_t kMaxMappingBytes = std::size_t{256} * 1024;
constexpr std::int64_t kMaxMappedPageSize = 1000;
constexpr std::uint64_t kMaxFee = 9007199254740991ULL;  // the contract's 2^53 - 1
constexpr std::int64_t kMaxProcessingDays = 3650;

constexpr std::array<std::string_view, 3> kLevels{"full", "partial", "information"};
constexpr std::array<std::string_view, 3> kAdminLevels{"province", "district", "commune"};
constexpr std::array<std::string_view, 2> kStatuses{"active", "suspended"};

template <std::size_t N>
bool one_of(std::string_view value, const std::array<std::string_view, N>& allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

template <std::size_t N>
std::string listed(const std::array<std::string_view, N>& allowed) {
  std::string out;
  for (const auto value : allowed) out += (out.empty() ? "" : ", ") + std::string(value);
  return out;
}

/// Read a JSON Pointer (RFC 6901): "" or "/a/0/b" with ~0 and ~1 escapes.
std::string read_pointer(TableReader& table, std::string_view key, bool required = false) {
  const auto read = table.string(key, required);
  if (!read) return {};
  const std::string& text = *read;
  if (text.empty()) {
    if (required) table.fail(key, "must not be empty: it is required");
    return {};
  }
  // rapidjson also takes URI fragments ("#/a"); a mapping file uses the plain form only.
  if (text.front() != '/' || !rapidjson::Pointer(text.c_str(), text.size()).IsValid()) {
    table.fail(key,
               "is not a JSON Pointer (RFC 6901: \"\" or \"/member/0/member\", ~0 for ~ "
               "and ~1 for /), got " +
                   detail::quote(text));
    return {};
  }
  return text;
}

bool is_param_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-' || c == '~' || c == '[' || c == ']';
}

/// Read a query parameter's name; `may_be_empty` for end_param/limit_param.
void read_param(TableReader& table, std::string_view key, std::string& field, bool may_be_empty) {
  const auto text = table.string(key);
  if (!text) return;
  if (text->empty() && may_be_empty) {
    field.clear();
    return;
  }
  if (text->empty() || !std::all_of(text->begin(), text->end(), is_param_char)) {
    table.fail(key, "must be a query parameter name (A-Z a-z 0-9 . _ - ~ [ ]), got " +
                        detail::quote(*text));
    return;
  }
  field = *text;
}

/// Read an enum key spelt as one of `names`; return its index.
template <std::size_t N>
std::optional<std::size_t> read_choice(TableReader& table, std::string_view key,
                                       const std::array<std::string_view, N>& names) {
  const auto text = table.string(key);
  if (!text) return std::nullopt;
  const auto at = std::find(names.begin(), names.end(), *text);
  if (at == names.end()) {
    table.fail(key, "must be one of " + listed(names) + ", got " + detail::quote(*text));
    return std::nullopt;
  }
  return static_cast<std::size_t>(at - names.begin());
}

void read_path(TableReader& table, Mapping& mapping) {
  const auto text = table.string("path");
  if (!text) return;
  const bool url_chars = std::all_of(text->begin(), text->end(), [](char c) {
    return c > ' ' && c != '#' && c != '"' && c != '<' && c != '>' && c != '\\' &&
           static_cast<unsigned char>(c) < 0x7f;
  });
  if (!text->empty() && (text->front() != '/' || !url_chars)) {
    table.fail("path", "must be \"\" or start with \"/\" and hold no space, # or quote, got " +
                           detail::quote(*text));
    return;
  }
  mapping.path = *text;
}

void read_paging(TableReader table, Paging& paging) {
  constexpr std::array<std::string_view, 3> kStyles{"page", "offset", "none"};
  if (const auto style = read_choice(table, "style", kStyles)) {
    paging.style = static_cast<PagingStyle>(*style);
  }
  read_param(table, "page_param", paging.page_param, false);
  read_param(table, "size_param", paging.size_param, false);
  if (const auto first = table.integer("first_page", 0, 1))
    paging.first_page = static_cast<int>(*first);
  read_param(table, "start_param", paging.start_param, false);
  read_param(table, "end_param", paging.end_param, true);
  // limit_param's default applies only when end_param is not the one chosen.
  if (table.line("limit_param") > 0) {
    read_param(table, "limit_param", paging.limit_param, true);
  } else {
    table.string("limit_param");  // known key
    if (!paging.end_param.empty()) paging.limit_param.clear();
  }
  if (const auto size = table.integer("size", 1, kMaxMappedPageSize)) {
    paging.size = static_cast<int>(*size);
  }
  if (paging.style == PagingStyle::offset &&
      paging.end_param.empty() == paging.limit_param.empty()) {
    table.fail(table.line("limit_param") > 0 ? "limit_param" : "end_param",
               "style \"offset\" needs exactly one of end_param and limit_param set, got " +
                   (paging.end_param.empty() ? std::string("neither")
                                             : detail::quote(paging.end_param) + " and " +
                                                   detail::quote(paging.limit_param)));
  }
  table.finish();
}

void read_envelope(TableReader table, Envelope& envelope) {
  envelope.unwrap = read_pointer(table, "unwrap");
  envelope.items = read_pointer(table, "items", true);
  envelope.total = read_pointer(table, "total");
  envelope.ok = read_pointer(table, "ok");
  if (auto values = table.text_array("ok_values")) {
    if (values->empty()) {
      table.fail("ok_values", "must not be empty: no answer could be ok");
    } else {
      envelope.ok_values = std::move(*values);
    }
  }
  envelope.message = read_pointer(table, "message");
  table.finish();
}

void read_fields(TableReader table, FieldPointers& fields) {
  for (const FieldKey& key : kFieldKeys) {
    fields.*key.member = read_pointer(table, key.key, key.presence == Presence::required);
  }
  table.finish();
}

/// Read a value map whose values must be one of `allowed`; keys are trimmed.
template <std::size_t N>
void read_value_map(TableReader& table, std::string_view key,
                    const std::array<std::string_view, N>& allowed, ValueMap& map) {
  const auto entries = table.string_map(key);
  if (!entries) return;
  for (const auto& entry : *entries) {
    if (!one_of(entry.value, allowed)) {
      table.fail_entry(key, entry,
                       "must be one of " + listed(allowed) + ", got " + detail::quote(entry.value));
      continue;
    }
    const auto first = entry.key.find_first_not_of(" \t");
    const auto last = entry.key.find_last_not_of(" \t");
    map.emplace_back(first == std::string::npos ? "" : entry.key.substr(first, last - first + 1),
                     entry.value);
  }
}

void read_values(TableReader table, ValueMaps& values) {
  read_value_map(table, "level", kLevels, values.level);
  read_value_map(table, "admin_level", kAdminLevels, values.admin_level);
  read_value_map(table, "status", kStatuses, values.status);
  constexpr std::array<std::string_view, 3> kFormats{"rfc3339", "epoch_ms", "yyyyMMddHHmmss"};
  if (const auto format = read_choice(table, "updated_at", kFormats)) {
    values.updated_at = static_cast<TimeFormat>(*format);
  }
  table.finish();
}

/// "2024-10-28T09:15:00+07:00", "...Z", with optional fractions: the shape only.
bool looks_like_rfc3339(std::string_view text) {
  const auto digits = [&](std::size_t at, std::size_t n) {
    if (at + n > text.size()) return false;
    return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(at),
                       text.begin() + static_cast<std::ptrdiff_t>(at + n),
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  if (text.size() < 20 || !digits(0, 4) || text[4] != '-' || !digits(5, 2) || text[7] != '-' ||
      !digits(8, 2) || (text[10] != 'T' && text[10] != 't') || !digits(11, 2) || text[13] != ':' ||
      !digits(14, 2) || text[16] != ':' || !digits(17, 2)) {
    return false;
  }
  std::size_t at = 19;
  if (text[at] == '.') {
    ++at;
    const std::size_t start = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
    if (at == start) return false;
  }
  const std::string_view zone = text.substr(at);
  if (zone == "Z" || zone == "z") return true;
  return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && digits(at + 1, 2) &&
         zone[3] == ':' && digits(at + 4, 2);
}

void read_defaults(TableReader table, Defaults& defaults) {
  if (const auto admin = read_choice(table, "admin_level", kAdminLevels)) {
    defaults.admin_level = kAdminLevels[*admin];
  }
  if (const auto fee = table.integer("fee_vnd", 0, static_cast<std::int64_t>(kMaxFee))) {
    defaults.fee_vnd = static_cast<std::uint64_t>(*fee);
  }
  if (const auto days = table.integer("processing_days", 0, kMaxProcessingDays)) {
    defaults.processing_days = static_cast<std::uint64_t>(*days);
  }
  if (const auto status = read_choice(table, "status", kStatuses)) {
    defaults.status = kStatuses[*status];
  }
  if (auto updated = table.string("updated_at")) {
    if (updated->empty() || looks_like_rfc3339(*updated)) {
      defaults.updated_at = *updated;
    } else {
      table.fail("updated_at",
                 "must be \"\" (the time the listing started) or an RFC 3339 "
                 "timestamp with offset, got " +
                     detail::quote(*updated));
    }
  }
  table.finish();
}

/// A name that can only be a preset's (no folder, no extension).
bool is_preset_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

}  // namespace

Mapping parse_mapping(std::string_view text, const std::string& source) {
  toml::table document = detail::parse_toml(text, source);
  Mapping mapping;
  mapping.source = source;
  detail::Problems problems(source);
  TableReader top(&document, "", problems);
  read_path(top, mapping);
  read_paging(top.table("paging"), mapping.paging);
  read_envelope(top.table("envelope"), mapping.envelope);
  read_fields(top.table("fields"), mapping.fields);
  read_values(top.table("values"), mapping.values);
  read_defaults(top.table("defaults"), mapping.defaults);
  top.finish();
  problems.throw_first();
  return mapping;
}

Mapping load_mapping(const std::string& mapping_file, const std::filesystem::path& config_dir,
                     const std::string& config_file, int line) {
  const std::string key = "provincial.mapping_file";
  const std::string where = config_file + ":" + std::to_string(line) + ": " + key + ": ";
  const std::filesystem::path path = std::filesystem::path(mapping_file).is_absolute()
                                         ? std::filesystem::path(mapping_file)
                                         : (config_dir / mapping_file).lexically_normal();
  std::error_code ignored;
  if (is_preset_name(mapping_file) && !std::filesystem::exists(path, ignored)) {
    if (auto preset = find_preset(mapping_file)) {
      return parse_mapping(preset->text, "preset " + mapping_file + " (" + preset->origin + ")");
    }
    std::string names;
    for (const auto& name : preset_names()) names += (names.empty() ? "" : ", ") + name;
    throw ConfigError(where + "no file " + path.string() + " and no shipped preset named " +
                          detail::quote(mapping_file) + " (presets: " + names + ")",
                      key, line);
  }
  std::string text;
  if (const auto error = detail::read_file(path, kMaxMappingBytes, text)) {
    throw ConfigError(
        where + "cannot read the mapping file " + path.string() + ": " + error.message(), key,
        line);
  }
  return parse_mapping(text, path.string());
}

}  // namespace psd::config
