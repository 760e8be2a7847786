#include "services/workload/abk/abk.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "common/domain/enum_names.h"
#include "services/workload/abk/inequality.h"

namespace seimbang::abk {
namespace {

// Absorbs floating-point noise from summing fractional minutes (see abk.h).
constexpr double kTolerance = 1e-9;

using RowKey = std::pair<int64_t, absl::string_view>;

// One unit × position while computing; views point into the caller's inputs,
// which outlive the call.
struct Row {
  int64_t unit_id = 0;
  absl::string_view position_code;
  absl::string_view job_family;
  const Workload* workload = nullptr;
  int64_t pns = 0;
  int64_t pppk = 0;
};

std::string JoinDescriptions(const std::vector<FieldViolation>& violations) {
  return absl::StrJoin(violations, "; ", [](std::string* out, const FieldViolation& v) {
    absl::StrAppend(out, v.description);
  });
}

// Demand factor of one driven task (rule documented on Driver).
double DemandFactor(const Driver& driver, int64_t unit_id,
                    const absl::flat_hash_map<RowKey, int64_t>& window_counts, int window_months) {
  if (driver.baseline_per_month <= 0) return 1;
  const auto it = window_counts.find(RowKey{unit_id, driver.signal_kind});
  if (it == window_counts.end()) return 1;  // no data is not zero demand
  const double recent = static_cast<double>(it->second) / window_months;
  const double factor = 1 + driver.elasticity * (recent / driver.baseline_per_month - 1);
  // NaN (from an infinite ratio times elasticity 0) fails the comparison and counts as 1.
  if (std::isnan(factor)) return 1;
  return std::clamp(factor, 0.0, kMaxDemandFactor);
}

bool InBand(double value, const BalancedBand& band) {
  return value >= band.min - kTolerance && value <= band.max + kTolerance;
}

constexpr domain::EnumName<Grade> kGradeNames[] = {
    {Grade::kNone, "-"}, {Grade::kA, "A"}, {Grade::kB, "B"},
    {Grade::kC, "C"},    {Grade::kD, "D"}, {Grade::kE, "E"},
};
static_assert(domain::CoversEveryValue(kGradeNames, Grade::kNone, Grade::kE));

}  // namespace

// Every name is a string literal, so data() is NUL-terminated.
const char* GradeName(Grade grade) { return domain::NameOf(kGradeNames, grade, "-").data(); }

Grade GradeOf(double ej, const GradeBands& bands) {
  if (ej > bands.a_min_exclusive + kTolerance) return Grade::kA;
  if (ej >= bands.b_min - kTolerance) return Grade::kB;
  if (ej >= bands.c_min - kTolerance) return Grade::kC;
  if (ej >= bands.d_min - kTolerance) return Grade::kD;
  return Grade::kE;
}

int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) {
    return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
  }
  return sum;
}

int64_t RoundFte(double fte, Rounding rule) {
  if (std::isnan(fte)) return 0;
  const double limit = static_cast<double>(kMaxHeadcount);
  if (fte >= limit) return kMaxHeadcount;
  if (fte <= -limit) return -kMaxHeadcount;
  switch (rule) {
    case Rounding::kNearestHalfUp:
      return static_cast<int64_t>(std::floor(fte + 0.5 + kTolerance));
    case Rounding::kFloor:
      return static_cast<int64_t>(std::floor(fte + kTolerance));
    case Rounding::kCeiling:
    case Rounding::kCeilingPerTask:
      return static_cast<int64_t>(std::ceil(fte - kTolerance));
  }
  return 0;
}

namespace {

using SignalCounts = absl::flat_hash_map<RowKey, int64_t>;

// Signals inside the window ending in as_of's month, summed per unit and kind.
absl::StatusOr<SignalCounts> CountSignalsInWindow(const std::vector<DemandSignal>& signals,
                                                  int window_months, absl::CivilDay as_of) {
  const absl::CivilMonth last_month(as_of);
  const absl::CivilMonth first_month = last_month - (window_months - 1);
  SignalCounts window_counts;
  for (const DemandSignal& s : signals) {
    if (s.month < 1 || s.month > 12) {
      return absl::InvalidArgumentError(
          absl::StrCat("signal for unit ", s.unit_id, " kind ", s.kind,
                       ": month must be between 1 and 12, got ", s.month));
    }
    if (s.count < 0) {
      return absl::InvalidArgumentError(absl::StrCat("signal for unit ", s.unit_id, " kind ",
                                                     s.kind, ": count must be at least 0, got ",
                                                     s.count));
    }
    const absl::CivilMonth month(s.year, s.month);
    if (month < first_month || month > last_month) continue;
    int64_t& sum = window_counts[RowKey{s.unit_id, s.kind}];
    sum = SaturatingAdd(sum, s.count);
  }
  return window_counts;
}

// The union of workload and staffing keys, sorted by unit then position.
absl::StatusOr<std::vector<Row>> CollectRows(const Settings& settings,
                                             const std::vector<Workload>& workloads,
                                             const std::vector<Staffing>& staffing) {
  std::vector<Row> rows;
  rows.reserve(workloads.size() + staffing.size() / 4);
  absl::flat_hash_map<RowKey, size_t> index;
  index.reserve(workloads.size());
  for (const Workload& w : workloads) {
    if (std::vector<FieldViolation> v = ValidateWorkload(w, settings); !v.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("workload for unit ", w.unit_id, " position ",
                                                     w.position_code, ": ", JoinDescriptions(v)));
    }
    const auto [it, inserted] = index.try_emplace(RowKey{w.unit_id, w.position_code}, rows.size());
    if (!inserted) {
      return absl::InvalidArgumentError(
          absl::StrCat("duplicate workload for unit ", w.unit_id, " position ", w.position_code));
    }
    rows.push_back(Row{w.unit_id, w.position_code, w.job_family, &w, 0, 0});
  }
  for (const Staffing& s : staffing) {
    if (s.pns < 0 || s.pppk < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("staffing for unit ", s.unit_id, " position ", s.position_code,
                       ": pns and pppk must be at least 0, got ", s.pns, " and ", s.pppk));
    }
    const auto [it, inserted] = index.try_emplace(RowKey{s.unit_id, s.position_code}, rows.size());
    if (inserted) rows.push_back(Row{s.unit_id, s.position_code, s.job_family, nullptr, 0, 0});
    Row& row = rows[it->second];
    row.pns = SaturatingAdd(row.pns, s.pns);
    row.pppk = SaturatingAdd(row.pppk, s.pppk);
  }
  index = {};  // release the memory before the output is built

  auto by_key = [](const Row& a, const Row& b) {
    return a.unit_id != b.unit_id ? a.unit_id < b.unit_id : a.position_code < b.position_code;
  };
  if (!std::is_sorted(rows.begin(), rows.end(), by_key)) {
    std::sort(rows.begin(), rows.end(), by_key);
  }
  return rows;
}

// One unit × position: its workload (with demand factors), need, staff, gap and EJ.
PositionResult AnalysePosition(const Row& row, const Settings& settings,
                               const SignalCounts& window_counts) {
  const double wke = settings.effective_minutes_per_year;
  PositionResult p;
  p.unit_id = row.unit_id;
  p.position_code = std::string(row.position_code);
  p.job_family = std::string(row.job_family);
  int64_t per_task_headcount = 0;
  if (row.workload != nullptr) {
    for (const Task& task : row.workload->tasks) {
      const double base = AnnualVolume(task, settings.period_factors) * task.norm_minutes;
      double minutes = base;
      if (task.driver.has_value()) {
        minutes *=
            DemandFactor(*task.driver, row.unit_id, window_counts, settings.signal_window_months);
      }
      p.base_workload_minutes += base;
      p.workload_minutes += minutes;
      per_task_headcount =
          SaturatingAdd(per_task_headcount, RoundFte(minutes / wke, Rounding::kCeiling));
    }
  }
  p.required_fte = p.workload_minutes / wke;
  p.required_headcount = settings.rounding == Rounding::kCeilingPerTask
                             ? std::min(per_task_headcount, kMaxHeadcount)
                             : RoundFte(p.required_fte, settings.rounding);
  p.pns = row.pns;
  p.pppk = row.pppk;
  p.staff = SaturatingAdd(row.pns, row.pppk);
  p.gap = SaturatingAdd(p.staff, -p.required_headcount);
  if (p.staff > 0) {
    p.ej = p.workload_minutes / (static_cast<double>(p.staff) * wke);
    p.grade = GradeOf(*p.ej, settings.grade_bands);
  }
  p.vacant = p.staff == 0 && p.workload_minutes > 0;
  return p;
}

void AddToUnit(const PositionResult& p, UnitResult& unit) {
  unit.workload_minutes += p.workload_minutes;
  unit.required_fte += p.required_fte;
  // gap >= -kMaxHeadcount, so -gap never overflows.
  unit.required_headcount = SaturatingAdd(unit.required_headcount, p.required_headcount);
  unit.staff = SaturatingAdd(unit.staff, p.staff);
  unit.gap = SaturatingAdd(unit.gap, p.gap);
  if (p.gap > 0) unit.surplus = SaturatingAdd(unit.surplus, p.gap);
  if (p.gap < 0) unit.deficit = SaturatingAdd(unit.deficit, -p.gap);
  if (p.vacant) ++unit.vacant_positions;
}

void AddToAgency(const PositionResult& p, const Settings& settings, AgencySummary& agency,
                 std::vector<WeightedValue>& staffed_ej) {
  ++agency.positions;
  agency.workload_minutes += p.workload_minutes;
  agency.required_fte += p.required_fte;
  agency.required_headcount = SaturatingAdd(agency.required_headcount, p.required_headcount);
  agency.staff = SaturatingAdd(agency.staff, p.staff);
  if (p.gap > 0) {
    agency.surplus = SaturatingAdd(agency.surplus, p.gap);
    ++agency.over_positions;
  }
  if (p.gap < 0) {
    agency.deficit = SaturatingAdd(agency.deficit, -p.gap);
    ++agency.under_positions;
  }
  if (p.vacant) ++agency.vacant_positions;
  if (p.staff > 0) {
    ++agency.staffed_positions;
    if (InBand(*p.ej, settings.balanced_band)) ++agency.balanced_positions;
    staffed_ej.push_back({*p.ej, static_cast<double>(p.staff)});
  }
}

// Unit and agency EU and grades, the balance indices and the per-family Robin Hood moves.
void FinishSummaries(const Settings& settings,
                     absl::flat_hash_map<absl::string_view, FamilyBalance>& families,
                     std::vector<WeightedValue> staffed_ej, AnalysisResult& result) {
  const double wke = settings.effective_minutes_per_year;
  AgencySummary& agency = result.agency;
  for (UnitResult& u : result.units) {
    if (u.staff > 0) {
      u.eu = u.workload_minutes / (static_cast<double>(u.staff) * wke);
      u.grade = GradeOf(*u.eu, settings.grade_bands);
    }
  }
  if (agency.staff > 0) {
    agency.eu = agency.workload_minutes / (static_cast<double>(agency.staff) * wke);
    agency.grade = GradeOf(*agency.eu, settings.grade_bands);
  }
  if (agency.staffed_positions > 0) {
    agency.balanced_share =
        static_cast<double>(agency.balanced_positions) / agency.staffed_positions;
  }
  agency.ej_coefficient_of_variation = WeightedCoefficientOfVariation(staffed_ej);
  agency.ej_gini = WeightedGini(std::move(staffed_ej));

  result.families.reserve(families.size());
  for (auto& [name, f] : families) {
    f.job_family = std::string(name);
    f.moves = std::min(f.surplus, f.deficit);
    agency.robin_hood_moves = SaturatingAdd(agency.robin_hood_moves, f.moves);
    result.families.push_back(std::move(f));
  }
  std::sort(
      result.families.begin(), result.families.end(),
      [](const FamilyBalance& a, const FamilyBalance& b) { return a.job_family < b.job_family; });
  if (agency.staff > 0) {
    agency.robin_hood_index = static_cast<double>(agency.robin_hood_moves) / agency.staff;
  }
}

}  // namespace

absl::StatusOr<AnalysisResult> Analyse(const Settings& settings,
                                       const std::vector<Workload>& workloads,
                                       const std::vector<Staffing>& staffing,
                                       const std::vector<DemandSignal>& signals,
                                       absl::CivilDay as_of) {
  if (std::vector<FieldViolation> v = ValidateSettings(settings); !v.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("invalid settings: ", JoinDescriptions(v)));
  }
  absl::StatusOr<SignalCounts> window_counts =
      CountSignalsInWindow(signals, settings.signal_window_months, as_of);
  if (!window_counts.ok()) return window_counts.status();
  absl::StatusOr<std::vector<Row>> rows = CollectRows(settings, workloads, staffing);
  if (!rows.ok()) return rows.status();

  AnalysisResult result;
  result.positions.reserve(rows->size());
  absl::flat_hash_map<absl::string_view, FamilyBalance> families;
  std::vector<WeightedValue> staffed_ej;
  UnitResult* unit = nullptr;
  for (const Row& row : *rows) {
    PositionResult p = AnalysePosition(row, settings, *window_counts);
    if (unit == nullptr || unit->unit_id != p.unit_id) {
      unit = &result.units.emplace_back();
      unit->unit_id = p.unit_id;
    }
    AddToUnit(p, *unit);
    AddToAgency(p, settings, result.agency, staffed_ej);
    if (p.gap != 0) {
      FamilyBalance& f = families[row.job_family];
      if (p.gap > 0) f.surplus = SaturatingAdd(f.surplus, p.gap);
      if (p.gap < 0) f.deficit = SaturatingAdd(f.deficit, -p.gap);
    }
    result.positions.push_back(std::move(p));
  }
  FinishSummaries(settings, families, std::move(staffed_ej), result);
  return result;
}

}  // namespace seimbang::abk
