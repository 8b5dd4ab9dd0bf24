#include "tests/integration/mapped_support.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace psd::testing {

std::string shape_name(Shape shape) { return shape == Shape::opencps ? "opencps" : "gateway"; }

std::vector<std::string> sim_args(Shape shape, std::vector<std::string> args) {
  if (shape == Shape::opencps) args.emplace_back("--opencps-values");
  return args;
}

std::string mapping_text(Shape shape) {
  return read_file(shape == Shape::opencps
                       ? std::filesystem::path(PSD_SOURCE_DIR) / "config/mappings/opencps.toml"
                       : std::filesystem::path(PSD_TEST_DATA_DIR) / "gateway-mapping.toml");
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string describe(const DaemonResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\n--- stdout\n" + result.out +
         "\n--- stderr\n" + result.err;
}

void use_mapping(const DaemonRun& daemon, const SimProcess& sim, const std::string& base_url,
                 const std::string& mapping_file) {
  std::string config = read_file(daemon.config_path());
  const std::string old_line = "base_url = \"" + sim.provincial_url() + "\"\n";
  const auto at = config.find(old_line);
  ASSERT_NE(at, std::string::npos) << config;
  config.replace(at, old_line.size(),
                 "base_url = \"" + base_url + "\"\ndialect = \"mapped\"\nmapping_file = \"" +
                     mapping_file + "\"\n");
  write_file(daemon.config_path(), config);
}

namespace {

// The preset's path is /serviceinfos; portal-sim serves it under /opencps.
std::string base_url_of(const SimProcess& sim, Shape shape) {
  return shape == Shape::opencps ? sim.provincial_url() + "/opencps" : sim.provincial_url();
}

}  // namespace

void read_shape(const DaemonRun& daemon, const SimProcess& sim, Shape shape) {
  if (shape == Shape::opencps) {
    use_mapping(daemon, sim, base_url_of(sim, shape), "opencps");
  } else {
    read_shape(daemon, sim, shape, mapping_text(shape));
  }
}

void read_shape(const DaemonRun& daemon, const SimProcess& sim, Shape shape,
                const std::string& mapping) {
  const std::string file = shape_name(shape) + "-mapping.toml";
  write_file(daemon.dir() / file, mapping);
  use_mapping(daemon, sim, base_url_of(sim, shape), file);
}

void use_remap(const DaemonRun& daemon, const std::string& csv) {
  write_file(daemon.dir() / "agency-remap.csv", csv);
  std::ofstream(daemon.config_path(), std::ios::app)
      << "\n[agencies]\nremap_file = \"agency-remap.csv\"\n";
}

}  // namespace psd::testing
