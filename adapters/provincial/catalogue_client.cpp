#include "adapters/provincial/catalogue_client.hpp"

#include <utility>

#include "adapters/failure_of.hpp"
#include "adapters/provincial/page_join.hpp"
#include "adapters/provincial/page_parser.hpp"
#include "daemon/core/validate.hpp"

namespace psd::provincial {
namespace {

constexpr const char* kSource = "provincial catalogue";

core::Failure bad_response(const http::Request& request, std::int64_t page,
                           const std::string& reason) {
  return {core::FailureKind::bad_response, std::string(kSource) + ": GET " + request.url +
                                               ": page " + std::to_string(page) + ": " + reason};
}

/// The failure of an exchange that did not bring page `page`.
core::Failure exchange_failure(const http::Request& request, const http::Response& response,
                               std::int64_t page) {
  core::Failure failure = failure_of(kSource, request, response);
  failure.message += " (page " + std::to_string(page) + ")";
  return failure;
}

std::int64_t pages_for(std::int64_t items, std::int64_t page_size) {
  return page_size <= 0 ? 0 : (items + page_size - 1) / page_size;
}

}  // namespace

CatalogueClient::CatalogueClient(http::HttpClient& http, CatalogueOptions options,
                                 engine::Clock& clock)
    : http_(http),
      options_(std::move(options)),
      pacing_(window_, clock),
      fetcher_(http_, pacing_, options_.retry, kSource, clock) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/')
    options_.base_url.pop_back();
}

http::Request CatalogueClient::page_request(std::int64_t page) const {
  http::Request request;
  request.method = http::Method::get;
  request.url = options_.base_url + "/services?page=" + std::to_string(page) +
                "&page_size=" + std::to_string(options_.page_size);
  request.headers.emplace_back("Accept: application/json");
  if (!options_.bearer_token.empty()) {
    request.headers.push_back("Authorization: Bearer " + options_.bearer_token);
  }
  request.tag = static_cast<std::size_t>(page);
  return request;
}

tl::expected<engine::CatalogueListing, core::Failure> CatalogueClient::read(
    const std::string& etag) {
  engine::CatalogueListing listing;
  for (int attempt = 0; attempt <= options_.max_restarts; ++attempt) {
    auto result = read_once(etag, listing);
    if (!result) return tl::unexpected(result.error());
    if (*result == Attempt::done) return listing;
    ++listing.restarts;
  }
  const std::string url = page_request(torn_page_).url;
  return tl::unexpected(core::Failure{
      core::FailureKind::torn,
      std::string(kSource) + ": GET " + url + ": page " + std::to_string(torn_page_) +
          ": the catalogue changed while it was being read, " + std::to_string(listing.restarts) +
          " times in a row (X-Catalogue-Version differed from page 1's); nothing is pushed "
          "from a torn listing"});
}

tl::expected<CatalogueClient::Attempt, core::Failure> CatalogueClient::read_once(
    const std::string& etag, engine::CatalogueListing& listing) {
  const auto name = [](const http::Request& request) {
    return "page " + std::to_string(request.tag);
  };
  http::Request first = page_request(1);
  const bool conditional = !etag.empty() && options_.remap.empty();
  if (conditional) first.headers.push_back("If-None-Match: " + etag);
  std::optional<CataloguePage> page_one;
  std::string version;
  std::string first_etag;
  std::optional<core::Failure> refused;  // an answer no retry would mend
  const auto take_first = [&](const http::Request& sent, http::Response& response) {
    if (response.status == 304 && conditional) return PageCheck::taken();
    if (response.status != 200) {
      refused = exchange_failure(sent, response, 1);
      return PageCheck::stop();
    }
    // The body first: a gateway's HTML error page has no version header either,
    // and "an HTML page" tells the operator more. Neither is the page: retried.
    auto parsed = parse_catalogue_page(response.body, 1, &options_.remap);
    if (!parsed) return PageCheck::retry(bad_response(sent, 1, parsed.error().message));
    if (response.catalogue_version.empty()) {
      return PageCheck::retry(bad_response(sent, 1, "no X-Catalogue-Version header"));
    }
    page_one = std::move(*parsed);
    version = response.catalogue_version;
    first_etag = response.etag;
    return PageCheck::taken();
  };
  if (auto failure = fetcher_.fetch_one(first, take_first, name)) {
    return tl::unexpected(std::move(*failure));
  }
  if (refused) return tl::unexpected(std::move(*refused));
  if (!page_one) {
    listing.unchanged = true;
    listing.snapshot = {};
    return Attempt::done;
  }
  const std::int64_t total_pages = page_one->total_pages;
  const std::int64_t total_items = page_one->total_items;
  if (total_items > kMaxCatalogueItems) {
    return tl::unexpected(bad_response(first, 1,
                                       "total_items " + std::to_string(total_items) +
                                           " is more than a catalogue may hold (" +
                                           std::to_string(kMaxCatalogueItems) + ")"));
  }
  if (total_pages != pages_for(page_one->total_items, page_one->page_size) &&
      !(total_pages == 0 && page_one->total_items == 0)) {
    return tl::unexpected(bad_response(first, 1,
                                       "total_pages " + std::to_string(total_pages) +
                                           " does not fit total_items " +
                                           std::to_string(page_one->total_items) +
                                           " at page_size " + std::to_string(page_one->page_size)));
  }

  PageJoin pages(total_items);
  pages.add(1, std::move(*page_one));
  bool torn = false;
  std::int64_t next_page = 2;
  const auto next = [&]() -> std::optional<http::Request> {
    if (next_page > total_pages) return std::nullopt;
    return page_request(next_page++);
  };
  const auto take = [&](const http::Request& sent, http::Response& reply) {
    const auto page = static_cast<std::int64_t>(sent.tag);
    if (reply.status != 200) {
      refused = exchange_failure(sent, reply, page);
      return PageCheck::stop();
    }
    auto parsed = parse_catalogue_page(reply.body, page, &options_.remap);
    if (!parsed) return PageCheck::retry(bad_response(sent, page, parsed.error().message));
    // A page, retried or not, of another version: the catalogue was edited.
    if (reply.catalogue_version != version) {
      torn = true;
      torn_page_ = page;
      return PageCheck::stop();
    }
    if (parsed->total_pages != total_pages) {
      refused = bad_response(sent, page,
                             "total_pages changed from " + std::to_string(total_pages) + " to " +
                                 std::to_string(parsed->total_pages) + " within one version");
    } else if (parsed->total_items != total_items) {
      refused = bad_response(sent, page,
                             "total_items changed from " + std::to_string(total_items) + " to " +
                                 std::to_string(parsed->total_items) + " within one version");
    }
    if (refused) return PageCheck::stop();
    pages.add(page, std::move(*parsed));
    return PageCheck::taken();
  };
  if (auto failure = fetcher_.fetch(next, take, options_.parallel_pages, name)) {
    return tl::unexpected(std::move(*failure));
  }
  if (refused) return tl::unexpected(std::move(*refused));
  if (torn) return Attempt::torn;
  if (const auto repeated = pages.repeated()) {
    return tl::unexpected(bad_response(page_request(repeated->page), repeated->page,
                                       "it holds the same records as page " +
                                           std::to_string(repeated->original) +
                                           ": the catalogue served a page twice"));
  }

  core::Snapshot snapshot = pages.finish();
  snapshot.version = version;
  snapshot.etag = first_etag;
  if (pages.items() != total_items) {
    return tl::unexpected(bad_response(first, 1,
                                       "the pages held " + std::to_string(pages.items()) +
                                           " records, total_items says " +
                                           std::to_string(total_items)));
  }
  core::reject_duplicate_codes(snapshot);
  snapshot.remapped = options_.remap.uses(pages.remapped());
  listing.unchanged = false;
  listing.snapshot = std::move(snapshot);
  return Attempt::done;
}

}  // namespace psd::provincial
