#pragma once

#include <filesystem>
#include <string_view>

namespace psd::runtime {

/// Replace `path` with `content` so that a reader sees the old file or the new
/// one, never a part: write a temporary file beside it, fsync, rename, fsync
/// the folder. Create the folder when missing. Throw std::runtime_error naming
/// the file on failure.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace psd::runtime
