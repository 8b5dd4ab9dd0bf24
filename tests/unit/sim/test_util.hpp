#pragma once
// Shared helpers of the simulator's tests: HTTP calls on a SimProcess and PUT
// bodies built from what the catalogue serves.

#include <httplib.h>
#include <rapidjson/document.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/support/sim_process.hpp"

namespace psd::sim::test {

// The harness's names, for the simulator's tests that live in this namespace.
using psd::testing::SimFaultProfile;
using psd::testing::SimProcess;

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

/// Not-integrated (missing) codes the portal accepts, with their PUT bodies.
std::vector<std::pair<std::string, std::string>> missing_bodies(
    const psd::testing::SimProcess& sim);

/// What came back on a raw TCP connection after sending a request.
struct RawExchange {
  std::string received;  // bytes read before the end
  int error = 0;         // errno of the read that ended it (ECONNRESET); 0 for an orderly EOF
};

/// Connect to 127.0.0.1:port, send `request` (a whole HTTP/1.1 request with
/// "Connection: close") and read until the connection ends (30 s at most).
RawExchange raw_exchange(int port, const std::string& request);

}  // namespace psd::sim::test
