// Workload analysis (abk::Analyse) alone at city, province and national size:
// wall time and peak memory of the pure computation, each size in a forked
// child so peaks do not mix.
//
//   abk_scale [--scales tiny,makassar,province,national] [--seed N] [--repeat N]
// Sizes (unit × position rows / staff): tiny 200 / 2,000; makassar 1,800 /
// 20,000; province 13,500 / 150,000; national 1,000,000 / 6,000,000. Each row
// has 3 tasks (yearly, monthly demand-driven, daily), units have 12 months of
// complaint signals.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "bench/compare/child.h"
#include "services/workload/abk/abk.h"

namespace seimbang::bench {
namespace {

struct Size {
  std::string name;
  int64_t rows = 0;
  int64_t staff = 0;
};

struct Input {
  std::vector<abk::Workload> workloads;
  std::vector<abk::Staffing> staffing;
  std::vector<abk::DemandSignal> signals;
};

// Deterministic linear congruential stream; quality is irrelevant here.
struct Lcg {
  uint64_t s;
  uint64_t Next() { return (s = s * 6364136223846793005ULL + 1442695040888963407ULL) >> 33; }
  double Uniform() { return static_cast<double>(Next() % 1000000) / 1e6; }
};

Input Generate(const Size& size, uint64_t seed) {
  constexpr int kRowsPerUnit = 12;
  const char* const families[] = {"administrasi", "keuangan",   "kesehatan",   "pendidikan",
                                  "teknik",       "hukum",      "perencanaan", "pelayanan",
                                  "ketertiban",   "informatika"};
  Lcg rng{seed};
  Input in;
  in.workloads.reserve(size.rows);
  in.staffing.reserve(size.rows);
  int64_t placed = 0;
  for (int64_t i = 0; i < size.rows; ++i) {
    const int64_t unit = 1 + i / kRowsPerUnit;
    // Spread staff evenly with ±50% noise; the last row takes the remainder.
    const int64_t target = (size.staff * (i + 1)) / size.rows - (size.staff * i) / size.rows;
    int64_t staff = std::max<int64_t>(0, std::llround(target * (0.5 + rng.Uniform())));
    if (i + 1 == size.rows) staff = std::max<int64_t>(0, size.staff - placed);
    placed += staff;
    const int64_t pppk = staff / 5;
    const std::string code = absl::StrCat("P", i % 60);
    const std::string family = families[(i % 60) / 6];
    in.staffing.push_back({unit, code, family, staff - pppk, pppk});
    const double minutes = std::max<int64_t>(1, target) * 75000.0 * (0.6 + 0.8 * rng.Uniform());
    abk::Workload w{unit, code, family, {}};
    w.tasks.push_back(
        {"Menyusun laporan", "dokumen", 24, abk::Period::kYear, minutes * 0.2 / 24, {}});
    w.tasks.push_back({"Melayani permohonan", "berkas", 100, abk::Period::kMonth,
                       minutes * 0.3 / 1200, abk::Driver{"complaint", 50, 0.5}});
    w.tasks.push_back(
        {"Memverifikasi berkas", "berkas", 20, abk::Period::kDay, minutes * 0.5 / 5000, {}});
    in.workloads.push_back(std::move(w));
  }
  const int64_t units = (size.rows + kRowsPerUnit - 1) / kRowsPerUnit;
  in.signals.reserve(units * 12);
  for (int64_t u = 1; u <= units; ++u) {
    for (int m = 1; m <= 12; ++m) {
      in.signals.push_back({u, "complaint", 2025, m, static_cast<int64_t>(30 + rng.Next() % 40)});
    }
  }
  return in;
}

int64_t MaxRssKib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// Child payload: "seconds\tinput_rss_kib\tpeak_rss_kib\tcpu_seconds\tbalanced_share"
// (median wall time; CPU of that many runs divided by their number).
std::string Measure(const Size& size, uint64_t seed, int repeat) {
  const Input in = Generate(size, seed);
  const int64_t input_kib = CurrentRssKib();
  const abk::Settings settings;
  std::vector<double> times;
  const double cpu_start = CpuSeconds();
  double balanced = 0;
  for (int r = 0; r < repeat; ++r) {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<abk::AnalysisResult> result =
        abk::Analyse(settings, in.workloads, in.staffing, in.signals, absl::CivilDay(2025, 12, 31));
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (!result.ok()) return absl::StrCat("!", result.status().ToString());
    balanced = result->agency.balanced_share;
  }
  std::sort(times.begin(), times.end());
  return absl::StrFormat("%.6f\t%d\t%d\t%.6f\t%.4f", times[times.size() / 2], input_kib,
                         MaxRssKib(), (CpuSeconds() - cpu_start) / repeat, balanced);
}

int Main(int argc, char** argv) {
  std::vector<std::string> scales = {"makassar", "province", "national"};
  uint64_t seed = 7;
  int repeat = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--scales" && i + 1 < argc) {
      scales = absl::StrSplit(argv[++i], ',', absl::SkipEmpty());
    } else if (flag == "--seed" && i + 1 < argc && absl::SimpleAtoi(argv[i + 1], &seed)) {
      ++i;
    } else if (flag == "--repeat" && i + 1 < argc && absl::SimpleAtoi(argv[i + 1], &repeat) &&
               repeat > 0) {
      ++i;
    } else {
      std::cerr << "usage: abk_scale [--scales tiny,makassar,province,national] [--seed N] "
                   "[--repeat N]\n";
      return 2;
    }
  }
  std::printf("%-9s %10s %10s %12s %10s %12s %12s %14s  %s\n", "scale", "rows", "staff",
              "analyse (s)", "cpu (s)", "input MiB", "peak MiB", "compute MiB", "balanced share");
  int failures = 0;
  for (const std::string& name : scales) {
    Size size{name};
    if (name == "tiny")
      size = {name, 200, 2000};
    else if (name == "makassar")
      size = {name, 1800, 20000};
    else if (name == "province")
      size = {name, 13500, 150000};
    else if (name == "national")
      size = {name, 1000000, 6000000};
    else {
      std::cerr << "unknown scale " << name << " (tiny, makassar, province, national)\n";
      return 2;
    }
    // Median of `repeat` runs; one run at national size is enough.
    const int runs = size.rows >= 1000000 ? 1 : repeat;
    const ChildRun run = RunInChild([&] { return Measure(size, seed, runs); }, ChildLimits{600, 0});
    std::vector<std::string> f = absl::StrSplit(run.payload, '\t');
    double seconds = 0;
    int64_t input_kib = 0;
    int64_t peak_kib = 0;
    double cpu = 0;
    if (!run.finished || f.size() != 5 || !absl::SimpleAtod(f[0], &seconds) ||
        !absl::SimpleAtoi(f[1], &input_kib) || !absl::SimpleAtoi(f[2], &peak_kib) ||
        !absl::SimpleAtod(f[3], &cpu)) {
      std::printf("%-9s failed: %s%s\n", name.c_str(), run.failure.c_str(), run.payload.c_str());
      ++failures;
      continue;
    }
    std::printf("%-9s %10lld %10lld %12.4f %10.4f %12.0f %12.0f %14.0f  %s\n", name.c_str(),
                static_cast<long long>(size.rows), static_cast<long long>(size.staff), seconds, cpu,
                input_kib / 1024.0, peak_kib / 1024.0, (peak_kib - input_kib) / 1024.0,
                f[4].c_str());
    std::fflush(stdout);
  }
  std::printf(
      "compute MiB = peak RSS of the child minus its RSS with the input built (what "
      "Analyse itself adds).\n");
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace seimbang::bench

int main(int argc, char** argv) { return seimbang::bench::Main(argc, argv); }
