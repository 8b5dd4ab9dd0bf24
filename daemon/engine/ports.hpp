#pragma once
// The small interfaces the engine runs a cycle through. The adapters implement
// them over HTTP; tests may implement them in memory.

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <tl/expected.hpp>

#include "daemon/core/failure.hpp"
#include "daemon/core/plan.hpp"
#include "daemon/core/service.hpp"

namespace psd::engine {

/// The result of reading the provincial catalogue.
struct CatalogueListing {
  bool unchanged = false;   ///< 304 on page 1: same snapshot as the ETag sent
  core::Snapshot snapshot;  ///< empty when unchanged
  int restarts = 0;         ///< torn listings discarded
};

class CatalogueSource {
 public:
  virtual ~CatalogueSource() = default;
  /// Read one complete listing. Send `etag` as If-None-Match on page 1 unless empty.
  virtual tl::expected<CatalogueListing, core::Failure> read(const std::string& etag) = 0;
};

enum class WriteMethod { put, remove };

/// One write to the national portal, as the engine asks for it.
struct WriteRequest {
  std::size_t id = 0;  ///< the caller's own, copied to the result
  WriteMethod method = WriteMethod::put;
  std::string code{};
  std::string idempotency_key{};
  std::string body{};  ///< PUT body; empty for remove
};

enum class WriteOutcome {
  done,      ///< 200/201/204 (and 404 on a withdrawal: nothing to withdraw)
  rejected,  ///< 400/422: the portal's reason is in `reason`
  retry,     ///< transient: timeouts, resets, 5xx, 409, 429
  stop,      ///< 401 after a fresh token, 403, 404 on the province: configuration error
};

/// What one write came to. Every member has a default, so designated
/// initialisers may leave any out (-Wmissing-field-initializers).
struct WriteResult {
  std::size_t id = 0;
  WriteOutcome outcome = WriteOutcome::done;
  int http_status = 0;
  std::string reason{};  ///< portal's error code and message, or the transport error
  std::optional<std::chrono::seconds> retry_after{};  ///< from a 429/503
};

class NationalPortal {
 public:
  virtual ~NationalPortal() = default;
  /// Return what the portal holds for the province, following every cursor.
  /// Once `stop` is requested no new page starts and the listing fails.
  /// The engine calls it on a thread of its own, beside the catalogue's read,
  /// and uses the portal on its own thread only after that call returned.
  virtual tl::expected<core::Mirror, core::Failure> list(const std::stop_token& stop) = 0;
  /// Return the whole listing, with no way to stop it.
  tl::expected<core::Mirror, core::Failure> list() { return list(std::stop_token()); }

  using WriteSource = std::function<std::optional<WriteRequest>()>;
  using WriteSink = std::function<void(WriteResult&&)>;
  /// When `next` has no write now: the time it will have one with no
  /// completion in between (a retry's backoff ends), or nothing when only a
  /// completion can give it one. On the Clock the portal was given.
  using WriteDue = std::function<std::optional<std::chrono::steady_clock::time_point>()>;
  /// Send writes from `next` with at most `max_in_flight` at once, calling
  /// `done` for each as it completes; end when `next` is empty and none is in
  /// flight. While writes are in flight and `next` is empty, wait for a
  /// completion or for `due`, never poll.
  virtual void write(const WriteSource& next, const WriteSink& done, const WriteDue& due,
                     std::size_t max_in_flight) = 0;
  /// The earliest time the portal takes another request (a Retry-After
  /// window, a rate limit). `write` returns early, with nothing in flight,
  /// when it may not send yet; the caller waits until then and calls again.
  virtual std::chrono::steady_clock::time_point not_before() const { return {}; }
};

}  // namespace psd::engine
