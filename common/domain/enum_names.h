#ifndef SEIMBANG_COMMON_DOMAIN_ENUM_NAMES_H_
#define SEIMBANG_COMMON_DOMAIN_ENUM_NAMES_H_

// One table of {enumerator, name} pairs per enum, read both ways, so an enum's
// names are written once and its Name and Parse functions cannot drift apart:
//
//   constexpr EnumName<Role> kRoleNames[] = {{Role::kAdmin, "admin"}, ...};
//   static_assert(CoversEveryValue(kRoleNames, Role::kAdmin, Role::kService));
//   std::string_view RoleName(Role r) { return NameOf(kRoleNames, r, "unknown"); }
//   ... if (std::optional<Role> r = FromName(kRoleNames, text)) return *r;
//
// A value may appear more than once (aliases such as "warning" for kWarn): the
// first entry is its name, every entry is accepted by FromName. Callers keep
// their own case rules, trimming and error messages.

#include <cstddef>
#include <optional>
#include <string_view>
#include <type_traits>

namespace seimbang::domain {

template <typename E>
struct EnumName {
  E value;
  std::string_view name;  // a string literal, so name.data() is NUL-terminated
};

// The name of the first entry for `value`, or `fallback` when there is none.
template <typename E, std::size_t N>
[[nodiscard]] constexpr std::string_view NameOf(const EnumName<E> (&table)[N], E value,
                                                std::string_view fallback) {
  for (const EnumName<E>& e : table) {
    if (e.value == value) return e.name;
  }
  return fallback;
}

// The value of the first entry named exactly `name` (case-sensitive), if any.
template <typename E, std::size_t N>
[[nodiscard]] constexpr std::optional<E> FromName(const EnumName<E> (&table)[N],
                                                  std::string_view name) {
  for (const EnumName<E>& e : table) {
    if (e.name == name) return e.value;
  }
  return std::nullopt;
}

// For enums whose values run contiguously from `first` to `last`: whether every
// one of them has a name that reads back as itself. It stands in for the
// switch's missing-case warning; use it in a static_assert next to the table.
template <typename E, std::size_t N>
[[nodiscard]] constexpr bool CoversEveryValue(const EnumName<E> (&table)[N], E first, E last) {
  using U = std::underlying_type_t<E>;
  for (U u = static_cast<U>(first); u <= static_cast<U>(last); ++u) {
    const E value = static_cast<E>(u);
    bool named = false;
    for (const EnumName<E>& e : table) named = named || e.value == value;
    if (!named) return false;
    const std::optional<E> back = FromName(table, NameOf(table, value, {}));
    if (!back.has_value() || *back != value) return false;
  }
  return true;
}

}  // namespace seimbang::domain

#endif  // SEIMBANG_COMMON_DOMAIN_ENUM_NAMES_H_
