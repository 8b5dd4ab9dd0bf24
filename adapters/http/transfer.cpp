#include "adapters/http/transfer.hpp"

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

#include "adapters/http/limits.hpp"
#include "adapters/http/response_headers.hpp"

namespace psd::http::detail {
namespace {

long to_long_ms(std::chrono::milliseconds duration) {
  return static_cast<long>(std::max<std::chrono::milliseconds::rep>(duration.count(), 0));
}

curl_off_t to_off(std::size_t size) {
  constexpr auto kMax = static_cast<std::size_t>(std::numeric_limits<curl_off_t>::max());
  return static_cast<curl_off_t>(std::min(size, kMax));
}

// Hide "user:password@" should a URL ever carry it; the rest of the URL stays for diagnosis.
std::string without_userinfo(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) {
    return std::string(url);
  }
  const std::size_t host = scheme + 3;
  const std::size_t end = std::min(url.find_first_of("/?#", host), url.size());
  const std::size_t at = url.substr(0, end).rfind('@');
  if (at == std::string_view::npos || at < host) {
    return std::string(url);
  }
  return std::string(url.substr(0, host)) + "***@" + std::string(url.substr(at + 1));
}

std::string_view trim_right(std::string_view text) {
  const std::size_t last = text.find_last_not_of(" \t\r\n");
  return last == std::string_view::npos ? std::string_view{} : text.substr(0, last + 1);
}

bool has_body(const Request& request) {
  return request.method == Method::post || request.method == Method::put ||
         (request.method == Method::del && !request.body.empty());
}

}  // namespace

Transfer::Transfer(Request request, EasyHandle easy, const HttpOptions& options)
    : request_(std::move(request)), max_body_(options.max_body_bytes), easy_(std::move(easy)) {
  response_.tag = request_.tag;
  setup_ = configure(options);
  if (setup_ != CURLE_OK) {
    fail(TransportError::other, curl_easy_strerror(setup_));
  }
}

CURLcode Transfer::configure(const HttpOptions& options) {
  CURL* h = easy_.get();
  CURLcode rc = CURLE_OK;
  const auto keep = [&rc](CURLcode code) {
    if (rc == CURLE_OK) {
      rc = code;
    }
  };
  keep(curl_easy_setopt(h, CURLOPT_URL, request_.url.c_str()));
  keep(curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, kAllowedProtocols));
  keep(curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_));
  // Timeouts must not raise SIGALRM in a daemon with its own signal handling.
  keep(curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L));
  keep(curl_easy_setopt(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1)));
  keep(curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L));
  keep(curl_easy_setopt(h, CURLOPT_TCP_KEEPIDLE, kKeepAliveIdleSeconds));
  keep(curl_easy_setopt(h, CURLOPT_TCP_KEEPINTVL, kKeepAliveIntervalSeconds));
  keep(curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, to_long_ms(options.timeout)));
  keep(curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, to_long_ms(options.connect_timeout)));

  // Verification is always on; there is deliberately no option to turn it off.
  keep(curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L));
  keep(curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L));
  keep(curl_easy_setopt(h, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2)));
  if (!options.ca_file.empty()) {
    keep(curl_easy_setopt(h, CURLOPT_CAINFO, options.ca_file.c_str()));
  }
  if (!options.client_cert.empty()) {
    keep(curl_easy_setopt(h, CURLOPT_SSLCERT, options.client_cert.c_str()));
    keep(curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM"));
  }
  if (!options.client_key.empty()) {
    keep(curl_easy_setopt(h, CURLOPT_SSLKEY, options.client_key.c_str()));
    keep(curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM"));
  }
  if (!options.user_agent.empty()) {
    keep(curl_easy_setopt(h, CURLOPT_USERAGENT, options.user_agent.c_str()));
  }

  // Refuses early on a Content-Length over the limit; on_body catches the rest.
  if (max_body_ > 0) {
    keep(curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, to_off(max_body_)));
  }
  keep(curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &Transfer::on_body));
  keep(curl_easy_setopt(h, CURLOPT_WRITEDATA, this));
  keep(curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &Transfer::on_header));
  keep(curl_easy_setopt(h, CURLOPT_HEADERDATA, this));

  switch (request_.method) {
    case Method::get:
      keep(curl_easy_setopt(h, CURLOPT_HTTPGET, 1L));
      break;
    case Method::post:
      keep(send_body());
      break;
    case Method::put:
      keep(send_body());
      keep(curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT"));
      break;
    case Method::del:
      if (has_body(request_)) {
        keep(send_body());
      }
      keep(curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "DELETE"));
      break;
  }

  for (const std::string& line : request_.headers) {
    append(headers_, line.c_str());
  }
  if (has_body(request_)) {
    // Waiting for "100 Continue" costs a round trip (or a 1 s stall) per request.
    append(headers_, "Expect:");
  }
  if (headers_) {
    keep(curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers_.get()));
  }
  return rc;
}

CURLcode Transfer::send_body() {
  // POSTFIELDS points into request_, which outlives the transfer; no copy, no read callback.
  const CURLcode rc =
      curl_easy_setopt(easy_.get(), CURLOPT_POSTFIELDSIZE_LARGE, to_off(request_.body.size()));
  if (rc != CURLE_OK) {
    return rc;
  }
  return curl_easy_setopt(easy_.get(), CURLOPT_POSTFIELDS, request_.body.data());
}

std::size_t Transfer::on_body(char* data, std::size_t size, std::size_t count, void* self) {
  auto& transfer = *static_cast<Transfer*>(self);
  const std::size_t bytes = size * count;
  if (bytes > transfer.max_body_ - std::min(transfer.max_body_, transfer.response_.body.size())) {
    transfer.limit_ = BodyLimit::exceeded;
    return 0;  // anything but `bytes` aborts with CURLE_WRITE_ERROR
  }
  try {
    transfer.response_.body.append(data, bytes);
  } catch (...) {
    return 0;  // exceptions must not cross libcurl's C frames
  }
  return bytes;
}

std::size_t Transfer::on_header(char* data, std::size_t size, std::size_t count, void* self) {
  auto& transfer = *static_cast<Transfer*>(self);
  const std::size_t bytes = size * count;
  try {
    capture_header_line(std::string_view(data, bytes), transfer.response_);
  } catch (...) {
    return 0;
  }
  return bytes;
}

void Transfer::finish(CURLcode code) {
  const TransportError error = classify(code, limit_);
  if (error == TransportError::none) {
    long status = 0;
    curl_easy_getinfo(easy_.get(), CURLINFO_RESPONSE_CODE, &status);
    response_.status = status;
    return;
  }
  if (error == TransportError::too_large) {  // by Content-Length or while receiving
    fail(error, "response body exceeds " + std::to_string(max_body_) + " bytes");
  } else if (error_[0] != '\0') {
    fail(error, trim_right(error_));
  } else {
    fail(error, curl_easy_strerror(code));
  }
}

void Transfer::fail(TransportError error, std::string_view text) {
  // A failed transfer keeps nothing half-received; the message never quotes headers.
  Response failed;
  failed.tag = request_.tag;
  failed.error = error;
  failed.error_message = std::string(to_string(request_.method)) + " " +
                         without_userinfo(request_.url) + ": " + std::string(text);
  response_ = std::move(failed);
}

}  // namespace psd::http::detail
