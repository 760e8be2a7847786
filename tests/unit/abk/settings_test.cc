// ABK settings: defaults and the exact messages for every broken rule.
#include "services/workload/abk/settings.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/abk/print.h"

namespace seimbang::abk {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(AbkSettings, DefaultsFollowTheCommonPractice) {
  const Settings s;
  EXPECT_EQ(s.effective_minutes_per_year, 75000);  // 1,250 hours, five-day week
  EXPECT_EQ(s.period_factors.year, 1);
  EXPECT_EQ(s.period_factors.month, 12);
  EXPECT_EQ(s.period_factors.week, 50);
  EXPECT_EQ(s.period_factors.day, 250);
  EXPECT_EQ(s.rounding, Rounding::kNearestHalfUp);
  EXPECT_EQ(s.grade_bands.a_min_exclusive, 1.00);
  EXPECT_EQ(s.grade_bands.b_min, 0.90);
  EXPECT_EQ(s.grade_bands.c_min, 0.70);
  EXPECT_EQ(s.grade_bands.d_min, 0.50);
  EXPECT_EQ(s.balanced_band.min, 0.90);
  EXPECT_EQ(s.balanced_band.max, 1.10);
  EXPECT_EQ(s.signal_window_months, 12);
  EXPECT_THAT(ValidateSettings(s), IsEmpty());
}

TEST(AbkSettings, EffectiveMinutesMustLieBetween30000And120000Inclusive) {
  Settings s;
  s.effective_minutes_per_year = 500;
  EXPECT_THAT(ValidateSettings(s),
              ElementsAre(FieldViolation{
                  "effective_minutes_per_year",
                  "effective_minutes_per_year must be between 30000 and 120000, got 500"}));
  s.effective_minutes_per_year = 30000;
  EXPECT_THAT(ValidateSettings(s), IsEmpty());
  s.effective_minutes_per_year = 120000;
  EXPECT_THAT(ValidateSettings(s), IsEmpty());
  s.effective_minutes_per_year = 120001;
  EXPECT_EQ(ValidateSettings(s).size(), 1u);
  s.effective_minutes_per_year = 72000;  // Perka BKN 19/2011
  EXPECT_THAT(ValidateSettings(s), IsEmpty());
}

TEST(AbkSettings, PeriodFactorsMustBePositiveAndAtMostThePeriodsInAYear) {
  Settings s;
  s.period_factors.day = 0;
  s.period_factors.month = 13;
  EXPECT_THAT(
      ValidateSettings(s),
      ElementsAre(
          FieldViolation{"period_factors.month",
                         "period_factors.month must be greater than 0 and at most 12, got 13"},
          FieldViolation{"period_factors.day",
                         "period_factors.day must be greater than 0 and at most 366, got 0"}));
  Settings six_day_week;
  six_day_week.period_factors.day = 300;
  EXPECT_THAT(ValidateSettings(six_day_week), IsEmpty());
}

TEST(AbkSettings, GradeBandEdgesMustStrictlyDescend) {
  Settings s;
  s.grade_bands.c_min = 0.95;
  EXPECT_THAT(ValidateSettings(s),
              ElementsAre(FieldViolation{"grade_bands.c_min",
                                         "grade_bands.c_min must be greater than 0 and less than "
                                         "grade_bands.b_min (0.9), got 0.95"}));
  Settings zero;
  zero.grade_bands.d_min = 0;
  EXPECT_THAT(ValidateSettings(zero),
              ElementsAre(FieldViolation{"grade_bands.d_min",
                                         "grade_bands.d_min must be greater than 0 and less than "
                                         "grade_bands.c_min (0.7), got 0"}));
}

TEST(AbkSettings, BalancedBandNeedsAPositiveMinimumNotAboveItsMaximum) {
  Settings s;
  s.balanced_band.min = 0;
  s.balanced_band.max = -1;
  EXPECT_THAT(
      ValidateSettings(s),
      ElementsAre(
          FieldViolation{"balanced_band.min", "balanced_band.min must be greater than 0, got 0"},
          FieldViolation{"balanced_band.max",
                         "balanced_band.max must be at least balanced_band.min (0), got -1"}));
  Settings point;
  point.balanced_band = {1.0, 1.0};  // a single exact value is a legal (strict) band
  EXPECT_THAT(ValidateSettings(point), IsEmpty());
}

TEST(AbkSettings, SignalWindowMustBeOneTo120Months) {
  Settings s;
  s.signal_window_months = 0;
  EXPECT_THAT(ValidateSettings(s),
              ElementsAre(FieldViolation{"signal_window_months",
                                         "signal_window_months must be between 1 and 120, got 0"}));
  s.signal_window_months = 120;
  EXPECT_THAT(ValidateSettings(s), IsEmpty());
}

TEST(AbkSettings, NotANumberIsRejected) {
  Settings s;
  s.effective_minutes_per_year = std::nan("");
  EXPECT_THAT(ValidateSettings(s),
              ElementsAre(FieldViolation{
                  "effective_minutes_per_year",
                  "effective_minutes_per_year must be between 30000 and 120000, got nan"}));
}

}  // namespace
}  // namespace seimbang::abk
