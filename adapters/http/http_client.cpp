#include "adapters/http/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <unordered_map>
#include <utility>
#include <vector>

#include "adapters/http/curl_handles.hpp"
#include "adapters/http/limits.hpp"
#include "adapters/http/transfer.hpp"
#include "daemon/core/enum_names.hpp"

namespace psd::http {

using detail::EasyHandle;
using detail::Transfer;

namespace {

constexpr auto kMethodNames = core::enum_names<Method::del>("GET", "POST", "PUT", "DELETE");
constexpr auto kErrorNames = core::enum_names<TransportError::other>(
    "none", "timeout", "connect", "reset", "tls", "too_large", "aborted", "other");

}  // namespace

const char* to_string(Method method) { return kMethodNames(method).data(); }

const char* to_string(TransportError error) { return kErrorNames(error).data(); }

namespace {

constexpr const char* kAbandoned = "abandoned: the daemon is shutting down";

// What one call of `drive` owns. Transfers finish into their own batch, so a
// `perform` made from inside a sink never hands the outer run's responses to itself.
struct Batch {
  std::size_t in_flight = 0;
  std::deque<std::unique_ptr<Transfer>> finished;  // in completion order, not yet sunk
};

std::chrono::milliseconds poll_timeout(const HttpClient::Wake& wake) {
  if (!wake) return detail::kPollTimeout;
  const auto left = wake();
  if (!left) return detail::kPollTimeout;
  return std::clamp(*left, std::chrono::milliseconds(0), detail::kPollTimeout);
}

}  // namespace

struct HttpClient::Impl {
  explicit Impl(HttpOptions opts)
      : options(std::move(opts)),
        multi(detail::make_multi()),
        // curl_multi_wakeup is thread-safe: an abandon ends the wait in curl_multi_poll at once.
        wake_on_abandon(options.abandon, [handle = multi.get()] { curl_multi_wakeup(handle); }) {
    raise_connection_limits(1);
  }

  void raise_connection_limits(std::size_t cap);
  void drive(const Source& next, const Sink& done, std::size_t cap, const Wake& wake);
  const std::stop_token& abandon_token() const { return options.abandon; }

 private:
  struct Active {
    std::unique_ptr<Transfer> transfer;
    Batch* batch;
  };

  void start(Request request, Batch& batch);
  void wait_and_collect(Batch& batch, std::chrono::milliseconds timeout);
  void collect();
  void fail_all(Batch& batch, TransportError error, const char* message);
  void abandon(Batch& batch) noexcept;
  EasyHandle acquire();
  void release(EasyHandle easy);

  HttpOptions options;
  detail::MultiHandle multi;  // owns the connection and DNS caches
  std::stop_callback<std::function<void()>> wake_on_abandon;
  std::vector<EasyHandle> idle;  // reset handles, reused to spare allocations
  std::unordered_map<CURL*, Active> active;
  std::size_t host_limit = 0;
};

void HttpClient::Impl::raise_connection_limits(std::size_t cap) {
  // Only ever raised: a nested `perform` must not shrink a running batch's limit.
  if (cap <= host_limit) {
    return;
  }
  host_limit = cap;
  // In-flight transfers never need more than `cap` connections to one host, and
  // the cache keeps at least that many idle ones so a burst's connections survive it.
  curl_multi_setopt(multi.get(), CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(cap));
  curl_multi_setopt(multi.get(), CURLMOPT_MAXCONNECTS,
                    static_cast<long>(std::max(cap, detail::kMinConnectionCache)));
}

void HttpClient::Impl::drive(const Source& next, const Sink& done, std::size_t cap,
                             const Wake& wake) {
  Batch batch;
  // If `next` or `done` throws, take this batch's transfers out of the multi handle.
  struct Guard {
    Impl& impl;
    Batch& batch;
    ~Guard() { impl.abandon(batch); }
  } guard{*this, batch};

  for (;;) {
    // Undelivered results hold their slot, so the sink sees at most `cap` outstanding.
    while (batch.in_flight + batch.finished.size() < cap) {
      std::optional<Request> request = next();
      if (!request) {
        break;
      }
      start(std::move(*request), batch);
    }
    if (!batch.finished.empty()) {
      std::unique_ptr<Transfer> transfer = std::move(batch.finished.front());
      batch.finished.pop_front();
      done(transfer->take_request(), transfer->take_response());
      continue;  // the sink may have queued a retry: ask `next` again
    }
    if (batch.in_flight == 0) {
      return;
    }
    wait_and_collect(batch, poll_timeout(wake));
  }
}

void HttpClient::Impl::start(Request request, Batch& batch) {
  auto transfer = std::make_unique<Transfer>(std::move(request), acquire(), options);
  if (options.abandon.stop_requested()) {
    transfer->fail(TransportError::aborted, kAbandoned);
    release(transfer->take_handle());
    batch.finished.push_back(std::move(transfer));
    return;
  }
  if (transfer->setup_result() != CURLE_OK) {
    release(transfer->take_handle());
    batch.finished.push_back(std::move(transfer));
    return;
  }
  CURL* handle = transfer->handle();
  // Track before adding, so no handle is ever in the multi without an owner.
  active.emplace(handle, Active{std::move(transfer), &batch});
  const CURLMcode code = curl_multi_add_handle(multi.get(), handle);
  if (code != CURLM_OK) {
    auto node = active.extract(handle);
    node.mapped().transfer->fail(TransportError::other, curl_multi_strerror(code));
    release(node.mapped().transfer->take_handle());
    batch.finished.push_back(std::move(node.mapped().transfer));
    return;
  }
  ++batch.in_flight;
}

void HttpClient::Impl::wait_and_collect(Batch& batch, std::chrono::milliseconds timeout) {
  if (options.abandon.stop_requested()) {
    fail_all(batch, TransportError::aborted, kAbandoned);
    return;
  }
  int running = 0;
  CURLMcode code = curl_multi_perform(multi.get(), &running);
  if (code == CURLM_OK) {
    collect();
    if (!batch.finished.empty() || batch.in_flight == 0) {
      return;
    }
    code = curl_multi_poll(multi.get(), nullptr, 0, static_cast<int>(timeout.count()), nullptr);
  }
  if (code != CURLM_OK) {
    fail_all(batch, TransportError::other, curl_multi_strerror(code));
  } else if (options.abandon.stop_requested()) {
    fail_all(batch, TransportError::aborted, kAbandoned);
  }
}

void HttpClient::Impl::collect() {
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi.get(), &queued)) {
    if (message->msg != CURLMSG_DONE) {
      continue;
    }
    // `message` dies with curl_multi_remove_handle: copy what we need first.
    CURL* handle = message->easy_handle;
    const CURLcode result = message->data.result;
    auto node = active.extract(handle);
    if (node.empty()) {
      continue;
    }
    curl_multi_remove_handle(multi.get(), handle);
    Active& done = node.mapped();
    done.transfer->finish(result);
    release(done.transfer->take_handle());
    --done.batch->in_flight;
    done.batch->finished.push_back(std::move(done.transfer));
  }
}

void HttpClient::Impl::fail_all(Batch& batch, TransportError error, const char* message) {
  for (auto it = active.begin(); it != active.end();) {
    if (it->second.batch != &batch) {
      ++it;
      continue;
    }
    auto node = active.extract(it++);
    curl_multi_remove_handle(multi.get(), node.key());
    node.mapped().transfer->fail(error, message);
    release(node.mapped().transfer->take_handle());
    --batch.in_flight;
    batch.finished.push_back(std::move(node.mapped().transfer));
  }
}

void HttpClient::Impl::abandon(Batch& batch) noexcept {
  for (auto it = active.begin(); it != active.end();) {
    if (it->second.batch == &batch) {
      curl_multi_remove_handle(multi.get(), it->first);  // the handle is cleaned up, not pooled
      it = active.erase(it);
    } else {
      ++it;
    }
  }
}

EasyHandle HttpClient::Impl::acquire() {
  if (idle.empty()) {
    return detail::make_easy();
  }
  EasyHandle easy = std::move(idle.back());
  idle.pop_back();
  return easy;
}

void HttpClient::Impl::release(EasyHandle easy) {
  // Reset drops this request's options; the connection stays in the multi's cache.
  curl_easy_reset(easy.get());
  idle.push_back(std::move(easy));
}

HttpClient::HttpClient(HttpOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpClient::~HttpClient() = default;

Response HttpClient::perform(const Request& request) {
  // A run of one: the same multi handle, so the same connection cache as `run`.
  std::optional<Request> pending(request);
  Response response;
  impl_->drive([&pending] { return std::exchange(pending, std::nullopt); },
               [&response](Request&&, Response&& done) { response = std::move(done); }, 1, {});
  return response;
}

const std::stop_token& HttpClient::abandon() const { return impl_->abandon_token(); }

void HttpClient::run(const Source& next, const Sink& done, std::size_t max_in_flight,
                     const Wake& wake) {
  const std::size_t cap = std::max<std::size_t>(max_in_flight, 1);
  impl_->raise_connection_limits(cap);
  impl_->drive(next, done, cap, wake);
}

}  // namespace psd::http
