#include "common/domain/education.h"

#include <string_view>
#include <utility>

#include "gtest/gtest.h"

namespace seimbang::domain {
namespace {

using L = EducationLevel;

TEST(ParseEducation, AcceptsCommonSpellingsCaseInsensitively) {
  const std::pair<std::string_view, L> cases[] = {
      {"S1", L::kS1},    {"S-1", L::kS1},   {"s1", L::kS1},   {"D3", L::kD3},
      {"D-III", L::kD3}, {"d-iii", L::kD3}, {"D-IV", L::kD4}, {"D1", L::kD1},
      {" S-3 ", L::kS3}, {"SD", L::kSd},    {"SMP", L::kSmp}};
  for (const auto& [text, want] : cases) EXPECT_EQ(*ParseEducation(text), want) << text;
}

TEST(ParseEducation, TreatsSmkAndSltaAsSma) {
  const std::pair<std::string_view, L> cases[] = {
      {"SMK", L::kSma}, {"SMA", L::kSma}, {"SLTA", L::kSma}, {"SLTP", L::kSmp}};
  for (const auto& [text, want] : cases) EXPECT_EQ(*ParseEducation(text), want) << text;
}

TEST(ParseEducation, RejectsUnknownLevelsWithTheAcceptedList) {
  for (std::string_view bad : {"", "S4", "D5", "D-V", "Sarjana", "S--1"}) {
    absl::StatusOr<L> e = ParseEducation(bad);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(ParseEducation("S4").status().message(),
            "unknown education level \"S4\" (expected SD, SMP, SMA/SMK, D-I..D-IV or S-1..S-3)");
}

TEST(FormatEducation, IsCanonicalAndRoundTrips) {
  EXPECT_EQ(FormatEducation(L::kD3), "D-III");
  EXPECT_EQ(FormatEducation(L::kS1), "S-1");
  for (L level :
       {L::kSd, L::kSmp, L::kSma, L::kD1, L::kD2, L::kD3, L::kD4, L::kS1, L::kS2, L::kS3}) {
    EXPECT_EQ(*ParseEducation(FormatEducation(level)), level);
  }
}

TEST(MeetsMinimum, HigherOrEqualLevelsMeetTheMinimum) {
  EXPECT_TRUE(MeetsMinimum(L::kS2, L::kS1));
  EXPECT_TRUE(MeetsMinimum(L::kS1, L::kS1));
  EXPECT_TRUE(MeetsMinimum(L::kD3, L::kSma));
  EXPECT_FALSE(MeetsMinimum(L::kD3, L::kS1));
  EXPECT_FALSE(MeetsMinimum(L::kSma, L::kD1));
  EXPECT_FALSE(MeetsMinimum(L::kS2, L::kS3));
}

TEST(MeetsMinimum, TreatsDivAndS1AsEquivalent) {
  EXPECT_TRUE(MeetsMinimum(L::kD4, L::kS1));
  EXPECT_TRUE(MeetsMinimum(L::kS1, L::kD4));
  EXPECT_FALSE(MeetsMinimum(L::kD4, L::kS2));
  EXPECT_TRUE(MeetsMinimum(L::kD4, L::kD3));
}

}  // namespace
}  // namespace seimbang::domain
