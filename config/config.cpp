#include "config/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "config/checks.hpp"
#include "config/io.hpp"
#include "config/reader.hpp"

namespace psd::config {

ConfigError::ConfigError(const std::string& message, std::string key, int line)
    : std::runtime_error(message), key_(std::move(key)), line_(line) {}

namespace {

namespace fs = std::filesystem;
using detail::TableReader;

// Longer than any sensible interval, short enough that adding it to a clock
// reading cannot overflow.
constexpr Duration kMaxDuration = std::chrono::hours(24 * 365);
constexpr std::size_t kMaxConfigBytes = std::size_t{1024} * 1024;
constexpr std::size_t kMaxRemapBytes = std::size_t{4} * 1024 * 1024;
// sun_path holds 108 bytes including the terminating NUL.
constexpr std::size_t kMaxSocketPath = 107;

template <typename Field, typename Value>
void set(Field& field, const std::optional<Value>& value) {
  if (value) {
    field = static_cast<Field>(*value);
  }
}

// Read a path the daemon writes; a relative one is taken from the config's folder.
void read_place(TableReader& table, std::string_view key, const fs::path& dir, fs::path& field,
                bool may_be_empty) {
  const auto text = table.string(key);
  if (!text) {
    return;
  }
  if (text->empty()) {
    if (may_be_empty) {
      field.clear();
    } else {
      table.fail(key, "must not be empty");
    }
    return;
  }
  const fs::path path(*text);
  field = path.is_absolute() ? path : (dir / path).lexically_normal();
}

// Read a file the daemon reads (secrets, certificates): see resolve_file. It
// is listed in `inputs`, so that load_and_check reads it.
void read_input_file(TableReader& table, std::string_view key, const fs::path& dir, fs::path& field,
                     bool required, std::vector<InputFile>& inputs, bool secret) {
  const auto text = table.string(key, required);
  if (!text) {
    return;
  }
  if (text->empty()) {
    if (required) {
      table.fail(key, "must not be empty");
    }
    field.clear();
    return;
  }
  field = resolve_file(*text, dir);
  inputs.push_back({table.name(key), table.line(key), field, secret});
}

// Read a URL; plain http:// is refused unless `allow_http`, before any request.
void read_url(TableReader& table, std::string_view key, bool base, bool allow_http,
              std::string& field) {
  auto text = table.string(key, true);
  if (!text) {
    return;
  }
  if (auto problem = detail::url_problem(*text, base)) {
    table.fail(key, std::move(*problem));
    return;
  }
  if (!allow_http && detail::is_plain_http(*text)) {
    table.fail(key,
               "plain http:// is refused while tls.allow_insecure_http is false (use "
               "https://), got " +
                   detail::quote(*text));
    return;
  }
  // Request paths start with "/", so a trailing one would double it.
  if (base) {
    while (text->ends_with('/') && !text->ends_with("://")) {
      text->pop_back();
    }
  }
  field = std::move(*text);
}

void read_top(TableReader& top, const fs::path& dir, Config& config) {
  if (const auto province = top.string("province", true)) {
    if (detail::is_province_code(*province)) {
      config.province = *province;
    } else {
      top.fail("province", "must be 1 to 16 letters or digits (A-Z, a-z, 0-9), got " +
                               detail::quote(*province));
    }
  }
  read_place(top, "state_dir", dir, config.state_dir, false);
  read_place(top, "status_file", dir, config.status_file, false);
  read_place(top, "metrics_file", dir, config.metrics_file, true);
  read_place(top, "control_socket", dir, config.control_socket, false);
  if (config.control_socket.native().size() > kMaxSocketPath) {
    top.fail("control_socket", "must be at most " + std::to_string(kMaxSocketPath) +
                                   " bytes long once resolved (a unix socket limit), got " +
                                   detail::quote(config.control_socket.native(), 200));
  }
  set(config.poll_interval, top.duration("poll_interval", kMaxDuration));
  set(config.full_resync_interval, top.duration("full_resync_interval", kMaxDuration));
}

/// Where the mapping file is named, to load it once the config is valid.
struct MappingRef {
  std::string name;
  int line = 0;
};

void read_provincial(TableReader table, const fs::path& dir, bool allow_http, Config& config,
                     MappingRef& mapping) {
  Provincial& provincial = config.provincial;
  read_url(table, "base_url", true, allow_http, provincial.base_url);
  if (const auto dialect = table.string("dialect")) {
    if (*dialect == "contract" || *dialect == "mapped") {
      provincial.dialect = *dialect == "mapped" ? Dialect::mapped : Dialect::contract;
    } else {
      table.fail("dialect",
                 "must be \"contract\" (the contract's catalogue) or \"mapped\" "
                 "(read through mapping_file), got " +
                     detail::quote(*dialect));
    }
  }
  if (const auto file = table.string("mapping_file")) {
    mapping = {*file, table.line("mapping_file")};
  }
  if (provincial.dialect == Dialect::mapped && mapping.name.empty()) {
    table.fail(mapping.line > 0 ? "mapping_file" : "dialect",
               "dialect \"mapped\" needs mapping_file: a mapping file or a preset's name "
               "such as \"opencps\"");
  } else if (provincial.dialect == Dialect::contract && !mapping.name.empty()) {
    table.fail("mapping_file",
               "is only read with dialect = \"mapped\"; set that, or remove "
               "mapping_file");
  }
  read_input_file(table, "token_file", dir, provincial.token_file, false, config.inputs, true);
  set(provincial.page_size, table.integer("page_size", 1, 500));
  set(provincial.timeout, table.duration("timeout", kMaxDuration));
  table.finish();
}

void read_national(TableReader table, const fs::path& dir, bool allow_http, Config& config) {
  National& national = config.national;
  read_url(table, "base_url", true, allow_http, national.base_url);
  read_url(table, "token_url", false, allow_http, national.token_url);
  if (const auto id = table.string("client_id", true)) {
    if (id->empty()) {
      table.fail("client_id", "must not be empty");
    } else {
      national.client_id = *id;
    }
  }
  read_input_file(table, "client_secret_file", dir, national.client_secret_file, true,
                  config.inputs, true);
  set(national.max_concurrency, table.integer("max_concurrency", 1, 256));
  set(national.max_requests_per_second, table.positive_number("max_requests_per_second", 10000));
  set(national.timeout, table.duration("timeout", kMaxDuration));
  table.finish();
}

void read_retry(TableReader table, Retry& retry) {
  const auto initial = table.duration("initial_backoff", kMaxDuration);
  const auto max = table.duration("max_backoff", kMaxDuration);
  set(retry.initial_backoff, initial);
  set(retry.max_backoff, max);
  set(retry.max_attempts, table.integer("max_attempts", 1, 1000));
  const bool both_valid =
      (initial || table.line("initial_backoff") == 0) && (max || table.line("max_backoff") == 0);
  if (both_valid && retry.initial_backoff > retry.max_backoff) {
    // Blame the key the operator wrote; the two defaults agree.
    if (initial) {
      table.fail("initial_backoff", "must not be longer than retry.max_backoff (" +
                                        detail::format_duration(retry.max_backoff) + "), got " +
                                        detail::format_duration(retry.initial_backoff));
    } else {
      table.fail("max_backoff", "must not be shorter than retry.initial_backoff (" +
                                    detail::format_duration(retry.initial_backoff) + "), got " +
                                    detail::format_duration(retry.max_backoff));
    }
  }
  table.finish();
}

// Read [agencies]; the table itself is loaded once the whole config is valid.
void read_agencies(TableReader table, const fs::path& dir, Agencies& agencies, int& line) {
  read_place(table, "remap_file", dir, agencies.remap_file, true);
  line = table.line("remap_file");
  table.finish();
}

void read_safety(TableReader table, Safety& safety) {
  set(safety.withdraw_removed, table.boolean("withdraw_removed"));
  set(safety.max_withdraw_fraction, table.fraction("max_withdraw_fraction"));
  set(safety.max_catalogue_shrink, table.fraction("max_catalogue_shrink"));
  table.finish();
}

// Read [tls]; return whether plain http:// URLs are to be let through, which
// they are when allow_insecure_http is itself wrong: that is reported already.
bool read_tls(TableReader table, const fs::path& dir, Config& config) {
  Tls& tls = config.tls;
  read_input_file(table, "ca_file", dir, tls.ca_file, false, config.inputs, false);
  read_input_file(table, "client_cert", dir, tls.client_cert, false, config.inputs, false);
  read_input_file(table, "client_key", dir, tls.client_key, false, config.inputs, false);
  const auto allow = table.boolean("allow_insecure_http");
  set(tls.allow_insecure_http, allow);
  if (tls.client_cert.empty() != tls.client_key.empty()) {
    const bool key_missing = tls.client_key.empty();
    table.fail(key_missing ? "client_key" : "client_cert",
               key_missing ? "must be set when tls.client_cert is set (mutual TLS needs both)"
                           : "must be set when tls.client_key is set (mutual TLS needs both)");
  }
  table.finish();
  return tls.allow_insecure_http || (!allow && table.line("allow_insecure_http") > 0);
}

fs::path folder_of(const fs::path& source) {
  if (source.empty()) {
    return fs::current_path();
  }
  return fs::absolute(source).lexically_normal().parent_path();
}

}  // namespace

Config parse_config(std::string_view text, const std::filesystem::path& source) {
  const std::string file = source.empty() ? std::string("<config>") : source.string();
  toml::table document = detail::parse_toml(text, file);

  Config config;
  config.source = source.empty() ? source : fs::absolute(source).lexically_normal();
  const fs::path dir = folder_of(source);
  detail::Problems problems(file);
  TableReader top(&document, "", problems);
  // [tls] first: whether http:// is allowed decides how URLs are checked.
  const bool allow_http = read_tls(top.table("tls"), dir, config);
  read_top(top, dir, config);
  MappingRef mapping;
  read_provincial(top.table("provincial"), dir, allow_http, config, mapping);
  read_national(top.table("national"), dir, allow_http, config);
  read_retry(top.table("retry"), config.retry);
  read_safety(top.table("safety"), config.safety);
  int remap_line = 0;
  read_agencies(top.table("agencies"), dir, config.agencies, remap_line);
  top.finish();
  problems.throw_first();
  std::stable_sort(config.inputs.begin(), config.inputs.end(),
                   [](const InputFile& a, const InputFile& b) { return a.line < b.line; });
  // The files the config names, each checked as strictly as the config itself.
  if (config.provincial.dialect == Dialect::mapped) {
    config.provincial.mapping = load_mapping(mapping.name, dir, file, mapping.line);
  }
  if (!config.agencies.remap_file.empty()) {
    std::string csv;
    if (const auto error = detail::read_file(config.agencies.remap_file, kMaxRemapBytes, csv)) {
      throw ConfigError(file + ":" + std::to_string(remap_line) +
                            ": agencies.remap_file: cannot read " +
                            config.agencies.remap_file.string() + ": " + error.message(),
                        "agencies.remap_file", remap_line);
    }
    config.agencies.remap = parse_agency_remap(csv, config.agencies.remap_file.string());
  }
  return config;
}

Config load_config(const std::filesystem::path& path) {
  std::string text;
  if (const auto error = detail::read_file(path, kMaxConfigBytes, text)) {
    throw ConfigError(path.string() + ": cannot read the configuration file: " + error.message(),
                      "", 0);
  }
  return parse_config(text, path);
}

}  // namespace psd::config
