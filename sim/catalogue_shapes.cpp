#include "sim/catalogue_shapes.hpp"

#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <set>

#include "sim/catalogue_entry.hpp"
#include "sim/catalogue_gen.hpp"
#include "sim/http_util.hpp"
#include "sim/json_fields.hpp"
#include "sim/vocabulary.hpp"

namespace psd::sim {
namespace {

constexpr std::int64_t kMaxOpencpsRange = 500;
constexpr std::int64_t kMaxGatewayPageSize = 100;
constexpr std::int64_t kDefaultGatewayPageSize = 20;

// An information-only service's code: prefix 0, which procedure_code never makes.
std::string information_code(std::int64_t k, const std::string& province) {
  return "0.00" + std::to_string(1000 + k % 9000) + ".000.00.00." + province;
}

std::int64_t param(const httplib::Request& req, const char* name, std::int64_t fallback) {
  if (!req.has_param(name)) return fallback;
  return parse_int(req.get_param_value(name)).value_or(-1);
}

// MucDo: 4 full, 3 partial, 2 information; a broken level as written.
std::string muc_do(const CatalogueRecord& record, bool information) {
  if (information) return "2";
  if (record.level == "full") return "4";
  if (record.level == "partial") return "3";
  return record.level;
}

// Every seventh record names its level with the decree's words, spelt the
// ways real catalogues do.
std::string gateway_level(const CatalogueRecord& record, bool information, std::size_t ordinal) {
  if (information || ordinal % 7 != 3 || !record.valid()) return muc_do(record, information);
  static const char* const kFull[] = {"Toàn trình", "TOÀN TRÌNH", "toan trinh"};
  static const char* const kPartial[] = {"Một phần", "MỘT PHẦN", "Mot phan"};
  const std::size_t spelling = (ordinal / 7) % 3;
  return record.level == "full" ? kFull[spelling] : kPartial[spelling];
}

std::string admin_level_number(const std::string& admin_level) {
  if (admin_level == "province") return "1";
  if (admin_level == "district") return "2";
  if (admin_level == "commune") return "3";
  return admin_level;
}

// "2024-10-28T09:15:00+07:00" -> "20241028091500"; a broken time as written.
std::string compact_time(const CatalogueRecord& record) {
  const std::string& t = record.updated_at;
  if (record.defect == Defect::kBadUpdatedAt || t.size() != 25 || t.substr(19) != "+07:00") {
    return t;
  }
  std::string out;
  for (const char c : t.substr(0, 19)) {
    if (c >= '0' && c <= '9') out += c;
  }
  return out;
}

}  // namespace

void fit_to_opencps(CatalogueRecord& record) {
  record.admin_level = "province";
  record.fee_vnd = 0;
  record.processing_days = 0;
}

std::string old_agency_code(const std::string& code) {
  // "000.00.15.H43": agencies with an odd number had a district-era code.
  if (code.rfind("000.00.", 0) != 0) return code;
  const auto end = code.find('.', 7);
  const auto number = parse_int(code.substr(7, end == std::string::npos ? end : end - 7));
  if (!number || *number % 2 == 0) return code;
  return "000.20." + code.substr(7);
}

CatalogueShapes::CatalogueShapes(const SimOptions& options, CatalogueStore& store, Ledger& ledger,
                                 Gate& gate)
    : options_(options), store_(store), ledger_(ledger), gate_(gate) {
  const auto agencies = agency_templates();
  for (std::int64_t k = 0; k < options.information; ++k) {
    const AgencyTemplate& a = agencies[static_cast<std::size_t>(k) % agencies.size()];
    CatalogueRecord r;
    r.code = information_code(k, options.province);
    r.name = "Thông tin về " + std::string(a.procedures[0]);
    r.level = "information";
    r.agency = {"000.00." + std::string(a.code_number) + "." + options.province,
                std::string(a.name)};
    r.field = std::string(a.field);
    r.admin_level = std::string(a.admin_level);
    r.updated_at = "2025-07-01T08:00:00+07:00";
    information_.push_back(std::move(r));
  }
  CatalogueRecord tear = information_.empty() ? CatalogueRecord{} : information_.front();
  tear.name = "Thủ tục vừa thêm trong lúc đọc";
  if (tear.agency.code.empty()) {
    tear.agency = {"000.00.01." + options.province, "Văn phòng UBND tỉnh"};
    tear.field = "Hành chính";
    tear.admin_level = "province";
    tear.updated_at = "2025-07-01T08:00:00+07:00";
  }
  for (std::size_t k = 0; k < kMaxTears; ++k) {
    tear.code = information_code(8999 - static_cast<std::int64_t>(k), options.province);
    tear_records_.push_back(tear);
  }
}

void CatalogueShapes::install(httplib::Server& server) {
  server.Get("/provincial/opencps/serviceinfos",
             [this](const httplib::Request& req, httplib::Response& res) { opencps(req, res); });
  server.Get("/provincial/gateway/thutuc",
             [this](const httplib::Request& req, httplib::Response& res) { gateway(req, res); });
  install_control(server);
}

void CatalogueShapes::install_control(httplib::Server& server) {
  server.Get("/_sim/agency-remap.csv", [this](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.set_content(remap_csv(), "text/csv; charset=utf-8");
  });
}

std::string CatalogueShapes::remap_csv() const {
  std::string csv = "old_code,new_code,new_name\r\n";
  std::set<std::string> done;
  std::size_t row = 0;
  for (const auto& a : agency_templates()) {
    const std::string code = "000.00." + std::string(a.code_number) + "." + options_.province;
    const std::string old = old_agency_code(code);
    if (old == code || !done.insert(code).second) continue;
    // Every other row names the agency, as an operator might; the rest keep the name read.
    const std::string name = row++ % 2 == 0 ? "\"" + std::string(a.name) + "\"" : "";
    csv.append(old).append(",").append(code).append(",").append(name).append("\r\n");
  }
  return csv;
}

std::string CatalogueShapes::agency_code(const CatalogueRecord& record) const {
  return options_.old_agency_codes ? old_agency_code(record.agency.code) : record.agency.code;
}

std::vector<CatalogueShapes::Item> CatalogueShapes::listing(const CatalogueSnapshot& snapshot,
                                                            bool with_suspended) const {
  std::vector<Item> items;
  items.reserve(snapshot.records.size() + information_.size() + kMaxTears);
  // The newest tear's service comes first: each tear shifts the whole listing.
  const std::size_t tears = std::min(tears_.load(), kMaxTears);
  for (std::size_t k = tears; k > 0; --k) items.push_back({&tear_records_[k - 1], true});
  const std::size_t n = snapshot.records.size();
  const std::size_t m = information_.size();
  std::size_t next_info = 0;
  for (std::size_t i = 0; i <= n; ++i) {
    // Information-only services spread evenly through the listing.
    while (next_info < m && (next_info + 1) * n / (m + 1) <= i) {
      items.push_back({&information_[next_info++], true});
    }
    if (i == n) break;
    const CatalogueRecord& record = snapshot.records[i];
    if (!with_suspended && record.status == "suspended") continue;
    items.push_back({&record, false});
  }
  return items;
}

bool CatalogueShapes::faulted(const httplib::Request& req, httplib::Response& res) {
  // As on the contract's catalogue: a status, or a gateway's HTML maintenance page.
  return enter_catalogue(options_, gate_, ledger_, req, res).answered;
}

void CatalogueShapes::after_page_one() {
  // The listing changes after its first page: a service appears at the front.
  if (store_.take_tear()) {
    ++tears_;
    ledger_.add(Counter::kTornListings);
  }
}

void CatalogueShapes::opencps(const httplib::Request& req, httplib::Response& res) {
  if (faulted(req, res)) return;
  const auto snapshot = store_.snapshot();
  const std::vector<Item> items = listing(*snapshot, false);
  const auto total = static_cast<std::int64_t>(items.size());
  const std::int64_t start = param(req, "start", 0);
  const std::int64_t end = param(req, "end", total);
  if (start < 0 || end < 0) {
    refuse_bad_request(ledger_, res, "INVALID_PARAMETER",
                       "start and end must be non-negative integers");
    return;
  }
  const std::int64_t last = std::min({end, total, start + kMaxOpencpsRange});
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  write_field(w, "total", total);
  w.Key("data");
  w.StartArray();
  for (std::int64_t i = start; i < last; ++i) {
    const Item& item = items[static_cast<std::size_t>(i)];
    const CatalogueRecord& r = *item.record;
    const std::string level = muc_do(r, item.information);
    const auto level_number = parse_int(level);
    write_object(w, {{"serviceInfoId", i + 1},
                     {"serviceCode", r.code},
                     {"serviceName", r.name, !r.omit_name},
                     {"maxLevel", level_number ? JsonValue(*level_number) : JsonValue(level)},
                     {"administrationCode", agency_code(r)},
                     {"administrationName", r.agency.name},
                     {"domainName", r.field}});
  }
  w.EndArray();
  w.EndObject();
  ledger_.add(Counter::kCataloguePages);
  send_json(res, 200, std::string(buf.GetString(), buf.GetSize()));
  if (start == 0) after_page_one();
}

void CatalogueShapes::gateway(const httplib::Request& req, httplib::Response& res) {
  if (faulted(req, res)) return;
  const std::int64_t page = param(req, "pageNumber", 1);
  const std::int64_t size = param(req, "pageSize", kDefaultGatewayPageSize);
  if (page < 1 || size < 1) {
    refuse_bad_request(ledger_, res, "INVALID_PARAMETER", "pageNumber and pageSize start at 1");
    return;
  }
  const std::int64_t clamped = std::min(size, kMaxGatewayPageSize);
  const auto snapshot = store_.snapshot();
  const std::vector<Item> items = listing(*snapshot, true);
  const auto total = static_cast<std::int64_t>(items.size());
  const std::int64_t first = std::min(total, (page - 1) * clamped);
  const std::int64_t last = std::min(total, first + clamped);

  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  write_fields(w, {{"error_code", 0}, {"message", "Thành công"}, {"total", std::to_string(total)}});
  w.Key("result");
  w.StartArray();
  for (std::int64_t i = first; i < last; ++i) {
    const Item& item = items[static_cast<std::size_t>(i)];
    const CatalogueRecord& r = *item.record;
    w.StartObject();
    write_fields(w, {{"MATTHC", r.code},
                     {"TENTTHC", r.name, !r.omit_name},
                     {"MUCDO", gateway_level(r, item.information, static_cast<std::size_t>(i))}});
    w.Key("COQUANTHUCHIEN");
    w.StartArray();
    write_object(w, {{"MADONVI", agency_code(r)}, {"TENDONVI", r.agency.name}});
    w.EndArray();
    write_fields(w, {{"LINHVUC", r.field},
                     {"CAPTHUCHIEN", admin_level_number(r.admin_level)},
                     {"LEPHI", std::to_string(r.fee_vnd)},
                     {"THOIGIANGIAIQUYET", std::to_string(r.processing_days)},
                     {"TRANGTHAI", r.status == "suspended" ? "0" : "1"},
                     {"NGAYCAPNHAT", compact_time(r)}});
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();

  // The gateway hands the portal's body on as a string.
  const std::string body =
      object_json({{"message", std::string_view(buf.GetString(), buf.GetSize())}});
  ledger_.add(Counter::kCataloguePages);
  send_json(res, 200, body);
  if (page == 1) after_page_one();
}

}  // namespace psd::sim
