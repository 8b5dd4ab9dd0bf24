#include "daemon/core/mirror.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <stdexcept>

namespace psd::core {
namespace {

/// Text is kept in blocks of this size (a longer entry gets a block of its own).
constexpr std::size_t kBlockBytes = std::size_t{64} * 1024;

}  // namespace

Mirror::Mirror(std::initializer_list<std::pair<std::string_view, MirrorEntry>> entries) {
  reserve(entries.size());
  for (const auto& [code, entry] : entries) add(code, entry.content_hash, entry.level);
}

Mirror::Mirror(const Mirror& other) {
  reserve(other.size());
  for (const HeldService held : other) add(held.code, held.content_hash, held.level);
}

Mirror& Mirror::operator=(const Mirror& other) {
  if (this != &other) {
    Mirror copy(other);
    *this = std::move(copy);
  }
  return *this;
}

const char* Mirror::store(std::string_view code, std::string_view hash) {
  const std::size_t bytes = code.size() + hash.size();
  if (bytes > block_left_) {
    const std::size_t size = std::max(bytes, kBlockBytes);
    blocks_.push_back(std::make_unique<char[]>(size));
    block_next_ = blocks_.back().get();
    block_left_ = size;
  }
  char* at = block_next_;
  if (!code.empty()) std::memcpy(at, code.data(), code.size());
  if (!hash.empty()) std::memcpy(at + code.size(), hash.data(), hash.size());
  block_next_ += bytes;
  block_left_ -= bytes;
  return at;
}

std::size_t Mirror::home(std::string_view code) const {
  return std::hash<std::string_view>{}(code) & (slots_.size() - 1);
}

std::size_t Mirror::slot_of(std::string_view code) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = home(code);; i = (i + 1) & mask) {
    const std::uint32_t slot = slots_[i];
    if (slot == 0 || code_of(records_[slot - 1]) == code) return i;
  }
}

void Mirror::index_for(std::size_t services) {
  std::size_t size = std::max<std::size_t>(slots_.size(), 16);
  while (services * 2 > size) size *= 2;
  if (size == slots_.size()) return;
  slots_.assign(size, 0);
  const std::size_t mask = size - 1;
  for (std::size_t index = 0; index < records_.size(); ++index) {
    std::size_t i = home(code_of(records_[index]));
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = static_cast<std::uint32_t>(index + 1);
  }
}

void Mirror::reserve(std::size_t services) {
  records_.reserve(records_.size() + services);
  index_for(records_.size() + services);
}

void Mirror::append(std::string_view code, std::string_view hash, Level level) {
  records_.push_back(Record{store(code, hash), static_cast<std::uint32_t>(code.size()),
                            static_cast<std::uint32_t>(hash.size()), level});
}

bool Mirror::add(std::string_view code, std::string_view content_hash, Level level) {
  index_for(records_.size() + 1);
  const std::size_t i = slot_of(code);
  if (slots_[i] != 0) return false;
  append(code, content_hash, level);
  slots_[i] = static_cast<std::uint32_t>(records_.size());
  return true;
}

void Mirror::put(std::string_view code, std::string_view content_hash, Level level) {
  const std::size_t index = index_of(code);
  if (index == npos) {
    add(code, content_hash, level);
    return;
  }
  records_[index] = Record{store(code, content_hash), static_cast<std::uint32_t>(code.size()),
                           static_cast<std::uint32_t>(content_hash.size()), level};
}

bool Mirror::erase(std::string_view code) {
  if (slots_.empty()) return false;
  std::size_t hole = slot_of(code);
  if (slots_[hole] == 0) return false;
  const std::size_t index = slots_[hole] - 1;
  // Backward-shift deletion: no tombstones, so lookups stay short.
  const std::size_t mask = slots_.size() - 1;
  slots_[hole] = 0;
  for (std::size_t next = (hole + 1) & mask; slots_[next] != 0; next = (next + 1) & mask) {
    const std::size_t wanted = home(code_of(records_[slots_[next] - 1]));
    // Move it into the hole unless its home lies cyclically in (hole, next].
    const bool stays =
        hole <= next ? (hole < wanted && wanted <= next) : (hole < wanted || wanted <= next);
    if (stays) continue;
    slots_[hole] = slots_[next];
    slots_[next] = 0;
    hole = next;
  }
  const std::size_t last = records_.size() - 1;
  if (index != last) {
    records_[index] = records_[last];
    slots_[slot_of(code_of(records_[index]))] = static_cast<std::uint32_t>(index + 1);
  }
  records_.pop_back();
  return true;
}

std::size_t Mirror::index_of(std::string_view code) const {
  if (slots_.empty()) return npos;
  const std::uint32_t slot = slots_[slot_of(code)];
  return slot == 0 ? npos : slot - 1;
}

std::optional<HeldService> Mirror::find(std::string_view code) const {
  const std::size_t index = index_of(code);
  if (index == npos) return std::nullopt;
  return (*this)[index];
}

HeldService Mirror::at(std::string_view code) const {
  const std::size_t index = index_of(code);
  if (index == npos)
    throw std::out_of_range("the national listing holds no service " + std::string(code));
  return (*this)[index];
}

HeldService Mirror::operator[](std::size_t index) const {
  const Record& record = records_[index];
  return {code_of(record), {record.text + record.code_size, record.hash_size}, record.level};
}

}  // namespace psd::core
