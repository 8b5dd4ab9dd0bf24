#include "ctl/report/locale.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <cstdlib>

namespace psd::ctl::report {
namespace {

struct Label {
  std::string_view key;
  std::string_view en;
  std::string_view vi;
};

// Headings (the CSV and JSON keys), words stored in state.db, and the
// report's fixed phrases. Vietnamese as the provincial reports write it.
constexpr std::array kLabels = {
    Label{"title", "Integration of online public services with the National Public Service Portal",
          "Kết quả tích hợp, đồng bộ dịch vụ công trực tuyến lên Cổng Dịch vụ công quốc gia"},
    Label{"province", "Province", "Tỉnh"},
    Label{"generated_at", "Generated", "Lập lúc"},
    Label{"listed_at", "Catalogue listed", "Danh mục đọc lúc"},
    Label{"portal_listed_at", "National portal listed", "Cổng quốc gia đọc lúc"},
    Label{"period", "Period", "Kỳ báo cáo"},
    Label{"period_all", "all recorded cycles", "toàn bộ các chu kỳ đã ghi"},
    Label{"period_start", "At the start of the period", "Đầu kỳ"},
    Label{"now", "Now", "Hiện tại"},
    Label{"pushed_in_period", "Writes pushed to the national portal in the period",
          "Số lượt đẩy lên Cổng quốc gia trong kỳ"},
    Label{"none", "None.", "Không có."},
    Label{"chart_coverage", "Coverage over time (% integrated, end of each day)",
          "Tỷ lệ tích hợp theo thời gian (% cuối mỗi ngày)"},
    Label{"chart_agencies", "Coverage by agency, lowest first (at most 20; all in the table)",
          "Tỷ lệ tích hợp theo cơ quan, thấp nhất trước (tối đa 20; đầy đủ trong bảng)"},
    Label{"chart_no_history", "No cycle recorded in the period.",
          "Không có chu kỳ nào trong kỳ báo cáo."},
    Label{"start", "start", "đầu kỳ"},
    // Tables.
    Label{"summary", "Summary", "Tổng hợp"},
    Label{"by_level", "By level", "Theo mức độ"},
    Label{"by_admin_level", "By administrative level", "Theo cấp hành chính"},
    Label{"by_agency", "By agency, lowest coverage first", "Theo cơ quan, tỷ lệ thấp nhất trước"},
    Label{"rejected", "Rejected by the national portal, by agency",
          "Bị Cổng Dịch vụ công quốc gia từ chối, theo cơ quan"},
    Label{"invalid", "Invalid catalogue records", "Bản ghi danh mục không hợp lệ"},
    Label{"orphaned", "On the national portal but not active in the catalogue",
          "Có trên Cổng quốc gia nhưng không còn hiệu lực trong danh mục"},
    Label{"history", "History, one row per day", "Diễn biến theo ngày"},
    // Columns.
    Label{"level", "Level", "Mức độ"},
    Label{"admin_level", "Administrative level", "Cấp hành chính"},
    Label{"agency_code", "Agency code", "Mã cơ quan"},
    Label{"agency_name", "Agency", "Cơ quan"},
    Label{"code", "Service code", "Mã thủ tục"},
    Label{"name", "Service", "Tên thủ tục"},
    Label{"total", "Total", "Tổng số"},
    Label{"full", "Full-process", "Toàn trình"},
    Label{"partial", "Partial", "Một phần"},
    Label{"integrated", "Integrated", "Đã tích hợp"},
    Label{"in_sync", "In sync", "Đã đồng bộ"},
    Label{"percent", "%", "Tỷ lệ %"},
    Label{"reason", "Portal's reason", "Lý do Cổng quốc gia trả về"},
    Label{"rule", "Rule broken", "Quy tắc vi phạm"},
    Label{"page", "Page", "Trang"},
    Label{"date", "Date", "Ngày"},
    Label{"last_cycle", "Last cycle", "Chu kỳ cuối"},
    Label{"finished_at", "Finished (UTC)", "Kết thúc (UTC)"},
    Label{"result", "Result", "Kết quả"},
    Label{"cycles", "Cycles", "Số chu kỳ"},
    Label{"pushed", "Pushed", "Đã đẩy"},
    Label{"failed", "Failed", "Không thành công"},
    Label{"rejected_count", "Rejected", "Bị từ chối"},
    Label{"invalid_count", "Invalid records", "Bản ghi không hợp lệ"},
    Label{"orphaned_count", "Orphaned on the portal", "Thừa trên Cổng quốc gia"},
    // Words stored in state.db.
    Label{"level.full", "full-process", "toàn trình"},
    Label{"level.partial", "partial", "một phần"},
    Label{"admin_level.province", "province", "cấp tỉnh"},
    Label{"admin_level.district", "district", "cấp huyện"},
    Label{"admin_level.commune", "commune", "cấp xã"},
    Label{"result.ok", "ok", "thành công"},
    Label{"result.partial", "partial", "một phần"},
    Label{"result.failed", "failed", "thất bại"},
};

std::string group_thousands(std::uint64_t value, char separator) {
  std::string digits = std::to_string(value);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += separator;
    out += digits[i];
  }
  return out;
}

}  // namespace

Lang lang_from_environment() {
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') continue;
    const std::string_view text(value);
    return text.starts_with("vi") ? Lang::vi : Lang::en;
  }
  return Lang::en;
}

std::optional<Lang> parse_lang(std::string_view text) {
  if (text == "en") return Lang::en;
  if (text == "vi") return Lang::vi;
  return std::nullopt;
}

std::string_view to_string(Lang lang) { return lang == Lang::vi ? "vi" : "en"; }

std::string format_count(std::uint64_t value, Lang lang) {
  return group_thousands(value, lang == Lang::vi ? '.' : ',');
}

std::string plain_percent(double percent) {
  // Hundredths as an integer: the value is already rounded to 2 decimals.
  const auto hundredths = static_cast<std::uint64_t>(std::llround(percent * 100.0));
  std::string out = std::to_string(hundredths / 100);
  const std::uint64_t cents = hundredths % 100;
  if (cents != 0)
    out += cents % 10 == 0 ? fmt::format(".{}", cents / 10) : fmt::format(".{:02}", cents);
  return out;
}

std::string format_percent(double percent, Lang lang) {
  std::string out = plain_percent(percent);
  const auto dot = out.find('.');
  const std::string whole = out.substr(0, dot);
  std::string grouped = group_thousands(std::stoull(whole), lang == Lang::vi ? '.' : ',');
  if (dot != std::string::npos) grouped += (lang == Lang::vi ? ',' : '.') + out.substr(dot + 1);
  return grouped;
}

std::string format_time(std::string_view utc, Lang lang) {
  // "YYYY-MM-DDTHH:MM..." and nothing else is rewritten.
  if (utc.size() < 16 || utc[4] != '-' || utc[7] != '-' || utc[10] != 'T' || utc[13] != ':') {
    return std::string(utc);
  }
  const std::string_view year = utc.substr(0, 4), month = utc.substr(5, 2), day = utc.substr(8, 2),
                         time = utc.substr(11, 5);
  if (lang == Lang::vi) return fmt::format("{} UTC ngày {}/{}/{}", time, day, month, year);
  return fmt::format("{}-{}-{} {} UTC", year, month, day, time);
}

std::string_view label(std::string_view key, Lang lang) {
  for (const Label& entry : kLabels) {
    if (entry.key == key) return lang == Lang::vi ? entry.vi : entry.en;
  }
  return key;
}

}  // namespace psd::ctl::report
