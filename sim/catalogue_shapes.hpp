#pragma once
// The same catalogue in the foreign shapes of real provincial portals
// (contract dialects.md), for portal-syncd's mapped dialect:
//
//   GET /provincial/opencps/serviceinfos?start=S&end=E
//       OpenCPS v2: {"total": N, "data": [{"serviceCode", "maxLevel": 4, ...}]}
//   GET /provincial/gateway/thutuc?pageNumber=P&pageSize=S
//       a gateway wrapping a TD-style body as a JSON string in {"message": "..."}:
//       {"error_code": 0, "total": "N", "result": [{"MATTHC", "MUCDO": "4",
//        "LEPHI": "150000", "NGAYCAPNHAT": "20241028091500", ...}]}
//   GET /_sim/agency-remap.csv   the remap table that corrects --old-agency-codes
//
// Both list --information extra services of level "information" (MucDo 2).
// A torn listing (POST /_sim/tear) inserts one more such service at the front
// after page 1 (up to kMaxTears): the total changes and the next page repeats
// a code, so every tear is seen by a reader with or without a total.

#include <httplib.h>

#include <atomic>
#include <string>
#include <vector>

#include "sim/args.hpp"
#include "sim/catalogue_store.hpp"
#include "sim/gate.hpp"
#include "sim/ledger.hpp"

namespace psd::sim {

/// Give `record` the values the OpenCPS listing can carry (admin level
/// province, fee 0, processing days 0), for --opencps-values.
void fit_to_opencps(CatalogueRecord& record);

/// The agency code a record showed before the 2025 reorganisation, for
/// --old-agency-codes; the code itself when its agency kept its code.
std::string old_agency_code(const std::string& code);

class CatalogueShapes {
 public:
  /// Services a torn listing can gain; later tears still count in the ledger.
  static constexpr std::size_t kMaxTears = 16;

  CatalogueShapes(const SimOptions& options, CatalogueStore& store, Ledger& ledger, Gate& gate);

  /// Add the shapes' routes (and the remap table's) to `server`.
  void install(httplib::Server& server);
  /// Add only the control route (the remap table) to `server`.
  void install_control(httplib::Server& server);

  /// The CSV that maps every old agency code back to the current one.
  std::string remap_csv() const;

 private:
  struct Item {
    const CatalogueRecord* record;
    bool information;
  };
  std::vector<Item> listing(const CatalogueSnapshot& snapshot, bool with_suspended) const;
  /// A record's agency code as the listing shows it (the old one under --old-agency-codes).
  std::string agency_code(const CatalogueRecord& record) const;
  /// Run the catalogue's faults; true when they answered.
  bool faulted(const httplib::Request& req, httplib::Response& res);
  void after_page_one();
  void opencps(const httplib::Request& req, httplib::Response& res);
  void gateway(const httplib::Request& req, httplib::Response& res);

  const SimOptions& options_;
  CatalogueStore& store_;
  Ledger& ledger_;
  Gate& gate_;
  std::vector<CatalogueRecord> information_;
  std::vector<CatalogueRecord> tear_records_;  // kMaxTears, the newest first
  std::atomic<std::size_t> tears_{0};          // how many of them the listing shows
};

}  // namespace psd::sim
