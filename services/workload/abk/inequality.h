// Weighted dispersion measures of EJ across staffed positions, each person in
// post counting once (a position with 6 staff weighs 6 times one with 1).
#ifndef SEIMBANG_SERVICES_WORKLOAD_ABK_INEQUALITY_H_
#define SEIMBANG_SERVICES_WORKLOAD_ABK_INEQUALITY_H_

#include <vector>

namespace seimbang::abk {

struct WeightedValue {
  double value = 0;
  double weight = 0;  // >= 0; entries with weight 0 contribute nothing
};

// Coefficient of variation σ/μ with weighted mean μ = Σwx/Σw and population
// variance σ² = Σw(x−μ)²/Σw. 0 when the set is empty or μ = 0.
[[nodiscard]] double WeightedCoefficientOfVariation(const std::vector<WeightedValue>& values);

// Gini coefficient G = ΣᵢΣⱼ wᵢwⱼ|xᵢ−xⱼ| / (2 W² μ), W = Σw (Gini mean-difference
// form, cf. Lerman & Yitzhaki 1989), computed in O(n log n) by sorting on x:
//   G = Σᵢ wᵢxᵢ (Cᵢ₋₁ + Cᵢ − W) / (W · Σwx),  Cᵢ = cumulative weight through i.
// 0 for equal values; values must be >= 0. 0 when the set is empty or Σwx = 0.
// Example: weights 1,1 and values 0,1 give 0.5.
[[nodiscard]] double WeightedGini(std::vector<WeightedValue> values);

}  // namespace seimbang::abk

#endif  // SEIMBANG_SERVICES_WORKLOAD_ABK_INEQUALITY_H_
