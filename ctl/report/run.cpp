#include "ctl/report/run.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "config/config.hpp"
#include "ctl/exit.hpp"
#include "ctl/report/model.hpp"
#include "ctl/report/render.hpp"
#include "daemon/state/state_reader.hpp"
#include "daemon/state/utc_time.hpp"

namespace psd::ctl::report {
namespace {

struct Source {
  std::filesystem::path state_dir;
  std::string province;
};

/// The state folder as the daemon resolves it: --state-dir, else state_dir
/// of the configuration (relative to the config's folder).
Source source_of(const Options& options) {
  Source source;
  if (options.report.state_dir) source.state_dir = *options.report.state_dir;
  if (!options.report.state_dir || options.config_given) {
    const config::Config config = config::load_config(options.config);
    if (!options.report.state_dir) source.state_dir = config.state_dir;
    source.province = config.province;
  }
  return source;
}

using core::failure;
using core::FailureKind;

/// Write `text` to `path` through a temporary file in the same folder, so a
/// reader never sees half a report.
tl::expected<void, core::Failure> write_file(const std::filesystem::path& path,
                                             const std::string& text) {
  const std::filesystem::path temp = path.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) return failure(FailureKind::fatal, path.string() + ": cannot write");
  }
  std::error_code error;
  std::filesystem::rename(temp, path, error);
  if (error) {
    std::filesystem::remove(temp, error);
    return failure(FailureKind::fatal, path.string() + ": cannot write: " + error.message());
  }
  return {};
}

tl::expected<void, core::Failure> write_csv(const Report& report,
                                            const std::optional<std::filesystem::path>& dir) {
  const std::vector<Table> tables = csv_tables(report);
  if (!dir) {
    // Standard output: the tables one after another, each under "# name".
    std::string out;
    for (const Table& table : tables)
      out += "# " + table.key + "\r\n" + render_csv(table, false) + "\r\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
    return {};
  }
  std::error_code error;
  std::filesystem::create_directories(*dir, error);
  if (error) {
    return failure(FailureKind::fatal,
                   dir->string() + ": cannot create the folder: " + error.message());
  }
  for (const Table& table : tables) {
    if (auto written = write_file(*dir / (table.key + ".csv"), render_csv(table, true)); !written) {
      return written;
    }
  }
  return {};
}

/// Write the report in its format to its output (a file, a folder of CSV
/// files, or standard output).
tl::expected<void, core::Failure> write_report(const Report& report, const ReportOptions& options,
                                               Lang lang) {
  if (options.format == Format::csv) return write_csv(report, options.output);
  std::string text;
  switch (options.format) {
    case Format::json:
      text = render_json(report, lang);
      break;
    case Format::html:
      text = render_html(report, lang);
      break;
    default:
      text = render_text(report, lang);
  }
  if (options.output) return write_file(*options.output, text);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return {};
}

}  // namespace

// The configuration file (ConfigError) and state.db (StateReader) throw:
// main reports them (exit 64 and 66).
int run_report(const Options& options) {
  const Source source = source_of(options);
  const state::StateReader reader(source.state_dir);
  const Report report =
      build_report(reader.read(), options.report.period, source.province, state::now_utc());
  const Lang lang = options.report.lang.value_or(lang_from_environment());
  if (auto written = write_report(report, options.report, lang); !written) {
    std::fprintf(stderr, "portal-syncctl: report: %s\n", written.error().message.c_str());
    return kCantCreate;
  }
  return kOk;
}

}  // namespace psd::ctl::report
