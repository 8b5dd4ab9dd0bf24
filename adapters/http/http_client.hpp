#pragma once
// libcurl behind one small header: requests and responses are plain structs.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

namespace psd::http {

enum class Method { get, post, put, del };

struct Request {
  Method method = Method::get;
  std::string url;
  std::vector<std::string> headers;  ///< "Name: value"
  std::string body;
  std::size_t tag = 0;  ///< caller's own: copied to the Response
};

enum class TransportError {
  none,
  timeout,    ///< connect or whole-request timeout
  connect,    ///< refused, unreachable, DNS
  reset,      ///< connection dropped, empty reply, partial body
  tls,        ///< certificate or handshake
  too_large,  ///< body over HttpOptions::max_body_bytes
  aborted,    ///< abandoned on HttpOptions::abandon (shutdown); the request may have landed
  other,
};

struct Response {
  long status = 0;  ///< 0 when the transport failed
  TransportError error = TransportError::none;
  std::string error_message;  ///< libcurl's words, with the URL; no header values
  std::string body;
  std::string etag;               ///< ETag header, when present
  std::string catalogue_version;  ///< X-Catalogue-Version header, when present
  std::string retry_after;        ///< Retry-After header, raw, when present
  std::string content_type;
  std::size_t tag = 0;
  bool ok() const { return error == TransportError::none && status >= 200 && status < 300; }
};

struct HttpOptions {
  std::chrono::milliseconds timeout{30000};  ///< whole request
  std::chrono::milliseconds connect_timeout{10000};
  std::filesystem::path ca_file;      ///< empty: system trust store
  std::filesystem::path client_cert;  ///< empty: none
  std::filesystem::path client_key;
  std::size_t max_body_bytes = 64u << 20;
  std::string user_agent = "portal-syncd";
  /// Once requested, transfers in flight end at once with TransportError::aborted
  /// and none starts: how a shutdown bounds the wait for a hung portal.
  std::stop_token abandon;
};

/// Return "GET", "POST", "PUT" or "DELETE".
const char* to_string(Method method);
const char* to_string(TransportError error);

/// One client per remote service: its connections are kept alive and reused
/// by both `perform` and `run`. Not thread-safe: one thread drives it.
class HttpClient {
 public:
  explicit HttpClient(HttpOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Send `request` and wait for its response.
  Response perform(const Request& request);

  /// HttpOptions::abandon: a wait between requests (a backoff, a Retry-After
  /// window) ends on it too, since nothing may be sent after it.
  const std::stop_token& abandon() const;

  /// Source of requests for `run`: return the next one, or nothing when there
  /// is none to start now (run ends when the source is empty and nothing is in flight).
  using Source = std::function<std::optional<Request>()>;
  /// Called on the driving thread as each request completes, in completion order.
  using Sink = std::function<void(Request&&, Response&&)>;

  /// For a source held back by flow control: how long until it may have a
  /// request to start, so `run` asks it again then and not only when a
  /// transfer ends. Nothing: only a completion can change its answer. A wait,
  /// not a time, so the transport reads no clock: the source measures it on its own.
  using Wake = std::function<std::optional<std::chrono::milliseconds>()>;
  /// Send requests from `next` with at most `max_in_flight` at once over
  /// reused connections (libcurl multi), calling `done` for each. `done` may
  /// make `next` return more requests (e.g. a retry). A `max_in_flight` of 0
  /// counts as 1. `next` and `done` may call `perform` or `run` on this client;
  /// the nested call's transfers come on top of the outer ones.
  void run(const Source& next, const Sink& done, std::size_t max_in_flight, const Wake& wake = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace psd::http
