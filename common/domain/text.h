#ifndef SEIMBANG_COMMON_DOMAIN_TEXT_H_
#define SEIMBANG_COMMON_DOMAIN_TEXT_H_

// Lengths of text as the contracts count them. The protos bound names, labels and
// reasons in *characters* ("1-200 characters"), and MariaDB's utf8mb4 VARCHAR(n)
// counts characters too, so a bound checked in bytes would refuse a 150-character
// name written with accents. Proto3 strings reach a service as valid UTF-8 (gRPC
// refuses others when it parses the request), so a character is a byte that does
// not continue one.

#include <cstddef>
#include <string_view>

namespace seimbang::domain {

// Characters (Unicode code points) of UTF-8 text.
[[nodiscard]] constexpr size_t Utf8Length(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace seimbang::domain

#endif  // SEIMBANG_COMMON_DOMAIN_TEXT_H_
