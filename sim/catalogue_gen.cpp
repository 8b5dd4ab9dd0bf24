#include "sim/catalogue_gen.hpp"

#include <algorithm>
#include <array>
#include <numeric>

#include "sim/catalogue_shapes.hpp"
#include "sim/jcs.hpp"
#include "sim/rng.hpp"
#include "sim/timefmt.hpp"
#include "sim/vocabulary.hpp"

namespace psd::sim {
namespace {

constexpr int kVietnamOffsetMinutes = 7 * 60;
// Purpose tags keep each decision on its own stream, so changing one count
// does not reshuffle unrelated choices.
enum Tag : std::uint64_t {
  kTagRecords = 1,
  kTagLevels,
  kTagIntegrated,
  kTagPositions,
  kTagNational,
  kTagExtras,
  kTagCodes
};

constexpr std::array<std::int64_t, 13> kFees{0,      0,      0,      0,      20000,   30000,  50000,
                                             100000, 150000, 200000, 500000, 1000000, 2500000};
constexpr std::array<std::int64_t, 12> kDays{0, 1, 2, 3, 5, 7, 10, 12, 15, 20, 30, 45};

// Built on first use: a static std::string table could throw before main.
const std::array<Rejection, 4>& rejections() {
  static const std::array<Rejection, 4> kRejections{{
      {"INVALID_FIELD", "Tên thủ tục trùng với thủ tục đã công bố", "name"},
      {"INVALID_FIELD", "Mã cơ quan không có trong danh mục cơ quan của Cổng Dịch vụ công quốc gia",
       "agency.code"},
      {"INVALID_FIELD", "Mức phí không khớp với biểu phí đã được phê duyệt", "fee_vnd"},
      {"PROCEDURE_NOT_PUBLISHED",
       "Thủ tục chưa được công bố trên Cơ sở dữ liệu quốc gia về thủ tục hành chính", ""},
  }};
  return kRejections;
}

std::int64_t random_time(Rng& rng, int first_year, int last_year) {
  const std::int64_t first = days_from_civil(first_year, 1, 1);
  const std::int64_t last = days_from_civil(last_year, 12, 31);
  const std::int64_t day = rng.between(first, last);
  // Office hours, whole minutes, Vietnam time.
  const std::int64_t minute = rng.between(std::int64_t{7} * 60 + 30, std::int64_t{17} * 60);
  return day * 86400 + minute * 60 - std::int64_t{kVietnamOffsetMinutes} * 60;
}

CatalogueRecord make_record(Rng& rng, std::string code) {
  const auto agencies = agency_templates();
  const AgencyTemplate& a = agencies[rng.below(agencies.size())];
  CatalogueRecord r;
  r.code = std::move(code);
  r.base_name = std::string(a.procedures[rng.below(a.procedures.size())]);
  r.name = r.base_name;
  r.level = "partial";
  r.agency = {"000.00." + std::string(a.code_number) + ".", std::string(a.name)};
  r.field = std::string(a.field);
  r.admin_level = std::string(a.admin_level);
  r.fee_vnd = kFees[rng.below(kFees.size())];
  r.processing_days = kDays[rng.below(kDays.size())];
  r.updated_at = format_rfc3339(random_time(rng, 2022, 2024), kVietnamOffsetMinutes);
  return r;
}

// Break `r` the way `defect` says. `variant` alternates an obvious and a
// subtle form, so a client's validator is tested on both.
void apply_defect(CatalogueRecord& r, Defect defect, bool subtle) {
  r.defect = defect;
  switch (defect) {
    case Defect::kBadLevel:
      r.level = subtle ? "Full" : "online";
      break;
    case Defect::kMissingName:
      if (subtle) {
        r.name.clear();
      } else {
        r.omit_name = true;
      }
      break;
    case Defect::kNegativeFee:
      r.fee_vnd = subtle ? -1 : -50000;
      break;
    case Defect::kBadCode:
      r.code =
          subtle ? r.code + "+"
                 : r.code.substr(0, r.code.rfind('.')) + " " + r.code.substr(r.code.rfind('.') + 1);
      break;
    case Defect::kBadUpdatedAt:
      r.updated_at = subtle ? r.updated_at.substr(0, 19) : "28/10/2024 09:15";
      break;
    case Defect::kDuplicateCode:
    case Defect::kNone:
      break;
  }
}

}  // namespace

std::string procedure_code(std::int64_t k, std::uint64_t seed, const std::string& province) {
  const std::int64_t offset = static_cast<std::int64_t>(derive_seed(seed, kTagCodes) % 9000);
  // 4999 is coprime with 9000, so k -> number is a permutation of 1000..9999.
  const std::int64_t number = 1000 + ((k % 9000) * 4999 + offset) % 9000;
  const std::int64_t prefix = 1 + k / 9000;
  return std::to_string(prefix) + ".00" + std::to_string(number) + ".000.00.00." + province;
}

std::string edit_timestamp(std::uint64_t n) {
  // 2025-01-02 08:00 Vietnam time plus one minute per edit.
  const std::int64_t base = days_from_civil(2025, 1, 2) * 86400 + std::int64_t{3600};
  return format_rfc3339(base + static_cast<std::int64_t>(n) * 60, kVietnamOffsetMinutes);
}

World generate_world(const SimOptions& o) {
  World world;
  const auto code_at = [&](std::int64_t k) { return procedure_code(k, o.seed, o.province); };
  const auto services = static_cast<std::size_t>(o.services);

  Rng record_rng(derive_seed(o.seed, kTagRecords));
  std::vector<CatalogueRecord> valid;
  valid.reserve(services);
  for (std::size_t i = 0; i < services; ++i) {
    valid.push_back(make_record(record_rng, code_at(static_cast<std::int64_t>(i))));
  }
  for (auto& r : valid) {
    r.agency.code += o.province;
    if (o.opencps_values) fit_to_opencps(r);
  }

  std::vector<std::size_t> order(services);
  std::iota(order.begin(), order.end(), std::size_t{0});
  Rng level_rng(derive_seed(o.seed, kTagLevels));
  level_rng.shuffle(order);
  for (std::size_t i = 0; i < static_cast<std::size_t>(o.full); ++i) {
    valid[order[i]].level = "full";
  }
  for (auto& r : valid) {
    refresh_expected_hash(r);
  }

  // Integrated, stale and rejected services: one shuffled order, cut in slices.
  std::iota(order.begin(), order.end(), std::size_t{0});
  Rng pick_rng(derive_seed(o.seed, kTagIntegrated));
  pick_rng.shuffle(order);
  Rng national_rng(derive_seed(o.seed, kTagNational));
  for (std::size_t i = 0; i < static_cast<std::size_t>(o.integrated); ++i) {
    const CatalogueRecord& r = valid[order[i]];
    NationalEntry e{r.code, r.expected_hash, r.level,
                    format_rfc3339(random_time(national_rng, 2023, 2024), 0)};
    if (i < static_cast<std::size_t>(o.stale)) {
      // What the portal got before the catalogue last changed this service.
      CatalogueRecord old = r;
      old.name = r.base_name + " (bản cũ)";
      old.processing_days = r.processing_days + 5;
      e.content_hash = content_hash_of(canonical_put_body(old));
      world.stale_codes.push_back(r.code);
    }
    world.integrated_codes.push_back(r.code);
    world.national.push_back(std::move(e));
  }
  for (std::size_t i = 0; i < static_cast<std::size_t>(o.reject); ++i) {
    const CatalogueRecord& r = valid[order[static_cast<std::size_t>(o.integrated) + i]];
    world.rejects.emplace(r.code, rejections()[i % rejections().size()]);
    world.reject_codes.push_back(r.code);
  }

  // Extra records: invalid ones cycling through the defects, then suspended.
  std::int64_t next_code = o.services;
  Rng extra_rng(derive_seed(o.seed, kTagExtras));
  std::vector<CatalogueRecord> extras;
  constexpr std::array kCycle{Defect::kBadLevel, Defect::kMissingName,   Defect::kNegativeFee,
                              Defect::kBadCode,  Defect::kDuplicateCode, Defect::kBadUpdatedAt};
  std::int64_t made = 0;
  for (std::size_t turn = 0; made < o.invalid; ++turn) {
    Defect defect = kCycle[turn % kCycle.size()];
    const bool subtle = (turn / kCycle.size()) % 2 == 1;
    if (defect == Defect::kDuplicateCode) {
      if (o.invalid - made < 2) {
        continue;  // a duplicate needs two records; take the next kind instead
      }
      CatalogueRecord first = make_record(extra_rng, code_at(next_code++));
      CatalogueRecord second = make_record(extra_rng, first.code);
      for (auto* r : {&first, &second}) {
        r->agency.code += o.province;
        r->level = extra_rng.below(2) == 0 ? "full" : "partial";
        apply_defect(*r, defect, subtle);
        refresh_expected_hash(*r);
        extras.push_back(*r);
      }
      made += 2;
      continue;
    }
    CatalogueRecord r = make_record(extra_rng, code_at(next_code++));
    r.agency.code += o.province;
    r.level = extra_rng.below(2) == 0 ? "full" : "partial";
    apply_defect(r, defect, subtle);
    refresh_expected_hash(r);
    extras.push_back(std::move(r));
    ++made;
  }
  for (std::int64_t i = 0; i < o.suspended; ++i) {
    CatalogueRecord r = make_record(extra_rng, code_at(next_code++));
    r.agency.code += o.province;
    r.level = extra_rng.below(2) == 0 ? "full" : "partial";
    r.status = "suspended";
    refresh_expected_hash(r);
    extras.push_back(std::move(r));
  }

  // Spread the extras through the catalogue (golden-ratio steps keep the two
  // copies of a duplicated code far apart, usually on different pages).
  const std::uint64_t phase = derive_seed(o.seed, kTagPositions) % 65536;
  std::vector<std::pair<std::size_t, std::size_t>> slots;  // (position, extra index)
  for (std::size_t j = 0; j < extras.size(); ++j) {
    const std::uint64_t key = (j * 40503 + phase) % 65536;
    slots.emplace_back(static_cast<std::size_t>(key * (services + 1) / 65536), j);
  }
  std::sort(slots.begin(), slots.end());
  world.records.reserve(services + extras.size());
  std::size_t s = 0;
  for (std::size_t i = 0; i <= services; ++i) {
    while (s < slots.size() && slots[s].first == i) {
      world.records.push_back(std::move(extras[slots[s].second]));
      ++s;
    }
    if (i < services) {
      world.records.push_back(std::move(valid[i]));
    }
  }

  for (std::int64_t i = 0; i < o.orphans; ++i) {
    CatalogueRecord r = make_record(national_rng, code_at(next_code++));
    r.agency.code += o.province;
    r.level = national_rng.below(2) == 0 ? "full" : "partial";
    refresh_expected_hash(r);
    world.orphan_codes.push_back(r.code);
    world.national.push_back({r.code, r.expected_hash, r.level,
                              format_rfc3339(random_time(national_rng, 2021, 2022), 0)});
  }
  std::sort(world.national.begin(), world.national.end(),
            [](const NationalEntry& a, const NationalEntry& b) { return a.code < b.code; });
  return world;
}

}  // namespace psd::sim
