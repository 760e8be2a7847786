// Staff-weighted dispersion of EJ: hand-computed sets.
#include "services/workload/abk/inequality.h"

#include <cmath>

#include "gtest/gtest.h"

namespace seimbang::abk {
namespace {

TEST(AbkInequality, EqualValuesHaveNoDispersion) {
  const std::vector<WeightedValue> equal = {{0.8, 3}, {0.8, 1}, {0.8, 6}};
  EXPECT_DOUBLE_EQ(WeightedCoefficientOfVariation(equal), 0);
  EXPECT_DOUBLE_EQ(WeightedGini(equal), 0);
}

TEST(AbkInequality, EmptyOrAllZeroSetsGiveZero) {
  EXPECT_EQ(WeightedCoefficientOfVariation({}), 0);
  EXPECT_EQ(WeightedGini({}), 0);
  EXPECT_EQ(WeightedCoefficientOfVariation({{0, 2}, {0, 5}}), 0);
  EXPECT_EQ(WeightedGini({{0, 2}, {0, 5}}), 0);
}

TEST(AbkInequality, OneHasEverythingAmongTwoEqualsGiniOneHalf) {
  // ΣΣ w w |x−x| = 2 × 1 ; 2 W² μ = 2 × 4 × 0.5 = 4 -> 0.5
  EXPECT_DOUBLE_EQ(WeightedGini({{1, 1}, {0, 1}}), 0.5);
}

TEST(AbkInequality, UnweightedPairHalfAndOneAndAHalf) {
  // μ = 1, σ = 0.5 -> CV 0.5; ΣΣ = 2 × 1 = 2; 2 W² μ = 8 -> Gini 0.25
  const std::vector<WeightedValue> v = {{1.5, 1}, {0.5, 1}};
  EXPECT_DOUBLE_EQ(WeightedCoefficientOfVariation(v), 0.5);
  EXPECT_DOUBLE_EQ(WeightedGini(v), 0.25);
}

TEST(AbkInequality, WeightsCountEachPersonOnce) {
  // Three people at 0.5, one at 1.5: μ = 3/4, σ² = (3×0.0625 + 0.5625)/4 = 0.1875,
  // CV = √0.1875 / 0.75 = 1/√3; ΣΣ = 2×3×1×1 = 6, 2 W² μ = 2×16×0.75 = 24 -> 0.25.
  const std::vector<WeightedValue> v = {{0.5, 3}, {1.5, 1}};
  EXPECT_NEAR(WeightedCoefficientOfVariation(v), 1 / std::sqrt(3.0), 1e-12);
  EXPECT_DOUBLE_EQ(WeightedGini(v), 0.25);
  // The same people listed one by one give the same figures.
  const std::vector<WeightedValue> expanded = {{0.5, 1}, {1.5, 1}, {0.5, 1}, {0.5, 1}};
  EXPECT_NEAR(WeightedCoefficientOfVariation(expanded), 1 / std::sqrt(3.0), 1e-12);
  EXPECT_DOUBLE_EQ(WeightedGini(expanded), 0.25);
}

TEST(AbkInequality, ThreeValuesMatchThePairwiseDefinition) {
  // x = 1, 2, 3 (weights 1): ΣΣ|xi−xj| = 2 × (1 + 2 + 1) = 8; 2 W² μ = 2 × 9 × 2 = 36 -> 2/9
  EXPECT_DOUBLE_EQ(WeightedGini({{3, 1}, {1, 1}, {2, 1}}), 2.0 / 9.0);
}

}  // namespace
}  // namespace seimbang::abk
