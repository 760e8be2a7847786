#include "common/domain/education.h"

#include "gtest/gtest.h"

namespace seimbang::domain {
namespace {

using L = EducationLevel;

TEST(ParseEducation, AcceptsCommonSpellingsCaseInsensitively) {
  EXPECT_EQ(*ParseEducation("S1"), L::kS1);
  EXPECT_EQ(*ParseEducation("S-1"), L::kS1);
  EXPECT_EQ(*ParseEducation("s1"), L::kS1);
  EXPECT_EQ(*ParseEducation("D3"), L::kD3);
  EXPECT_EQ(*ParseEducation("D-III"), L::kD3);
  EXPECT_EQ(*ParseEducation("d-iii"), L::kD3);
  EXPECT_EQ(*ParseEducation("D-IV"), L::kD4);
  EXPECT_EQ(*ParseEducation("D1"), L::kD1);
  EXPECT_EQ(*ParseEducation(" S-3 "), L::kS3);
  EXPECT_EQ(*ParseEducation("SD"), L::kSd);
  EXPECT_EQ(*ParseEducation("SMP"), L::kSmp);
}

TEST(ParseEducation, TreatsSmkAndSltaAsSma) {
  EXPECT_EQ(*ParseEducation("SMK"), L::kSma);
  EXPECT_EQ(*ParseEducation("SMA"), L::kSma);
  EXPECT_EQ(*ParseEducation("SLTA"), L::kSma);
  EXPECT_EQ(*ParseEducation("SLTP"), L::kSmp);
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
