#include "adapters/json_body.hpp"

#include <rapidjson/error/en.h>

namespace psd {

tl::expected<void, std::string> parse_json_body(std::string_view body,
                                                rapidjson::Document& document) {
  document.Parse<rapidjson::kParseValidateEncodingFlag>(body.data(), body.size());
  if (!document.HasParseError()) return {};
  return tl::unexpected(std::string("not valid JSON: ") +
                        rapidjson::GetParseError_En(document.GetParseError()) + " at byte " +
                        std::to_string(document.GetErrorOffset()));
}

}  // namespace psd
