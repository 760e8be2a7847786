// Analyse on a synthetic national-scale input: N unit × position rows (20 per
// unit), about 6 staff and 3 tasks each (one demand-driven), 12 months of signals.
// Run: abk_bench --benchmark_min_time=0.01
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "services/workload/abk/abk.h"

namespace seimbang::abk {
namespace {

constexpr int kPositionsPerUnit = 20;
constexpr int kFamilies = 8;

struct Input {
  std::vector<Workload> workloads;
  std::vector<Staffing> staffing;
  std::vector<DemandSignal> signals;
};

std::unique_ptr<Input> Generate(int64_t rows) {
  auto in = std::make_unique<Input>();
  std::mt19937_64 rng(20250615);
  std::uniform_int_distribution<int> pns(3, 7);
  std::uniform_int_distribution<int> pppk(0, 2);
  std::uniform_real_distribution<double> load(0.5, 1.5);
  in->workloads.reserve(rows);
  in->staffing.reserve(rows);
  for (int64_t i = 0; i < rows; ++i) {
    const int64_t unit = 1 + i / kPositionsPerUnit;
    const std::string code = absl::StrCat("P", i % kPositionsPerUnit);
    const std::string family = absl::StrCat("f", i % kFamilies);
    const Staffing s{unit, code, family, pns(rng), pppk(rng)};
    // Split the target minutes over a yearly, a monthly (driven) and a daily task.
    const double minutes = (s.pns + s.pppk) * 75000.0 * load(rng);
    Workload w{unit, code, family, {}};
    w.tasks.push_back({"laporan", "dokumen", 40, Period::kYear, minutes * 0.2 / 40, {}});
    w.tasks.push_back({"layanan", "berkas", 100, Period::kMonth, minutes * 0.3 / 1200,
                       Driver{"complaint", 50, 1}});
    w.tasks.push_back({"verifikasi", "berkas", 20, Period::kDay, minutes * 0.5 / 5000, {}});
    in->workloads.push_back(std::move(w));
    in->staffing.push_back(s);
  }
  std::uniform_int_distribution<int> complaints(30, 70);
  const int64_t units = (rows + kPositionsPerUnit - 1) / kPositionsPerUnit;
  for (int64_t u = 1; u <= units; ++u) {
    for (int m = 1; m <= 12; ++m) in->signals.push_back({u, "complaint", 2025, m, complaints(rng)});
  }
  return in;
}

const Input& InputOf(int64_t rows) {
  static std::map<int64_t, std::unique_ptr<Input>> cache;  // generate once per size
  auto& slot = cache[rows];
  if (!slot) slot = Generate(rows);
  return *slot;
}

void BM_Analyse(benchmark::State& state) {
  const Input& in = InputOf(state.range(0));
  const Settings settings;
  for (auto _ : state) {
    absl::StatusOr<AnalysisResult> r =
        Analyse(settings, in.workloads, in.staffing, in.signals, absl::CivilDay(2025, 12, 31));
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(r->agency.ej_gini);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["rows"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_Analyse)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace seimbang::abk

BENCHMARK_MAIN();
