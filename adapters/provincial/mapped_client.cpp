#include "adapters/provincial/mapped_client.hpp"

#include <unordered_map>

#include "adapters/failure_of.hpp"
#include "adapters/json_body.hpp"
#include "adapters/provincial/mapped_values.hpp"
#include "daemon/core/validate.hpp"

namespace psd::provincial {
namespace {

constexpr const char* kSource = "provincial catalogue";

core::Failure bad_page(const http::Request& request, std::int64_t page, const std::string& reason) {
  return {core::FailureKind::bad_response, std::string(kSource) + ": GET " + request.url +
                                               ": page " + std::to_string(page) + ": " + reason};
}

std::string with_param(std::string url, const std::string& name, std::int64_t value) {
  url += url.find('?') == std::string::npos ? '?' : '&';
  return url + name + "=" + std::to_string(value);
}

}  // namespace

MappedCatalogueClient::MappedCatalogueClient(http::HttpClient& http, MappedCatalogueOptions options,
                                             config::Mapping mapping, AgencyRemap remap,
                                             engine::Clock& clock)
    : options_(std::move(options)),
      clock_(clock),
      pacing_(window_, clock_),
      fetcher_(http, pacing_, options_.retry, kSource, clock_),
      mapper_(std::move(mapping), std::move(remap)),
      page_size_(mapper_.mapping().paging.size > 0 ? mapper_.mapping().paging.size
                                                   : options_.page_size) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/')
    options_.base_url.pop_back();
}

http::Request MappedCatalogueClient::page_request(std::int64_t index, std::int64_t start) const {
  const config::Paging& paging = mapper_.mapping().paging;
  std::string url = options_.base_url + mapper_.mapping().path;
  switch (paging.style) {
    case config::PagingStyle::page:
      url = with_param(url, paging.page_param, paging.first_page + index);
      url = with_param(url, paging.size_param, page_size_);
      break;
    case config::PagingStyle::offset:
      url = with_param(url, paging.start_param, start);
      url = paging.end_param.empty() ? with_param(url, paging.limit_param, page_size_)
                                     : with_param(url, paging.end_param, start + page_size_);
      break;
    case config::PagingStyle::none:
      break;
  }
  http::Request request;
  request.method = http::Method::get;
  request.url = std::move(url);
  request.headers.emplace_back("Accept: application/json");
  if (!options_.bearer_token.empty()) {
    request.headers.push_back("Authorization: Bearer " + options_.bearer_token);
  }
  request.tag = static_cast<std::size_t>(index + 1);
  return request;
}

tl::expected<MappedPage, core::Failure> MappedCatalogueClient::fetch_page(
    const http::Request& request, const std::string& started_at) {
  const auto number = static_cast<std::int64_t>(request.tag);
  std::optional<MappedPage> page;
  std::optional<core::Failure> refused;  // an answer no retry would mend
  const auto take = [&](const http::Request& sent, http::Response& response) {
    if (response.status != 200) {
      refused = failure_of(kSource, sent, response);
      refused->message += " (page " + std::to_string(number) + ")";
      return PageCheck::stop();
    }
    auto parsed = parse_mapped_page(response.body, mapper_, static_cast<int>(number), started_at);
    if (parsed) {
      page = std::move(*parsed);
      return PageCheck::taken();
    }
    // Not JSON at all (a gateway's HTML page) may pass; the mapping's verdict will not.
    if (parsed.error().kind == core::FailureKind::transient) {
      return PageCheck::retry(bad_page(sent, number, parsed.error().message));
    }
    refused = bad_page(sent, number, parsed.error().message);
    return PageCheck::stop();
  };
  const auto name = [](const http::Request& sent) { return "page " + std::to_string(sent.tag); };
  if (auto failure = fetcher_.fetch_one(request, take, name)) return tl::unexpected(*failure);
  if (refused) return tl::unexpected(*refused);
  return std::move(*page);
}

tl::expected<engine::CatalogueListing, core::Failure> MappedCatalogueClient::read(
    const std::string& /*etag*/) {
  engine::CatalogueListing listing;
  for (int attempt = 0; attempt <= options_.max_restarts; ++attempt) {
    auto result = read_once(listing);
    if (!result) return tl::unexpected(result.error());
    if (*result == Attempt::done) return listing;
    ++listing.restarts;
  }
  return tl::unexpected(core::Failure{
      core::FailureKind::torn, std::string(kSource) + ": " + torn_reason_ +
                                   ": the catalogue changed while it was being " + "read, " +
                                   std::to_string(listing.restarts) +
                                   " times in a row; nothing is pushed from a torn listing"});
}

tl::expected<MappedCatalogueClient::Attempt, core::Failure> MappedCatalogueClient::read_once(
    engine::CatalogueListing& listing) {
  const config::Paging& paging = mapper_.mapping().paging;
  const bool has_total = !mapper_.mapping().envelope.total.empty();
  const std::string started_at = format_utc_seconds(clock_.now());
  // A bogus total or a server that never stops must not walk forever.
  const std::int64_t max_pages = kMaxCatalogueItems / page_size_ + 2;

  core::Snapshot snapshot;
  std::vector<std::uint64_t> remapped;
  std::unordered_map<std::string, std::int64_t> page_of_code;
  std::optional<std::int64_t> total;
  std::int64_t received = 0;
  for (std::int64_t index = 0;; ++index) {
    const std::int64_t number = index + 1;
    http::Request request = page_request(index, received);
    if (index >= max_pages) {
      return tl::unexpected(bad_page(request, number,
                                     "the listing did not end after " + std::to_string(max_pages) +
                                         " pages of " + std::to_string(page_size_)));
    }
    auto page = fetch_page(request, started_at);
    if (!page) return tl::unexpected(page.error());

    if (has_total) {
      if (!total) {
        total = page->total;
        if (*total > kMaxCatalogueItems) {
          return tl::unexpected(bad_page(request, number,
                                         "total " + std::to_string(*total) +
                                             " is more than a catalogue may hold (" +
                                             std::to_string(kMaxCatalogueItems) + ")"));
        }
      } else if (page->total != total) {
        torn_reason_ = "GET " + request.url + ": page " + std::to_string(number) +
                       ": total changed from " + std::to_string(*total) + " to " +
                       std::to_string(*page->total);
        return Attempt::torn;
      }
    }
    for (const std::string& code : page->codes) {
      const auto [at, fresh] = page_of_code.emplace(code, number);
      if (!fresh && at->second != number) {
        torn_reason_ = "GET " + request.url + ": page " + std::to_string(number) + ": code " +
                       one_line_excerpt(code, 64) + " was on page " + std::to_string(at->second) +
                       " too";
        return Attempt::torn;
      }
    }
    const auto items = static_cast<std::int64_t>(page->items);
    received += items;
    snapshot.information_only += page->information_only;
    add_counts(remapped, page->remapped);
    std::move(page->services.begin(), page->services.end(), std::back_inserter(snapshot.services));
    std::move(page->invalid.begin(), page->invalid.end(), std::back_inserter(snapshot.invalid));

    if (paging.style == config::PagingStyle::none || items == 0) break;
    if (total) {
      if (received >= *total) break;
      // Pages by number skip records when the server caps the size below ours.
      if (paging.style == config::PagingStyle::page && items < page_size_) {
        return tl::unexpected(bad_page(
            request, number,
            "held " + std::to_string(items) + " records, fewer than the " +
                std::to_string(page_size_) + " asked for, before total " + std::to_string(*total) +
                " was reached: the server may cap the page size; set "
                "[paging].size to at most its cap"));
      }
    } else if (items < page_size_) {
      break;
    }
  }
  if (total && received != *total) {
    return tl::unexpected(bad_page(page_request(0, 0), 1,
                                   "the pages held " + std::to_string(received) +
                                       " records, total says " + std::to_string(*total)));
  }
  core::reject_duplicate_codes(snapshot);
  snapshot.remapped = mapper_.remap().uses(remapped);
  listing.unchanged = false;
  listing.snapshot = std::move(snapshot);
  return Attempt::done;
}

}  // namespace psd::provincial
