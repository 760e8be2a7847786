// Planner at city scale (Makassar, ~20,000 staff) and province scale (150,000):
// synthetic agencies of 500 staff over 50 unit × position slots in 5 job
// families, needs off by up to ±40%, homes scattered so few people aggregate.
#include <random>
#include <string>

#include "benchmark/benchmark.h"
#include "services/transfer/planner/planner.h"

namespace seimbang::planner {
namespace {

PlanInput Synthetic(int num_candidates, uint32_t seed) {
  std::mt19937 rng(seed);
  auto uniform = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  constexpr int kPerAgency = 500;
  constexpr int kSlotsPerAgency = 50;
  const char* families[] = {"administrasi", "teknik", "kesehatan", "pendidikan", "keuangan"};
  PlanInput in;
  const int agencies = num_candidates / kPerAgency;
  for (int a = 0; a < agencies; ++a) {
    const int first = static_cast<int>(in.destinations.size());
    for (int s = 0; s < kSlotsPerAgency; ++s) {
      Destination d;
      d.unit_id = a * 1000 + s;
      d.position_code = "JF" + std::to_string(s % 5);
      d.agency_code = "A" + std::to_string(a);
      d.job_family = families[s % 5];
      d.min_rank = uniform(0, 3) == 0 ? 9 : 0;
      d.lat = -5.0 - 0.002 * uniform(0, 100);
      d.lon = 119.4 + 0.002 * uniform(0, 100);
      in.destinations.push_back(d);
    }
    for (int i = 0; i < kPerAgency; ++i) {
      const int d = first + uniform(0, kSlotsPerAgency - 1);
      Destination& dest = in.destinations[d];
      Candidate c;
      c.nip = std::to_string(198000000000000000LL + static_cast<int64_t>(a) * kPerAgency + i);
      c.agency_code = dest.agency_code;
      c.current = d;
      c.job_family = dest.job_family;
      c.rank = uniform(6, 14);
      c.education = uniform(3, 7);
      c.months_in_post = uniform(0, 120);
      c.months_to_retirement = uniform(0, 400);
      c.flags.disciplinary = uniform(0, 99) == 0;
      c.home_lat = -5.0 - 0.002 * uniform(0, 100);
      c.home_lon = 119.4 + 0.002 * uniform(0, 100);
      ++dest.staff_before;
      in.candidates.push_back(std::move(c));
    }
    for (int s = 0; s < kSlotsPerAgency; ++s) {
      Destination& dest = in.destinations[first + s];
      dest.need = std::max(0, dest.staff_before * uniform(60, 140) / 100);
    }
  }
  return in;
}

void BM_Plan(benchmark::State& state) {
  const PlanInput in = Synthetic(static_cast<int>(state.range(0)), 42);
  SolveOptions options;
  options.threads = 2;
  PlanResult last;
  for (auto _ : state) {
    absl::StatusOr<PlanResult> r = Solve(in, options);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    last = *std::move(r);
  }
  state.counters["moves"] = last.moves_count;
  state.counters["classes"] = static_cast<double>(last.stats.classes);
  state.counters["arcs"] = static_cast<double>(last.stats.arcs);
  state.counters["parts"] = static_cast<double>(last.stats.parts);
}
BENCHMARK(BM_Plan)->Arg(20000)->Arg(150000)->Unit(benchmark::kMillisecond)->Iterations(2);

void BM_PlanWithBudget(benchmark::State& state) {
  PlanInput in = Synthetic(static_cast<int>(state.range(0)), 42);
  in.policy.move_budget = static_cast<int>(state.range(0)) / 100;
  for (auto _ : state) {
    absl::StatusOr<PlanResult> r = Solve(in);
    if (!r.ok()) state.SkipWithError(std::string(r.status().message()).c_str());
  }
}
BENCHMARK(BM_PlanWithBudget)->Arg(20000)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace seimbang::planner

BENCHMARK_MAIN();
