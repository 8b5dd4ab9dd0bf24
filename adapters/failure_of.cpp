#include "adapters/failure_of.hpp"

#include <rapidjson/document.h>

#include "adapters/json_body.hpp"

namespace psd {
namespace {

constexpr std::size_t kMaxReasonLength = 300;  // one log line, even for a huge error body

core::FailureKind kind_of_status(long status) {
  if (status == 401) return core::FailureKind::unauthorized;
  if (status == 403 || status == 404) return core::FailureKind::forbidden;
  if (status == 429) return core::FailureKind::rate_limited;
  if (status == 400 || status == 422) return core::FailureKind::rejected;
  if (status >= 500) return core::FailureKind::transient;
  return core::FailureKind::bad_response;
}

core::FailureKind kind_of_transport(http::TransportError error) {
  switch (error) {
    case http::TransportError::tls:
      return core::FailureKind::fatal;
    case http::TransportError::too_large:
      return core::FailureKind::bad_response;
    default:
      return core::FailureKind::transient;
  }
}

std::string string_member(const rapidjson::Value& object, const char* name) {
  const auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return "";
  return {it->value.GetString(), it->value.GetStringLength()};
}

}  // namespace

std::string error_summary(std::string_view body) {
  rapidjson::Document document;
  document.Parse<kStrictJsonFlags>(body.data(), body.size());
  if (document.HasParseError() || !document.IsObject()) return "";
  const auto error = document.FindMember("error");
  if (error == document.MemberEnd()) return "";
  if (error->value.IsString()) {
    return one_line_excerpt({error->value.GetString(), error->value.GetStringLength()},
                            kMaxReasonLength);
  }
  if (!error->value.IsObject()) return "";
  std::string summary = string_member(error->value, "code");
  const std::string message = string_member(error->value, "message");
  const std::string field = string_member(error->value, "field");
  if (!message.empty()) summary += (summary.empty() ? "" : ": ") + message;
  if (!field.empty()) summary += " (field " + field + ")";
  return one_line_excerpt(summary, kMaxReasonLength);
}

core::Failure failure_of(std::string_view source, const http::Request& request,
                         const http::Response& response) {
  std::string message(source);
  message += ": ";
  if (response.error != http::TransportError::none) {
    message += response.error_message;
    return {kind_of_transport(response.error), message};
  }
  message += std::string(http::to_string(request.method)) + " " + request.url + ": HTTP " +
             std::to_string(response.status);
  if (const std::string summary = error_summary(response.body); !summary.empty()) {
    message += " " + summary;
  } else if (response.status == 200) {
    message += " with an unexpected body";
  }
  return {kind_of_status(response.status), message};
}

}  // namespace psd
