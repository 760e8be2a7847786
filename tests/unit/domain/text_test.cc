// Text lengths count characters, the unit the contracts state their bounds in.
#include "common/domain/text.h"

#include <gtest/gtest.h>

#include <string>

namespace seimbang::domain {
namespace {

TEST(Utf8Length, CountsCharactersNotBytes) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("Makassar"), 8u);
  EXPECT_EQ(Utf8Length("Andi Mappanyukki"), 16u);
  // é (2 bytes), ’ (3 bytes), 𝔸 (4 bytes): one character each.
  EXPECT_EQ(Utf8Length("Andi R\xc3\xa9za"), 9u);
  EXPECT_EQ(Utf8Length("Ma\xe2\x80\x99ruf"), 6u);
  EXPECT_EQ(Utf8Length("\xf0\x9d\x94\xb8"), 1u);
  std::string e_acute;
  for (int i = 0; i < 200; ++i) e_acute += "\xc3\xa9";
  EXPECT_EQ(e_acute.size(), 400u);
  EXPECT_EQ(Utf8Length(e_acute), 200u);
  static_assert(Utf8Length("\xc3\xa9t\xc3\xa9") == 3, "constexpr: three characters");
}

}  // namespace
}  // namespace seimbang::domain
