#include "sim/national_api.hpp"

#include <algorithm>

#include "sim/http_util.hpp"
#include "sim/jcs.hpp"
#include "sim/json_fields.hpp"
#include "sim/put_validator.hpp"
#include "sim/timefmt.hpp"

namespace psd::sim {
namespace {

constexpr const char* kCursorPrefix = "c1.";

StoredResponse error_response(int status, std::string_view code, std::string_view message,
                              std::string_view field = {}) {
  return {status, error_body(code, message, field)};
}

std::string hex_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0x0F]);
  }
  return out;
}

}  // namespace

std::string encode_cursor(const std::string& code) {
  // Hex keeps the cursor URL-safe; the checksum makes a hand-made or
  // truncated cursor fail loudly instead of silently skipping entries.
  return kCursorPrefix + hex_encode(code) + "." + sha256_hex("cursor:" + code).substr(0, 8);
}

std::optional<std::string> decode_cursor(const std::string& cursor) {
  if (cursor.rfind(kCursorPrefix, 0) != 0) {
    return std::nullopt;
  }
  const auto dot = cursor.rfind('.');
  const std::string hex = cursor.substr(3, dot - 3);
  if (dot <= 3 || hex.size() % 2 != 0) {
    return std::nullopt;
  }
  std::string code;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const auto byte = form_decode("%" + hex.substr(i, 2));
    if (!byte || byte->size() != 1) {
      return std::nullopt;
    }
    code += *byte;
  }
  if (cursor.substr(dot + 1) != sha256_hex("cursor:" + code).substr(0, 8)) {
    return std::nullopt;
  }
  return code;
}

NationalApi::NationalApi(const SimOptions& options, NationalStore& store,
                         const CatalogueStore& catalogue, TokenIssuer& tokens, Ledger& ledger,
                         Gate& gate)
    : options_(options),
      store_(store),
      catalogue_(catalogue),
      tokens_(tokens),
      ledger_(ledger),
      gate_(gate) {}

void NationalApi::list(const httplib::Request& req, httplib::Response& res) {
  auto slot = gate_.admit(Target::kNationalList, res);
  if (!slot.admitted()) {
    return;
  }
  const Roll fault = gate_.roll(Target::kNationalList, req);
  if (gate_.inject(fault, Target::kNationalList, req, res, &slot)) {
    return;
  }
  sleep_ms(gate_.profile().latency_ms);
  if (!tokens_.authorize(req, res)) {
    return;
  }
  if (req.matches[1] != store_.province()) {
    ledger_.add(Counter::kNotFound);
    send_error(res, 404, "UNKNOWN_PROVINCE", "unknown province '" + req.matches[1].str() + "'");
    return;
  }
  std::int64_t limit = kDefaultLimit;
  if (req.has_param("limit")) {
    const auto v = parse_int(req.get_param_value("limit"));
    if (!v) {
      refuse_bad_request(ledger_, res, "INVALID_PARAMETER", "limit must be an integer", "limit");
      return;
    }
    limit = std::clamp<std::int64_t>(*v, 1, kMaxLimit);
  }
  std::string after;
  if (req.has_param("cursor")) {
    const auto code = decode_cursor(req.get_param_value("cursor"));
    if (!code) {
      refuse_bad_request(ledger_, res, "INVALID_CURSOR", "cursor was not issued by this portal",
                         "cursor");
      return;
    }
    after = *code;
  }
  bool more = false;
  const auto items = store_.page(after, static_cast<std::size_t>(limit), more);

  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("items");
  w.StartArray();
  for (const auto& e : items) {
    write_object(w, {{"code", e.code},
                     {"content_hash", e.content_hash},
                     {"level", e.level},
                     {"integrated_at", e.integrated_at}});
  }
  w.EndArray();
  const bool has_next = more && !items.empty();
  write_field(w, "next_cursor", has_next ? JsonValue(encode_cursor(items.back().code)) : nullptr);
  w.EndObject();
  ledger_.add(Counter::kNationalListPages);
  send_json(res, 200, buf.GetString());
  if (fault.kind == Injection::kSlow) {
    slot.release();
    gate_.hold_answer();
  }
}

void NationalApi::put(const httplib::Request& req, httplib::Response& res) {
  write_common(req, res, true);
}

void NationalApi::remove(const httplib::Request& req, httplib::Response& res) {
  write_common(req, res, false);
}

void NationalApi::write_common(const httplib::Request& req, httplib::Response& res, bool is_put) {
  Ledger::InFlight in_flight(ledger_);
  ledger_.add(is_put ? Counter::kPuts : Counter::kDeleteRequests);
  const Target target = is_put ? Target::kNationalPut : Target::kNationalDelete;
  auto slot = gate_.admit(target, res);
  if (!slot.admitted()) {
    return;
  }
  // A reset, 500 or 503 comes from in front of the portal: nothing is done.
  const Roll fault = gate_.roll(target, req);
  if (gate_.inject(fault, target, req, res, &slot, &in_flight)) {
    return;
  }
  if (!tokens_.authorize(req, res)) {
    return;
  }
  const std::string key = req.get_header_value("Idempotency-Key");
  if (req.get_header_value_count("Idempotency-Key") != 1 || !printable_ascii(key, 255)) {
    ledger_.add(Counter::kMissingKeys);
    send_error(res, 400, "MISSING_IDEMPOTENCY_KEY",
               "exactly one Idempotency-Key header of 1-255 printable ASCII characters is "
               "required");
    return;
  }

  const auto claim = keys_.claim(key, request_fingerprint(req.method, req.path, req.body));
  switch (claim.outcome) {
    case IdempotencyStore::Outcome::kReplay:
      ledger_.add(Counter::kIdempotentReplays);
      res.status = claim.stored.status;
      if (!claim.stored.body.empty()) {
        res.set_content(claim.stored.body, kJsonType);
      }
      res.set_header("Idempotent-Replayed", "true");
      return;
    case IdempotencyStore::Outcome::kReused:
      ledger_.add(Counter::kKeyReuseErrors);
      send_error(res, 422, "IDEMPOTENCY_KEY_REUSED",
                 "this Idempotency-Key was used for a different request");
      return;
    case IdempotencyStore::Outcome::kInProgress:
      ledger_.add(Counter::kInProgressConflicts);
      send_error(res, 409, "IN_PROGRESS", "a request with this Idempotency-Key is in progress");
      return;
    case IdempotencyStore::Outcome::kNew:
      break;
  }
  // The latency is spent holding the key, as a real portal doing the work
  // would, so a concurrent retry with the same key sees 409.
  sleep_ms(gate_.profile().latency_ms);

  StoredResponse out;
  if (req.matches[1] != store_.province()) {
    ledger_.add(Counter::kNotFound);
    out =
        error_response(404, "UNKNOWN_PROVINCE", "unknown province '" + req.matches[1].str() + "'");
  } else if (!valid_code(req.matches[2].str())) {
    ledger_.add(Counter::kInvalidRequests);
    out = error_response(400, "INVALID_FIELD",
                         "the code in the path must be 1-64 characters of [A-Za-z0-9._-]", "code");
  } else {
    out = is_put ? do_put(req, req.matches[2].str()) : do_delete(req.matches[2].str());
  }
  keys_.finish(key, out);  // every outcome here is a success or a 4xx
  if (fault.kind == Injection::kApplyReset) {
    // Done and stored under the key: a retry with the same key replays.
    gate_.reset_after_work(req, res, slot, in_flight);
    return;
  }
  res.status = out.status;
  if (!out.body.empty()) {
    res.set_content(out.body, kJsonType);
  }
  if (fault.kind == Injection::kSlow) {
    // The portal is done; only the answer is late. A client that gave up
    // no longer has this request in flight, so neither the cap nor
    // max_in_flight counts it.
    in_flight.release();
    slot.release();
    gate_.hold_answer();
  }
}

StoredResponse NationalApi::do_put(const httplib::Request& req, const std::string& path_code) {
  const std::string type = req.get_header_value("Content-Type");
  if (type.rfind("application/json", 0) != 0) {
    ledger_.add(Counter::kInvalidRequests);
    return error_response(400, "UNSUPPORTED_MEDIA_TYPE",
                          "the body must be sent as application/json");
  }
  auto checked = validate_put(req.body);
  if (auto* err = std::get_if<PutError>(&checked)) {
    ledger_.add(Counter::kInvalidRequests);
    return error_response(err->status, err->code, err->message, err->field);
  }
  const auto& body = std::get<ValidatedPut>(checked);
  if (body.code != path_code) {
    ledger_.add(Counter::kInvalidRequests);
    return error_response(
        422, "INVALID_FIELD",
        "code in the body ('" + body.code + "') differs from the path ('" + path_code + "')",
        "code");
  }
  if (body.content_hash != body.expected_hash) {
    ledger_.add(Counter::kHashMismatches);
    return error_response(422, "HASH_MISMATCH",
                          "content_hash does not match the body; expected " + body.expected_hash +
                              " over " + body.canonical,
                          "content_hash");
  }
  if (const auto rejection = store_.rejection(path_code)) {
    ledger_.add(Counter::kRejections);
    return error_response(422, rejection->error_code, rejection->message, rejection->field);
  }

  // The portal does not know the catalogue; the oracle does, and counts
  // writes a correct client would never make.
  const auto snap = catalogue_.snapshot();
  const CatalogueRecord* record = snap->find_valid_active(path_code);
  NationalEntry stored;
  const auto result =
      store_.put({path_code, body.content_hash, body.level, now_rfc3339_utc()}, stored);
  switch (result) {
    case NationalStore::WriteResult::kCreated:
      ledger_.add(Counter::kCreates);
      break;
    case NationalStore::WriteResult::kUpdated:
      ledger_.add(Counter::kUpdates);
      break;
    case NationalStore::WriteResult::kUnchanged:
      ledger_.add(Counter::kWastedWrites);
      break;
  }
  if (record == nullptr) {
    ledger_.add(Counter::kOffCatalogueWrites);
  } else if (record->expected_hash != body.content_hash) {
    ledger_.add(Counter::kStaleWrites);
  }
  return {result == NationalStore::WriteResult::kCreated ? 201 : 200,
          object_json({{"code", stored.code},
                       {"content_hash", stored.content_hash},
                       {"integrated_at", stored.integrated_at}})};
}

StoredResponse NationalApi::do_delete(const std::string& path_code) {
  if (!store_.remove(path_code)) {
    ledger_.add(Counter::kNotFound);
    return error_response(404, "NOT_INTEGRATED",
                          "service '" + path_code + "' is not integrated for this province");
  }
  ledger_.add(Counter::kDeletes);
  return {204, ""};
}

}  // namespace psd::sim
