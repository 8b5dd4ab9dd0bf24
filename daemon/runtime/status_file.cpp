#include "daemon/runtime/status_file.hpp"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

namespace psd::runtime {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void write_string(Writer& out, std::string_view text) {
  out.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

enum class InSync { omit, include };

/// Write the members of `tally`, inside an object the caller opened.
void write_tally_members(Writer& out, const core::Tally& tally, InSync in_sync) {
  out.Key("total");
  out.Uint64(tally.total);
  out.Key("integrated");
  out.Uint64(tally.integrated);
  if (in_sync == InSync::include) {
    out.Key("in_sync");
    out.Uint64(tally.in_sync);
  }
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
  out.Key("orphaned");
  out.Uint64(coverage.orphaned);
  out.EndObject();
}

void write_queue(Writer& out, const engine::QueueCounts& queue) {
  out.StartObject();
  out.Key("pending");
  out.Uint64(queue.pending);
  out.Key("retrying");
  out.Uint64(queue.retrying);
  out.Key("rejected");
  out.Uint64(queue.rejected);
  out.Key("invalid");
  out.Uint64(queue.invalid);
  out.EndObject();
}

void write_last_cycle(Writer& out, const engine::CycleReport& cycle) {
  out.StartObject();
  out.Key("started_at");
  write_string(out, cycle.started_at);
  out.Key("finished_at");
  write_string(out, cycle.finished_at);
  out.Key("result");
  write_string(out, state::to_string(cycle.result));
  out.Key("pushed");
  out.Uint64(cycle.pushed);
  out.Key("failed");
  out.Uint64(cycle.failed);
  out.Key("error");
  if (cycle.error.empty()) {
    out.Null();
  } else {
    write_string(out, cycle.error);
  }
  out.EndObject();
}

void write_invalid(Writer& out, const std::vector<core::InvalidRecord>& records) {
  out.StartArray();
  for (std::size_t i = 0; i < records.size() && i < kMaxListedRecords; ++i) {
    out.StartObject();
    out.Key("code");
    write_string(out, records[i].code);
    out.Key("page");
    out.Int(records[i].page);
    out.Key("reason");
    write_string(out, records[i].reason);
    out.EndObject();
  }
  out.EndArray();
}

void write_rejected(Writer& out, const std::vector<core::ParkedPush>& rejected) {
  out.StartArray();
  for (std::size_t i = 0; i < rejected.size() && i < kMaxListedRecords; ++i) {
    out.StartObject();
    out.Key("code");
    write_string(out, rejected[i].code);
    out.Key("reason");
    write_string(out, rejected[i].reason);
    out.EndObject();
  }
  out.EndArray();
}

}  // namespace

std::string_view to_string(DaemonState state) {
  switch (state) {
    case DaemonState::idle:
      return "idle";
    case DaemonState::syncing:
      return "syncing";
    case DaemonState::backoff:
      return "backoff";
    case DaemonState::paused:
      return "paused";
    case DaemonState::error:
      return "error";
  }
  return "error";
}

std::string status_json(const StatusView& view) {
  rapidjson::StringBuffer buffer;
  Writer out(buffer);
  out.SetIndent(' ', 2);
  out.StartObject();
  out.Key("schema_version");
  out.Int(1);
  out.Key("province");
  write_string(out, view.province);
  out.Key("state");
  write_string(out, to_string(view.state));
  out.Key("updated_at");
  write_string(out, view.updated_at);
  out.Key("coverage");
  write_coverage(out, view.coverage.value_or(core::Coverage{}));
  const engine::CycleReport* planned = view.last_planned;
  // Beyond the contract's minimum: what the listing held besides online services.
  out.Key("catalogue");
  out.StartObject();
  out.Key("information_only");
  out.Uint64(planned ? planned->information_only : 0);
  out.EndObject();
  out.Key("queue");
  write_queue(out, planned ? planned->queue : engine::QueueCounts{});
  out.Key("last_cycle");
  if (view.last_cycle) {
    write_last_cycle(out, *view.last_cycle);
  } else {
    out.Null();
  }
  out.Key("last_success_at");
  if (view.last_success_at) {
    write_string(out, *view.last_success_at);
  } else {
    out.Null();
  }
  out.Key("progress");
  if (view.progress) {
    out.StartObject();
    out.Key("done");
    out.Uint64(view.progress->done);
    out.Key("total");
    out.Uint64(view.progress->total);
    out.Key("started_at");
    write_string(out, view.progress->started_at);
    out.EndObject();
  } else {
    out.Null();
  }
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
