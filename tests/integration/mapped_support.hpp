#pragma once
// The foreign catalogue shapes portal-sim serves (contract dialects.md), and
// how a test points a DaemonRun's config at one of them.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/daemon_run.hpp"

namespace psd::testing {

/// The two foreign shapes: the OpenCPS v2 listing (the shipped preset), and
/// a gateway's wrapped, UPPERCASE, string-typed one with MucDo levels
/// (tests/data/gateway-mapping.toml).
enum class Shape { opencps, gateway };

/// "opencps" or "gateway", for parameterised test names.
std::string shape_name(Shape shape);

/// Both shapes, and their names, for INSTANTIATE_TEST_SUITE_P.
inline auto every_shape() { return ::testing::Values(Shape::opencps, Shape::gateway); }
inline std::string shape_test_name(const ::testing::TestParamInfo<Shape>& param) {
  return shape_name(param.param);
}

/// portal-sim's options for `shape`: `args`, and for opencps
/// --opencps-values (its listing carries no fee, days or admin level).
std::vector<std::string> sim_args(Shape shape, std::vector<std::string> args);

/// The text of `shape`'s mapping file.
std::string mapping_text(Shape shape);

/// Point the daemon's config at `base_url` with dialect "mapped" and `mapping_file`.
void use_mapping(const DaemonRun& daemon, const SimProcess& sim, const std::string& base_url,
                 const std::string& mapping_file);

/// Read `shape` from `sim`: opencps through the preset's name, as an
/// operator would; gateway through its mapping file next to the config.
void read_shape(const DaemonRun& daemon, const SimProcess& sim, Shape shape);

/// Read `shape` from `sim` through `mapping` (a file next to the config).
void read_shape(const DaemonRun& daemon, const SimProcess& sim, Shape shape,
                const std::string& mapping);

/// Write `csv` next to the config as its [agencies] remap_file.
void use_remap(const DaemonRun& daemon, const std::string& csv);

/// Write `text` to `path`, bytes as given.
void write_file(const std::filesystem::path& path, const std::string& text);

/// A run's exit code, stdout and stderr, for a failed expectation.
std::string describe(const DaemonResult& result);

}  // namespace psd::testing
