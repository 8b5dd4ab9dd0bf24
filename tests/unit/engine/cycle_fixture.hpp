#pragma once
// What every whole-cycle engine test starts from: a real state.db in a
// scratch folder of its own, an in-memory catalogue and portal, a fake clock
// and the options of a small province.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <string>

#include "daemon/engine/cycle.hpp"
#include "tests/unit/engine/fakes.hpp"

namespace psd::engine::testing {

class CycleFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("psd-cycle-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name() + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    store_.emplace(dir_);
    options_.province = "H43";
    options_.push.max_in_flight = 4;
    options_.push.max_attempts = 3;
    options_.push.backoff = {std::chrono::milliseconds(100), std::chrono::milliseconds(1000)};
    catalogue_.snapshot.version = "v1";
    catalogue_.snapshot.etag = "\"v1\"";
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  CycleReport cycle() { return run_cycle(catalogue_, portal_, *store_, clock_, options_, nullptr); }

  std::filesystem::path dir_;
  std::optional<state::StateStore> store_;
  FakeCatalogue catalogue_;
  FakePortal portal_;
  FakeClock clock_;
  CycleOptions options_;
};

}  // namespace psd::engine::testing
