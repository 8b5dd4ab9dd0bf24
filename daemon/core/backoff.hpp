#pragma once
// Capped exponential backoff with full jitter.

#include <chrono>
#include <cstdint>
#include <random>

namespace psd::core {

struct BackoffPolicy {
  std::chrono::milliseconds initial{1000};
  std::chrono::milliseconds max{300000};
};

/// Return the wait before retry number `attempt` (0 for the first retry):
/// uniform in [0, min(max, initial * 2^attempt)].
std::chrono::milliseconds backoff_delay(const BackoffPolicy& policy, int attempt,
                                        std::mt19937_64& random);

}  // namespace psd::core
