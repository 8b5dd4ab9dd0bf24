#pragma once
// The HTML report's two charts as inline SVG: no script, no external font or
// image, so they print and render offline.

#include <string>
#include <vector>

#include "ctl/report/locale.hpp"
#include "ctl/report/model.hpp"

namespace psd::ctl::report {

/// Escape `text` for XML and HTML text and attribute values.
std::string escape_xml(const std::string& text);

/// A line chart of coverage: the period's start (when known), then the end
/// of each day. One <svg> element.
std::string coverage_chart(const Report& report, Lang lang);

/// Horizontal bars of the `limit` worst agencies' coverage. One <svg> element.
std::string agency_chart(const std::vector<Report::Agency>& agencies, std::size_t limit, Lang lang);

}  // namespace psd::ctl::report
