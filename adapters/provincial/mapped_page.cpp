#include "adapters/provincial/mapped_page.hpp"

#include <rapidjson/pointer.h>

#include "adapters/json_body.hpp"
#include "adapters/provincial/mapped_values.hpp"

namespace psd::provincial {
namespace {

tl::unexpected<core::Failure> fail(std::string reason) {
  return core::failure(core::FailureKind::bad_response, std::move(reason));
}

const rapidjson::Value* at_pointer(const rapidjson::Value& root, const std::string& pointer) {
  return rapidjson::Pointer(pointer.c_str(), pointer.size()).Get(root);
}

/// Check the body's status against ok_values; return why it is not ok.
std::optional<std::string> status_problem(const rapidjson::Value& root,
                                          const config::Envelope& envelope) {
  if (envelope.ok.empty()) return std::nullopt;
  const rapidjson::Value* status = at_pointer(root, envelope.ok);
  const auto text = status != nullptr ? value_text(*status) : std::nullopt;
  if (text && std::find(envelope.ok_values.begin(), envelope.ok_values.end(), *text) !=
                  envelope.ok_values.end()) {
    return std::nullopt;
  }
  std::string allowed;
  for (const auto& value : envelope.ok_values) allowed += (allowed.empty() ? "" : ", ") + value;
  std::string problem =
      status == nullptr ? "no status at [envelope].ok " + envelope.ok
                        : "status " + describe_value(*status) + " at [envelope].ok " + envelope.ok +
                              " is not one of [envelope].ok_values (" + allowed + ")";
  const rapidjson::Value* message =
      envelope.message.empty() ? nullptr : at_pointer(root, envelope.message);
  if (message != nullptr) problem += ": the server says " + describe_value(*message);
  return problem;
}

}  // namespace

tl::expected<MappedPage, core::Failure> parse_mapped_page(std::string_view body,
                                                          const RecordMapper& mapper,
                                                          int page_number,
                                                          const std::string& listing_started_at) {
  const config::Envelope& envelope = mapper.mapping().envelope;
  rapidjson::Document outer;
  if (auto parsed = parse_json_body(body, outer); !parsed) {
    return core::failure(core::FailureKind::transient, std::move(parsed.error().message));
  }
  rapidjson::Document inner;
  const rapidjson::Value* root = &outer;
  if (!envelope.unwrap.empty()) {
    const rapidjson::Value* wrapped = at_pointer(outer, envelope.unwrap);
    if (wrapped == nullptr || !wrapped->IsString()) {
      return fail("[envelope].unwrap " + envelope.unwrap + " is not a string of JSON: " +
                  (wrapped == nullptr ? std::string("nothing there")
                                      : "found " + describe_value(*wrapped)));
    }
    if (auto parsed = parse_json_body({wrapped->GetString(), wrapped->GetStringLength()}, inner);
        !parsed) {
      return fail("[envelope].unwrap " + envelope.unwrap +
                  " is not a string of JSON: " + parsed.error().message);
    }
    root = &inner;
  }
  if (auto problem = status_problem(*root, envelope)) return fail(std::move(*problem));

  MappedPage page;
  if (!envelope.total.empty()) {
    const rapidjson::Value* total = at_pointer(*root, envelope.total);
    const auto number = total != nullptr ? integer_value(*total) : std::nullopt;
    if (!number || *number < 0) {
      return fail(
          "[envelope].total " + envelope.total + " is not a non-negative integer: " +
          (total == nullptr ? std::string("nothing there") : "found " + describe_value(*total)));
    }
    page.total = *number;
  }
  const rapidjson::Value* items = at_pointer(*root, envelope.items);
  if (items == nullptr || !items->IsArray()) {
    return fail(
        "[envelope].items " + envelope.items + " is not an array: " +
        (items == nullptr ? std::string("nothing there") : "found " + describe_value(*items)));
  }
  page.items = items->Size();
  page.services.reserve(items->Size());
  int index = 0;
  for (const auto& item : items->GetArray()) {
    MappedRecord record = mapper.map(item, page_number, index++, listing_started_at);
    if (!record.code.empty()) page.codes.push_back(record.code);
    if (record.remap_row) {
      if (page.remapped.size() <= *record.remap_row) page.remapped.resize(*record.remap_row + 1);
      ++page.remapped[*record.remap_row];
    }
    if (auto* entry = std::get_if<core::CatalogueEntry>(&record.value)) {
      page.services.push_back(std::move(*entry));
    } else if (auto* invalid = std::get_if<core::InvalidRecord>(&record.value)) {
      page.invalid.push_back(std::move(*invalid));
    } else {
      ++page.information_only;
    }
  }
  return page;
}

}  // namespace psd::provincial
