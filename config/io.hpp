#pragma once
// Reading small files whole, with the system's reason when it fails.

#include <cstddef>
#include <filesystem>
#include <string>
#include <system_error>

namespace psd::config::detail {

/// Read the regular file at `path` into `out`, refusing files larger than
/// `max_bytes`. Return the reason it failed, or an empty error code.
std::error_code read_file(const std::filesystem::path& path, std::size_t max_bytes,
                          std::string& out);

}  // namespace psd::config::detail
