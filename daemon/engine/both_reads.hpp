#pragma once
// Both portals read at once: the catalogue on the calling thread, the
// national listing (and its token) on a thread of its own. The plan waits
// for both.

#include <cstddef>
#include <optional>
#include <tl/expected.hpp>

#include "daemon/core/failure.hpp"
#include "daemon/core/plan.hpp"
#include "daemon/core/service.hpp"
#include "daemon/engine/cycle.hpp"
#include "daemon/engine/ports.hpp"
#include "daemon/state/state_store.hpp"

namespace psd::engine {

/// What the two reads of one cycle returned.
struct BothReads {
  // Failures until read: an empty mirror read by mistake would plan a create for everything.
  tl::expected<core::Snapshot, core::Failure> snapshot =
      tl::unexpected(core::Failure{core::FailureKind::fatal, "provincial catalogue: not read"});
  tl::expected<core::Mirror, core::Failure> mirror =
      tl::unexpected(core::Failure{core::FailureKind::fatal, "national portal: not listed"});
  std::optional<std::size_t> previous_active;  ///< active size of the last complete listing
  /// 304: `snapshot` is empty but for its ETag; the stored one is the
  /// catalogue, read by stored_snapshot only when the cycle needs it.
  bool catalogue_unchanged = false;
  int catalogue_restarts = 0;
};

/// Read the catalogue (falling back to the stored snapshot on a 304) on this
/// thread while `portal` lists on another, and return when both ended. A
/// failed catalogue, or `options.stop`, stops the listing at its next page.
/// `portal` is used by that thread only, and by the caller again only after
/// this returns; `store` and `catalogue` only by the caller's thread.
/// Return the stored snapshot, which a 304 for `etag` said is the catalogue.
tl::expected<core::Snapshot, core::Failure> stored_snapshot(const state::StateStore& store,
                                                            const std::string& etag);

BothReads read_both(CatalogueSource& catalogue, NationalPortal& portal, state::StateStore& store,
                    const CycleOptions& options);

}  // namespace psd::engine
