#include "adapters/national/token_source.hpp"

#include <curl/curl.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <memory>

#include "adapters/failure_of.hpp"
#include "adapters/json_body.hpp"

namespace psd::national {
namespace {

constexpr const char* kSource = "national token endpoint";

std::string form_escape(const std::string& text) {
  // libcurl ignores the handle here since 7.82 (Debian 12 has 7.88).
  const std::unique_ptr<char, decltype(&curl_free)> escaped(
      curl_easy_escape(nullptr, text.c_str(), static_cast<int>(text.size())), &curl_free);
  return escaped ? std::string(escaped.get()) : std::string();
}

}  // namespace

std::chrono::steady_clock::time_point renew_time(std::chrono::steady_clock::time_point issued,
                                                 std::chrono::seconds lifetime) {
  // In steady-clock ticks, not seconds: a tenth of a 5 s token is 500 ms, not 0.
  const std::chrono::steady_clock::duration life = lifetime;
  const auto margin = std::min<std::chrono::steady_clock::duration>(life / 10, kMaxRenewMargin);
  return issued + life - margin;
}

TokenSource::TokenSource(http::HttpClient& http, TokenOptions options, engine::Clock& clock)
    : http_(http), options_(std::move(options)), clock_(clock) {}

tl::expected<std::string, core::Failure> TokenSource::token() {
  if (!token_.empty() && clock_.steady_now() < renew_at_) return token_;
  return fetch();
}

void TokenSource::invalidate(const std::string& token) {
  if (token == token_) token_.clear();
}

tl::expected<std::string, core::Failure> TokenSource::fetch() {
  http::Request request;
  request.method = http::Method::post;
  request.url = options_.token_url;
  request.headers = {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"};
  request.body = "grant_type=client_credentials&client_id=" + form_escape(options_.client_id) +
                 "&client_secret=" + form_escape(options_.client_secret);
  const auto issued = clock_.steady_now();
  const http::Response response = http_.perform(request);
  ++fetches_;
  if (observer_) observer_(response);
  if (!response.ok()) {
    core::Failure failure = failure_of(kSource, request, response);
    if (response.status == 400 || response.status == 401) {
      failure.kind = core::FailureKind::unauthorized;
      failure.message += " (check national.client_id and the client secret file)";
    }
    return tl::unexpected(failure);
  }
  rapidjson::Document document;
  document.Parse<kStrictJsonFlags>(response.body.data(), response.body.size());
  const auto bad = [&](const char* why) {
    return tl::unexpected(
        core::Failure{core::FailureKind::bad_response,
                      std::string(kSource) + ": POST " + request.url + ": " + why});
  };
  if (document.HasParseError() || !document.IsObject())
    return bad("the answer is not a JSON object");
  const auto access = document.FindMember("access_token");
  const auto type = document.FindMember("token_type");
  const auto expires = document.FindMember("expires_in");
  if (access == document.MemberEnd() || !access->value.IsString() ||
      access->value.GetStringLength() == 0) {
    return bad("no access_token in the answer");
  }
  if (type == document.MemberEnd() || !type->value.IsString() ||
      std::string_view(type->value.GetString()) != "Bearer") {
    return bad("token_type is not Bearer");
  }
  if (expires == document.MemberEnd() || !expires->value.IsInt64() ||
      expires->value.GetInt64() <= 0) {
    return bad("expires_in is not a positive integer");
  }
  token_.assign(access->value.GetString(), access->value.GetStringLength());
  renew_at_ = renew_time(issued, std::chrono::seconds(expires->value.GetInt64()));
  return token_;
}

}  // namespace psd::national
