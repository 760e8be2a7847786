#include "bench/limits/limits.h"

#include <cmath>
#include <limits>

#include "gtest/gtest.h"

namespace seimbang::bench {
namespace {

TEST(LimitLine, AnUpperBoundIsMetAtOrUnderItsLimitAndTheRatioIsValueOverLimit) {
  EXPECT_EQ(LimitLine(1, "CreatePlan end to end, Makassar, p50 ms", 812, Bound::kAtMost, 1000),
            "#22 limit | item 1 | CreatePlan end to end, Makassar, p50 ms | 812.00 | <= 1000.00 | "
            "ratio 0.81 | met");
  EXPECT_TRUE(MeetsLimit(1000, Bound::kAtMost, 1000));
  EXPECT_FALSE(MeetsLimit(1000.5, Bound::kAtMost, 1000));
  EXPECT_EQ(LimitLine(6, "national plan, wall s", 31.5, Bound::kAtMost, 30),
            "#22 limit | item 6 | national plan, wall s | 31.50 | <= 30.00 | ratio 1.05 | MISSED");
}

TEST(LimitLine, ALowerBoundIsMetAtOrOverItsLimit) {
  EXPECT_EQ(LimitLine(3, "ImportRecords / LOAD DATA, makassar", 0.41, Bound::kAtLeast, 0.5),
            "#22 limit | item 3 | ImportRecords / LOAD DATA, makassar | 0.41 | >= 0.50 | ratio "
            "0.82 | MISSED");
  EXPECT_TRUE(MeetsLimit(0.5, Bound::kAtLeast, 0.5));
  EXPECT_FALSE(MeetsLimit(0.49, Bound::kAtLeast, 0.5));
}

TEST(LimitLine, NothingMeasuredIsNeverMet) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(MeetsLimit(nan, Bound::kAtMost, 30));
  EXPECT_FALSE(MeetsLimit(0, Bound::kAtLeast, 0));
  EXPECT_EQ(LimitLine(4, "national analysis, s", nan, Bound::kAtMost, 30),
            "#22 limit | item 4 | national analysis, s | - | <= 30.00 | ratio - | NOT MEASURED");
  EXPECT_EQ(LimitLine(2, "echo / minimal", -1, Bound::kAtLeast, 0.8),
            "#22 limit | item 2 | echo / minimal | - | >= 0.80 | ratio - | NOT MEASURED");
}

}  // namespace
}  // namespace seimbang::bench
