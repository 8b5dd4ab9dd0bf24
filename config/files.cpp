#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "config/config.hpp"
#include "config/io.hpp"

namespace psd::config {
namespace detail {

std::error_code read_file(const std::filesystem::path& path, std::size_t max_bytes,
                          std::string& out) {
  out.clear();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return {errno, std::system_category()};
  }
  std::error_code error;
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    error = {errno, std::system_category()};
  } else if (S_ISDIR(info.st_mode)) {
    error = std::make_error_code(std::errc::is_a_directory);
  } else {
    char buffer[4096];
    for (;;) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0) {
        error = {errno, std::system_category()};
        break;
      }
      if (n == 0) {
        break;
      }
      out.append(buffer, static_cast<std::size_t>(n));
      if (out.size() > max_bytes) {
        error = std::make_error_code(std::errc::file_too_large);
        break;
      }
    }
  }
  ::close(fd);
  if (error) {
    out.clear();
  }
  return error;
}

}  // namespace detail

std::filesystem::path resolve_file(const std::filesystem::path& name,
                                   const std::filesystem::path& config_dir) {
  if (name.empty() || name.is_absolute()) {
    return name;
  }
  // systemd's LoadCredential= puts secrets here; it wins when it has the file.
  const char* credentials = std::getenv("CREDENTIALS_DIRECTORY");
  if (credentials != nullptr && *credentials != '\0') {
    const auto candidate = std::filesystem::path(credentials) / name;
    std::error_code ignored;
    if (std::filesystem::exists(candidate, ignored)) {
      return candidate.lexically_normal();
    }
  }
  return (config_dir / name).lexically_normal();
}

tl::expected<std::string, core::Failure> read_secret(const std::filesystem::path& path) {
  constexpr std::size_t kMaxSecret = std::size_t{64} * 1024;
  std::string secret;
  if (const auto error = detail::read_file(path, kMaxSecret, secret)) {
    return core::failure(core::FailureKind::fatal,
                         "cannot read secret file " + path.string() + ": " + error.message());
  }
  if (secret.ends_with("\r\n")) {
    secret.resize(secret.size() - 2);
  } else if (secret.ends_with('\n')) {
    secret.pop_back();
  }
  if (secret.empty()) {
    return core::failure(core::FailureKind::fatal, "secret file " + path.string() + " is empty");
  }
  // A second line or a stray control character would end up in an HTTP
  // header or form body and fail in a way that is hard to trace.
  for (const char c : secret) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return core::failure(core::FailureKind::fatal,
                           "secret file " + path.string() +
                               " holds a control character or more than one line; it must hold "
                               "the secret alone on one line");
    }
  }
  return secret;
}

std::optional<std::string> secret_file_warning(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || (info.st_mode & S_IRWXO) == 0) {
    return std::nullopt;
  }
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
  return "secret file " + path.string() + " has mode " + mode +
         ": other users may read it; chmod o-rwx it (or use systemd's LoadCredential=)";
}

}  // namespace psd::config
