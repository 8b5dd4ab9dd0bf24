#include "sim/catalogue_api.hpp"

#include <rapidjson/stringbuffer.h>

#include <algorithm>

#include "sim/catalogue_entry.hpp"
#include "sim/http_util.hpp"
#include "sim/json_fields.hpp"

namespace psd::sim {
namespace {

// True when an If-None-Match header lists `etag` (weak comparison, RFC 9110 13.1.2).
bool none_match(const std::string& header, const std::string& etag) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    auto end = header.find(',', pos);
    if (end == std::string::npos) {
      end = header.size();
    }
    std::string item = header.substr(pos, end - pos);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (item.rfind("W/", 0) == 0) {
      item.erase(0, 2);
    }
    if (item == etag) {
      return true;
    }
    pos = end + 1;
  }
  return false;
}

std::optional<std::int64_t> int_param(const httplib::Request& req, const char* name,
                                      std::int64_t fallback, httplib::Response& res,
                                      Ledger& ledger) {
  if (!req.has_param(name)) {
    return fallback;
  }
  const auto v = parse_int(req.get_param_value(name));
  if (!v) {
    refuse_bad_request(ledger, res, "INVALID_PARAMETER", std::string(name) + " must be an integer",
                       name);
  }
  return v;
}

}  // namespace

std::string page_etag(const std::string& version, std::int64_t page, std::int64_t page_size) {
  return "\"" + version + "." + std::to_string(page) + "." + std::to_string(page_size) + "\"";
}

CatalogueApi::CatalogueApi(const SimOptions& options, CatalogueStore& store, Ledger& ledger,
                           Gate& gate)
    : options_(options), store_(store), ledger_(ledger), gate_(gate) {}

void CatalogueApi::handle(const httplib::Request& req, httplib::Response& res) {
  const CatalogueEntry entry = enter_catalogue(options_, gate_, ledger_, req, res);
  if (entry.answered) {
    return;
  }
  const auto& fault = entry.fault;
  const auto page = int_param(req, "page", 1, res, ledger_);
  if (!page) {
    return;
  }
  auto page_size = int_param(req, "page_size", kDefaultPageSize, res, ledger_);
  if (!page_size) {
    return;
  }
  if (*page < 1) {
    refuse_bad_request(ledger_, res, "INVALID_PARAMETER", "page starts at 1", "page");
    return;
  }
  const std::int64_t size = std::clamp<std::int64_t>(*page_size, 1, kMaxPageSize);

  const auto snap = store_.snapshot();
  const auto total = static_cast<std::int64_t>(snap->records.size());
  const std::int64_t pages = (total + size - 1) / size;
  const std::string etag = page_etag(snap->version, *page, size);
  res.set_header("X-Catalogue-Version", snap->version);
  res.set_header("ETag", etag);
  res.set_header("Cache-Control", "no-cache");
  if (req.has_header("If-None-Match") && none_match(req.get_header_value("If-None-Match"), etag)) {
    ledger_.add(Counter::kCatalogueNotModified);
    res.status = 304;
    return;
  }

  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  write_fields(w, {{"generated_by", "portal-sim", options_.extra_fields}});
  w.Key("items");
  w.StartArray();
  // Pages past the end are empty (checked first: (page - 1) * size could overflow).
  const std::int64_t first = *page > pages ? total : (*page - 1) * size;
  for (std::int64_t i = first; i < std::min(total, first + size); ++i) {
    write_catalogue_json(w, snap->records[static_cast<std::size_t>(i)], options_.extra_fields,
                         static_cast<std::uint64_t>(i));
  }
  w.EndArray();
  write_fields(
      w, {{"page", *page}, {"page_size", size}, {"total_items", total}, {"total_pages", pages}});
  w.EndObject();
  std::string body(buf.GetString(), buf.GetSize());

  if (fault && fault->status == 200) {
    if (fault->body == "malformed") {
      body.resize(body.size() / 2);
    } else if (fault->body == "bad_utf8") {
      // A lone continuation byte inside the first string value.
      const auto quote = body.find(":\"");
      body.insert(quote == std::string::npos ? 0 : quote + 2, "\x80\xC3(");
    } else if (fault->body == "bad_shape") {
      body = R"({"items":{"code":"x"},"page":"1","page_size":100,"total_items":1})";
    }
  }
  ledger_.add(Counter::kCataloguePages);
  send_json(res, 200, body);

  // The edit lands after page 1 is built: the rest of this listing sees a
  // new version.
  if (*page == 1 && store_.take_tear()) {
    ledger_.add(Counter::kEdits, store_.edit(1).size());
    ledger_.add(Counter::kTornListings);
  }
  if (entry.roll.kind == Injection::kSlow) {
    gate_.hold_answer();
  }
}

}  // namespace psd::sim
