#include "daemon/runtime/syncer.hpp"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "adapters/provincial/catalogue_client.hpp"
#include "adapters/provincial/mapped_client.hpp"
#include "daemon/runtime/atomic_file.hpp"
#include "daemon/runtime/kept_windows.hpp"
#include "daemon/state/utc_time.hpp"

namespace psd::runtime {
namespace {

http::HttpOptions http_options(const config::Config& config, config::Duration timeout,
                               std::stop_token abandon) {
  http::HttpOptions options;
  options.abandon = std::move(abandon);
  options.timeout = timeout;
  options.connect_timeout = std::min<std::chrono::milliseconds>(timeout, std::chrono::seconds(10));
  options.ca_file = config.tls.ca_file;
  options.client_cert = config.tls.client_cert;
  options.client_key = config.tls.client_key;
  options.user_agent = "portal-syncd/" + config.province;
  return options;
}

/// Read a secret, warning when the file is open to other users. A secret
/// that load_and_check read but that is gone now fails the start (or the
/// reload): a start-up failure, thrown to the thread's boundary.
std::string read_secret_checked(const std::filesystem::path& path) {
  if (auto warning = config::secret_file_warning(path)) spdlog::warn("{}", *warning);
  auto secret = config::read_secret(path);
  if (!secret) throw std::runtime_error(secret.error().message);
  return std::move(*secret);
}

/// The catalogue reader of provincial.dialect: the contract's, or a mapped one.
/// Both fetch their pages through PageFetcher, with the national listing's policy.
std::unique_ptr<provincial::CatalogueReader> catalogue_source(const config::Config& config,
                                                              http::HttpClient& http,
                                                              engine::Clock& clock) {
  const config::Provincial& provincial = config.provincial;
  const std::string token =
      provincial.token_file.empty() ? std::string() : read_secret_checked(provincial.token_file);
  PagePolicy retry;
  retry.backoff = {config.retry.initial_backoff, config.retry.max_backoff};
  provincial::AgencyRemap remap(config.agencies.remap);
  if (provincial.dialect == config::Dialect::mapped) {
    provincial::MappedCatalogueOptions options;
    options.base_url = provincial.base_url;
    options.page_size = provincial.page_size;
    options.bearer_token = token;
    options.retry = retry;
    return std::make_unique<provincial::MappedCatalogueClient>(
        http, std::move(options), *provincial.mapping, std::move(remap), clock);
  }
  provincial::CatalogueOptions options;
  options.base_url = provincial.base_url;
  options.page_size = provincial.page_size;
  options.bearer_token = token;
  options.retry = retry;
  options.remap = std::move(remap);
  return std::make_unique<provincial::CatalogueClient>(http, std::move(options), clock);
}

national::TokenOptions token_options(const config::Config& config) {
  return {config.national.token_url, config.national.client_id,
          read_secret_checked(config.national.client_secret_file)};
}

national::NationalOptions national_options(const config::Config& config) {
  national::NationalOptions options;
  options.base_url = config.national.base_url;
  options.province = config.province;
  options.flow.max_concurrency = static_cast<std::size_t>(config.national.max_concurrency);
  options.flow.max_requests_per_second = config.national.max_requests_per_second;
  options.backoff = {config.retry.initial_backoff, config.retry.max_backoff};
  return options;
}

engine::CycleOptions cycle_options(const config::Config& config, const SyncRequest& request) {
  engine::CycleOptions options;
  options.province = config.province;
  options.mode = request.mode;
  options.target = request.target;
  options.stop = request.stop;
  options.withdraw = config.safety.withdraw_removed ? core::WithdrawPolicy::withdraw_orphans
                                                    : core::WithdrawPolicy::keep_orphans;
  options.withdraw_limits = {config.safety.max_withdraw_fraction,
                             config.safety.max_catalogue_shrink};
  options.push.max_in_flight = static_cast<std::size_t>(config.national.max_concurrency);
  options.push.max_attempts = config.retry.max_attempts;
  options.push.backoff = {config.retry.initial_backoff, config.retry.max_backoff};
  return options;
}

void log_report(const engine::CycleReport& report, std::chrono::duration<double> took) {
  if (!report.error.empty()) {
    if (report.result == state::CycleResult::failed) {
      spdlog::error("cycle failed: {}", report.error);
    } else {
      spdlog::warn("safety guard: {}", report.error);
    }
  }
  for (const auto& record : report.invalid) {
    spdlog::warn("invalid catalogue record {} (page {}): {}",
                 record.code.empty() ? "(no code)" : record.code, record.page, record.reason);
  }
  for (const auto& rejected : report.rejected) {
    spdlog::warn("rejected by the national portal: {}: {}", rejected.code, rejected.reason);
  }
  if (!report.coverage) return;
  const core::Plan* plan = report.plan ? &*report.plan : nullptr;
  spdlog::info(
      "cycle {}: listed {}, planned {} (create {}, update {}), pushed {}, failed {}, rejected {}, "
      "coverage {:.2f}% -> {:.2f}% ({} of {} integrated, {} in sync), {:.2f} s ({} to {})",
      state::to_string(report.result), report.listed, plan ? plan->write_count() : 0,
      plan ? plan->creates.size() : 0, plan ? plan->updates.size() : 0, report.pushed,
      report.failed, report.queue.rejected,
      report.coverage_before ? report.coverage_before->overall.percent() : 0.0,
      report.coverage->overall.percent(), report.coverage->overall.integrated,
      report.coverage->overall.total, report.coverage->overall.in_sync, took.count(),
      report.started_at, report.finished_at);
}

}  // namespace

Syncer::Syncer(const config::Config& config, const std::stop_token& abandon)
    : config_(config),
      store_(config.state_dir),
      provincial_http_(http_options(config, config.provincial.timeout, abandon)),
      national_http_(http_options(config, config.national.timeout, abandon)),
      catalogue_(catalogue_source(config, provincial_http_, clock_)),
      tokens_(national_http_, token_options(config), clock_),
      portal_(national_http_, tokens_, national_options(config), clock_) {
  keep_window_in(store_, state::Portal::national, portal_.retry_window(), clock_);
  keep_window_in(store_, state::Portal::provincial, catalogue_->retry_window(), clock_);
}

std::vector<ClosedPortal> Syncer::closed_portals() {
  std::vector<ClosedPortal> closed;
  if (const auto until = closed_until(portal_.retry_window(), clock_)) {
    closed.push_back({state::Portal::national, *until});
  }
  if (const auto until = closed_until(catalogue_->retry_window(), clock_)) {
    closed.push_back({state::Portal::provincial, *until});
  }
  return closed;
}

void Syncer::announce_closed_portals() {
  for (const auto& [portal, until] : closed_portals()) {
    spdlog::info("{} portal: nothing is sent before {} (its Retry-After); waiting",
                 state::to_string(portal), state::format_utc(until));
  }
}

const engine::CycleReport& Syncer::run_cycle(const SyncRequest& request) {
  std::size_t last_logged = 0;
  done_ = 0;
  total_ = 0;
  {
    std::lock_guard lock(started_mutex_);
    started_at_ = state::format_utc(clock_.now());
  }
  running_ = true;
  // A store or file error ends the cycle with an exception: not running then either.
  struct NotRunning {
    std::atomic<bool>& running;
    ~NotRunning() { running = false; }
  } not_running{running_};
  const auto progress = [&](std::size_t done, std::size_t total) {
    done_ = done;
    total_ = total;
    if (request.progress) request.progress(done, total);
    // A line per tenth of the work, so long pushes show they move.
    if (total >= 100 && (done * 10 / total) != last_logged) {
      last_logged = done * 10 / total;
      spdlog::info("pushing: {} of {} done", done, total);
    }
  };
  announce_closed_portals();
  const auto began = clock_.steady_now();
  engine::CycleReport report = engine::run_cycle(*catalogue_, portal_, store_, clock_,
                                                 cycle_options(config_, request), progress);
  running_ = false;
  if (request.mode == engine::CycleMode::execute) {
    log_report(report, clock_.steady_now() - began);
  }
  {
    std::lock_guard lock(reports_mutex_);
    if (request.mode == engine::CycleMode::execute) metrics_totals_.add(report);
    if (report.coverage) coverage_ = report.coverage;
    if (report.plan) last_planned_ = report;
    last_ = std::move(report);
  }
  // A daemon idles most of its life: give the heap the cycle freed (the
  // catalogue, the listing, their pages) back to the system.
  ::malloc_trim(0);
  return *last_;
}

engine::CycleReport Syncer::plan(std::stop_token stop) {
  const SyncRequest request{.mode = engine::CycleMode::dry_run,
                            .target = {.cache = engine::CatalogueCache::ignore},
                            .stop = std::move(stop)};
  announce_closed_portals();
  return engine::run_cycle(*catalogue_, portal_, store_, clock_, cycle_options(config_, request),
                           nullptr);
}

std::optional<CycleProgress> Syncer::progress() const {
  if (!running_) return std::nullopt;
  std::lock_guard lock(started_mutex_);
  return CycleProgress{.done = done_, .total = total_, .started_at = started_at_};
}

void Syncer::adopt_reports(const Syncer& older) {
  if (&older == this) return;
  std::scoped_lock lock(reports_mutex_, older.reports_mutex_);
  if (older.last_) last_ = older.last_;
  if (older.last_planned_) last_planned_ = older.last_planned_;
  if (older.coverage_) coverage_ = older.coverage_;
  // A reload keeps the process's counters: Prometheus counters only reset with it.
  metrics_totals_ = older.metrics_totals_;
  process_started_at_ = older.process_started_at_;
}

StatusView Syncer::status_view(DaemonState state) const {
  StatusView view;
  view.province = config_.province;
  view.state = state;
  view.updated_at = state::format_utc(clock_.now());
  view.coverage = coverage_;
  view.last_cycle = last_ ? &*last_ : nullptr;
  view.last_planned = last_planned_ ? &*last_planned_ : nullptr;
  view.last_success_at = store_.last_success_at();
  if (last_ && !last_->finished_at.empty()) {
    view.last_cycle_at = last_->finished_at;
  } else if (const auto history = store_.history(1); !history.empty()) {
    view.last_cycle_at = history.front().finished_at;
  }
  view.progress = progress();
  return view;
}

std::string Syncer::status_json_text(DaemonState state) const {
  std::lock_guard lock(reports_mutex_);
  return status_json(status_view(state));
}

void Syncer::write_status_file(DaemonState state) {
  std::lock_guard writer(write_mutex_);
  std::string json;
  {
    std::lock_guard lock(reports_mutex_);
    json = status_json(status_view(state));
  }
  write_file_atomically(config_.status_file, json);
}

void Syncer::write_metrics_file(DaemonState state) {
  if (config_.metrics_file.empty()) return;
  std::lock_guard writer(write_mutex_);
  std::string metrics;
  {
    std::lock_guard lock(reports_mutex_);
    metrics = metrics_text(
        {status_view(state), metrics_totals_, process_started_at_, config_.poll_interval});
  }
  write_file_atomically(config_.metrics_file, metrics);
}

}  // namespace psd::runtime
