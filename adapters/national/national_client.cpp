#include "adapters/national/national_client.hpp"

#include <curl/curl.h>

#include <memory>

#include "adapters/failure_of.hpp"
#include "adapters/national/listing_parser.hpp"

namespace psd::national {
namespace {

constexpr const char* kSource = "national portal";
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
                               engine::Clock& clock)
    : http_(http),
      tokens_(tokens),
      options_(std::move(options)),
      clock_(clock),
      flow_(options_.flow) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/')
    options_.base_url.pop_back();
  tokens_.observe([this](const http::Response& response) { learn(response, nullptr); });
}

std::string NationalClient::services_url() const {
  return options_.base_url + "/provinces/" + url_escape(options_.province) + "/services";
}

std::chrono::steady_clock::time_point NationalClient::not_before() const {
  return flow_.ready_at(clock_.steady_now(), 0);
}

void NationalClient::learn(const http::Response& response, const Pending* pending) {
  if (response.error != http::TransportError::none) return;
  const long status = response.status;
  flow_.retry_window().learn(response, clock_.steady_now(), clock_.now());
  if (pending == nullptr) return;
  if (status == 429) {
    const bool concurrency = error_summary(response.body).starts_with("CONCURRENCY_LIMIT");
    flow_.congested(pending->generation, pending->in_flight,
                    concurrency ? FlowControl::Limit::concurrency : FlowControl::Limit::rate);
  } else if (status >= 200 && status < 300) {
    flow_.succeeded();
  }
}

PortalPacing::TimePoint NationalClient::ready_at(TimePoint now, std::size_t in_flight) {
  return flow_.ready_at(now, in_flight);
}

std::optional<core::Failure> NationalClient::prepare(http::Request& request) {
  flow_.retry_window().sending(clock_.steady_now());
  auto token = tokens_.token();
  if (!token) return token.error();
  request.headers.push_back(bearer(*token));
  listing_token_ = std::move(*token);
  flow_.started(clock_.steady_now());
  return std::nullopt;
}

bool NationalClient::learn(const http::Request& /*request*/, const http::Response& response) {
  learn(response, nullptr);
  if (response.error != http::TransportError::none || response.status != 401) return false;
  tokens_.invalidate(listing_token_);  // a new token, and one more try that is not counted
  return true;
}

tl::expected<core::Mirror, core::Failure> NationalClient::list(const std::stop_token& stop) {
  PageFetcher fetcher(http_, *this, {.backoff = options_.backoff, .max_tries = kListingAttempts},
                      kSource, clock_);
  ListingWalk walk;
  std::optional<std::string> cursor;
  do {
    if (stop.stop_requested()) {
      return tl::unexpected(core::Failure{core::FailureKind::transient,
                                          std::string(kSource) + ": listing stopped before page " +
                                              std::to_string(walk.pages() + 1)});
    }
    http::Request request;
    request.url = services_url() + "?limit=" + std::to_string(kListingLimit);
    if (cursor) request.url += "&cursor=" + url_escape(*cursor);
    request.headers.emplace_back("Accept: application/json");
    const std::string page = std::to_string(walk.pages() + 1);
    std::optional<core::Failure> refused;  // an answer no retry would mend
    const auto take = [&](const http::Request& sent, http::Response& response) {
      if (response.status != 200) {
        refused = failure_of(kSource, sent, response);
        refused->message += " (listing page " + page + ")";
        return PageCheck::stop();
      }
      const auto where = std::string(kSource) + ": GET " + sent.url + ": ";
      auto parsed = parse_listing_page(response.body);
      if (!parsed) {
        // Not a listing page (a gateway's HTML page, a body cut short): may pass.
        return PageCheck::retry(
            core::Failure{core::FailureKind::bad_response,
                          where + "page " + page + ": " + parsed.error().message});
      }
      auto next = walk.add(std::move(*parsed));
      if (!next) {
        refused = core::Failure{core::FailureKind::bad_response, where + next.error().message};
        return PageCheck::stop();
      }
      cursor = std::move(*next);
      return PageCheck::taken();
    };
    auto failure = fetcher.fetch_one(std::move(request), take,
                                     [&](const http::Request&) { return "listing page " + page; });
    if (!failure) failure = std::move(refused);
    if (failure) return tl::unexpected(std::move(*failure));
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
      result.retry_after = parse_retry_after(response.retry_after, clock_.now());
    }
  }
  return result;
}

void NationalClient::write(const WriteSource& next, const WriteSink& done, const WriteDue& due,
                           std::size_t max_in_flight) {
  bool refused = false;  // the token endpoint refused our credentials: stop
  const auto source = [&]() -> std::optional<http::Request> {
    if (refused) return std::nullopt;
    const auto now = clock_.steady_now();
    if (flow_.ready_at(now, in_flight_.size()) > now) return std::nullopt;
    flow_.retry_window().sending(now);
    std::optional<Pending> pending;
    if (!reissue_.empty()) {
      pending = std::move(reissue_.front());
      reissue_.pop_front();
    } else if (auto request = next()) {
      pending = Pending{.request = std::move(*request)};
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
      if (!refused) flow_.pause(clock_.steady_now(), options_.backoff.initial);
      done(engine::WriteResult{
          .id = pending->request.id,
          .outcome = refused ? engine::WriteOutcome::stop : engine::WriteOutcome::retry,
          .reason = token.error().message});
      return std::nullopt;
    }
    pending->generation = flow_.started(clock_.steady_now());
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
  // How long the transport may wait for a completion before asking `source`
  // again: until flow control lets a write go, and when it already does (so
  // the source had none, or every slot is taken) until the engine's next
  // retry is due. "Now" here would spin while the last writes are in flight.
  const auto wake = [&]() -> std::optional<std::chrono::milliseconds> {
    const auto now = clock_.steady_now();
    auto at = flow_.ready_at(now, in_flight_.size());
    if (at <= now) {
      const auto due_at = refused || !due ? std::nullopt : due();
      if (!due_at) return std::nullopt;
      at = *due_at;
    }
    if (at == FlowControl::TimePoint::max()) return std::nullopt;
    return std::chrono::ceil<std::chrono::milliseconds>(at - now);
  };
  http_.run(source, sink, max_in_flight, wake);
  // Re-issues left when the run ended (refused credentials, or held back by
  // flow control with nothing in flight): report them, lose none.
  while (!reissue_.empty()) {
    done(engine::WriteResult{
        .id = reissue_.front().request.id,
        .outcome = refused ? engine::WriteOutcome::stop : engine::WriteOutcome::retry,
        .http_status = 401,
        .reason = refused ? "not sent: the token endpoint refused the credentials"
                          : "HTTP 401: to be sent again with a fresh token"});
    reissue_.pop_front();
  }
}

}  // namespace psd::national
