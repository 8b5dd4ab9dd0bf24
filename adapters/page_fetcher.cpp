#include "adapters/page_fetcher.hpp"

#include <deque>
#include <queue>
#include <unordered_map>
#include <vector>

#include "adapters/failure_of.hpp"

namespace psd {
namespace {

using TimePoint = PortalPacing::TimePoint;

bool worth_retrying(const http::Response& response, const core::Failure& failure) {
  // An abandoned transfer is the daemon shutting down, not the portal failing.
  if (response.error == http::TransportError::aborted) return false;
  return failure.kind == core::FailureKind::transient ||
         failure.kind == core::FailureKind::rate_limited;
}

bool answered(const http::Response& response) {
  return response.error == http::TransportError::none &&
         ((response.status >= 200 && response.status < 300) || response.status == 304);
}

struct Page {
  http::Request request;  ///< the caller's, with its tag
  int tries = 0;          ///< sends counted so far
  bool resent = false;    ///< the one uncounted resend (401) is used
};

struct Due {
  TimePoint at;
  std::size_t id;
  bool operator>(const Due& other) const { return at > other.at; }
};

}  // namespace

PortalPacing::TimePoint WindowPacing::ready_at(TimePoint now, std::size_t /*in_flight*/) {
  return std::max(now, window_.until());
}

std::optional<core::Failure> WindowPacing::prepare(http::Request& /*request*/) {
  window_.sending(clock_.steady_now());
  return std::nullopt;
}

bool WindowPacing::learn(const http::Request& /*request*/, const http::Response& response) {
  window_.learn(response, clock_.steady_now(), clock_.now());
  return false;
}

PageFetcher::PageFetcher(http::HttpClient& http, PortalPacing& pacing, PagePolicy policy,
                         std::string source, engine::Clock& clock)
    : http_(http), pacing_(pacing), policy_(policy), source_(std::move(source)), clock_(clock) {}

std::optional<core::Failure> PageFetcher::fetch_one(http::Request request, const Take& take,
                                                    const Name& name) {
  std::optional<http::Request> only(std::move(request));
  return fetch([&] { return std::exchange(only, std::nullopt); }, take, 1, name);
}

std::optional<core::Failure> PageFetcher::fetch(const Next& next, const Take& take,
                                                std::size_t max_in_flight, const Name& name) {
  std::unordered_map<std::size_t, Page> pages;  // by our own tag
  std::deque<std::size_t> ready;
  std::priority_queue<Due, std::vector<Due>, std::greater<>> waiting;
  std::optional<core::Failure> failure;
  bool stopped = false;
  bool exhausted = false;  // `next` has no other page
  std::size_t next_id = 0;
  std::size_t in_flight = 0;
  // The time the last wait was until. What it waited for counts as served
  // even when the wait ended early: at shutdown the request that follows is
  // abandoned at once.
  TimePoint slept_to{};
  const auto now_or_later = [&] { return std::max(clock_.steady_now(), slept_to); };

  const auto give_up = [&](std::size_t id, core::Failure why, bool exchange) {
    const Page& page = pages.at(id);
    if (page.tries > 1) why.message += " (after " + std::to_string(page.tries) + " tries)";
    if (exchange && name) why.message += " (" + name(page.request) + ")";
    failure = std::move(why);
    pages.erase(id);
  };
  const auto retry_or_give_up = [&](std::size_t id, core::Failure why, bool exchange) {
    const Page& page = pages.at(id);
    if (page.tries >= policy_.max_tries) {
      give_up(id, std::move(why), exchange);
      return;
    }
    waiting.push(Due{
        .at = clock_.steady_now() + core::backoff_delay(policy_.backoff, page.tries - 1, random_),
        .id = id});
  };

  const auto source = [&]() -> std::optional<http::Request> {
    if (failure || stopped) return std::nullopt;
    const auto now = now_or_later();
    while (!waiting.empty() && waiting.top().at <= now) {
      ready.push_back(waiting.top().id);
      waiting.pop();
    }
    if (pacing_.ready_at(now, in_flight) > now) return std::nullopt;
    if (ready.empty()) {
      if (exhausted) return std::nullopt;
      auto request = next();
      if (!request) {
        exhausted = true;
        return std::nullopt;
      }
      pages.emplace(next_id, Page{std::move(*request)});
      ready.push_back(next_id++);
    }
    const std::size_t id = ready.front();
    ready.pop_front();
    Page& page = pages.at(id);
    ++page.tries;
    http::Request request = page.request;
    request.tag = id;
    if (auto refused = pacing_.prepare(request)) {
      if (worth_retrying({}, *refused)) {
        retry_or_give_up(id, std::move(*refused), false);
      } else {
        give_up(id, std::move(*refused), false);
      }
      return std::nullopt;  // run ends or asks again; the outer loop waits if needed
    }
    ++in_flight;
    return request;
  };

  const auto sink = [&](http::Request&& sent, http::Response&& response) {
    --in_flight;
    const std::size_t id = sent.tag;
    const bool again = pacing_.learn(sent, response);  // windows count even after a failure
    if (failure || stopped) {
      pages.erase(id);
      return;
    }
    Page& page = pages.at(id);
    if (again && !page.resent) {
      page.resent = true;
      --page.tries;
      ready.push_front(id);
      return;
    }
    if (answered(response)) {
      response.tag = page.request.tag;
      PageCheck check = take(page.request, response);
      switch (check.verdict) {
        case PageCheck::Verdict::taken:
          pages.erase(id);
          return;
        case PageCheck::Verdict::stop:
          stopped = true;
          pages.erase(id);
          return;
        case PageCheck::Verdict::retry:
          retry_or_give_up(id, std::move(check.failure), false);
          return;
      }
    }
    core::Failure why = failure_of(source_, page.request, response);
    if (worth_retrying(response, why)) {
      retry_or_give_up(id, std::move(why), true);
    } else {
      give_up(id, std::move(why), true);
    }
  };

  // When the source may have a request again: the window, or the next backoff.
  const auto due = [&](std::size_t outstanding) {
    const auto now = now_or_later();
    auto at = TimePoint::max();
    const auto open = pacing_.ready_at(now, outstanding);
    if (!ready.empty() || !exhausted) at = open;
    if (!waiting.empty()) at = std::min(at, std::max(open, waiting.top().at));
    return at;
  };
  const auto wake = [&]() -> std::optional<std::chrono::milliseconds> {
    // At the cap nothing can start before a transfer ends, and its end wakes
    // the poll: a wake time here made the client poll every millisecond (or
    // at once) for as long as the pages were in flight.
    if (in_flight >= max_in_flight) return std::nullopt;
    const auto at = due(in_flight);
    if (at == TimePoint::max()) return std::nullopt;
    return std::chrono::ceil<std::chrono::milliseconds>(at - now_or_later());
  };

  while (true) {
    http_.run(source, sink, max_in_flight, wake);
    if (failure || stopped) break;
    if (ready.empty() && waiting.empty() && exhausted) break;
    const auto at = due(0);
    const auto now = now_or_later();
    if (at != TimePoint::max() && at > now) {
      clock_.sleep_for(std::chrono::ceil<std::chrono::milliseconds>(at - now), http_.abandon());
      slept_to = at;
    }
  }
  return failure;
}

}  // namespace psd
