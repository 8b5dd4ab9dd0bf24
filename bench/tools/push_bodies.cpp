// psd-bench-bodies: write the PUT bodies a sync must send, so that curl can
// send the very same bytes. It reads the catalogue with the daemon's own
// CatalogueClient (parser, validator, canonical form and hash), asks
// portal-sim which services are missing or stale (GET /_sim/services), and
// writes one body per push, in catalogue order, plus a manifest.
//
//   psd-bench-bodies SIM_BASE_URL OUT_DIR [PAGE_SIZE]
//
// OUT_DIR/manifest.tsv: one line per push, "code<TAB>body file".

#include <rapidjson/document.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unordered_set>

#include "adapters/http/http_client.hpp"
#include "adapters/provincial/catalogue_client.hpp"
#include "daemon/core/canonical.hpp"
#include "daemon/engine/clock.hpp"

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "psd-bench-bodies: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return fail("usage: psd-bench-bodies SIM_BASE_URL OUT_DIR [PAGE_SIZE]");
  const std::string base = argv[1];
  const std::filesystem::path out = argv[2];
  const int page_size = argc > 3 ? std::stoi(argv[3]) : 200;

  psd::http::HttpClient http(psd::http::HttpOptions{});
  psd::provincial::CatalogueOptions options;
  options.base_url = base + "/provincial";
  options.page_size = page_size;
  psd::engine::SystemClock clock;
  psd::provincial::CatalogueClient catalogue(http, options, clock);
  auto listing = catalogue.read("");
  if (!listing) return fail(listing.error().message);

  psd::http::Request request;
  request.url = base + "/_sim/services";
  const psd::http::Response states = http.perform(request);
  if (!states.ok()) return fail("GET " + request.url + ": " + std::to_string(states.status));
  rapidjson::Document document;
  document.Parse(states.body.data(), states.body.size());
  if (document.HasParseError() || !document.HasMember("records"))
    return fail("GET " + request.url + ": not the simulator's services listing");
  std::unordered_set<std::string> to_push;
  for (const auto& record : document["records"].GetArray()) {
    const std::string state = record["state"].GetString();
    if (state == "missing" || state == "stale") to_push.insert(record["code"].GetString());
  }

  std::filesystem::create_directories(out / "bodies");
  std::ofstream manifest(out / "manifest.tsv");
  std::size_t written = 0;
  for (const auto& entry : listing->snapshot.services) {
    if (entry.service.status != psd::core::Status::active) continue;
    if (!to_push.contains(entry.service.code)) continue;
    const auto file = out / "bodies" / (std::to_string(written++) + ".json");
    std::ofstream(file, std::ios::binary)
        << psd::core::put_body(psd::core::canonical_body(entry.service), entry.content_hash);
    manifest << entry.service.code << '\t' << file.string() << '\n';
  }
  if (written != to_push.size())
    return fail("wrote " + std::to_string(written) + " bodies for " +
                std::to_string(to_push.size()) + " services to push");
  std::printf("%zu\n", written);
  return 0;
}
