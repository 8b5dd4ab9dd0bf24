#pragma once
// Helpers for the config tests: a fresh temp dir, an environment variable
// set for one test, and a config document whose lines are known.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"

namespace psd::config::test {

namespace fs = std::filesystem;

/// A fresh directory, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "psd-config-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }

  /// Write `content` to `name` in the directory and return its path.
  fs::path write(const fs::path& name, const std::string& content) const {
    fs::path file = path_ / name;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
    return file;
  }

 private:
  fs::path path_;
};

/// Set (or, with nullopt, unset) an environment variable until destroyed.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::optional<std::string>& value) : name_(std::move(name)) {
    if (const char* old = ::getenv(name_.c_str())) {
      old_ = old;
    }
    apply(value);
  }
  ~ScopedEnv() { apply(old_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  void apply(const std::optional<std::string>& value) {
    if (value) {
      ::setenv(name_.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  std::string name_;
  std::optional<std::string> old_;
};

/// A config document built from sections, so tests can change one key and
/// know on which line it lands. Starts as the minimal valid config.
class Doc {
 public:
  Doc() {
    set("", "province", R"("H43")");
    set("provincial", "base_url", R"("https://catalogue.example/api/v1")");
    set("national", "base_url", R"("https://portal.example/integration/v1")");
    set("national", "token_url", R"("https://portal.example/oauth2/token")");
    set("national", "client_id", R"("province-h43")");
    set("national", "client_secret_file", R"("client_secret")");
  }

  /// Set `key` in `section` ("" for the top level) to the TOML `value`.
  Doc& set(const std::string& section, const std::string& key, const std::string& value) {
    auto& keys = section_(section);
    for (auto& entry : keys) {
      if (entry.first == key) {
        entry.second = value;
        return *this;
      }
    }
    keys.emplace_back(key, value);
    return *this;
  }

  /// Remove `key` from `section`.
  Doc& erase(const std::string& section, const std::string& key) {
    auto& keys = section_(section);
    std::erase_if(keys, [&key](const auto& entry) { return entry.first == key; });
    return *this;
  }

  /// Return the document's text.
  std::string text() const {
    std::string out;
    for (const auto& [name, keys] : sections_) {
      if (!name.empty()) {
        out += "[" + name + "]\n";
      }
      for (const auto& [key, value] : keys) {
        out.append(key).append(" = ").append(value).append("\n");
      }
    }
    return out;
  }

  /// Return the 1-based line of `key` in `section`, 0 if absent.
  int line(const std::string& section, const std::string& key) const {
    int line = 0;
    for (const auto& [name, keys] : sections_) {
      if (!name.empty()) {
        ++line;
      }
      for (const auto& entry : keys) {
        ++line;
        if (name == section && entry.first == key) {
          return line;
        }
      }
    }
    return 0;
  }

 private:
  std::vector<std::pair<std::string, std::string>>& section_(const std::string& name) {
    if (sections_.empty()) {
      sections_.emplace_back("", Keys{});
    }
    for (auto& entry : sections_) {
      if (entry.first == name) {
        return entry.second;
      }
    }
    sections_.emplace_back(name, Keys{});
    return sections_.back().second;
  }

  using Keys = std::vector<std::pair<std::string, std::string>>;
  std::vector<std::pair<std::string, Keys>> sections_;
};

/// The name the tests give a config that is parsed, not read from disk.
inline constexpr std::string_view kSource = "/etc/portal-syncd/h43.toml";

/// Return the ConfigError that parsing `text` throws, or nullopt.
inline std::optional<ConfigError> error_of(const std::string& text) {
  try {
    parse_config(text, kSource);
  } catch (const ConfigError& error) {
    return error;
  }
  return std::nullopt;
}

/// Return the 1-based line of the first line of `text` holding `needle`.
inline int line_of(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  if (at == std::string::npos) {
    return 0;
  }
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

/// Base fixture: no $CREDENTIALS_DIRECTORY from the environment running the
/// tests, and a fresh temp dir.
class ConfigTest : public testing::Test {
 protected:
  ScopedEnv no_credentials_{"CREDENTIALS_DIRECTORY", std::nullopt};
  TempDir dir_;
};

}  // namespace psd::config::test
