// Planner instances for the comparison benchmarks: a synthetic generator with
// the structure of Indonesian local government (agencies of units, each unit a
// dozen positions from a shared catalogue of ~60 codes in 10 job families),
// deterministic from a seed.
#ifndef SEIMBANG_BENCH_COMPARE_INSTANCE_H_
#define SEIMBANG_BENCH_COMPARE_INSTANCE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "services/transfer/planner/types.h"

namespace seimbang::bench {

struct ScaleSpec {
  std::string name;
  int64_t staff = 0;
  int agencies = 0;
};

// "tiny" (2,000 staff, 2 agencies: for smoke tests and CBC), "makassar" (20,000
// in 1 agency), "province" (150,000 in 25), "national" (6,000,000 in 1,000).
[[nodiscard]] absl::StatusOr<ScaleSpec> ScaleByName(const std::string& name);

// Agencies get log-normally spread sizes summing to spec.staff, one unit per
// ~133 staff (Makassar: 150 units), 8-12 positions per unit (so ~12 staff per
// unit × position), homes at kecamatan centroids (what personnel records give:
// an address, geocoded to its kecamatan), needs off by ±40% with unit-level
// skew. Default Policy (same agency, same family, 24 months, 20% leave cap).
[[nodiscard]] planner::PlanInput GenerateInstance(const ScaleSpec& spec, uint64_t seed);

}  // namespace seimbang::bench

#endif  // SEIMBANG_BENCH_COMPARE_INSTANCE_H_
