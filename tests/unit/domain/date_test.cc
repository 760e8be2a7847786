#include "common/domain/date.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace seimbang::domain {
namespace {

void ExpectInvalid(std::string_view text, const std::string& message) {
  absl::StatusOr<Date> d = ParseDate(text);
  ASSERT_FALSE(d.ok()) << text;
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(d.status().message()), message) << text;
}

TEST(ParseDate, AcceptsIsoCalendarDates) {
  EXPECT_EQ(*ParseDate("2024-02-29"), (Date{2024, 2, 29}));
  EXPECT_EQ(*ParseDate("1985-03-12"), (Date{1985, 3, 12}));
}

TEST(ParseDate, RejectsAnythingButYyyyMmDd) {
  for (std::string_view bad : {"", "2024-2-29", "2024/02/29", "20240229", "2024-02-29 ",
                               " 2024-02-29", "2024-02-2x", "+024-02-29", "2024-02-029"}) {
    ExpectInvalid(bad, "date must be YYYY-MM-DD");
  }
}

TEST(ParseDate, NamesTheMonthOutOfRange) {
  ExpectInvalid("2023-13-01", "month 13 out of range 1-12");
  ExpectInvalid("2023-00-01", "month 0 out of range 1-12");
}

TEST(ParseDate, NamesTheDayThatDoesNotExistInItsMonth) {
  ExpectInvalid("2023-02-30", "day 30 does not exist in 2023-02");
  ExpectInvalid("2023-02-29", "day 29 does not exist in 2023-02");
  ExpectInvalid("2023-04-31", "day 31 does not exist in 2023-04");
  ExpectInvalid("2023-01-00", "day 0 does not exist in 2023-01");
}

TEST(ParseDate, RejectsYearZero) { ExpectInvalid("0000-01-01", "year 0 out of range 1-9999"); }

TEST(LeapYear, FollowsTheGregorianRule) {
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_FALSE(IsLeapYear(2023));
  EXPECT_FALSE(IsLeapYear(1900));  // century not divisible by 400
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(2100, 2), 28);
  EXPECT_EQ(DaysInMonth(2024, 13), 0);
}

TEST(FormatDate, ZeroPads) { EXPECT_EQ(FormatDate(Date{987, 3, 5}), "0987-03-05"); }

TEST(FormatDate, RoundTripsWithParseDate) {
  EXPECT_EQ(FormatDate(*ParseDate("2031-12-31")), "2031-12-31");
}

TEST(DateOrder, ComparesYearThenMonthThenDay) {
  EXPECT_LT((Date{2024, 12, 31}), (Date{2025, 1, 1}));
  EXPECT_LT((Date{2025, 1, 31}), (Date{2025, 2, 1}));
  EXPECT_GT((Date{2025, 2, 2}), (Date{2025, 2, 1}));
  EXPECT_LE((Date{2025, 2, 1}), (Date{2025, 2, 1}));
  EXPECT_NE((Date{2025, 2, 1}), (Date{2025, 2, 2}));
}

TEST(AddMonths, ClampsTheDayToTheEndOfTheTargetMonth) {
  EXPECT_EQ(AddMonths(Date{2023, 1, 31}, 1), (Date{2023, 2, 28}));
  EXPECT_EQ(AddMonths(Date{2024, 1, 31}, 1), (Date{2024, 2, 29}));  // leap year
  EXPECT_EQ(AddMonths(Date{2024, 3, 31}, 1), (Date{2024, 4, 30}));
  EXPECT_EQ(AddMonths(Date{2024, 2, 29}, 12), (Date{2025, 2, 28}));
}

TEST(AddMonths, CrossesYearBoundariesBothWays) {
  EXPECT_EQ(AddMonths(Date{2024, 11, 15}, 3), (Date{2025, 2, 15}));
  EXPECT_EQ(AddMonths(Date{2024, 1, 15}, -1), (Date{2023, 12, 15}));
  EXPECT_EQ(AddMonths(Date{2024, 3, 31}, -1), (Date{2024, 2, 29}));
  EXPECT_EQ(AddMonths(Date{2024, 5, 10}, -29), (Date{2021, 12, 10}));
  EXPECT_EQ(AddMonths(Date{2024, 5, 10}, 0), (Date{2024, 5, 10}));
}

TEST(MonthsBetween, CountsOnlyCompletedMonths) {
  EXPECT_EQ(MonthsBetween(Date{2023, 1, 15}, Date{2023, 2, 14}), 0);
  EXPECT_EQ(MonthsBetween(Date{2023, 1, 15}, Date{2023, 2, 15}), 1);
  EXPECT_EQ(MonthsBetween(Date{2021, 7, 1}, Date{2023, 6, 30}), 23);
  EXPECT_EQ(MonthsBetween(Date{2021, 7, 1}, Date{2023, 7, 1}), 24);  // 2 years of tenure
  EXPECT_EQ(MonthsBetween(Date{2023, 5, 5}, Date{2023, 5, 5}), 0);
}

TEST(MonthsBetween, AgreesWithAddMonthsAtTheEndOfAMonth) {
  // Jan 31 + 1 month is Feb 28, so by Feb 28 one month has passed.
  EXPECT_EQ(MonthsBetween(Date{2023, 1, 31}, Date{2023, 2, 27}), 0);
  EXPECT_EQ(MonthsBetween(Date{2023, 1, 31}, Date{2023, 2, 28}), 1);
  EXPECT_EQ(MonthsBetween(Date{2023, 1, 31}, Date{2023, 3, 30}), 1);
  EXPECT_EQ(MonthsBetween(Date{2023, 1, 31}, Date{2023, 3, 31}), 2);
}

TEST(MonthsBetween, IsNegativeWhenTheEndIsBeforeTheStart) {
  EXPECT_EQ(MonthsBetween(Date{2023, 3, 15}, Date{2023, 1, 15}), -2);
}

// Negative spans floor like positive ones: the largest m with AddMonths(from, m) <= to.
// (Found by the date fuzzer: a day short of a month back used to give 0.)
TEST(MonthsBetween, APartialMonthBackCountsAsAWholeMonthBack) {
  EXPECT_EQ(MonthsBetween(Date{2938, 10, 21}, Date{2938, 10, 19}), -1);
  EXPECT_EQ(MonthsBetween(Date{2938, 10, 19}, Date{2935, 4, 21}), -42);
  EXPECT_EQ(MonthsBetween(Date{2023, 3, 15}, Date{2023, 3, 14}), -1);
}

TEST(MonthsUntil, IsWholeMonthsLeftAndNeverNegative) {
  EXPECT_EQ(MonthsUntil(Date{2025, 3, 15}, Date{2026, 3, 1}), 11);
  EXPECT_EQ(MonthsUntil(Date{2025, 3, 1}, Date{2026, 3, 1}), 12);
  EXPECT_EQ(MonthsUntil(Date{2026, 3, 1}, Date{2026, 3, 1}), 0);
  EXPECT_EQ(MonthsUntil(Date{2027, 1, 1}, Date{2026, 3, 1}), 0);  // already retired
}

TEST(SerialDays, StartAtTheUnixEpoch) {
  EXPECT_EQ(DaysFromCivil(Date{1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromCivil(Date{1970, 1, 2}), 1);
  EXPECT_EQ(DaysFromCivil(Date{1969, 12, 31}), -1);
  EXPECT_EQ(DaysFromCivil(Date{2000, 3, 1}), 11017);
  EXPECT_EQ(DaysFromCivil(Date{2024, 3, 1}) - DaysFromCivil(Date{2024, 2, 28}), 2);
  EXPECT_EQ(DaysFromCivil(Date{2023, 3, 1}) - DaysFromCivil(Date{2023, 2, 28}), 1);
}

TEST(SerialDays, RoundTripOverFourCenturies) {
  Date expected{1900, 1, 1};
  for (int64_t n = DaysFromCivil(expected); n <= DaysFromCivil(Date{2300, 12, 31}); ++n) {
    const Date d = CivilFromDays(n);
    ASSERT_EQ(d, expected) << n;
    ASSERT_EQ(DaysFromCivil(d), n);
    // Step `expected` forward by one day by hand.
    if (++expected.day > DaysInMonth(expected.year, expected.month)) {
      expected.day = 1;
      if (++expected.month > 12) {
        expected.month = 1;
        ++expected.year;
      }
    }
  }
}

TEST(Today, IsAValidRecentDate) {
  const Date today = Today();
  EXPECT_TRUE(IsValidDate(today));
  EXPECT_GE(today.year, 2025);
}

TEST(RetirementDate, IsTheFirstOfTheMonthAfterTheMonthTheAgeIsReached) {
  // Born 12 March 1967, BUP 58: turns 58 on 2025-03-12, pension from 2025-04-01.
  EXPECT_EQ(RetirementDate(Date{1967, 3, 12}, 58), (Date{2025, 4, 1}));
}

TEST(RetirementDate, BornOnTheFirstStillRetiresTheFollowingMonth) {
  EXPECT_EQ(RetirementDate(Date{1967, 3, 1}, 58), (Date{2025, 4, 1}));
}

TEST(RetirementDate, BornInDecemberRetiresInJanuaryOfTheNextYear) {
  EXPECT_EQ(RetirementDate(Date{1965, 12, 31}, 60), (Date{2026, 1, 1}));
}

TEST(RetirementDate, BornOnALeapDayRetiresOnTheFirstOfMarch) {
  EXPECT_EQ(RetirementDate(Date{1968, 2, 29}, 58), (Date{2026, 3, 1}));
}

TEST(RetirementDate, CombinesWithMonthsUntilForTheRetirementWindow) {
  const Date tmt = RetirementDate(Date{1967, 3, 12}, 58);
  EXPECT_EQ(MonthsUntil(Date{2024, 4, 1}, tmt), 12);
  EXPECT_EQ(MonthsUntil(Date{2024, 4, 2}, tmt), 11);
}

// Issue 18: the objection window counts working days (Monday to Friday, not a public holiday).
TEST(WorkingDays, WeekendsAndHolidaysAreNotWorkingDays) {
  const std::vector<Date> none;
  EXPECT_TRUE(IsWorkingDay({2026, 12, 4}, none));                // Friday
  EXPECT_FALSE(IsWorkingDay({2026, 12, 5}, none));               // Saturday
  EXPECT_FALSE(IsWorkingDay({2026, 12, 6}, none));               // Sunday
  EXPECT_TRUE(IsWorkingDay({2026, 12, 7}, none));                // Monday
  EXPECT_FALSE(IsWorkingDay({2026, 12, 25}, {{2026, 12, 25}}));  // Christmas, a Friday
  EXPECT_FALSE(IsWorkingDay({1970, 1, 3}, none));                // the epoch's first Saturday
  EXPECT_TRUE(IsWorkingDay({1969, 12, 31}, none));               // before the epoch: a Wednesday
}

TEST(WorkingDays, TenWorkingDaysFromAWednesdaySkipTwoWeekendsAndTheHolidays) {
  // Wednesday 2026-12-02 + 10 working days = Wednesday 2026-12-16.
  EXPECT_EQ(AddWorkingDays({2026, 12, 2}, 10, {}), (Date{2026, 12, 16}));
  // Christmas (Friday 25th) and cuti bersama (Thursday 24th) push the tenth working day
  // after Friday 2026-12-11 from Friday 25th to Tuesday 29th.
  EXPECT_EQ(AddWorkingDays({2026, 12, 11}, 10, {}), (Date{2026, 12, 25}));
  EXPECT_EQ(AddWorkingDays({2026, 12, 11}, 10, {{2026, 12, 24}, {2026, 12, 25}}),
            (Date{2026, 12, 29}));
  // From a Saturday the first working day is the Monday.
  EXPECT_EQ(AddWorkingDays({2026, 12, 5}, 1, {}), (Date{2026, 12, 7}));
  EXPECT_EQ(AddWorkingDays({2026, 12, 5}, 0, {}), (Date{2026, 12, 5}));
}

}  // namespace
}  // namespace seimbang::domain
