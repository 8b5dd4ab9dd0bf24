#include "adapters/national/national_client.hpp"

#include <curl/curl.h>

#include <memory>

#include "adapters/failure_of.hpp"
#include "adapters/national/listing_parser.hpp"

namespace psd::national {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr const char* kSource = "national portal";
/// The pause for every request after a 429 that gave no Retry-After.
constexpr std::chrono::seconds kDefaultPause{1};

std::string url_escape(std::string_view text) {
  const std::unique_ptr<char, decltype(&curl_free)> escaped(
      curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size())), &curl_free);
  return escaped ? std::string(escaped.get()) : std::string();
}

std::string bearer(const std::string& token) { return "Authorization: Bearer " + token; }

bool worth_retrying(core::FailureKind kind) {
  return kind == core::FailureKind::transient || kind == core::FailureKind::rate_limited;
}

}  // namespace

NationalClient::NationalClient(http::HttpClient& http, TokenSource& tokens, NationalOptions options,
                               Sleep sleep)
    : http_(http),
      tokens_(tokens),
      options_(std::move(options)),
      sleep_(std::move(sleep)),
      flow_(options_.flow) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/')
    options_.base_url.pop_back();
  tokens_.observe([this](const http::Response& response) { learn(response, nullptr); });
}

std::string NationalClient::services_url() const {
  return options_.base_url + "/provinces/" + url_escape(options_.province) + "/services";
}

std::chrono::steady_clock::time_point NationalClient::not_before() const {
  return flow_.ready_at(SteadyClock::now(), 0);
}

void NationalClient::learn(const http::Response& response, const Pending* pending) {
  if (response.error != http::TransportError::none) return;
  const long status = response.status;
  if (status == 429 || status == 503) {
    const auto wait = parse_retry_after(response.retry_after, std::chrono::system_clock::now());
    if (wait || status == 429) flow_.retry_after(SteadyClock::now(), wait.value_or(kDefaultPause));
  }
  if (pending == nullptr) return;
  if (status == 429) {
    const bool concurrency = error_summary(response.body).starts_with("CONCURRENCY_LIMIT");
    flow_.congested(pending->generation, pending->in_flight,
                    concurrency ? FlowControl::Limit::concurrency : FlowControl::Limit::rate);
  } else if (status >= 200 && status < 300) {
    flow_.succeeded();
  }
}

void NationalClient::wait_until_ready() {
  // One wait, not a loop: at shutdown the sleep ends early and the request
  // that follows is abandoned at once.
  const auto now = SteadyClock::now();
  const auto at = flow_.ready_at(now, 0);
  if (at > now) sleep_(std::chrono::ceil<std::chrono::milliseconds>(at - now));
}

tl::expected<std::string, core::Failure> NationalClient::get_page(const std::string& url) {
  http::Request shape;
  shape.method = http::Method::get;
  shape.url = url;
  shape.headers.emplace_back("Accept: application/json");
  bool retried_401 = false;
  for (int attempt = 1;; ++attempt) {
    wait_until_ready();
    auto token = tokens_.token();
    core::Failure failure;
    if (!token) {
      failure = token.error();
    } else {
      http::Request request = shape;
      request.headers.push_back(bearer(*token));
      flow_.started(SteadyClock::now());
      http::Response response = http_.perform(request);
      learn(response, nullptr);
      if (response.error == http::TransportError::none && response.status == 401 && !retried_401) {
        tokens_.invalidate(*token);  // a new token, and one more try that is not counted
        retried_401 = true;
        --attempt;
        continue;
      }
      if (response.ok() && response.status == 200) return std::move(response.body);
      failure = failure_of(kSource, shape, response);
    }
    if (!worth_retrying(failure.kind) || attempt >= kListingAttempts) {
      if (attempt > 1) failure.message += " (after " + std::to_string(attempt) + " tries)";
      return tl::unexpected(std::move(failure));
    }
    sleep_(core::backoff_delay(options_.backoff, attempt - 1, random_));
  }
}

tl::expected<core::Mirror, core::Failure> NationalClient::list(const std::stop_token& stop) {
  ListingWalk walk;
  std::optional<std::string> cursor;
  do {
    if (stop.stop_requested()) {
      return tl::unexpected(core::Failure{core::FailureKind::transient,
                                          std::string(kSource) + ": listing stopped before page " +
                                              std::to_string(walk.pages() + 1)});
    }
    std::string url = services_url() + "?limit=" + std::to_string(kListingLimit);
    if (cursor) url += "&cursor=" + url_escape(*cursor);
    auto body = get_page(url);
    if (!body) {
      body.error().message += " (listing page " + std::to_string(walk.pages() + 1) + ")";
      return tl::unexpected(std::move(body.error()));
    }
    auto next = walk.add(*body);
    if (!next) {
      return tl::unexpected(
          core::Failure{core::FailureKind::bad_response,
                        std::string(kSource) + ": GET " + url + ": " + next.error()});
    }
    cursor = std::move(*next);
  } while (cursor);
  return walk.take();
}

http::Request NationalClient::start(Pending pending, std::string token) {
  pending.token = std::move(token);
  const engine::WriteRequest& write = pending.request;
  http::Request request;
  request.method = write.method == engine::WriteMethod::put ? http::Method::put : http::Method::del;
  request.url = services_url() + "/" + url_escape(write.code);
  request.headers = {bearer(pending.token), "Idempotency-Key: " + write.idempotency_key,
                     "Accept: application/json"};
  if (write.method == engine::WriteMethod::put) {
    request.headers.emplace_back("Content-Type: application/json");
    request.body = write.body;
  }
  request.tag = next_tag_++;
  in_flight_.emplace(request.tag, std::move(pending));
  return request;
}

engine::WriteResult NationalClient::classify(const Pending& pending,
                                             const http::Response& response) {
  engine::WriteResult result;
  result.id = pending.request.id;
  result.http_status = static_cast<int>(response.status);
  if (response.error != http::TransportError::none) {
    result.outcome = engine::WriteOutcome::retry;
    result.reason = response.error_message;
    return result;
  }
  const long status = response.status;
  const bool is_delete = pending.request.method == engine::WriteMethod::remove;
  if ((status >= 200 && status < 300) || (is_delete && status == 404)) {
    result.outcome = engine::WriteOutcome::done;
    return result;
  }
  std::string summary = error_summary(response.body);
  result.reason = "HTTP " + std::to_string(status) + (summary.empty() ? "" : " " + summary);
  if (status == 400 || status == 422) {
    result.outcome = engine::WriteOutcome::rejected;
  } else if (status == 401 || status == 403 || status == 404) {
    result.outcome = engine::WriteOutcome::stop;
  } else {
    result.outcome = engine::WriteOutcome::retry;  // 409, 429, 5xx and anything unexpected
    if (status == 429 || status == 503) {
      result.retry_after =
          parse_retry_after(response.retry_after, std::chrono::system_clock::now());
    }
  }
  return result;
}

void NationalClient::write(const WriteSource& next, const WriteSink& done,
                           std::size_t max_in_flight) {
  bool refused = false;  // the token endpoint refused our credentials: stop
  const auto source = [&]() -> std::optional<http::Request> {
    if (refused) return std::nullopt;
    const auto now = SteadyClock::now();
    if (flow_.ready_at(now, in_flight_.size()) > now) return std::nullopt;
    std::optional<Pending> pending;
    if (!reissue_.empty()) {
      pending = std::move(reissue_.front());
      reissue_.pop_front();
    } else if (auto request = next()) {
      pending = Pending{std::move(*request), {}, false, 0, 0};
    } else {
      return std::nullopt;
    }
    auto token = tokens_.token();
    if (!token) {
      // Bad credentials stop pushing; a token endpoint that is down or busy
      // makes this write wait and retry like any transient failure.
      refused = !worth_retrying(token.error().kind);
      // Without a token no write can go: hold them all rather than ask the
      // failing endpoint again for each one.
      if (!refused) flow_.pause(SteadyClock::now(), options_.backoff.initial);
      done(engine::WriteResult{pending->request.id,
                               refused ? engine::WriteOutcome::stop : engine::WriteOutcome::retry,
                               0,
                               token.error().message,
                               {},
                               {}});
      return std::nullopt;
    }
    pending->generation = flow_.started(SteadyClock::now());
    pending->in_flight = in_flight_.size() + 1;
    return start(std::move(*pending), std::move(*token));
  };
  const auto sink = [&](http::Request&& request, http::Response&& response) {
    auto it = in_flight_.find(request.tag);
    Pending pending = std::move(it->second);
    in_flight_.erase(it);
    learn(response, &pending);
    if (response.error == http::TransportError::none && response.status == 401 &&
        !pending.retried_401) {
      tokens_.invalidate(pending.token);
      pending.retried_401 = true;
      reissue_.push_back(std::move(pending));
      return;
    }
    done(classify(pending, response));
  };
  const auto wake = [&]() -> std::optional<SteadyClock::time_point> {
    const auto at = flow_.ready_at(SteadyClock::now(), in_flight_.size());
    if (at == SteadyClock::time_point::max()) return std::nullopt;
    return at;
  };
  http_.run(source, sink, max_in_flight, wake);
  // Re-issues left when the run ended (refused credentials, or held back by
  // flow control with nothing in flight): report them, lose none.
  while (!reissue_.empty()) {
    done(engine::WriteResult{reissue_.front().request.id,
                             refused ? engine::WriteOutcome::stop : engine::WriteOutcome::retry,
                             401,
                             refused ? "not sent: the token endpoint refused the credentials"
                                     : "HTTP 401: to be sent again with a fresh token",
                             {},
                             {}});
    reissue_.pop_front();
  }
}

}  // namespace psd::national
