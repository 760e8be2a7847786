// Workload definitions: the limits that catch data-entry mistakes, with exact messages.
#include "services/workload/abk/workload.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/abk/print.h"

namespace seimbang::abk {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Task ValidTask() {
  return Task{"Memverifikasi berkas izin", "berkas", 10, Period::kMonth, 120, {}};
}

Workload ValidWorkload() { return Workload{7, "ANALIS_PERIZINAN", "administrasi", {ValidTask()}}; }

TEST(AbkWorkload, AWellFormedDefinitionHasNoViolations) {
  EXPECT_THAT(ValidateWorkload(ValidWorkload()), IsEmpty());
}

TEST(AbkWorkload, VolumeIsAnnualisedByItsPeriodFactor) {
  const PeriodFactors f;
  EXPECT_EQ(AnnualVolume({"t", "u", 3, Period::kYear, 1, {}}, f), 3);
  EXPECT_EQ(AnnualVolume({"t", "u", 3, Period::kMonth, 1, {}}, f), 36);
  EXPECT_EQ(AnnualVolume({"t", "u", 3, Period::kWeek, 1, {}}, f), 150);
  EXPECT_EQ(AnnualVolume({"t", "u", 3, Period::kDay, 1, {}}, f), 750);
}

TEST(AbkWorkload, KeyFieldsMustBeSet) {
  const Workload w{0, "", "", {ValidTask()}};
  EXPECT_THAT(ValidateWorkload(w),
              ElementsAre(FieldViolation{"unit_id", "unit_id must be positive, got 0"},
                          FieldViolation{"position_code", "position_code must not be empty"},
                          FieldViolation{"job_family", "job_family must not be empty"}));
}

TEST(AbkWorkload, VolumeMayBeZeroButNotNegative) {
  Workload w = ValidWorkload();
  w.tasks[0].volume = 0;
  EXPECT_THAT(ValidateWorkload(w), IsEmpty());
  w.tasks[0].volume = -1;
  EXPECT_THAT(
      ValidateWorkload(w),
      ElementsAre(FieldViolation{"tasks[0].volume", "tasks[0].volume must be at least 0, got -1"}));
}

TEST(AbkWorkload, NormTimeMustBePositiveAndAtMost100000Minutes) {
  Workload w = ValidWorkload();
  w.tasks.push_back(ValidTask());
  w.tasks[0].norm_minutes = 0;
  w.tasks[1].norm_minutes = 100001;
  EXPECT_THAT(
      ValidateWorkload(w),
      ElementsAre(
          FieldViolation{"tasks[0].norm_minutes",
                         "tasks[0].norm_minutes must be greater than 0 and at most 100000, got 0"},
          FieldViolation{
              "tasks[1].norm_minutes",
              "tasks[1].norm_minutes must be greater than 0 and at most 100000, got 100001"}));
  w.tasks[0].norm_minutes = 100000;
  w.tasks[1].norm_minutes = 0.5;
  EXPECT_THAT(ValidateWorkload(w), IsEmpty());
}

TEST(AbkWorkload, TasksNeedANameAndAnOutputUnit) {
  Workload w = ValidWorkload();
  w.tasks[0].name = "";
  w.tasks[0].output_unit = "";
  EXPECT_THAT(ValidateWorkload(w),
              ElementsAre(FieldViolation{"tasks[0].name", "tasks[0].name must not be empty"},
                          FieldViolation{"tasks[0].output_unit",
                                         "tasks[0].output_unit must not be empty"}));
}

TEST(AbkWorkload, AtMost200TasksPerPosition) {
  Workload w = ValidWorkload();
  w.tasks.assign(200, ValidTask());
  EXPECT_THAT(ValidateWorkload(w), IsEmpty());
  w.tasks.push_back(ValidTask());
  w.tasks[5].volume = -1;  // not reported: the count is the real mistake
  EXPECT_THAT(ValidateWorkload(w), ElementsAre(FieldViolation{
                                       "tasks", "tasks has 201 entries, at most 200 are allowed"}));
}

TEST(AbkWorkload, OneTaskMayNotNeedMoreThan10000FullTimeStaff) {
  // 1,000 a day × 250 days × 4,000 min = 1,000,000,000 > 10,000 × 75,000 = 750,000,000.
  Workload w = ValidWorkload();
  w.tasks[0] = Task{"Mengetik", "halaman", 1000, Period::kDay, 4000, {}};
  EXPECT_THAT(ValidateWorkload(w),
              ElementsAre(FieldViolation{"tasks[0]",
                                         "tasks[0] annual workload must be at most 750000000 "
                                         "minutes (10000 full-time staff), got 1000000000"}));
  // Exactly at the limit (750 a day × 250 × 4,000 = 750,000,000) is allowed.
  w.tasks[0].volume = 750;
  EXPECT_THAT(ValidateWorkload(w), IsEmpty());
  // The limit follows the agency's WKE: at 72,000 it is 720,000,000.
  Settings s;
  s.effective_minutes_per_year = 72000;
  EXPECT_EQ(ValidateWorkload(w, s).size(), 1u);
}

TEST(AbkWorkload, DriverNeedsAKindANonNegativeBaselineAndBoundedElasticity) {
  Workload w = ValidWorkload();
  w.tasks[0].driver = Driver{"", -2, 11};
  EXPECT_THAT(
      ValidateWorkload(w),
      ElementsAre(FieldViolation{"tasks[0].driver.signal_kind",
                                 "tasks[0].driver.signal_kind must not be empty"},
                  FieldViolation{"tasks[0].driver.baseline_per_month",
                                 "tasks[0].driver.baseline_per_month must be at least 0, got -2"},
                  FieldViolation{"tasks[0].driver.elasticity",
                                 "tasks[0].driver.elasticity must be between 0 and 10, got 11"}));
  w.tasks[0].driver = Driver{"complaint", 0, 0};
  EXPECT_THAT(ValidateWorkload(w), IsEmpty());
}

}  // namespace
}  // namespace seimbang::abk
