#pragma once
// RAII owners for libcurl handles, so no early return or exception leaks one.

#include <curl/curl.h>

#include <memory>

namespace psd::http::detail {

/// Initialise libcurl once per process, before the first handle is made.
void ensure_curl_initialized();

struct EasyDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
struct MultiDeleter {
  void operator()(CURLM* handle) const noexcept { curl_multi_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};

using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;
using MultiHandle = std::unique_ptr<CURLM, MultiDeleter>;
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

/// Return a new easy handle; throw std::bad_alloc when libcurl cannot make one.
EasyHandle make_easy();
/// Return a new multi handle; throw std::bad_alloc when libcurl cannot make one.
MultiHandle make_multi();
/// Append `line` to `list`; throw std::bad_alloc when libcurl cannot.
void append(HeaderList& list, const char* line);

}  // namespace psd::http::detail
