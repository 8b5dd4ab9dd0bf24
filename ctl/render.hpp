#pragma once
// portal-syncctl's human output: the daemon's JSON answers as short tables.

#include <rapidjson/document.h>

#include <string>

namespace psd::ctl {

/// The status command's result as a table.
std::string render_status(const rapidjson::Value& status);
/// The history command's result as a table, newest first.
std::string render_history(const rapidjson::Value& history);
/// The retry command's result.
std::string render_retry(const rapidjson::Value& retry);
/// The list-commands result.
std::string render_commands(const rapidjson::Value& list);
/// The line that ends resync --wait.
std::string render_finished(const rapidjson::Value& finished);

/// `value` as JSON on one line.
std::string to_json(const rapidjson::Value& value);

}  // namespace psd::ctl
