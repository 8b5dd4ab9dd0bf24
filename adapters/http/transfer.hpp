#pragma once
// One request in flight: its easy handle, configured for it, and the response it fills.

#include <curl/curl.h>

#include <cstddef>
#include <string_view>

#include "adapters/http/curl_handles.hpp"
#include "adapters/http/error_map.hpp"
#include "adapters/http/http_client.hpp"

namespace psd::http::detail {

/// libcurl keeps pointers into a Transfer (body, header list, callbacks), so it
/// lives on the heap and never moves while its handle is in use.
class Transfer {
 public:
  /// Configure `easy` (fresh or reset) to send `request` under `options`.
  Transfer(Request request, EasyHandle easy, const HttpOptions& options);
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  CURL* handle() const { return easy_.get(); }
  /// Return CURLE_OK when every option took, else the first failure.
  CURLcode setup_result() const { return setup_; }

  /// Fill the response from `code`, libcurl's result for this transfer.
  void finish(CURLcode code);
  /// Mark the response failed with `error`, explained by `text`.
  void fail(TransportError error, std::string_view text);

  /// Give the easy handle back (for the pool); call after `finish` or `fail`.
  EasyHandle take_handle() { return std::move(easy_); }
  Request take_request() { return std::move(request_); }
  Response take_response() { return std::move(response_); }

 private:
  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self);
  CURLcode configure(const HttpOptions& options);
  CURLcode send_body();

  Request request_;
  Response response_;
  std::size_t max_body_;
  BodyLimit limit_ = BodyLimit::within;
  char error_[CURL_ERROR_SIZE] = {};
  HeaderList headers_;  // declared before easy_: the handle goes first
  EasyHandle easy_;
  CURLcode setup_ = CURLE_OK;
};

}  // namespace psd::http::detail
