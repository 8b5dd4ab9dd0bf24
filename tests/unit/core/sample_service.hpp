#pragma once
// The contract's example record, as test input.

#include "daemon/core/canonical.hpp"
#include "daemon/core/service.hpp"

namespace psd::core::testing {

inline Service sample_service(std::string code = "1.001612.000.00.00.H43") {
  return Service{std::move(code), "Cấp giấy phép xây dựng đối với công trình cấp III",
                 Level::full,     {"000.00.15.H43", "Sở Xây dựng"},
                 "Xây dựng",      AdminLevel::province,
                 150000,          15,
                 Status::active,  "2024-10-28T09:15:00+07:00"};
}

inline CatalogueEntry entry_of(Service service) {
  std::string hash = content_hash(service);
  return CatalogueEntry{std::move(service), std::move(hash)};
}

}  // namespace psd::core::testing
