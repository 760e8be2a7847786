#include "common/domain/enum_names.h"

#include <optional>
#include <string_view>

#include "gtest/gtest.h"

namespace seimbang::domain {
namespace {

enum class Colour { kRed, kGreen, kBlue, kUnnamed };

// kGreen has an alias; kUnnamed has no entry at all.
constexpr EnumName<Colour> kColourNames[] = {
    {Colour::kRed, "red"},
    {Colour::kGreen, "green"},
    {Colour::kBlue, "blue"},
    {Colour::kGreen, "verde"},
};

TEST(NameOf, IsTheFirstNameOfTheValue) {
  EXPECT_EQ(NameOf(kColourNames, Colour::kRed, "?"), "red");
  EXPECT_EQ(NameOf(kColourNames, Colour::kBlue, "?"), "blue");
  EXPECT_EQ(NameOf(kColourNames, Colour::kGreen, "?"), "green");  // not the alias
}

TEST(NameOf, IsTheFallbackForAValueWithoutAName) {
  EXPECT_EQ(NameOf(kColourNames, Colour::kUnnamed, "?"), "?");
  EXPECT_EQ(NameOf(kColourNames, static_cast<Colour>(42), "unknown"), "unknown");
  EXPECT_EQ(NameOf(kColourNames, static_cast<Colour>(-1), ""), "");
}

TEST(FromName, FindsEveryNameAndAlias) {
  EXPECT_EQ(FromName(kColourNames, "red"), Colour::kRed);
  EXPECT_EQ(FromName(kColourNames, "green"), Colour::kGreen);
  EXPECT_EQ(FromName(kColourNames, "verde"), Colour::kGreen);
  EXPECT_EQ(FromName(kColourNames, "blue"), Colour::kBlue);
}

TEST(FromName, IsEmptyForAnUnknownName) {
  EXPECT_EQ(FromName(kColourNames, "purple"), std::nullopt);
  EXPECT_EQ(FromName(kColourNames, ""), std::nullopt);
  EXPECT_EQ(FromName(kColourNames, "Red"), std::nullopt);   // exact case; callers fold it
  EXPECT_EQ(FromName(kColourNames, " red"), std::nullopt);  // no trimming; callers trim
  EXPECT_EQ(FromName(kColourNames, "re"), std::nullopt);    // no prefixes
}

TEST(FromName, ReadsBackWhatNameOfWrites) {
  for (Colour c : {Colour::kRed, Colour::kGreen, Colour::kBlue}) {
    EXPECT_EQ(FromName(kColourNames, NameOf(kColourNames, c, "?")), c);
  }
}

TEST(CoversEveryValue, HoldsOnlyWhenEveryValueOfTheRangeHasAName) {
  EXPECT_TRUE(CoversEveryValue(kColourNames, Colour::kRed, Colour::kBlue));
  EXPECT_FALSE(CoversEveryValue(kColourNames, Colour::kRed, Colour::kUnnamed));
  // A name shared by two values reads back as the first only, so the second is not covered.
  constexpr EnumName<Colour> kClash[] = {{Colour::kRed, "red"}, {Colour::kGreen, "red"}};
  EXPECT_FALSE(CoversEveryValue(kClash, Colour::kRed, Colour::kGreen));
  static_assert(CoversEveryValue(kColourNames, Colour::kRed, Colour::kBlue));
}

}  // namespace
}  // namespace seimbang::domain
