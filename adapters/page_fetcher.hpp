#pragma once
// Reading the pages of a listing from either portal, with one retry policy
// for both (and for every catalogue dialect): a transient failure (timeout,
// reset, 5xx, 429) or a 200 whose body is not the page (a gateway's HTML
// maintenance page) is tried again after a full-jitter backoff, never before
// the portal's Retry-After window ends, at most `max_tries` times per page;
// then the listing fails with the last failure, naming the page.

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <tl/expected.hpp>

#include "adapters/http/http_client.hpp"
#include "adapters/retry_window.hpp"
#include "daemon/core/backoff.hpp"
#include "daemon/core/failure.hpp"
#include "daemon/engine/clock.hpp"

namespace psd {

/// Tries of one page before the listing fails.
inline constexpr int kPageTries = 5;

struct PagePolicy {
  core::BackoffPolicy backoff;  ///< retry.initial_backoff, retry.max_backoff
  int max_tries = kPageTries;
};

/// What a page reader asks of its portal around each request.
class PortalPacing {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  virtual ~PortalPacing() = default;
  /// When a request may start with `in_flight` outstanding: a time not after
  /// `now` means now; TimePoint::max() means when one in flight completes.
  virtual TimePoint ready_at(TimePoint now, std::size_t in_flight) = 0;
  /// Complete `request` just before it leaves (a bearer token); a failure
  /// when it cannot go (then it counts as a try that failed).
  virtual std::optional<core::Failure> prepare(http::Request& request) = 0;
  /// Learn from the answer to `request` (Retry-After). Return true when it
  /// should be sent once more at once, not counted as a try (a 401: a fresh
  /// token comes with the next prepare).
  virtual bool learn(const http::Request& request, const http::Response& response) = 0;
};

/// A portal paced by its Retry-After window alone (the provincial catalogue),
/// read on `clock`.
class WindowPacing final : public PortalPacing {
 public:
  WindowPacing(RetryWindow& window, engine::Clock& clock) : window_(window), clock_(clock) {}
  TimePoint ready_at(TimePoint now, std::size_t in_flight) override;
  std::optional<core::Failure> prepare(http::Request& request) override;
  bool learn(const http::Request& request, const http::Response& response) override;

 private:
  RetryWindow& window_;
  engine::Clock& clock_;
};

/// What the caller makes of an answer that came with 200-299 or 304.
struct PageCheck {
  enum class Verdict {
    taken,  ///< the page: go on
    retry,  ///< not the page (an HTML page, a body cut short): try again
    stop,   ///< the caller is done (torn listing, or it failed the listing itself)
  };
  Verdict verdict = Verdict::taken;
  core::Failure failure{};  ///< for retry: the failure if no try brings the page

  static PageCheck taken() { return {}; }
  static PageCheck stop() { return {.verdict = Verdict::stop}; }
  static PageCheck retry(core::Failure failure) {
    return {.verdict = Verdict::retry, .failure = std::move(failure)};
  }
};

class PageFetcher {
 public:
  /// Next page to fetch, or nothing when there is no other.
  using Next = std::function<std::optional<http::Request>()>;
  /// Judge (and keep) one answer. Called in completion order on the calling
  /// thread; the request is the caller's, without what `prepare` added.
  using Take = std::function<PageCheck(const http::Request&, http::Response&)>;

  /// `source` names the portal in failures ("provincial catalogue"); a
  /// backoff or a window is waited out on `clock` (the pacing's), ended
  /// early by the client's HttpClient::abandon (shutdown).
  PageFetcher(http::HttpClient& http, PortalPacing& pacing, PagePolicy policy, std::string source,
              engine::Clock& clock);

  /// How a failed exchange names its page (" (page 6)"), appended to the message.
  using Name = std::function<std::string(const http::Request&)>;

  /// Fetch the pages `next` gives, at most `max_in_flight` at once, handing
  /// each answer to `take`. Return the failure that ended the listing, if any:
  /// a page out of tries, a failure not worth a retry (403, 404, TLS), or a
  /// shutdown. After a failure or a stop, answers still in flight are dropped.
  std::optional<core::Failure> fetch(const Next& next, const Take& take, std::size_t max_in_flight,
                                     const Name& name = {});
  /// Fetch one page; see fetch.
  std::optional<core::Failure> fetch_one(http::Request request, const Take& take,
                                         const Name& name = {});

 private:
  http::HttpClient& http_;
  PortalPacing& pacing_;
  PagePolicy policy_;
  std::string source_;
  engine::Clock& clock_;
  std::mt19937_64 random_{std::random_device{}()};
};

}  // namespace psd
