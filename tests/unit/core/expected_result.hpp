#pragma once
// Reading a parser's tl::expected<T, core::Failure> in a test.

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "daemon/core/failure.hpp"

namespace psd::core::testing {

/// The value of `result`, or T{} after failing the test with the failure's
/// message.
template <typename T>
T value_or_fail(tl::expected<T, Failure> result) {
  if (result) return std::move(*result);
  ADD_FAILURE() << result.error().message;
  return T{};
}

/// The failure's message, or `accepted` when `result` holds a value.
template <typename T>
std::string message_or(const tl::expected<T, Failure>& result, const std::string& accepted) {
  return result ? accepted : result.error().message;
}

}  // namespace psd::core::testing
