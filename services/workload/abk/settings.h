// Per-agency settings of the workload analysis (Analisis Beban Kerja, ABK,
// PermenPANRB 1/2020). Every value where implementations differ is a setting
// with the default most implementations use (see shared/design/DOMAIN.md).
#ifndef SEIMBANG_SERVICES_WORKLOAD_ABK_SETTINGS_H_
#define SEIMBANG_SERVICES_WORKLOAD_ABK_SETTINGS_H_

#include <string>
#include <vector>

#include "common/domain/field_violation.h"

namespace seimbang::abk {

// One rule broken by one input field (common/domain/field_violation.h), the type the service
// layer puts into an INVALID_ARGUMENT status unchanged.
using FieldViolation = domain::FieldViolation;

// How the decimal FTE of a unit × position becomes a whole required headcount.
// The decimal FTE is always reported alongside, whichever rule is chosen.
enum class Rounding {
  kNearestHalfUp,   // default: 2.4999 -> 2, 2.5 -> 3
  kCeiling,         // any fraction asks for one more person: 2.01 -> 3
  kFloor,           // only whole FTEs count: 2.99 -> 2
  kCeilingPerTask,  // each task's FTE is rounded up, then summed (older regional practice)
};

// Multipliers that annualise a volume given per period (outputs per month × 12 ...).
// Valid: each > 0 and at most the number of such periods in a year
// (year <= 1, month <= 12, week <= 53, day <= 366).
struct PeriodFactors {
  double year = 1;
  double month = 12;
  double week = 50;
  double day = 250;
};

// Grade (PJ/PU) bands on EJ. Edges, exactly:
//   A: ej >  a_min_exclusive (1.00)      B: b_min (0.90) <= ej <= a_min_exclusive
//   C: c_min (0.70) <= ej < b_min        D: d_min (0.50) <= ej < c_min
//   E: ej < d_min
// So 1.00 is B, 0.90 is B, 0.8999 is C, 0.70 is C, 0.50 is D, 0.4999 is E.
// Valid: a_min_exclusive > b_min > c_min > d_min > 0.
struct GradeBands {
  double a_min_exclusive = 1.00;
  double b_min = 0.90;
  double c_min = 0.70;
  double d_min = 0.50;
};

// A staffed position is "balanced" when min <= EJ <= max (both edges inside).
// Valid: 0 < min <= max.
struct BalancedBand {
  double min = 0.90;
  double max = 1.10;
};

struct Settings {
  // Waktu kerja efektif (WKE), minutes per year per full-time person.
  // 75,000 = 1,250 h (five-day week); 72,000 (Perka BKN 19/2011) and 90,000
  // (six-day week) are also in use. Valid: 30,000 to 120,000.
  double effective_minutes_per_year = 75000;
  PeriodFactors period_factors;
  Rounding rounding = Rounding::kNearestHalfUp;
  GradeBands grade_bands;
  BalancedBand balanced_band;
  // Months of demand signals averaged into the recent rate (see workload.h).
  // Valid: 1 to 120.
  int signal_window_months = 12;
};

inline constexpr double kMinEffectiveMinutesPerYear = 30000;
inline constexpr double kMaxEffectiveMinutesPerYear = 120000;
inline constexpr int kMaxSignalWindowMonths = 120;

// Every rule the settings break, in field order; empty when they are valid.
// Example: {"effective_minutes_per_year",
//           "effective_minutes_per_year must be between 30000 and 120000, got 500"}.
[[nodiscard]] std::vector<FieldViolation> ValidateSettings(const Settings& settings);

}  // namespace seimbang::abk

#endif  // SEIMBANG_SERVICES_WORKLOAD_ABK_SETTINGS_H_
