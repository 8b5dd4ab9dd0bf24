#pragma once
// What every whole-cycle engine test starts from: a real state.db in a
// scratch folder of its own, an in-memory catalogue and portal, a fake clock
// and the options of a small province.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "daemon/engine/cycle.hpp"
#include "tests/unit/core/sample_service.hpp"
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

  /// Add the contract's sample record under `code` to the catalogue.
  void add_service(const std::string& code, const std::string& agency = "000.00.15.H43") {
    core::Service service = core::testing::sample_service(code);
    service.agency.code = agency;
    catalogue_.snapshot.services.push_back(core::testing::entry_of(std::move(service)));
  }
  /// Add services S0..S<count - 1>; with `held`, the portal already holds
  /// each as the catalogue has it.
  void add_services(int count, bool held) {
    for (int i = 0; i < count; ++i) {
      const std::string code = "S" + std::to_string(i);
      add_service(code);
      if (held) portal_.held[code] = {hash_of(code), core::Level::full};
    }
  }
  /// The catalogue's content hash of `code` ("" when it has no such service).
  std::string hash_of(const std::string& code) const {
    for (const auto& entry : catalogue_.snapshot.services) {
      if (entry.service.code == code) return entry.content_hash;
    }
    return "";
  }
  /// Commit a write to the outbox as a cycle that died before recording its
  /// outcome leaves it: a put carries the catalogue's hash of `code`.
  void enqueue_left_by_crash(state::OpKind kind, const std::string& code, const std::string& key,
                             const std::string& body = "") {
    state::OutboxOp op;
    op.kind = kind;
    op.code = code;
    if (kind == state::OpKind::put) op.content_hash = hash_of(code);
    op.idempotency_key = key;
    op.body = body;
    store_->enqueue({op});
  }
  /// The codes the portal was sent, in order.
  std::vector<std::string> written_codes() const {
    std::vector<std::string> codes;
    for (const auto& write : portal_.writes) codes.push_back(write.code);
    return codes;
  }

  std::filesystem::path dir_;
  std::optional<state::StateStore> store_;
  FakeCatalogue catalogue_;
  FakePortal portal_;
  FakeClock clock_;
  CycleOptions options_;
};

}  // namespace psd::engine::testing
