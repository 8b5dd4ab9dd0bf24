#include "adapters/http/curl_handles.hpp"

#include <mutex>
#include <new>
#include <stdexcept>

namespace psd::http::detail {

void ensure_curl_initialized() {
  // curl_global_init is not thread-safe and must run before any other call.
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("curl_global_init failed");
    }
  });
}

namespace {

// libcurl returns a null handle only when it is out of memory.
template <typename Handle>
Handle checked(Handle handle) {
  if (!handle) {
    throw std::bad_alloc();
  }
  return handle;
}

}  // namespace

EasyHandle make_easy() {
  ensure_curl_initialized();
  return checked(EasyHandle(curl_easy_init()));
}

MultiHandle make_multi() {
  ensure_curl_initialized();
  return checked(MultiHandle(curl_multi_init()));
}

void append(HeaderList& list, const char* line) {
  // curl_slist_append returns null on failure and leaves the old list intact.
  curl_slist* grown = curl_slist_append(list.get(), line);
  if (grown == nullptr) {
    throw std::bad_alloc();
  }
  (void)list.release();
  list.reset(grown);
}

}  // namespace psd::http::detail
