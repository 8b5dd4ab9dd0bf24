#include "sim/ledger.hpp"

#include <algorithm>

#include "sim/json_fields.hpp"

namespace psd::sim {

std::string_view counter_name(Counter c) {
  static constexpr std::array<std::string_view, kCounterCount> kNames{
      "creates",
      "updates",
      "deletes",
      "idempotent_replays",
      "wasted_writes",
      "hash_mismatches",
      "rejections",
      "key_reuse_errors",
      "missing_keys",
      "unauthorized",
      "token_requests",
      "token_errors",
      "catalogue_pages",
      "catalogue_not_modified",
      "national_list_pages",
      "puts",
      "delete_requests",
      "invalid_requests",
      "not_found",
      "in_progress_conflicts",
      "off_catalogue_writes",
      "stale_writes",
      "rate_limited",
      "concurrency_limited",
      "retry_after_violations",
      "catalogue_retry_after_violations",
      "faults_injected",
      "resets",
      "apply_resets",
      "slow_answers",
      "injected_500",
      "injected_503",
      "html_pages",
      "edits",
      "torn_listings",
      "max_in_flight",
      "requests",
      "national_window_until_ms",
      "national_first_request_after_window_ms",
      "catalogue_window_until_ms",
      "catalogue_first_request_after_window_ms",
  };
  return kNames[static_cast<std::size_t>(c)];
}

Ledger::Ledger() { reset(); }

void Ledger::reset() {
  for (auto& v : values_) {
    v.store(0, std::memory_order_relaxed);
  }
}

std::string Ledger::to_json() const {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  for (std::size_t i = 0; i < kCounterCount; ++i) {
    write_field(w, counter_name(static_cast<Counter>(i)),
                values_[i].load(std::memory_order_relaxed));
  }
  w.EndObject();
  return buf.GetString();
}

std::string Ledger::to_table() const {
  std::size_t width = 0;
  for (std::size_t i = 0; i < kCounterCount; ++i) {
    width = std::max(width, counter_name(static_cast<Counter>(i)).size());
  }
  std::string out = "portal-sim ledger\n";
  const std::string rule(width + 14, '-');
  out += rule + "\n";
  for (std::size_t i = 0; i < kCounterCount; ++i) {
    const auto name = counter_name(static_cast<Counter>(i));
    const std::string value = std::to_string(values_[i].load(std::memory_order_relaxed));
    out += std::string(name);
    out.append(width - name.size() + 2 + (12 - std::min<std::size_t>(12, value.size())), ' ');
    out += value + "\n";
  }
  out += rule + "\n";
  return out;
}

Ledger::InFlight::InFlight(Ledger& ledger) : ledger_(ledger) {
  const std::uint64_t now = ledger_.in_flight_.fetch_add(1) + 1;
  auto& max = ledger_.values_[static_cast<std::size_t>(Counter::kMaxInFlight)];
  std::uint64_t seen = max.load();
  while (now > seen && !max.compare_exchange_weak(seen, now)) {
  }
}

Ledger::InFlight::~InFlight() { release(); }

void Ledger::InFlight::release() {
  if (counted_) {
    counted_ = false;
    ledger_.in_flight_.fetch_sub(1);
  }
}

}  // namespace psd::sim
