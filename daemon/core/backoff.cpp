#include "daemon/core/backoff.hpp"

#include <algorithm>

namespace psd::core {

std::chrono::milliseconds backoff_delay(const BackoffPolicy& policy, int attempt,
                                        std::mt19937_64& random) {
  const std::int64_t max = policy.max.count();
  std::int64_t ceiling = policy.initial.count();
  for (int i = 0; i < attempt && ceiling < max; ++i) ceiling *= 2;
  ceiling = std::clamp<std::int64_t>(ceiling, 0, max);
  std::uniform_int_distribution<std::int64_t> pick(0, ceiling);
  return std::chrono::milliseconds(pick(random));
}

}  // namespace psd::core
