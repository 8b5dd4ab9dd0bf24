#include "adapters/page_fetcher.hpp"

#include <deque>
#include <queue>
#include <unordered_map>
#include <vector>

#include "adapters/failure_of.hpp"

namespace psd {
namespace {

using Clock = std::chrono::steady_clock;

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
  Clock::time_point at;
  std::size_t id;
  bool operator>(const Due& other) const { return at > other.at; }
};

}  // namespace

PortalPacing::TimePoint WindowPacing::ready_at(TimePoint now, std::size_t /*in_flight*/) {
  return std::max(now, window_.until());
}

std::optional<core::Failure> WindowPacing::prepare(http::Request& /*request*/) {
  window_.sending(Clock::now());
  return std::nullopt;
}

bool WindowPacing::learn(const http::Request& /*request*/, const http::Response& response) {
  window_.learn(response, Clock::now(), std::chrono::system_clock::now());
  return false;
}

PageFetcher::PageFetcher(http::HttpClient& http, PortalPacing& pacing, PagePolicy policy,
                         std::string source, Sleep sleep)
    : http_(http),
      pacing_(pacing),
      policy_(policy),
      source_(std::move(source)),
      sleep_(std::move(sleep)) {}

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
  // The time `sleep_` waited until. What it waited for counts as served even
  // when it returned early: at shutdown the request that follows is
  // abandoned at once, and a test's sleep need not pass real time.
  Clock::time_point slept_to{};
  const auto now_or_later = [&] { return std::max(Clock::now(), slept_to); };

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
    waiting.push(
        Due{Clock::now() + core::backoff_delay(policy_.backoff, page.tries - 1, random_), id});
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
    auto at = Clock::time_point::max();
    const auto open = pacing_.ready_at(now, outstanding);
    if (!ready.empty() || !exhausted) at = open;
    if (!waiting.empty()) at = std::min(at, std::max(open, waiting.top().at));
    return at;
  };
  const auto wake = [&]() -> std::optional<Clock::time_point> {
    // At the cap nothing can start before a transfer ends, and its end wakes
    // the poll: a wake time here made the client poll every millisecond (or
    // at once) for as long as the pages were in flight.
    if (in_flight >= max_in_flight) return std::nullopt;
    const auto at = due(in_flight);
    if (at == Clock::time_point::max()) return std::nullopt;
    return at;
  };

  while (true) {
    http_.run(source, sink, max_in_flight, wake);
    if (failure || stopped) break;
    if (ready.empty() && waiting.empty() && exhausted) break;
    const auto at = due(0);
    const auto now = now_or_later();
    if (at != Clock::time_point::max() && at > now) {
      sleep_(std::chrono::ceil<std::chrono::milliseconds>(at - now));
      slept_to = at;
    }
  }
  return failure;
}

}  // namespace psd
