#include "daemon/runtime/plan_printer.hpp"

#include <fmt/format.h>

namespace psd::runtime {
namespace {

template <typename Items, typename Line>
void list(std::string& out, std::string_view title, const Items& items, std::size_t shown,
          Line line) {
  if (items.empty()) return;
  const std::size_t count = std::min(shown, items.size());
  out += count < items.size() ? fmt::format("\n{} (first {} of {}):\n", title, count, items.size())
                              : fmt::format("\n{} ({}):\n", title, items.size());
  for (std::size_t i = 0; i < count; ++i) out += "  " + line(items[i]) + "\n";
}

std::string short_hash(const std::string& hash) { return hash.substr(0, 7 + 12); }

}  // namespace

std::string format_plan(const engine::CycleReport& report, std::string_view province,
                        std::size_t items_shown) {
  if (!report.plan) return fmt::format("No plan: {}\n", report.error);
  const core::Plan& plan = *report.plan;
  std::string out =
      fmt::format("Plan for province {} ({} catalogue records read{})\n", province, report.listed,
                  report.catalogue_unchanged ? ", unchanged since last listing" : "");
  const auto row = [&](std::string_view name, std::size_t count, std::string_view note) {
    out += fmt::format("  {:<10}{:>8}{}\n", name, count, note);
  };
  row("create", plan.creates.size(), "");
  row("update", plan.updates.size(), "");
  row("in sync", plan.in_sync, "");
  row("parked", plan.parked.size(), "   rejected earlier, content unchanged");
  row("invalid", plan.invalid.size(), "   not pushed until fixed in the catalogue");
  row("orphaned", plan.orphaned.size(), "   on the national portal, not active in the catalogue");
  row("withdraw", plan.withdrawals.size(), "");
  if (report.information_only > 0) {
    row("info only", report.information_only,
        "   level \"information\": neither pushed nor counted");
  }
  if (report.coverage) {
    const core::Tally& overall = report.coverage->overall;
    out += fmt::format("Coverage now: {} of {} integrated ({:.2f}%), {} in sync\n",
                       overall.integrated, overall.total, overall.percent(), overall.in_sync);
  }
  const auto push_line = [](const core::Push& push) {
    return fmt::format("{:<28} {}", push.code, short_hash(push.content_hash));
  };
  if (!report.remapped.empty()) {
    out += "\nAgency remap (services each row moves):\n";
    for (const auto& use : report.remapped) {
      out += fmt::format("  {} -> {}: {}\n", use.old_code, use.new_code, use.services);
    }
  }
  list(out, "create", plan.creates, items_shown, push_line);
  list(out, "update", plan.updates, items_shown, push_line);
  list(out, "parked", plan.parked, items_shown, [](const core::ParkedPush& parked) {
    return fmt::format("{:<28} {}", parked.code, parked.reason);
  });
  list(out, "invalid", plan.invalid, items_shown, [](const core::InvalidRecord& record) {
    return fmt::format("{:<28} page {}: {}", record.code.empty() ? "(no code)" : record.code,
                       record.page, record.reason);
  });
  list(out, "orphaned", plan.orphaned, items_shown, [](const std::string& code) { return code; });
  list(out, "withdraw", plan.withdrawals, items_shown,
       [](const std::string& code) { return code; });
  return out;
}

}  // namespace psd::runtime
