#include "common/domain/rank.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace seimbang::domain {
namespace {

Rank Pns(std::string_view text) {
  absl::StatusOr<Rank> r = ParseRank(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status();
  return r.value_or(Rank{});
}

TEST(ParseRank, ReadsPnsGolonganRuangOnASeventeenStepScale) {
  EXPECT_EQ(ParseRank("I/a")->ordinal, 1);
  EXPECT_EQ(ParseRank("I/d")->ordinal, 4);
  EXPECT_EQ(ParseRank("II/a")->ordinal, 5);
  EXPECT_EQ(ParseRank("III/a")->ordinal, 9);
  EXPECT_EQ(ParseRank("IV/a")->ordinal, 13);
  EXPECT_EQ(ParseRank("IV/e")->ordinal, 17);
  EXPECT_EQ(ParseRank("III/a")->kind, RankKind::kPns);
}

TEST(ParseRank, AcceptsAnUpperCaseRuangLetter) { EXPECT_EQ(Pns("III/A"), Pns("III/a")); }

TEST(ParseRank, ReadsPppkGradesAsRomanNumerals) {
  EXPECT_EQ(*ParseRank("I"), (Rank{RankKind::kPppk, 1}));
  EXPECT_EQ(*ParseRank("IX"), (Rank{RankKind::kPppk, 9}));
  EXPECT_EQ(*ParseRank("XVII"), (Rank{RankKind::kPppk, 17}));
}

TEST(ParseRank, RejectsOtherSpellings) {
  for (std::string_view bad :
       {"IIIa", "III-a", "3/a", "iii/a", "III/ a", "III/ab", "V/a", "", "XVIII", "IIII", "ix"}) {
    absl::StatusOr<Rank> r = ParseRank(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message(),
              absl::StrCat("rank must be a PNS golongan/ruang like III/a or a PPPK grade I-XVII, "
                           "got \"",
                           std::string(bad), "\""));
  }
}

TEST(ParseRank, OnlyGolonganIvHasRuangE) {
  EXPECT_EQ(ParseRank("III/e").status().message(), "golongan III has ruang a-d, got \"III/e\"");
  EXPECT_EQ(ParseRank("IV/f").status().message(), "golongan IV has ruang a-e, got \"IV/f\"");
}

TEST(FormatRank, WritesTheCanonicalForm) {
  EXPECT_EQ(FormatRank(Pns("III/A")), "III/a");
  EXPECT_EQ(FormatRank(Rank{RankKind::kPns, 17}), "IV/e");
  EXPECT_EQ(FormatRank(Rank{RankKind::kPns, 8}), "II/d");
  EXPECT_EQ(FormatRank(Rank{RankKind::kPppk, 14}), "XIV");
  EXPECT_EQ(FormatRank(Rank{RankKind::kPns, 18}), "?");
}

TEST(FormatRank, RoundTripsEveryRankOfBothKinds) {
  for (RankKind kind : {RankKind::kPns, RankKind::kPppk}) {
    for (int i = 1; i <= kMaxRankOrdinal; ++i) {
      const Rank r{kind, i};
      EXPECT_EQ(*ParseRank(FormatRank(r)), r) << FormatRank(r);
    }
  }
}

TEST(RankTitle, NamesEachPnsPangkat) {
  EXPECT_EQ(RankTitle(Pns("I/a")), "Juru Muda");
  EXPECT_EQ(RankTitle(Pns("I/d")), "Juru Tingkat I");
  EXPECT_EQ(RankTitle(Pns("II/b")), "Pengatur Muda Tingkat I");
  EXPECT_EQ(RankTitle(Pns("III/a")), "Penata Muda");
  EXPECT_EQ(RankTitle(Pns("III/d")), "Penata Tingkat I");
  EXPECT_EQ(RankTitle(Pns("IV/a")), "Pembina");
  EXPECT_EQ(RankTitle(Pns("IV/c")), "Pembina Utama Muda");
  EXPECT_EQ(RankTitle(Pns("IV/d")), "Pembina Utama Madya");
  EXPECT_EQ(RankTitle(Pns("IV/e")), "Pembina Utama");
}

TEST(RankTitle, IsEmptyForPppkGrades) { EXPECT_EQ(RankTitle(Rank{RankKind::kPppk, 9}), ""); }

TEST(CompareRanks, OrdersRanksOfTheSameKind) {
  EXPECT_LT(*CompareRanks(Pns("II/d"), Pns("III/a")), 0);
  EXPECT_GT(*CompareRanks(Pns("IV/e"), Pns("IV/d")), 0);
  EXPECT_EQ(*CompareRanks(Pns("III/c"), Pns("III/C")), 0);
}

TEST(CompareRanks, RefusesToCompareAPnsRankWithAPppkGrade) {
  absl::StatusOr<int> c = CompareRanks(Pns("III/a"), Rank{RankKind::kPppk, 9});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "cannot compare a PNS rank with a PPPK grade (III/a, IX)");
}

TEST(InBand, IncludesBothEnds) {
  // Ahli pertama band III/a-III/b.
  EXPECT_TRUE(InBand(Pns("III/a"), Pns("III/a"), Pns("III/b")));
  EXPECT_TRUE(InBand(Pns("III/b"), Pns("III/a"), Pns("III/b")));
  EXPECT_FALSE(InBand(Pns("II/d"), Pns("III/a"), Pns("III/b")));
  EXPECT_FALSE(InBand(Pns("III/c"), Pns("III/a"), Pns("III/b")));
}

TEST(InBand, IsFalseAcrossKinds) {
  const Rank pppk9{RankKind::kPppk, 9};
  EXPECT_FALSE(InBand(pppk9, Pns("III/a"), Pns("III/b")));  // same ordinal as III/a
  EXPECT_FALSE(InBand(Pns("III/a"), pppk9, Pns("III/b")));
  EXPECT_TRUE(InBand(pppk9, Rank{RankKind::kPppk, 9}, Rank{RankKind::kPppk, 11}));
}

TEST(RankEquality, DistinguishesKinds) { EXPECT_NE(Pns("III/a"), (Rank{RankKind::kPppk, 9})); }

}  // namespace
}  // namespace seimbang::domain
