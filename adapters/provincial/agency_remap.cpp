#include "adapters/provincial/agency_remap.hpp"

namespace psd::provincial {

AgencyRemap::AgencyRemap(std::vector<config::AgencyRemapRow> rows) : rows_(std::move(rows)) {
  for (std::size_t i = 0; i < rows_.size(); ++i) by_old_code_.emplace(rows_[i].old_code, i);
}

std::optional<std::size_t> AgencyRemap::apply(rapidjson::Value& record,
                                              rapidjson::Document::AllocatorType& allocator) const {
  if (rows_.empty() || !record.IsObject()) return std::nullopt;
  const auto agency = record.FindMember("agency");
  if (agency == record.MemberEnd() || !agency->value.IsObject()) return std::nullopt;
  const auto code = agency->value.FindMember("code");
  if (code == agency->value.MemberEnd() || !code->value.IsString()) return std::nullopt;
  const auto row =
      by_old_code_.find(std::string(code->value.GetString(), code->value.GetStringLength()));
  if (row == by_old_code_.end()) return std::nullopt;
  const config::AgencyRemapRow& remap = rows_[row->second];
  code->value.SetString(remap.new_code.data(),
                        static_cast<rapidjson::SizeType>(remap.new_code.size()), allocator);
  if (!remap.new_name.empty()) {
    rapidjson::Value name(remap.new_name.data(),
                          static_cast<rapidjson::SizeType>(remap.new_name.size()), allocator);
    const auto old_name = agency->value.FindMember("name");
    if (old_name != agency->value.MemberEnd()) {
      old_name->value = name;
    } else {
      agency->value.AddMember("name", name, allocator);
    }
  }
  return row->second;
}

std::vector<core::RemapUse> AgencyRemap::uses(const std::vector<std::uint64_t>& counts) const {
  std::vector<core::RemapUse> uses;
  uses.reserve(rows_.size());
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    uses.push_back({rows_[i].old_code, rows_[i].new_code, i < counts.size() ? counts[i] : 0});
  }
  return uses;
}

void add_counts(std::vector<std::uint64_t>& total, const std::vector<std::uint64_t>& counts) {
  if (total.size() < counts.size()) total.resize(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) total[i] += counts[i];
}

}  // namespace psd::provincial
