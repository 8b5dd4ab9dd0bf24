#pragma once
// The contract's rules for one catalogue record (section 1).

#include <rapidjson/document.h>

#include <variant>

#include "daemon/core/service.hpp"

namespace psd::core {

/// Return the record as a valid `Service`, or an `InvalidRecord` whose reason
/// names the first field and rule it breaks. Unknown fields are ignored.
/// `page` and `index` are copied into an invalid record for the report.
std::variant<Service, InvalidRecord> validate_record(const rapidjson::Value& record, int page,
                                                     int index);

/// Mark every record whose code occurs more than once in `snapshot` invalid
/// ("duplicate code"), moving valid ones to `snapshot.invalid`.
void reject_duplicate_codes(Snapshot& snapshot);

/// Count the Unicode code points of valid UTF-8 `text`.
std::size_t count_code_points(std::string_view text);

}  // namespace psd::core
