#ifndef SEIMBANG_TOOLS_DATAGEN_GENERATOR_H_
#define SEIMBANG_TOOLS_DATAGEN_GENERATOR_H_

// seimbang-datagen: reproducible synthetic personnel, workload and demand data
// for Kota Makassar, a province (Sulawesi Selatan) or the whole country.
// Same options -> byte-identical files; employees are written as they are
// generated, so memory does not grow with the number of employees.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/domain/date.h"

namespace seimbang::datagen {

enum class Profile { kMakassar, kProvince, kNational };

// "makassar", "province" or "national"; INVALID_ARGUMENT otherwise.
[[nodiscard]] absl::StatusOr<Profile> ParseProfile(std::string_view name);

struct Options {
  Profile profile = Profile::kMakassar;
  uint64_t seed = 1;
  std::string out_dir;
  // Fixed, not today's date, so the output is reproducible.
  domain::Date as_of{2026, 10, 31};
};

struct Counts {
  int64_t agencies = 0;
  int64_t units = 0;
  int64_t positions = 0;
  int64_t employees = 0;
  int64_t workload_rows = 0;
  int64_t signal_rows = 0;
};

// Writes agencies.csv, units.csv, positions.csv, employees.csv, workloads.csv
// and signals.csv into out_dir (created if missing).
[[nodiscard]] absl::StatusOr<Counts> Generate(const Options& options);

// The header of each file is in tools/csv/columns.h.

// Rank ordinal (1 = I/a .. 17 = IV/e) at appointment for an education level
// ("sma", "d3", "s1", "s2"): II/a, II/c, III/a, III/b.
[[nodiscard]] int StartRankOrdinal(std::string_view education);

}  // namespace seimbang::datagen

#endif  // SEIMBANG_TOOLS_DATAGEN_GENERATOR_H_
