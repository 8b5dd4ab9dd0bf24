#pragma once
// Shared helpers of the simulator's tests: HTTP calls on a SimProcess and PUT
// bodies built from what the catalogue serves.

#include <httplib.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "tests/support/sim_process.hpp"

namespace psd::sim::test {

/// An httplib client on the simulator.
httplib::Client client_for(const psd::testing::SimProcess& sim);

/// Parse a JSON body; fails the test (and returns an empty object) when invalid.
rapidjson::Document json(const std::string& body);

/// Every record the catalogue serves, one listing of page_size 500, each as
/// compact JSON text of the record object.
std::vector<std::string> catalogue_records(const psd::testing::SimProcess& sim);

/// The PUT body a correct client sends for a catalogue record (JSON text):
/// the record without status, updated_at and unknown fields, plus content_hash.
std::string put_body_for(const std::string& record_json);

/// The value of a string member of a JSON object text.
std::string member(const std::string& json_text, const char* name);

/// The path of a national service of the default province.
std::string service_path(const std::string& code, const std::string& province = "H43");

/// PUT/DELETE with a bearer token and an optional Idempotency-Key ("" = none).
httplib::Result put(httplib::Client& client, const std::string& token, const std::string& code,
                    const std::string& body, const std::string& key);
httplib::Result del(httplib::Client& client, const std::string& token, const std::string& code,
                    const std::string& key);

/// The "error"."code" of an error body ("" when absent).
std::string error_code(const std::string& body);

}  // namespace psd::sim::test
