// Request rules of the workload contract, with the exact messages clients see.
#include "services/workload/validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "services/workload/convert.h"

namespace seimbang::workload {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

MATCHER_P2(Violation, field, description, "") {
  return arg.field == field && arg.description == description;
}

pb::Task GoodTask() {
  pb::Task t;
  t.set_name("Memverifikasi berkas permohonan izin");
  t.set_output_unit("berkas");
  t.set_volume(10);
  t.set_period(pb::PERIOD_MONTH);
  t.set_norm_minutes(120);
  return t;
}

// GoodTask() with `volume` outputs a `period`, each taking `norm_minutes`.
pb::Task TaskOf(double volume, pb::Period period, double norm_minutes) {
  pb::Task t = GoodTask();
  t.set_volume(volume);
  t.set_period(period);
  t.set_norm_minutes(norm_minutes);
  return t;
}

pb::Workload GoodWorkload() {
  pb::Workload w;
  w.set_agency_code("73.71");
  w.set_unit_id(10);
  w.set_position_code("JF-TS-AP");
  *w.add_tasks() = GoodTask();
  return w;
}

// A task validated on its own, under the default settings: its fields are "task.<name>".
Violations TaskViolations(const pb::Task& t) {
  return ValidateTask(t, "task.", DefaultSettings("73.71"));
}

TEST(ValidateWorkload, AcceptsAWellFormedWorkload) {
  EXPECT_THAT(ValidateWorkload(GoodWorkload(), DefaultSettings("73.71")), IsEmpty());
}

TEST(ValidateWorkload, RequiresAgencyUnitAndPosition) {
  pb::Workload w = GoodWorkload();
  w.clear_agency_code();
  w.set_unit_id(0);
  w.clear_position_code();
  EXPECT_THAT(ValidateWorkload(w, DefaultSettings("")),
              ElementsAre(Violation("workload.agency_code", "agency_code is required"),
                          Violation("workload.unit_id", "unit_id must be positive, got 0"),
                          Violation("workload.position_code", "position_code is required")));
}

TEST(ValidateWorkload, AllowsAtMost200Tasks) {
  pb::Workload w = GoodWorkload();
  for (int i = 0; i < 200; ++i) *w.add_tasks() = GoodTask();
  EXPECT_THAT(
      ValidateWorkload(w, DefaultSettings("73.71")),
      ElementsAre(Violation("workload.tasks", "tasks has 201 entries, at most 200 are allowed")));
}

TEST(ValidateWorkload, NamesTheTaskIndexOfEachBadField) {
  pb::Workload w = GoodWorkload();
  *w.add_tasks() = TaskOf(-1, pb::PERIOD_UNSPECIFIED, 0);
  EXPECT_THAT(
      ValidateWorkload(w, DefaultSettings("73.71")),
      ElementsAre(
          Violation("workload.tasks[1].volume", "volume must be between 0 and 10000000, got -1"),
          Violation("workload.tasks[1].period", "period is required"),
          Violation("workload.tasks[1].norm_minutes",
                    "norm_minutes must be greater than 0 and at most 100000, got 0")));
}

TEST(ValidateTask, VolumeAboveTenMillionIsRejected) {
  EXPECT_THAT(
      TaskViolations(TaskOf(10000001, pb::PERIOD_YEAR, 120)),
      ElementsAre(Violation("task.volume", "volume must be between 0 and 10000000, got 1e+07")));
}

TEST(ValidateTask, NameMustHaveOneTo500Characters) {
  pb::Task t = GoodTask();
  t.set_name("");
  EXPECT_THAT(TaskViolations(t),
              ElementsAre(Violation("task.name", "name must be 1-500 characters")));
}

TEST(ValidateTask, DriverNeedsAKindAndAPositiveBaseline) {
  pb::Task t = GoodTask();
  t.mutable_driver()->set_baseline_per_month(0);
  EXPECT_THAT(
      TaskViolations(t),
      ElementsAre(
          Violation("task.driver.signal_kind", "driver.signal_kind is required"),
          Violation("task.driver.baseline_per_month",
                    "driver.baseline_per_month must be between 0.001 and 1000000000, got 0")));
}

TEST(ValidateTask, OneTaskNeedingMoreThan10000PeopleIsADataError) {
  const Violations v = TaskViolations(TaskOf(10000000, pb::PERIOD_DAY, 1000));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "task");
  EXPECT_EQ(v[0].description,
            "task annual workload must be at most 750000000 minutes (10000 full-time staff), "
            "got 2500000000000");
}

TEST(ValidateSignal, ChecksEveryField) {
  pb::DemandSignal s;
  s.mutable_month()->set_year(2026);
  s.mutable_month()->set_month(13);
  s.set_count(-2);
  EXPECT_THAT(
      ValidateSignal(s, "signals[0]."),
      ElementsAre(
          Violation("signals[0].agency_code", "agency_code is required"),
          Violation("signals[0].unit_id", "unit_id must be positive, got 0"),
          Violation("signals[0].month",
                    "signals[0].month must be a year 1900-2200 and a month 1-12, got 2026-13"),
          Violation("signals[0].kind", "kind is required"),
          Violation("signals[0].count", "count must be between 0 and 1000000000, got -2")));
}

TEST(ValidateSettings, DefaultsAreValid) {
  EXPECT_THAT(ValidateSettings(DefaultSettings("73.71")), IsEmpty());
}

TEST(ValidateSettings, ZeroValuesAreInvalidNotDefaults) {
  pb::Settings s;
  s.set_agency_code("73.71");
  const Violations v = ValidateSettings(s);
  ASSERT_GE(v.size(), 5u);
  EXPECT_THAT(v.front(), Violation("settings.rounding", "rounding is required"));
  EXPECT_THAT(v.back(), Violation("settings.signal_window_months",
                                  "signal_window_months must be between 1 and 60, got 0"));
}

TEST(ValidateSettings, UsesTheContractsFieldNames) {
  pb::Settings s = DefaultSettings("73.71");
  s.set_effective_minutes_per_year(500);
  s.set_balanced_min(1.2);
  s.set_signal_window_months(61);
  EXPECT_THAT(
      ValidateSettings(s),
      ElementsAre(Violation("settings.effective_minutes_per_year",
                            "effective_minutes_per_year must be between 30000 and 120000, got 500"),
                  Violation("settings.balanced_max",
                            "balanced_max must be at least balanced_min (1.2), got 1.1"),
                  Violation("settings.signal_window_months",
                            "signal_window_months must be between 1 and 60, got 61")));
}

TEST(ValidateDate, RequiredDateMustBeSetAndReal) {
  common::v1::Date d;
  EXPECT_THAT(ValidateDate(d, "as_of", true), ElementsAre(Violation("as_of", "as_of is required")));
  d.set_year(2026);
  d.set_month(2);
  d.set_day(30);
  EXPECT_THAT(ValidateDate(d, "as_of", true),
              ElementsAre(Violation("as_of", "as_of is not a valid date: 2026-2-30")));
}

// Issue 15 item 5: a demand count of 10^13 was accepted and later stored as a negative need.
TEST(ValidateSignal, RefusesACountAboveTheLimit) {
  pb::DemandSignal s;
  s.set_agency_code("73.71");
  s.set_unit_id(10);
  s.mutable_month()->set_year(2026);
  s.mutable_month()->set_month(1);
  s.set_kind(pb::SIGNAL_KIND_PUBLIC_COMPLAINTS);
  s.set_count(1000000000);
  EXPECT_THAT(ValidateSignal(s, "signals[0]."), IsEmpty());
  s.set_count(10000000000000);
  EXPECT_THAT(ValidateSignal(s, "signals[0]."),
              ElementsAre(Violation("signals[0].count",
                                    "count must be between 0 and 1000000000, got 10000000000000")));
  s.set_count(1);
  s.set_unit_id(int64_t{1} << 60);
  EXPECT_THAT(ValidateSignal(s, "signals[0]."),
              ElementsAre(Violation("signals[0].unit_id",
                                    "unit_id must be at most 9007199254740991, got "
                                    "1152921504606846976")));
}

// Issue 15 item 5: NaN, infinite and absurd baselines are refused at the edge.
TEST(ValidateTask, RefusesNonFiniteAndOutOfRangeBaselines) {
  for (double bad : {std::nan(""), std::numeric_limits<double>::infinity(), 1e-300, 1e308}) {
    pb::Task t = GoodTask();
    t.mutable_driver()->set_signal_kind(pb::SIGNAL_KIND_PUBLIC_COMPLAINTS);
    t.mutable_driver()->set_baseline_per_month(bad);
    const Violations v = TaskViolations(t);
    ASSERT_EQ(v.size(), 1u) << bad;
    EXPECT_EQ(v[0].field, "task.driver.baseline_per_month");
  }
  for (double bad : {std::nan(""), std::numeric_limits<double>::infinity(), 1e308}) {
    pb::Task t = GoodTask();
    t.set_volume(bad);
    EXPECT_EQ(TaskViolations(t).at(0).field, "task.volume");
    t = GoodTask();
    t.set_norm_minutes(bad);
    EXPECT_EQ(TaskViolations(t).at(0).field, "task.norm_minutes");
  }
}

// Issue 15 item 5: band edges up to 1e308 were accepted; they are EJ values, at most 10.
TEST(ValidateSettings, BoundsTheBandEdgesAbove) {
  pb::Settings s = DefaultSettings("73.71");
  s.mutable_grade_bands()->set_a_above(1e308);
  s.set_balanced_max(std::numeric_limits<double>::infinity());
  const Violations v = ValidateSettings(s);
  std::vector<std::string> fields;
  for (const auto& x : v) fields.push_back(x.field);
  EXPECT_THAT(fields, ::testing::Contains("settings.grade_bands.a_above"));
  EXPECT_THAT(fields, ::testing::Contains("settings.balanced_max"));
}

// Run, projection and catalogue ids: required, and never longer than their 64-character
// columns, counted in characters.
TEST(CheckId, RequiresAnIdOfAtMostSixtyFourCharacters) {
  Violations v;
  CheckId(v, "run_id", std::string(32, 'a'));
  CheckId(v, "run_id", std::string(64, 'a'));
  EXPECT_THAT(v, IsEmpty());
  CheckId(v, "run_id", "");
  CheckId(v, "base_run_id", std::string(65, 'a'));
  std::string accented;
  for (int i = 0; i < 64; ++i) accented += "\xc3\xa9";  // 64 characters, 128 bytes
  CheckId(v, "position_code", accented);
  EXPECT_THAT(v, ElementsAre(errors::FieldViolation{"run_id", "run_id is required"},
                             errors::FieldViolation{"base_run_id",
                                                    "base_run_id is at most 64 characters"}));
}

}  // namespace
}  // namespace seimbang::workload
