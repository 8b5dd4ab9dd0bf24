#include "sim/catalogue_store.hpp"

#include <numeric>

#include "sim/catalogue_gen.hpp"
#include "sim/jcs.hpp"

namespace psd::sim {

std::string snapshot_version(const std::vector<CatalogueRecord>& records, std::uint64_t sequence) {
  // The digest ties the version to the content, so a simulator restarted with
  // other options never reuses a version (and so an ETag) of another catalogue.
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartArray();
  std::uint64_t ordinal = 0;
  for (const auto& r : records) {
    write_catalogue_json(w, r, false, ordinal++);
  }
  w.EndArray();
  return std::to_string(sequence) + "-" +
         sha256_hex(std::string_view(buf.GetString(), buf.GetSize())).substr(0, 12);
}

CatalogueStore::CatalogueStore(std::vector<CatalogueRecord> records) {
  auto snap = std::make_shared<CatalogueSnapshot>();
  snap->records = std::move(records);
  snap->sequence = 1;
  snap->version = snapshot_version(snap->records, snap->sequence);
  auto index = std::make_shared<std::unordered_map<std::string, std::size_t>>();
  for (std::size_t i = 0; i < snap->records.size(); ++i) {
    const auto& r = snap->records[i];
    if (r.valid() && r.counts_active()) {
      index->emplace(r.code, i);
    }
  }
  snap->valid_active_index = std::move(index);
  current_ = std::move(snap);
}

std::shared_ptr<const CatalogueSnapshot> CatalogueStore::snapshot() const {
  std::lock_guard lock(mu_);
  return current_;
}

std::vector<std::string> CatalogueStore::edit(std::size_t count) {
  std::lock_guard lock(mu_);
  auto next = std::make_shared<CatalogueSnapshot>(*current_);
  std::vector<std::size_t> editable;
  for (std::size_t i = 0; i < next->records.size(); ++i) {
    const auto& r = next->records[i];
    if (r.valid() && r.counts_active()) {
      editable.push_back(i);
    }
  }
  std::vector<std::string> codes;
  const std::size_t n = editable.size();
  if (n == 0 || count == 0) {
    return codes;
  }
  count = std::min(count, n);
  // A step near n/phi and coprime with n visits every record once per n
  // edits, far apart from each other.
  std::size_t step = std::max<std::size_t>(1, n * 618 / 1000);
  while (std::gcd(step, n) != 1) {
    ++step;
  }
  for (std::size_t k = 0; k < count; ++k) {
    auto& r = next->records[editable[(edit_cursor_++ * step + 7) % n]];
    apply_edit(r);
    codes.push_back(r.code);
  }
  publish(std::move(next));
  return codes;
}

bool CatalogueStore::edit_code(const std::string& code) {
  std::lock_guard lock(mu_);
  auto next = std::make_shared<CatalogueSnapshot>(*current_);
  if (current_->find_valid_active(code) == nullptr) return false;
  for (auto& r : next->records) {
    if (r.code == code && r.valid() && r.counts_active()) {
      apply_edit(r);
      publish(std::move(next));
      return true;
    }
  }
  return false;
}

void CatalogueStore::apply_edit(CatalogueRecord& r) {
  ++r.edit_count;
  r.name = r.base_name + " (sửa đổi lần " + std::to_string(r.edit_count) + ")";
  r.updated_at = edit_timestamp(++edits_);
  refresh_expected_hash(r);
}

void CatalogueStore::publish(std::shared_ptr<CatalogueSnapshot> next) {
  next->sequence = current_->sequence + 1;
  next->version = snapshot_version(next->records, next->sequence);
  current_ = std::move(next);
}

bool CatalogueStore::take_tear() {
  std::size_t pending = tears_.load();
  while (pending > 0) {
    if (tears_.compare_exchange_weak(pending, pending - 1)) {
      return true;
    }
  }
  return false;
}

}  // namespace psd::sim
