#include "daemon/engine/both_reads.hpp"

#include <exception>
#include <stop_token>
#include <thread>

namespace psd::engine {
namespace {

/// Read the catalogue; on a 304, the stored snapshot is the catalogue.
tl::expected<core::Snapshot, core::Failure> read_catalogue(CatalogueSource& catalogue,
                                                           state::StateStore& store,
                                                           const CycleOptions& options,
                                                           BothReads& reads) {
  const std::optional<state::SnapshotHeader> last = store.load_snapshot_header();
  if (last) reads.previous_active = last->active;
  const std::string etag = !options.target.full() && last ? last->etag : std::string();
  auto listing = catalogue.read(etag);
  if (!listing) return tl::unexpected(std::move(listing.error()));
  reads.catalogue_restarts = listing->restarts;
  if (!listing->unchanged) return std::move(listing->snapshot);
  reads.catalogue_unchanged = true;
  core::Snapshot unchanged;
  unchanged.etag = etag;
  return unchanged;
}

/// Stops the listing, before the lister is joined, when the catalogue's side
/// ends without a snapshot: a failure, or an exception on this thread.
class StopUnlessReleased {
 public:
  explicit StopUnlessReleased(std::stop_source& source) : source_(source) {}
  StopUnlessReleased(const StopUnlessReleased&) = delete;
  StopUnlessReleased& operator=(const StopUnlessReleased&) = delete;
  ~StopUnlessReleased() {
    if (!released_) source_.request_stop();
  }
  void release() { released_ = true; }

 private:
  std::stop_source& source_;
  bool released_ = false;
};

}  // namespace

tl::expected<core::Snapshot, core::Failure> stored_snapshot(const state::StateStore& store,
                                                            const std::string& etag) {
  std::optional<core::Snapshot> stored = store.load_snapshot();
  if (!stored || stored->etag != etag) {
    // Another process replaced state.db's snapshot since the header was read.
    return tl::unexpected(core::Failure{
        core::FailureKind::transient,
        "state.db: the stored catalogue snapshot changed during the cycle; read again next time"});
  }
  return std::move(*stored);
}

BothReads read_both(CatalogueSource& catalogue, NationalPortal& portal, state::StateStore& store,
                    const CycleOptions& options) {
  BothReads reads;
  std::stop_source listing_stop;
  const std::stop_callback forward(options.stop, [&listing_stop] { listing_stop.request_stop(); });
  std::exception_ptr listing_error;
  {
    // The lister owns `portal` until it is joined at the end of this scope.
    const std::jthread lister([&] {
      try {
        reads.mirror = portal.list(listing_stop.get_token());
      } catch (...) {
        listing_error = std::current_exception();
      }
    });
    // Nothing is planned from a failed catalogue: its listing may end early.
    StopUnlessReleased stop_listing(listing_stop);
    reads.snapshot = read_catalogue(catalogue, store, options, reads);
    if (reads.snapshot) stop_listing.release();
  }
  if (listing_error) std::rethrow_exception(listing_error);
  return reads;
}

}  // namespace psd::engine
