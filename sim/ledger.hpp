#pragma once
// What the client did, counted by the simulator. Thread-safe: every counter
// is an atomic, read without a lock.

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace psd::sim {

enum class Counter : std::size_t {
  kCreates,               // PUT that created an entry (201)
  kUpdates,               // PUT that changed an entry's hash (200)
  kDeletes,               // DELETE that withdrew an entry (204)
  kIdempotentReplays,     // repeated key with the same request: stored response replayed
  kWastedWrites,          // PUT with a new key and the hash the portal already held
  kHashMismatches,        // 422 HASH_MISMATCH
  kRejections,            // 422 from the reject set (business refusal)
  kKeyReuseErrors,        // 422 IDEMPOTENCY_KEY_REUSED
  kMissingKeys,           // 400 MISSING_IDEMPOTENCY_KEY
  kUnauthorized,          // 401 on the national API or catalogue (missing/expired/unknown token)
  kTokenRequests,         // every call of the token endpoint
  kTokenErrors,           // token calls answered 400/401
  kCataloguePages,        // catalogue pages served with 200
  kCatalogueNotModified,  // catalogue 304s
  kNationalListPages,     // national listing pages served with 200
  kPuts,                  // PUT requests received
  kDeleteRequests,        // DELETE requests received
  kInvalidRequests,       // 400/422 for schema, JSON, parameter or path errors
  kNotFound,              // 404: unknown province, or DELETE of a service not integrated
  kInProgressConflicts,   // 409: same key while the first request is still running
  kOffCatalogueWrites,    // successful PUT of a code that is not a valid active catalogue record
  kStaleWrites,           // successful PUT of content that is not the catalogue's current one
  kRateLimited,           // 429 RATE_LIMIT (rate cap)
  kConcurrencyLimited,    // 429 CONCURRENCY_LIMIT
  kRetryAfterViolations,  // national requests sent during its Retry-After window (answered 429)
  kCatalogueRetryAfterViolations,  // catalogue requests sent during its Retry-After window
  kFaultsInjected,                 // every injected fault: /_sim/fail and the random profile
  kResets,                         // connections reset before any work was done
  kApplyResets,                    // PUT/DELETE done and stored, then the connection reset
  kSlowAnswers,                    // answers held back slow_ms after the work was done
  kInjected500,                    // injected 500s
  kInjected503,                    // injected 503s (with or without Retry-After)
  kHtmlPages,                      // listing or catalogue pages answered 200 text/html
  kEdits,                          // catalogue records edited (/_sim/edit and tears)
  kTornListings,                   // listings torn after their page 1
  kMaxInFlight,                    // most PUT/DELETE handled at the same time
  kRequests,  // every request to either portal (not /_sim/...), answered or not
  // Times, in ms since the Unix epoch (0: none), per portal: the end of its
  // last Retry-After window, and when the first request that was not already
  // on the wire when that window opened arrived.
  kNationalWindowUntilMs,
  kNationalFirstRequestAfterWindowMs,
  kCatalogueWindowUntilMs,
  kCatalogueFirstRequestAfterWindowMs,
  kCount
};

inline constexpr std::size_t kCounterCount = static_cast<std::size_t>(Counter::kCount);

/// JSON / table name of a counter ("creates", "max_in_flight", ...).
std::string_view counter_name(Counter c);

class Ledger {
 public:
  Ledger();

  void add(Counter c, std::uint64_t n = 1) {
    values_[static_cast<std::size_t>(c)].fetch_add(n, std::memory_order_relaxed);
  }
  void set(Counter c, std::uint64_t value) {
    values_[static_cast<std::size_t>(c)].store(value, std::memory_order_relaxed);
  }
  std::uint64_t get(Counter c) const {
    return values_[static_cast<std::size_t>(c)].load(std::memory_order_relaxed);
  }

  /// Zero every counter (max_in_flight too).
  void reset();

  /// {"creates": 0, ...} in declaration order.
  std::string to_json() const;

  /// Two aligned columns, one counter a line, for a human at a terminal.
  std::string to_table() const;

  /// Counts PUT/DELETE handlers running now and keeps the maximum.
  class InFlight {
   public:
    explicit InFlight(Ledger& ledger);
    ~InFlight();
    /// Stop counting this handler before it ends (an answer held back).
    void release();
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

   private:
    Ledger& ledger_;
    bool counted_ = true;
  };

 private:
  std::array<std::atomic<std::uint64_t>, kCounterCount> values_;
  std::atomic<std::uint64_t> in_flight_{0};
};

}  // namespace psd::sim
