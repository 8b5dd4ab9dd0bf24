#include "daemon/runtime/status_file.hpp"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <initializer_list>
#include <string_view>
#include <vector>

#include "daemon/core/enum_names.hpp"

namespace psd::runtime {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

constexpr auto kStateNames =
    core::enum_names<DaemonState::error>("idle", "syncing", "backoff", "paused", "error");

void write_string(Writer& out, std::string_view text) {
  out.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

/// One member of an object: its key and its value.
template <typename Value>
struct Member {
  const char* key;
  Value value;
};
using Count = Member<std::uint64_t>;
using Text = Member<std::string_view>;

void write_value(Writer& out, std::uint64_t value) { out.Uint64(value); }
void write_value(Writer& out, std::string_view value) { write_string(out, value); }

/// Write `members` into an object the caller opened, in order.
template <typename Value>
void write_members(Writer& out, std::initializer_list<Member<Value>> members) {
  for (const Member<Value>& member : members) {
    out.Key(member.key);
    write_value(out, member.value);
  }
}

void write_counts(Writer& out, std::initializer_list<Count> counts) { write_members(out, counts); }
void write_texts(Writer& out, std::initializer_list<Text> texts) { write_members(out, texts); }

enum class InSync { omit, include };

/// Write the members of `tally`, inside an object the caller opened.
void write_tally_members(Writer& out, const core::Tally& tally, InSync in_sync) {
  write_counts(out, {{"total", tally.total}, {"integrated", tally.integrated}});
  if (in_sync == InSync::include) write_counts(out, {{"in_sync", tally.in_sync}});
  out.Key("percent");
  out.Double(tally.percent());
}

void write_tally(Writer& out, const core::Tally& tally, InSync in_sync) {
  out.StartObject();
  write_tally_members(out, tally, in_sync);
  out.EndObject();
}

void write_coverage(Writer& out, const core::Coverage& coverage) {
  out.StartObject();
  write_tally_members(out, coverage.overall, InSync::include);
  out.Key("by_level");
  out.StartObject();
  out.Key("full");
  write_tally(out, coverage.full, InSync::omit);
  out.Key("partial");
  write_tally(out, coverage.partial, InSync::omit);
  out.EndObject();
  out.Key("by_agency");
  out.StartObject();
  for (const auto& [code, tally] : coverage.by_agency) {
    write_string(out, code);
    write_tally(out, tally, InSync::include);
  }
  out.EndObject();
  write_counts(out, {{"orphaned", coverage.orphaned}});
  out.EndObject();
}

void write_queue(Writer& out, const engine::QueueCounts& queue) {
  out.StartObject();
  write_counts(out, {{"pending", queue.pending},
                     {"retrying", queue.retrying},
                     {"rejected", queue.rejected},
                     {"invalid", queue.invalid}});
  out.EndObject();
}

void write_last_cycle(Writer& out, const engine::CycleReport& cycle) {
  out.StartObject();
  write_texts(out, {{"started_at", cycle.started_at},
                    {"finished_at", cycle.finished_at},
                    {"result", state::to_string(cycle.result)}});
  write_counts(out, {{"pushed", cycle.pushed}, {"failed", cycle.failed}});
  out.Key("error");
  if (cycle.error.empty()) {
    out.Null();
  } else {
    write_string(out, cycle.error);
  }
  out.EndObject();
}

/// Write the first kMaxListedRecords of `records` as an array of objects,
/// each written by `write_members`.
template <typename Record, typename WriteMembers>
void write_listed(Writer& out, const std::vector<Record>& records, WriteMembers write_members) {
  out.StartArray();
  for (std::size_t i = 0; i < records.size() && i < kMaxListedRecords; ++i) {
    out.StartObject();
    write_members(records[i]);
    out.EndObject();
  }
  out.EndArray();
}

void write_invalid(Writer& out, const std::vector<core::InvalidRecord>& records) {
  write_listed(out, records, [&](const core::InvalidRecord& record) {
    write_texts(out, {{"code", record.code}});
    out.Key("page");
    out.Int(record.page);
    write_texts(out, {{"reason", record.reason}});
  });
}

void write_rejected(Writer& out, const std::vector<core::ParkedPush>& rejected) {
  write_listed(out, rejected, [&](const core::ParkedPush& push) {
    write_texts(out, {{"code", push.code}, {"reason", push.reason}});
  });
}

void write_progress(Writer& out, const CycleProgress& progress) {
  out.StartObject();
  write_counts(out, {{"done", progress.done}, {"total", progress.total}});
  write_texts(out, {{"started_at", progress.started_at}});
  out.EndObject();
}

/// Write the member `key`: `*value` written by `write`, or null when `value`
/// holds none (a null pointer or an empty optional).
template <typename Holder, typename Write>
void write_or_null(Writer& out, const char* key, const Holder& value, Write write) {
  out.Key(key);
  if (value) {
    write(*value);
  } else {
    out.Null();
  }
}

}  // namespace

std::string_view to_string(DaemonState state) { return kStateNames(state); }

std::string status_json(const StatusView& view) {
  rapidjson::StringBuffer buffer;
  Writer out(buffer);
  out.SetIndent(' ', 2);
  out.StartObject();
  out.Key("schema_version");
  out.Int(1);
  write_texts(out, {{"province", view.province},
                    {"state", to_string(view.state)},
                    {"updated_at", view.updated_at}});
  out.Key("coverage");
  write_coverage(out, view.coverage.value_or(core::Coverage{}));
  const engine::CycleReport* planned = view.last_planned;
  // Beyond the contract's minimum: what the listing held besides online services.
  out.Key("catalogue");
  out.StartObject();
  write_counts(out, {{"information_only", planned ? planned->information_only : 0}});
  out.EndObject();
  out.Key("queue");
  write_queue(out, planned ? planned->queue : engine::QueueCounts{});
  write_or_null(out, "last_cycle", view.last_cycle,
                [&](const engine::CycleReport& cycle) { write_last_cycle(out, cycle); });
  write_or_null(out, "last_success_at", view.last_success_at,
                [&](const std::string& at) { write_string(out, at); });
  write_or_null(out, "progress", view.progress,
                [&](const CycleProgress& progress) { write_progress(out, progress); });
  out.Key("invalid_records");
  write_invalid(out, planned ? planned->invalid : std::vector<core::InvalidRecord>{});
  out.Key("rejected_services");
  write_rejected(out, planned ? planned->rejected : std::vector<core::ParkedPush>{});
  out.EndObject();
  std::string json(buffer.GetString(), buffer.GetSize());
  json += '\n';
  return json;
}

}  // namespace psd::runtime
