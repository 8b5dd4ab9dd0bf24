#include "adapters/national/national_client.hpp"

#include <curl/curl.h>

#include <charconv>
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

}  // namespace

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  long long seconds = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (error != std::errc() || end != value.data() + value.size() || seconds < 0)
    return std::nullopt;
  return std::min(std::chrono::seconds(seconds), kMaxRetryAfter);
}

NationalClient::NationalClient(http::HttpClient& http, TokenSource& tokens, NationalOptions options)
    : http_(http), tokens_(tokens), options_(std::move(options)) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/')
    options_.base_url.pop_back();
}

std::string NationalClient::services_url() const {
  return options_.base_url + "/provinces/" + url_escape(options_.province) + "/services";
}

http::Response NationalClient::get_with_token(const std::string& url, const http::Request& shape) {
  http::Response response;
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto token = tokens_.token();
    if (!token) {
      response.status = 0;
      response.error = http::TransportError::other;
      response.error_message = token.error().message;
      return response;
    }
    http::Request request = shape;
    request.url = url;
    request.headers.push_back(bearer(*token));
    response = http_.perform(request);
    if (response.error != http::TransportError::none || response.status != 401) break;
    tokens_.invalidate(*token);  // 401: a new token, and one more try
  }
  return response;
}

tl::expected<core::Mirror, core::Failure> NationalClient::list() {
  ListingWalk walk;
  std::optional<std::string> cursor;
  http::Request shape;
  shape.method = http::Method::get;
  shape.headers.emplace_back("Accept: application/json");
  do {
    std::string url = services_url() + "?limit=" + std::to_string(kListingLimit);
    if (cursor) url += "&cursor=" + url_escape(*cursor);
    shape.url = url;
    const http::Response response = get_with_token(url, shape);
    if (!response.ok() || response.status != 200) {
      if (response.status == 0 && response.error == http::TransportError::other) {
        return tl::unexpected(
            core::Failure{core::FailureKind::unauthorized, response.error_message});
      }
      core::Failure failure = failure_of(kSource, shape, response);
      failure.message += " (listing page " + std::to_string(walk.pages() + 1) + ")";
      return tl::unexpected(std::move(failure));
    }
    auto next = walk.add(response.body);
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
    if (status == 429 || status == 503)
      result.retry_after = parse_retry_after(response.retry_after);
  }
  return result;
}

void NationalClient::write(const WriteSource& next, const WriteSink& done,
                           std::size_t max_in_flight) {
  bool token_failed = false;
  const auto source = [&]() -> std::optional<http::Request> {
    if (token_failed) return std::nullopt;
    std::optional<Pending> pending;
    if (!reissue_.empty()) {
      pending = std::move(reissue_.front());
      reissue_.pop_front();
    } else if (auto request = next()) {
      pending = Pending{std::move(*request), {}, false};
    } else {
      return std::nullopt;
    }
    auto token = tokens_.token();
    if (!token) {
      token_failed = true;
      done(engine::WriteResult{
          pending->request.id, engine::WriteOutcome::stop, 0, token.error().message, {}, {}});
      return std::nullopt;
    }
    return start(std::move(*pending), std::move(*token));
  };
  const auto sink = [&](http::Request&& request, http::Response&& response) {
    auto it = in_flight_.find(request.tag);
    Pending pending = std::move(it->second);
    in_flight_.erase(it);
    if (response.error == http::TransportError::none && response.status == 401 &&
        !pending.retried_401) {
      tokens_.invalidate(pending.token);
      pending.retried_401 = true;
      reissue_.push_back(std::move(pending));
      return;
    }
    done(classify(pending, response));
  };
  http_.run(source, sink, max_in_flight);
  // A token failure leaves queued re-issues unsent: report them, lose none.
  while (!reissue_.empty()) {
    done(engine::WriteResult{reissue_.front().request.id,
                             engine::WriteOutcome::stop,
                             401,
                             "HTTP 401 again after a fresh token",
                             {},
                             {}});
    reissue_.pop_front();
  }
}

}  // namespace psd::national
