#pragma once
// The portal's memory of Idempotency-Keys: a repeated key with the same
// request replays the stored response; with another request it is an error;
// while the first is still running it is a conflict.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace psd::sim {

struct StoredResponse {
  int status = 0;
  std::string body;  // JSON; empty for 204
};

class IdempotencyStore {
 public:
  enum class Outcome { kNew, kReplay, kReused, kInProgress };

  struct Claim {
    Outcome outcome = Outcome::kNew;
    StoredResponse stored;  // for kReplay
  };

  /// Look up `key` for a request with `fingerprint` (method, path and the
  /// exact body bytes). kNew reserves the key: call finish() or abandon().
  Claim claim(const std::string& key, const std::string& fingerprint);

  /// Store the response of a claimed key (success or 4xx).
  void finish(const std::string& key, StoredResponse response);

  /// Release a claimed key without storing anything (e.g. a 5xx).
  void abandon(const std::string& key);

  std::size_t size() const;

 private:
  struct Entry {
    std::string fingerprint;
    bool done = false;
    StoredResponse response;
  };
  mutable std::mutex mu_;
  // Never expires: the contract asks for at least 24 hours, and a simulator
  // run is shorter.
  std::map<std::string, Entry> entries_;
};

/// The fingerprint of a request: method, path and a digest of the exact body.
std::string request_fingerprint(const std::string& method, const std::string& path,
                                const std::string& body);

}  // namespace psd::sim
