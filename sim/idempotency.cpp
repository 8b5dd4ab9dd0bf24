#include "sim/idempotency.hpp"

#include "sim/jcs.hpp"

namespace psd::sim {

IdempotencyStore::Claim IdempotencyStore::claim(const std::string& key,
                                                const std::string& fingerprint) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = entries_.try_emplace(key);
  if (inserted) {
    it->second.fingerprint = fingerprint;
    return {Outcome::kNew, {}};
  }
  if (it->second.fingerprint != fingerprint) {
    return {Outcome::kReused, {}};
  }
  if (!it->second.done) {
    return {Outcome::kInProgress, {}};
  }
  return {Outcome::kReplay, it->second.response};
}

void IdempotencyStore::finish(const std::string& key, StoredResponse response) {
  std::lock_guard lock(mu_);
  auto& e = entries_[key];
  e.done = true;
  e.response = std::move(response);
}

void IdempotencyStore::abandon(const std::string& key) {
  std::lock_guard lock(mu_);
  entries_.erase(key);
}

std::size_t IdempotencyStore::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

std::string request_fingerprint(const std::string& method, const std::string& path,
                                const std::string& body) {
  return method + " " + path + " " + sha256_hex(body);
}

}  // namespace psd::sim
