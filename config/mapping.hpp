#pragma once
// A mapping file (contract dialects.md): how a provincial catalogue that is
// not in the contract's shape is read. Plain data, loaded and checked here,
// read by adapters/provincial.

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace psd::config {

enum class PagingStyle { page, offset, none };
/// yyyy_mm_dd_hh_mm_ss: "yyyyMMddHHmmss", local time of Viet Nam (UTC+07:00).
enum class TimeFormat { rfc3339, epoch_ms, yyyy_mm_dd_hh_mm_ss };

struct Paging {
  PagingStyle style = PagingStyle::page;
  std::string page_param = "page";
  std::string size_param = "page_size";
  int first_page = 1;
  std::string start_param = "start";
  std::string end_param;  ///< exclusive end index; exactly one of end_param, limit_param is set
  std::string limit_param = "limit";
  int size = 0;  ///< 0: provincial.page_size
};

/// JSON Pointers (RFC 6901) into one response body; "" = none.
struct Envelope {
  std::string unwrap;
  std::string items;
  std::string total;
  std::string ok;
  std::vector<std::string> ok_values{"0"};
  std::string message;
};

/// JSON Pointers into one record; "" = absent (the default applies).
struct FieldPointers {
  std::string code;
  std::string name;
  std::string level;
  std::string agency_code;
  std::string agency_name;
  std::string field;
  std::string admin_level;
  std::string fee_vnd;
  std::string processing_days;
  std::string status;
  std::string updated_at;
};

/// A key of [fields]: its name, the member of FieldPointers it fills, and
/// whether the mapping file must give it.
enum class Presence { optional, required };
struct FieldKey {
  std::string_view key;
  std::string FieldPointers::*member;
  Presence presence;
};

/// The keys of [fields], in file order: what the loader reads and what
/// adapters/provincial's mapped records name in their messages.
inline constexpr std::array<FieldKey, 11> kFieldKeys{{
    {"code", &FieldPointers::code, Presence::required},
    {"name", &FieldPointers::name, Presence::required},
    {"level", &FieldPointers::level, Presence::required},
    {"agency_code", &FieldPointers::agency_code, Presence::optional},
    {"agency_name", &FieldPointers::agency_name, Presence::optional},
    {"field", &FieldPointers::field, Presence::optional},
    {"admin_level", &FieldPointers::admin_level, Presence::optional},
    {"fee_vnd", &FieldPointers::fee_vnd, Presence::optional},
    {"processing_days", &FieldPointers::processing_days, Presence::optional},
    {"status", &FieldPointers::status, Presence::optional},
    {"updated_at", &FieldPointers::updated_at, Presence::optional},
}};

/// Raw value (as text, trimmed) → the contract's value.
using ValueMap = std::vector<std::pair<std::string, std::string>>;

struct ValueMaps {
  ValueMap level;  ///< values: full, partial, information
  ValueMap admin_level;
  ValueMap status;
  TimeFormat updated_at = TimeFormat::rfc3339;
};

/// Used when a field's pointer is "" or finds nothing. code, name, level,
/// agency_code and agency_name have none; `field` is "" when its pointer is "".
struct Defaults {
  std::string admin_level = "province";
  std::uint64_t fee_vnd = 0;
  std::uint64_t processing_days = 0;
  std::string status = "active";
  std::string updated_at;  ///< "": the time the listing started
};

struct Mapping {
  /// Where it was read from, for messages: a file, or "preset NAME (FILE)".
  std::string source;
  std::string path;
  Paging paging;
  Envelope envelope;
  FieldPointers fields;
  ValueMaps values;
  Defaults defaults;
};

/// Parse the mapping TOML `text` read from `source` (named in messages).
/// Throw ConfigError naming the file, the key and the line.
Mapping parse_mapping(std::string_view text, const std::string& source);

/// Return the names of the shipped presets, sorted.
std::vector<std::string> preset_names();

/// A shipped preset: its text and where it was found (the installed file,
/// or the copy built into the program when it is not installed).
struct Preset {
  std::string text;
  std::string origin;
};

/// Return the preset `name`, or nothing when there is none by that name.
std::optional<Preset> find_preset(std::string_view name);

/// Load `mapping_file` as the config key at `line` of `config_file` gives
/// it: a shipped preset's name, or a file relative to `config_dir`. Throw
/// ConfigError.
Mapping load_mapping(const std::string& mapping_file, const std::filesystem::path& config_dir,
                     const std::string& config_file, int line);

}  // namespace psd::config
