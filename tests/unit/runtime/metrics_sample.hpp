#pragma once
// A metrics view with every family filled in, shared by the golden test and
// the promtool test.

#include <chrono>

#include "daemon/runtime/metrics_file.hpp"

namespace psd::runtime {

struct MetricsSample {
  core::Coverage coverage;
  engine::CycleReport report;

  MetricsSample() {
    coverage.overall = {1126, 985, 980};
    coverage.full = {582, 500, 498};
    coverage.partial = {544, 485, 482};
    coverage.by_agency["000.00.15.H43"] = {10, 9, 9};  // not exported: unbounded labels
    coverage.orphaned = 2;
    report.started_at = "2026-11-26T10:00:00.000Z";
    report.finished_at = "2026-11-26T10:00:05.250Z";
    report.result = state::CycleResult::partial;
    report.pushed = 138;
    report.failed = 3;  // 2 failed + 1 rejected in this cycle
    report.sends = 150;
    report.queue = {2, 1, 3, 4};
    report.plan = core::Plan{};
    report.plan->parked = {{"P1", "sha256:p1", "earlier"}, {"P2", "sha256:p2", "earlier"}};
    report.rejected = report.plan->parked;
    report.rejected.push_back({"R", "sha256:r", "HTTP 422 INVALID_FIELD"});
  }

  MetricsView view() const {
    MetricsView view;
    view.status.province = "H43";
    view.status.state = DaemonState::idle;
    view.status.updated_at = "2026-11-26T10:00:06.000Z";
    view.status.coverage = coverage;
    view.status.last_cycle = &report;
    view.status.last_planned = &report;
    view.status.last_success_at = "2026-11-25T10:00:00.500Z";
    view.status.last_cycle_at = "2026-11-26T10:00:05.250Z";
    view.totals.add(report);
    view.started_at = std::chrono::system_clock::time_point(std::chrono::seconds(1795680000));
    view.poll_interval = std::chrono::minutes(5);
    return view;
  }
};

}  // namespace psd::runtime
