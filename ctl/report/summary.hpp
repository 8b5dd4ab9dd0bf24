#pragma once
// The sentence of the provincial report, and the summary as a table.

#include <string>

#include "ctl/report/locale.hpp"
#include "ctl/report/model.hpp"

namespace psd::ctl::report {

/// Return "1,126 online public services (582 full-process, 544 partial);
/// 985/1,126 integrated and synchronised with the national public service
/// portal: 87.48%" or its Vietnamese form, with that language's separators.
std::string summary_sentence(const Summary& summary, Lang lang);

/// The summary as a table: one row "now" and, when the period has a cycle,
/// one row "period_start" (before that cycle's pushes).
Table summary_table(const Report& report);

}  // namespace psd::ctl::report
