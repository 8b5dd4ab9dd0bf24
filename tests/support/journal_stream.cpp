#include "tests/support/journal_stream.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace psd::testing {

std::string journal_stream_of(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    throw std::runtime_error("stat " + path + ": " + std::strerror(errno));
  }
  return std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino);
}

}  // namespace psd::testing
