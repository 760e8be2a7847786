#include "bench/limits/limits.h"

#include <limits>

#include "gtest/gtest.h"

namespace seimbang::bench {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// The lines tools/bench.sh gathers: the ratio is value / limit, the verdict follows the bound.
TEST(LimitLine, PrintsValueBoundRatioAndVerdictInTheOneFormat) {
  struct Case {
    int item;
    const char* what;
    double value;
    Bound bound;
    double limit;
    const char* line;
  };
  const Case cases[] = {
      {1, "plan p50 ms", 812, Bound::kAtMost, 1000,
       "#22 limit | item 1 | plan p50 ms | 812.00 | <= 1000.00 | ratio 0.81 | met"},
      {6, "national plan, wall s", 31.5, Bound::kAtMost, 30,
       "#22 limit | item 6 | national plan, wall s | 31.50 | <= 30.00 | ratio 1.05 | MISSED"},
      {3, "import / LOAD DATA", 0.41, Bound::kAtLeast, 0.5,
       "#22 limit | item 3 | import / LOAD DATA | 0.41 | >= 0.50 | ratio 0.82 | MISSED"},
      {2, "echo / minimal", 0.92, Bound::kAtLeast, 0.8,
       "#22 limit | item 2 | echo / minimal | 0.92 | >= 0.80 | ratio 1.15 | met"},
      {4, "national analysis, s", kNan, Bound::kAtMost, 30,
       "#22 limit | item 4 | national analysis, s | - | <= 30.00 | ratio - | NOT MEASURED"},
      {2, "read / ceiling", -1, Bound::kAtLeast, 0.8,
       "#22 limit | item 2 | read / ceiling | - | >= 0.80 | ratio - | NOT MEASURED"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(LimitLine(c.item, c.what, c.value, c.bound, c.limit), c.line);
  }
}

TEST(MeetsLimit, AnUpperBoundHoldsAtOrUnderItsLimitALowerOneAtOrOverAndNothingMeasuredNever) {
  EXPECT_TRUE(MeetsLimit(1000, Bound::kAtMost, 1000));
  EXPECT_FALSE(MeetsLimit(1000.5, Bound::kAtMost, 1000));
  EXPECT_TRUE(MeetsLimit(0.5, Bound::kAtLeast, 0.5));
  EXPECT_FALSE(MeetsLimit(0.49, Bound::kAtLeast, 0.5));
  EXPECT_FALSE(MeetsLimit(kNan, Bound::kAtMost, 30));
  EXPECT_FALSE(MeetsLimit(1, Bound::kAtLeast, 0));
  EXPECT_FALSE(MeetsLimit(-1, Bound::kAtMost, 30));  // printed NOT MEASURED, so never met
}

}  // namespace
}  // namespace seimbang::bench
