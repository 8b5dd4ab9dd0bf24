#pragma once
// In-memory portals, and the clock that never sleeps, for engine tests.

#include <deque>
#include <functional>
#include <map>
#include <set>
#include <vector>

#include "daemon/core/canonical.hpp"
#include "daemon/engine/ports.hpp"
#include "tests/support/fake_clock.hpp"

namespace psd::engine::testing {

using FakeClock = ::psd::testing::FakeClock;

class FakeCatalogue final : public CatalogueSource {
 public:
  tl::expected<CatalogueListing, core::Failure> read(const std::string& etag) override {
    etags_seen.push_back(etag);
    if (on_read) on_read();
    if (failure) return tl::unexpected(*failure);
    CatalogueListing listing;
    if (!etag.empty() && etag == snapshot.etag) {
      listing.unchanged = true;
      return listing;
    }
    listing.snapshot = snapshot;
    return listing;
  }
  core::Snapshot snapshot;
  std::optional<core::Failure> failure;
  std::vector<std::string> etags_seen;
  std::function<void()> on_read;  ///< called as a read starts
};

/// A national portal in memory: applies PUT bodies by their content_hash and
/// answers from a script of outcomes per code first.
class FakePortal final : public NationalPortal {
 public:
  using NationalPortal::list;
  tl::expected<core::Mirror, core::Failure> list(const std::stop_token& stop) override {
    if (on_list) on_list(stop);
    if (stop.stop_requested())
      return tl::unexpected(core::Failure{core::FailureKind::transient, "stopped"});
    if (list_failure) return tl::unexpected(*list_failure);
    core::Mirror mirror;
    for (const auto& [code, entry] : held) mirror.add(code, entry.content_hash, entry.level);
    return mirror;
  }

  /// Synchronous: every write completes before `next` is asked again. When
  /// `next` is empty, what `due` answered is kept in `dues`.
  void write(const WriteSource& next, const WriteSink& done, const WriteDue& due,
             std::size_t max_in_flight) override {
    max_in_flight_seen = std::max(max_in_flight_seen, max_in_flight);
    while (auto request = next()) {
      writes.push_back(*request);
      if (on_write) on_write(*request);
      keys_by_code[request->code].push_back(request->idempotency_key);
      WriteResult result{.id = request->id, .outcome = WriteOutcome::done, .http_status = 200};
      auto& queue = script[request->code];
      if (!queue.empty()) {
        result.outcome = queue.front();
        queue.pop_front();
        result.reason =
            result.outcome == WriteOutcome::rejected ? "INVALID_FIELD: name" : "HTTP 503";
        result.http_status = result.outcome == WriteOutcome::rejected ? 422 : 503;
        if (result.outcome == WriteOutcome::retry) result.retry_after = retry_after;
      }
      if (result.outcome == WriteOutcome::done) apply(*request);
      done(std::move(result));
    }
    dues.push_back(due());
  }

  void apply(const WriteRequest& request) {
    if (request.method == WriteMethod::remove) {
      held.erase(request.code);
      return;
    }
    const auto at = request.body.find("\"content_hash\":\"");
    const std::string hash =
        request.body.substr(at + 16, request.body.find('"', at + 16) - (at + 16));
    held[request.code] = core::MirrorEntry{hash, core::Level::full};
  }

  std::map<std::string, core::MirrorEntry> held;  ///< what list() answers
  std::optional<core::Failure> list_failure;
  std::map<std::string, std::deque<WriteOutcome>> script;
  std::optional<std::chrono::seconds> retry_after;  ///< sent with each scripted retry (503)
  std::vector<WriteRequest> writes;
  std::map<std::string, std::vector<std::string>> keys_by_code;
  std::size_t max_in_flight_seen = 0;
  /// At the end of each write call: when the engine said its next write is due.
  std::vector<std::optional<std::chrono::steady_clock::time_point>> dues;
  std::function<void(const WriteRequest&)> on_write;  ///< called as each write is sent
  /// Called as a listing starts, on the thread that lists.
  std::function<void(const std::stop_token&)> on_list;
};

}  // namespace psd::engine::testing
