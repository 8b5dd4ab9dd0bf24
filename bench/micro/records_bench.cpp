// Micro-benchmark of the per-record work of a cycle, on 10,000 records:
// parse (strict JSON), validate (the contract's rules), hash (RFC 8785 form
// and SHA-256), plan (diff against the national listing), each stage alone
// and all together, with the project's own functions.

#include <benchmark/benchmark.h>
#include <rapidjson/document.h>

#include <string>
#include <variant>
#include <vector>

#include "adapters/json_body.hpp"
#include "adapters/provincial/page_parser.hpp"
#include "daemon/core/canonical.hpp"
#include "daemon/core/plan.hpp"
#include "daemon/core/validate.hpp"

namespace {

constexpr int kRecords = 10000;

// One catalogue page of `count` records shaped like the province's: Vietnamese
// names, a nested agency, every field of the contract.
std::string catalogue_page(int count) {
  static const char* const kNames[] = {"Cấp giấy phép xây dựng đối với công trình cấp III",
                                       "Đăng ký thành lập doanh nghiệp tư nhân",
                                       "Cấp lại Giấy chứng nhận quyền sử dụng đất do bị mất",
                                       "Thủ tục đăng ký khai sinh có yếu tố nước ngoài"};
  static const char* const kAgencies[] = {"Sở Xây dựng", "Sở Kế hoạch và Đầu tư",
                                          "Sở Tài nguyên và Môi trường", "Sở Tư pháp"};
  std::string out = R"({"page":1,"page_size":)" + std::to_string(count) + R"(,"total_items":)" +
                    std::to_string(count) + R"(,"total_pages":1,"items":[)";
  for (int i = 0; i < count; ++i) {
    if (i > 0) out += ',';
    const int k = i % 4;
    out += R"({"code":")" + std::to_string(1 + i / 9000) + ".00" + std::to_string(1000 + i % 9000) +
           R"(.000.00.00.H43","name":")" + kNames[k] + R"(","level":")" +
           (i % 2 == 0 ? "full" : "partial") + R"(","agency":{"code":"000.00.)" +
           std::to_string(10 + k) + R"(.H43","name":")" + kAgencies[k] +
           R"("},"field":"Xây dựng","admin_level":"province","fee_vnd":)" +
           std::to_string(150000 + i) + R"(,"processing_days":15,"status":"active",)" +
           R"("updated_at":"2024-10-28T09:15:00+07:00"})";
  }
  out += "]}";
  return out;
}

const std::string& page_body() {
  static const std::string body = catalogue_page(kRecords);
  return body;
}

std::vector<psd::core::Service> valid_services() {
  rapidjson::Document document;
  (void)psd::parse_json_body(page_body(), document);
  std::vector<psd::core::Service> services;
  int index = 0;
  for (const auto& item : document["items"].GetArray())
    services.push_back(std::get<psd::core::Service>(psd::core::validate_record(item, 1, index++)));
  return services;
}

psd::core::Snapshot snapshot_of_page() {
  auto page = psd::provincial::parse_catalogue_page(page_body(), 1);
  psd::core::Snapshot snapshot;
  snapshot.services = std::move(page->services);
  return snapshot;
}

// The national listing: 99% in sync, 1% stale; none missing.
psd::core::Mirror mirror_of(const psd::core::Snapshot& snapshot) {
  psd::core::Mirror mirror;
  int i = 0;
  for (const auto& entry : snapshot.services) {
    mirror.add(entry.service.code, i++ % 100 == 0 ? "sha256:stale" : entry.content_hash,
               entry.service.level);
  }
  return mirror;
}

void set_items(benchmark::State& state) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * kRecords);
}

void BM_Parse(benchmark::State& state) {
  while (state.KeepRunning()) {
    rapidjson::Document document;
    auto parsed = psd::parse_json_body(page_body(), document);
    benchmark::DoNotOptimize(parsed);
  }
  set_items(state);
}

void BM_Validate(benchmark::State& state) {
  rapidjson::Document document;
  (void)psd::parse_json_body(page_body(), document);
  while (state.KeepRunning()) {
    int index = 0;
    for (const auto& item : document["items"].GetArray()) {
      auto record = psd::core::validate_record(item, 1, index++);
      benchmark::DoNotOptimize(record);
    }
  }
  set_items(state);
}

void BM_Hash(benchmark::State& state) {
  const auto services = valid_services();
  while (state.KeepRunning()) {
    for (const auto& service : services) {
      auto hash = psd::core::content_hash(service);
      benchmark::DoNotOptimize(hash);
    }
  }
  set_items(state);
}

void BM_Plan(benchmark::State& state) {
  const auto snapshot = snapshot_of_page();
  const auto mirror = mirror_of(snapshot);
  const psd::core::ParkedIndex parked;
  while (state.KeepRunning()) {
    auto plan =
        psd::core::make_plan(snapshot, mirror, parked, psd::core::WithdrawPolicy::keep_orphans);
    benchmark::DoNotOptimize(plan);
  }
  set_items(state);
}

// What a cycle does per listing: parse_catalogue_page (parse, validate, hash)
// and the plan against the national listing.
void BM_ParseValidateHashPlan(benchmark::State& state) {
  const auto mirror = mirror_of(snapshot_of_page());
  const psd::core::ParkedIndex parked;
  while (state.KeepRunning()) {
    auto page = psd::provincial::parse_catalogue_page(page_body(), 1);
    psd::core::Snapshot snapshot;
    snapshot.services = std::move(page->services);
    auto plan =
        psd::core::make_plan(snapshot, mirror, parked, psd::core::WithdrawPolicy::keep_orphans);
    benchmark::DoNotOptimize(plan);
  }
  set_items(state);
}

}  // namespace

BENCHMARK(BM_Parse)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Validate)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Hash)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Plan)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseValidateHashPlan)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
