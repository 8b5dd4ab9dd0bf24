#pragma once
// What the daemon holds for provincial.dialect: a catalogue reader of either
// dialect, with the provincial portal's Retry-After window, so that one rule
// (the window kept in state.db across restarts) covers both readers.

#include "adapters/retry_window.hpp"
#include "daemon/engine/ports.hpp"

namespace psd::provincial {

class CatalogueReader : public engine::CatalogueSource {
 public:
  /// The provincial portal's Retry-After window (to keep it across restarts).
  virtual RetryWindow& retry_window() = 0;
};

}  // namespace psd::provincial
