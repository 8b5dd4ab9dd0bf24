#include <algorithm>
#include <string_view>

#include "config/config.hpp"
#include "config/io.hpp"
#include "config/mapping.hpp"

namespace psd::config {
namespace {

struct BuiltIn {
  std::string_view name;
  std::string_view text;
};

// The presets of config/mappings/, copied in at build time (psd_presets.inc,
// made by config/CMakeLists.txt), for a program run from its build tree.
constexpr BuiltIn kBuiltIn[] = {
#include "psd_presets.inc"
};

constexpr std::size_t kMaxPresetBytes = std::size_t{256} * 1024;

}  // namespace

std::vector<std::string> preset_names() {
  std::vector<std::string> names;
  for (const auto& preset : kBuiltIn) names.emplace_back(preset.name);
  std::sort(names.begin(), names.end());
  return names;
}

std::optional<Preset> find_preset(std::string_view name) {
  for (const auto& preset : kBuiltIn) {
    if (preset.name != name) continue;
    // The installed file is the one an operator can read and copy.
    const std::filesystem::path installed =
        std::filesystem::path(PSD_PRESET_DIR) / (std::string(name) + ".toml");
    std::string text;
    if (!detail::read_file(installed, kMaxPresetBytes, text)) return Preset{text, installed};
    return Preset{std::string(preset.text), "built into portal-syncd"};
  }
  return std::nullopt;
}

}  // namespace psd::config
