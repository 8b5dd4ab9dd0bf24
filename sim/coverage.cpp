#include "sim/coverage.hpp"

#include <set>

#include "sim/json_fields.hpp"

namespace psd::sim {
namespace {

void write_count(JsonWriter& w, const CoverageCount& c) {
  write_object(w, {{"total", c.total},
                   {"integrated", c.integrated},
                   {"in_sync", c.in_sync},
                   {"percent", percent(c.integrated, c.total)}});
}

}  // namespace

double percent(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) {
    return 0.0;
  }
  // Integer rounding: (2 * 10000 * part + whole) / (2 * whole) rounds half up,
  // which is half away from zero for non-negative values.
  const std::int64_t hundredths = (20000 * part + whole) / (2 * whole);
  return static_cast<double>(hundredths) / 100.0;
}

Coverage compute_coverage(const CatalogueSnapshot& catalogue,
                          const std::map<std::string, NationalEntry>& national) {
  Coverage c;
  c.catalogue_version = catalogue.version;
  std::set<std::string> active_codes;
  for (const auto& r : catalogue.records) {
    if (!r.counts_active()) {
      continue;  // suspended: as if not in the catalogue
    }
    active_codes.insert(r.code);
    ++c.total_active;
    ++(r.valid() ? c.valid_active : c.invalid_active);
    const auto it = national.find(r.code);
    const bool integrated = it != national.end();
    // An invalid record cannot be pushed, so it is never in sync.
    const bool in_sync = integrated && r.valid() && it->second.content_hash == r.expected_hash;
    c.integrated += integrated ? 1 : 0;
    c.in_sync += in_sync ? 1 : 0;
    CoverageCount* level = r.level == "full"      ? &c.full
                           : r.level == "partial" ? &c.partial
                                                  : nullptr;
    for (CoverageCount* bucket : {level, &c.by_agency[r.agency.code]}) {
      if (bucket != nullptr) {
        ++bucket->total;
        bucket->integrated += integrated ? 1 : 0;
        bucket->in_sync += in_sync ? 1 : 0;
      }
    }
  }
  for (const auto& [code, entry] : national) {
    if (active_codes.count(code) == 0) {
      ++c.orphaned;
    }
  }
  return c;
}

std::string coverage_json(const Coverage& c) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  write_fields(w, {{"catalogue_version", c.catalogue_version},
                   {"total_active", c.total_active},
                   {"valid_active", c.valid_active},
                   {"invalid_active", c.invalid_active},
                   {"integrated", c.integrated},
                   {"in_sync", c.in_sync},
                   {"percent", percent(c.integrated, c.total_active)},
                   {"orphaned", c.orphaned}});
  w.Key("by_level");
  w.StartObject();
  w.Key("full");
  write_count(w, c.full);
  w.Key("partial");
  write_count(w, c.partial);
  w.EndObject();
  w.Key("by_agency");
  w.StartObject();
  for (const auto& [code, count] : c.by_agency) {
    w.Key(code.c_str());
    write_count(w, count);
  }
  w.EndObject();
  w.EndObject();
  return buf.GetString();
}

}  // namespace psd::sim
