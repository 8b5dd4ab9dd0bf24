#pragma once
// The names an enum's values have in files, logs and on the wire, as one
// table per enum: both directions (to text and back) read the same list, so
// a spelling is decided in one place. Header only: adapters/http uses it too.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <type_traits>

namespace psd::core {

/// The names of the enumerators 0..N-1 of `Enum`, in declaration order.
template <typename Enum, std::size_t N>
class EnumNames {
  static_assert(std::is_enum_v<Enum>);

 public:
  constexpr explicit EnumNames(std::array<std::string_view, N> names) : names_(names) {}

  /// Return the name of `value`; "" for a value outside the table.
  constexpr std::string_view operator()(Enum value) const {
    const auto index = static_cast<std::size_t>(value);
    return index < N ? names_[index] : std::string_view("");
  }

  /// Return the value named `text` (exactly), or nullopt.
  constexpr std::optional<Enum> parse(std::string_view text) const {
    for (std::size_t index = 0; index < N; ++index) {
      if (names_[index] == text) return static_cast<Enum>(index);
    }
    return std::nullopt;
  }

 private:
  std::array<std::string_view, N> names_;
};

/// Return the table naming the values of `Last`'s enum from 0 to `Last`, in
/// their order: `constexpr auto kNames = enum_names<Level::partial>("full", "partial");`
/// The compiler checks one name per value up to `Last` (a value added after
/// it must move `Last` too). The names are literals: they live for ever, and
/// each view's data() ends in a NUL for the C interfaces that want one.
template <auto Last, std::size_t... Sizes>
constexpr EnumNames<decltype(Last), sizeof...(Sizes)> enum_names(const char (&... names)[Sizes]) {
  static_assert(sizeof...(Sizes) == static_cast<std::size_t>(Last) + 1,
                "one name per value, from the first to Last");
  return EnumNames<decltype(Last), sizeof...(Sizes)>({std::string_view(names, Sizes - 1)...});
}

}  // namespace psd::core
