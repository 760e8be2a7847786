#include "services/workload/abk/inequality.h"

#include <algorithm>
#include <cmath>

namespace seimbang::abk {

double WeightedCoefficientOfVariation(const std::vector<WeightedValue>& values) {
  double total_weight = 0;
  double weighted_sum = 0;
  for (const WeightedValue& v : values) {
    total_weight += v.weight;
    weighted_sum += v.weight * v.value;
  }
  if (total_weight <= 0 || weighted_sum == 0) return 0;
  const double mean = weighted_sum / total_weight;
  // Two passes: the one-pass Σx² − nμ² form loses precision on a million rows.
  double squared = 0;
  for (const WeightedValue& v : values) {
    const double d = v.value - mean;
    squared += v.weight * d * d;
  }
  return std::sqrt(squared / total_weight) / std::fabs(mean);
}

double WeightedGini(std::vector<WeightedValue> values) {
  std::sort(values.begin(), values.end(),
            [](const WeightedValue& a, const WeightedValue& b) { return a.value < b.value; });
  double total_weight = 0;
  double weighted_sum = 0;
  for (const WeightedValue& v : values) {
    total_weight += v.weight;
    weighted_sum += v.weight * v.value;
  }
  if (total_weight <= 0 || weighted_sum <= 0) return 0;
  double before = 0;  // Cᵢ₋₁
  double numerator = 0;
  for (const WeightedValue& v : values) {
    const double through = before + v.weight;  // Cᵢ
    numerator += v.weight * v.value * (before + through - total_weight);
    before = through;
  }
  return numerator / (total_weight * weighted_sum);
}

}  // namespace seimbang::abk
