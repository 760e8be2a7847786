// The five-year projection and formasi (issue 21), on hand-computed cases.
#include "services/workload/projection/projection.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace seimbang::projection {
namespace {

using domain::Date;

constexpr int64_t kUnitA = 10;
constexpr int64_t kUnitB = 20;

// `needs` and `people` as of 2026-12-02: year 1 is 2027, year 5 is 2031.
Input Base(std::vector<Need> needs = {}, std::vector<Person> people = {}) {
  Input in;
  in.as_of = Date{2026, 12, 2};
  in.needs = std::move(needs);
  in.people = std::move(people);
  return in;
}

Person InPost(const std::string& nip, int64_t unit, const std::string& position,
              Date retirement = Date{2060, 1, 1}, const std::string& family = "health") {
  return Person{nip, unit, position, family, retirement};
}

const PositionProjection& Find(const Projection& p, int64_t unit, const std::string& position) {
  for (const PositionProjection& x : p.positions) {
    if (x.unit_id == unit && x.position_code == position) return x;
  }
  ADD_FAILURE() << "no position " << unit << "/" << position;
  static const PositionProjection kNone;
  return kNone;
}

TEST(Projection, AnEmployeeLeavesInTheYearOfTheirTmtPensiunAndNotBefore) {
  // Born 1970-06-15, BUP 58: TMT pensiun 2028-07-01 (common/domain RetirementDate), year 2.
  absl::StatusOr<Projection> p =
      Project(Base({{kUnitA, "NURSE", "health", 1}},
                   {InPost("1", kUnitA, "NURSE", domain::RetirementDate(Date{1970, 6, 15}, 58))}));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_THAT(p->years, ::testing::ElementsAre(2027, 2028, 2029, 2030, 2031));
  const PositionProjection& nurse = Find(*p, kUnitA, "NURSE");
  ASSERT_EQ(nurse.years.size(), 5u);
  EXPECT_EQ(nurse.years[0].staff_start, 1);
  EXPECT_EQ(nurse.years[0].retirements, 0);
  EXPECT_EQ(nurse.years[0].gap, 0);
  EXPECT_EQ(nurse.years[1].staff_start, 1);  // still in post at the start of 2028
  EXPECT_EQ(nurse.years[1].retirements, 1);
  EXPECT_EQ(nurse.years[1].gap, -1);
  EXPECT_EQ(nurse.years[2].staff_start, 0);
  EXPECT_EQ(nurse.years[2].retirements, 0);
}

TEST(Projection, TwoRetirementsInYearThreeOpenAGapOfTwoFromYearThreeAndAFormasiOfTwoThen) {
  absl::StatusOr<Projection> p = Project(
      Base({{kUnitA, "NURSE", "health", 3}},
           {InPost("1", kUnitA, "NURSE", Date{2029, 3, 1}),
            InPost("2", kUnitA, "NURSE", Date{2029, 11, 1}), InPost("3", kUnitA, "NURSE")}));
  ASSERT_TRUE(p.ok()) << p.status();
  const PositionProjection& nurse = Find(*p, kUnitA, "NURSE");
  const std::vector<int64_t> gaps = {0, 0, -2, -2, -2};
  const std::vector<int64_t> formasi = {0, 0, 2, 0, 0};
  for (size_t k = 0; k < 5; ++k) {
    EXPECT_EQ(nurse.years[k].gap, gaps[k]) << "year " << k + 1;
    EXPECT_EQ(nurse.years[k].formasi.total, formasi[k]) << "year " << k + 1;
  }
  EXPECT_EQ(nurse.years[2].formasi.retirements, 2);
  EXPECT_EQ(nurse.years[2].formasi.growth, 0);
  EXPECT_EQ(nurse.years[2].formasi.existing_shortage, 0);
}

TEST(Projection, APlanMoveAppliedInYearZeroChangesBothUnits) {
  Input in = Base({{kUnitA, "NURSE", "health", 1}, {kUnitB, "NURSE", "health", 1}},
                  {InPost("1", kUnitA, "NURSE"), InPost("2", kUnitA, "NURSE")});
  absl::StatusOr<Projection> without = Project(in);
  ASSERT_TRUE(without.ok()) << without.status();
  EXPECT_EQ(Find(*without, kUnitA, "NURSE").years[0].gap, 1);
  EXPECT_EQ(Find(*without, kUnitB, "NURSE").years[0].gap, -1);
  EXPECT_EQ(Find(*without, kUnitB, "NURSE").years[0].formasi.existing_shortage, 1);

  in.moves = {{"2", kUnitB, "NURSE"}, {"9", kUnitB, "NURSE"}};
  absl::StatusOr<Projection> with = Project(in);
  ASSERT_TRUE(with.ok()) << with.status();
  EXPECT_EQ(with->moves_applied, 1);
  EXPECT_THAT(with->moves_skipped, ::testing::ElementsAre("9: not in post today"));
  EXPECT_EQ(Find(*with, kUnitA, "NURSE").staff_now, 1);
  EXPECT_EQ(Find(*with, kUnitA, "NURSE").years[0].gap, 0);
  EXPECT_EQ(Find(*with, kUnitB, "NURSE").staff_now, 1);
  EXPECT_EQ(Find(*with, kUnitB, "NURSE").years[0].gap, 0);
  EXPECT_EQ(Find(*with, kUnitB, "NURSE").years[0].formasi.total, 0);
}

TEST(Projection, GrowthCompoundsOnTheNeedOfTodayAndRoundsUpEachYear) {
  // 10% a year on 10: 11, 12.1, 13.31, 14.641, 16.1051 -> 11, 13, 14, 15, 17.
  EXPECT_EQ(GrownNeed(10, 0.1, 1), 11);
  EXPECT_EQ(GrownNeed(10, 0.1, 2), 13);
  EXPECT_EQ(GrownNeed(10, 0.1, 3), 14);
  EXPECT_EQ(GrownNeed(10, 0.1, 4), 15);
  EXPECT_EQ(GrownNeed(10, 0.1, 5), 17);
  EXPECT_EQ(GrownNeed(3, 0, 5), 3);
  EXPECT_EQ(GrownNeed(3, 0.0, 0), 3);  // exactly 3, never rounded up by noise

  Input in = Base();
  in.growth = {{"health", 0.1}};
  in.needs = {{kUnitA, "NURSE", "health", 10}, {kUnitA, "CLERK", "admin", 1}};
  for (int i = 0; i < 10; ++i) in.people.push_back(InPost(std::to_string(i), kUnitA, "NURSE"));
  in.people.push_back(InPost("c", kUnitA, "CLERK", Date{2060, 1, 1}, "admin"));
  absl::StatusOr<Projection> p = Project(in);
  ASSERT_TRUE(p.ok()) << p.status();
  const PositionProjection& nurse = Find(*p, kUnitA, "NURSE");
  const std::vector<int64_t> need = {11, 13, 14, 15, 17};
  const std::vector<int64_t> formasi = {1, 2, 1, 1, 2};
  for (size_t k = 0; k < 5; ++k) {
    EXPECT_EQ(nurse.years[k].need, need[k]) << "year " << k + 1;
    EXPECT_EQ(nurse.years[k].formasi.total, formasi[k]) << "year " << k + 1;
    EXPECT_EQ(nurse.years[k].formasi.growth, formasi[k]) << "year " << k + 1;
  }
  EXPECT_EQ(Find(*p, kUnitA, "CLERK").years[4].need, 1) << "growth is per family";
}

TEST(Projection, VacanciesAreAnExistingShortageKeptApartFromRetirements) {
  Input in =
      Base({{kUnitA, "NURSE", "health", 3}}, {InPost("1", kUnitA, "NURSE", Date{2027, 5, 1})});
  in.unfilled_needs = {{{kUnitA, "NURSE"}, "no nurse of this level may move (same_level)"}};
  absl::StatusOr<Projection> p = Project(in);
  ASSERT_TRUE(p.ok()) << p.status();
  const PositionProjection& nurse = Find(*p, kUnitA, "NURSE");
  EXPECT_FALSE(nurse.vacant_now);
  EXPECT_EQ(nurse.unfilled_diagnosis, "no nurse of this level may move (same_level)");
  EXPECT_EQ(nurse.years[0].formasi.total, 3);
  EXPECT_EQ(nurse.years[0].formasi.existing_shortage, 2);
  EXPECT_EQ(nurse.years[0].formasi.retirements, 1);

  in.people.clear();
  p = Project(in);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(Find(*p, kUnitA, "NURSE").vacant_now);
  EXPECT_EQ(Find(*p, kUnitA, "NURSE").years[0].formasi.existing_shortage, 3);
  EXPECT_EQ(Find(*p, kUnitA, "NURSE").years[0].formasi.retirements, 0);
}

TEST(Projection, RetirementsBeforeYearOneCountInYearOne) {
  // One already past their TMT but still listed, one leaving later this month.
  absl::StatusOr<Projection> p = Project(
      Base({{kUnitA, "NURSE", "health", 2}}, {InPost("1", kUnitA, "NURSE", Date{2026, 10, 1}),
                                              InPost("2", kUnitA, "NURSE", Date{2026, 12, 31})}));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(Find(*p, kUnitA, "NURSE").years[0].retirements, 2);
  EXPECT_EQ(Find(*p, kUnitA, "NURSE").years[0].formasi.retirements, 2);
}

TEST(Projection, TotalsAddShortagesWithoutNettingThemAgainstSurpluses) {
  absl::StatusOr<Projection> p =
      Project(Base({{kUnitA, "NURSE", "health", 1}, {kUnitB, "NURSE", "health", 2}},
                   {InPost("1", kUnitA, "NURSE"), InPost("2", kUnitA, "NURSE")}));
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->agency.size(), 5u);
  EXPECT_EQ(p->agency[0].gap, -1);      // +1 and -2
  EXPECT_EQ(p->agency[0].shortage, 2);  // not 1
  EXPECT_EQ(p->agency[0].formasi.total, 2);
  ASSERT_EQ(p->units.size(), 2u);
  EXPECT_EQ(p->units[1].unit_id, kUnitB);
  EXPECT_EQ(p->units[1].years[0].formasi.total, 2);
  ASSERT_EQ(p->families.size(), 1u);
  EXPECT_EQ(p->families[0].job_family, "health");
}

TEST(Projection, BadInputIsInvalidArgument) {
  Input in = Base();
  in.years = 0;
  EXPECT_EQ(Project(in).status().code(), absl::StatusCode::kInvalidArgument);
  in.years = kMaxYears + 1;
  EXPECT_EQ(Project(in).status().code(), absl::StatusCode::kInvalidArgument);
  in = Base();
  in.growth = {{"health", 1.5}};
  EXPECT_EQ(Project(in).status().code(), absl::StatusCode::kInvalidArgument);
  in = Base();
  in.needs = {{kUnitA, "NURSE", "health", -1}};
  EXPECT_EQ(Project(in).status().code(), absl::StatusCode::kInvalidArgument);
  in = Base();
  in.needs = {{kUnitA, "NURSE", "health", 1}, {kUnitA, "NURSE", "health", 2}};
  EXPECT_EQ(Project(in).status().code(), absl::StatusCode::kInvalidArgument);
  in = Base();
  in.people = {InPost("1", kUnitA, "NURSE"), InPost("1", kUnitB, "NURSE")};
  EXPECT_EQ(Project(in).status().code(), absl::StatusCode::kInvalidArgument);
  in = Base();
  in.first_year = 2020;
  EXPECT_EQ(Project(in).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace seimbang::projection
