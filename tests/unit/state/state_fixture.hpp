#pragma once
// A fresh temporary directory per test, removed afterwards, and helpers shared
// by the state store tests.

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "daemon/state/state_store.hpp"

namespace psd::state::testing {

class StateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "psd-state-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  /// Return the state_dir the tests use: not created yet, so the store creates it.
  std::filesystem::path state_dir() const { return root_ / "state"; }
  std::filesystem::path db_path() const { return state_dir() / "state.db"; }

  /// Open state.db with a second, raw connection, as an operator's shell would.
  SQLite::Database raw(int flags = SQLite::OPEN_READWRITE) const {
    return SQLite::Database(db_path(), flags);
  }

  std::filesystem::path root_;
};

/// Return a catalogue entry with only `code`, `name` and `hash` set.
inline core::CatalogueEntry entry(std::string code, std::string name, std::string hash) {
  core::CatalogueEntry result;
  result.service.code = std::move(code);
  result.service.name = std::move(name);
  result.content_hash = std::move(hash);
  return result;
}

/// Return a listing of one service and one invalid record, whose level was
/// unreadable.
inline core::Snapshot small_snapshot() {
  core::Snapshot snapshot;
  snapshot.version = "v1";
  snapshot.etag = "\"e1\"";
  snapshot.services.push_back(entry("A.1", "Cấp phép", "sha256:aa"));
  snapshot.services.back().service.admin_level = core::AdminLevel::commune;
  core::InvalidRecord invalid;
  invalid.code = "B.bad";
  invalid.reason = "field 'name': missing";
  invalid.agency_code = "000.00.15.H43";
  invalid.admin_level = core::AdminLevel::district;
  invalid.page = 2;
  snapshot.invalid.push_back(invalid);
  return snapshot;
}

/// Return a PUT op for `code` with `hash`, `key` and `body`.
inline OutboxOp put_op(std::string code, std::string hash, std::string key,
                       std::string body = "{}") {
  OutboxOp op;
  op.kind = OpKind::put;
  op.code = std::move(code);
  op.content_hash = std::move(hash);
  op.idempotency_key = std::move(key);
  op.body = std::move(body);
  return op;
}

/// Return a DELETE op for `code` with `key`.
inline OutboxOp remove_op(std::string code, std::string key) {
  OutboxOp op;
  op.kind = OpKind::remove;
  op.code = std::move(code);
  op.idempotency_key = std::move(key);
  return op;
}

}  // namespace psd::state::testing
