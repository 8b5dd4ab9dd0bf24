#pragma once
// The national portal's integration API for one province: listing, PUT and
// DELETE, each checked strictly against the contract.

#include <httplib.h>

#include "sim/args.hpp"
#include "sim/catalogue_store.hpp"
#include "sim/gate.hpp"
#include "sim/idempotency.hpp"
#include "sim/ledger.hpp"
#include "sim/national_store.hpp"
#include "sim/token_issuer.hpp"

namespace psd::sim {

inline constexpr std::int64_t kDefaultLimit = 500;
inline constexpr std::int64_t kMaxLimit = 1000;

/// Opaque cursor for "the entries after `code`", and back.
std::string encode_cursor(const std::string& code);
std::optional<std::string> decode_cursor(const std::string& cursor);

class NationalApi {
 public:
  NationalApi(const SimOptions& options, NationalStore& store, const CatalogueStore& catalogue,
              TokenIssuer& tokens, Ledger& ledger, Gate& gate);

  /// GET /national/provinces/{province}/services (matches[1] = province).
  void list(const httplib::Request& req, httplib::Response& res);
  /// PUT /national/provinces/{province}/services/{code}.
  void put(const httplib::Request& req, httplib::Response& res);
  /// DELETE /national/provinces/{province}/services/{code}.
  void remove(const httplib::Request& req, httplib::Response& res);

 private:
  // The work of a PUT/DELETE after its key is claimed; the result is stored
  // under the key when it is a success or a 4xx.
  StoredResponse do_put(const httplib::Request& req, const std::string& path_code);
  StoredResponse do_delete(const std::string& path_code);
  void write_common(const httplib::Request& req, httplib::Response& res, bool is_put);

  const SimOptions& options_;
  NationalStore& store_;
  const CatalogueStore& catalogue_;
  TokenIssuer& tokens_;
  Ledger& ledger_;
  Gate& gate_;
  IdempotencyStore keys_;
};

}  // namespace psd::sim
