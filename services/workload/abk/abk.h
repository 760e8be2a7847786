// Workload analysis (Analisis Beban Kerja, PermenPANRB 1/2020): from task
// definitions, staff in post and demand signals to required staff, EJ, grades,
// surplus/deficit per unit × position, per unit and for the whole input.
// Pure computation: no gRPC, no SQL. The rulebook is shared/design/DOMAIN.md.
//
// Per unit × position (the union of workload keys and staffing keys):
//   workload_minutes   = Σ tasks annual volume × demand factor × norm minutes
//   required_fte       = workload_minutes / WKE  (decimal, always kept)
//   required_headcount = required_fte rounded per Settings::rounding
//   staff              = pns + pppk (bezetting)
//   gap                = staff − required_headcount  (< 0 kurang, > 0 lebih)
//   ej                 = workload_minutes / (staff × WKE) when staff > 0
//   vacant             = staff == 0 && workload_minutes > 0 (EJ undefined, no grade)
//   staff > 0 with no workload: ej 0, grade E.
// Floating-point noise: rounding and band comparisons tolerate 1e-9, so a sum
// of fractional minutes that lands at 1.9999999999 FTE still counts as 2.
//
// Limits (issue 15 item 5): no input can make the arithmetic overflow. A demand
// factor is capped at kMaxDemandFactor (so minutes stay finite), a rounded
// headcount at kMaxHeadcount, and every integer sum (staff, needs, gaps, signal
// counts) saturates at the int64 limits instead of wrapping. The service checks
// far tighter ranges at its edge; these caps are the last line.
#ifndef SEIMBANG_SERVICES_WORKLOAD_ABK_ABK_H_
#define SEIMBANG_SERVICES_WORKLOAD_ABK_ABK_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/workload/abk/settings.h"
#include "services/workload/abk/workload.h"

namespace seimbang::abk {

// A demand factor (see Driver) above this is taken as this: a million times the
// baseline demand is a data error, and the cap keeps every minute count finite.
inline constexpr double kMaxDemandFactor = 1e6;
// A rounded headcount above this is taken as this (ten times the civil service of
// the country); it and its sums then fit every int32 and int64 downstream.
inline constexpr int64_t kMaxHeadcount = 100000000;

// a + b, or the int64 limit it would cross.
[[nodiscard]] int64_t SaturatingAdd(int64_t a, int64_t b);

// Predikat jabatan / unit. kNone: EJ undefined (no staff in post).
enum class Grade { kNone, kA, kB, kC, kD, kE };

[[nodiscard]] const char* GradeName(Grade grade);  // "A".."E", "-" for kNone

// The grade of an EJ value under the bands (edges documented on GradeBands).
[[nodiscard]] Grade GradeOf(double ej, const GradeBands& bands);

// Decimal FTE to whole headcount for the three position-level rules;
// kCeilingPerTask behaves like kCeiling here (Analyse applies it per task).
// Saturates: above kMaxHeadcount (and +infinity) gives kMaxHeadcount, below
// -kMaxHeadcount gives -kMaxHeadcount, NaN gives 0.
[[nodiscard]] int64_t RoundFte(double fte, Rounding rule);

struct PositionResult {
  int64_t unit_id = 0;
  std::string position_code;
  std::string job_family;            // from the workload; from staffing for staff-only rows
  double base_workload_minutes = 0;  // before demand scaling, for explanations
  double workload_minutes = 0;       // annual, after demand scaling
  double required_fte = 0;
  int64_t required_headcount = 0;
  int64_t pns = 0;
  int64_t pppk = 0;
  int64_t staff = 0;
  int64_t gap = 0;
  std::optional<double> ej;  // absent when staff == 0
  Grade grade = Grade::kNone;
  bool vacant = false;
};

struct UnitResult {
  int64_t unit_id = 0;
  double workload_minutes = 0;
  double required_fte = 0;         // Σ positions' decimal FTE
  int64_t required_headcount = 0;  // Σ positions' rounded headcount (not re-rounded)
  int64_t staff = 0;
  int64_t gap = 0;           // staff − required_headcount, net inside this unit only
  int64_t surplus = 0;       // Σ positive position gaps
  int64_t deficit = 0;       // Σ |negative position gaps|
  std::optional<double> eu;  // Σ workload / (Σ staff × WKE); absent when staff == 0
  Grade grade = Grade::kNone;
  int64_t vacant_positions = 0;
};

// Surplus and deficit of one job family across the whole input.
struct FamilyBalance {
  std::string job_family;
  int64_t surplus = 0;
  int64_t deficit = 0;
  int64_t moves = 0;  // min(surplus, deficit): each move fixes one of each
};

// Figures for the whole input (the service calls Analyse once per agency).
// Totals are summed per unit × position and never netted across units.
struct AgencySummary {
  double workload_minutes = 0;
  double required_fte = 0;
  int64_t required_headcount = 0;  // total need
  int64_t staff = 0;
  int64_t surplus = 0;       // Σ positive gaps over unit × position
  int64_t deficit = 0;       // Σ |negative gaps| over unit × position
  std::optional<double> eu;  // Σ workload / (Σ staff × WKE)
  Grade grade = Grade::kNone;
  int64_t positions = 0;          // unit × position rows
  int64_t staffed_positions = 0;  // staff > 0
  int64_t vacant_positions = 0;
  int64_t over_positions = 0;      // gap > 0
  int64_t under_positions = 0;     // gap < 0 (vacant ones included)
  int64_t balanced_positions = 0;  // staffed and EJ inside Settings::balanced_band
  double balanced_share = 0;       // balanced / staffed positions, 0 when none staffed
  // Dispersion of EJ over staffed positions weighted by staff (inequality.h).
  double ej_coefficient_of_variation = 0;
  double ej_gini = 0;
  // Robin Hood index of this model: the smallest share of staff that must move
  // so that every position meets its need as far as its own job family allows.
  // A move fixes one surplus and one deficit of the same family, so the moves
  // needed are M = Σ_f min(surplus_f, deficit_f) (the planner's lower bound),
  // and the index is M / staff (0 when staff == 0). With one family and total
  // need equal to total staff it is the Hoover (Robin Hood) index
  // Σ|gap| / (2 × staff) (Hoover 1936); families only lower it.
  int64_t robin_hood_moves = 0;
  double robin_hood_index = 0;
};

struct AnalysisResult {
  std::vector<PositionResult> positions;  // ordered by (unit_id, position_code)
  std::vector<UnitResult> units;          // ordered by unit_id
  std::vector<FamilyBalance> families;    // ordered by job_family
  AgencySummary agency;
};

// Runs the analysis. Fails with INVALID_ARGUMENT (and computes nothing) when
// the settings or a workload are invalid, two workloads share a unit ×
// position, a staffing row has negative counts, or a signal has a month outside
// 1..12 or a negative count. Demand signals use the window ending with the
// month of as_of (see Driver); signals after it or before it are ignored.
// O(n log n) in the number of rows; no quadratic work.
[[nodiscard]] absl::StatusOr<AnalysisResult> Analyse(const Settings& settings,
                                                     const std::vector<Workload>& workloads,
                                                     const std::vector<Staffing>& staffing,
                                                     const std::vector<DemandSignal>& signals,
                                                     absl::CivilDay as_of);

}  // namespace seimbang::abk

#endif  // SEIMBANG_SERVICES_WORKLOAD_ABK_ABK_H_
