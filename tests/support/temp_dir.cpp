#include "tests/support/temp_dir.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace psd::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/psd-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) {
    throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
  }
  path_ = buf.data();
}

TempDir::~TempDir() {
  if (!keep_) {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
}

std::string TempDir::file(std::string_view name) const { return path_ + "/" + std::string(name); }

std::string TempDir::write(std::string_view name, std::string_view content, int mode) const {
  std::string p = file(name);
  std::filesystem::create_directories(std::filesystem::path(p).parent_path());
  {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) {
      throw std::runtime_error("cannot write " + p);
    }
  }
  ::chmod(p.c_str(), static_cast<mode_t>(mode));
  return p;
}

std::string TempDir::read(std::string_view name) const {
  std::ifstream in(file(name), std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + file(name));
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string TempDir::stale_socket(std::string_view name) const {
  std::string p = file(name);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (p.size() >= sizeof address.sun_path) {
    throw std::runtime_error("socket path too long: " + p);
  }
  std::strncpy(address.sun_path, p.c_str(), sizeof address.sun_path - 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const bool bound =
      fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  const int error = errno;
  if (fd >= 0) {
    ::close(fd);  // bound, never listened on: the file stays, nobody answers
  }
  if (!bound) {
    throw std::runtime_error("bind " + p + ": " + std::strerror(error));
  }
  return p;
}

}  // namespace psd::testing
