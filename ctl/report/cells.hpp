#pragma once
// A cell as text: for people (localised) or for machines (CSV).

#include <string>

#include "ctl/report/locale.hpp"
#include "ctl/report/table.hpp"

namespace psd::ctl::report {

/// Return the cell as people read it in `lang`: separators, localised words,
/// "–" for no value.
std::string for_people(const Cell& cell, Lang lang);
/// Return the cell in its stable form: plain digits, "87.48", the stored
/// word, "" for no value.
std::string plain(const Cell& cell);

}  // namespace psd::ctl::report
