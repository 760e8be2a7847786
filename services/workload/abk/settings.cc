#include "services/workload/abk/settings.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "services/workload/abk/number_format.h"

namespace seimbang::abk {
namespace {

// NaN compares false with everything, so it is rejected too.
bool Between(double value, double lo, double hi) { return value >= lo && value <= hi; }

void CheckFactor(const char* name, double value, double max, std::vector<FieldViolation>& out) {
  if (value > 0 && value <= max) return;
  const std::string field = absl::StrCat("period_factors.", name);
  out.push_back({field, absl::StrCat(field, " must be greater than 0 and at most ",
                                     FormatNumber(max), ", got ", FormatNumber(value))});
}

// Each band edge must lie strictly between zero (or the next lower edge) and the
// edge above it, otherwise a grade would be empty or the order would invert.
void CheckBandEdge(const char* name, double value, const char* above_name, double above,
                   std::vector<FieldViolation>& out) {
  if (value > 0 && value < above) return;
  const std::string field = absl::StrCat("grade_bands.", name);
  out.push_back(
      {field, absl::StrCat(field, " must be greater than 0 and less than grade_bands.", above_name,
                           " (", FormatNumber(above), "), got ", FormatNumber(value))});
}

}  // namespace

std::vector<FieldViolation> ValidateSettings(const Settings& settings) {
  std::vector<FieldViolation> out;
  if (!Between(settings.effective_minutes_per_year, kMinEffectiveMinutesPerYear,
               kMaxEffectiveMinutesPerYear)) {
    out.push_back({"effective_minutes_per_year",
                   absl::StrCat("effective_minutes_per_year must be between ",
                                FormatNumber(kMinEffectiveMinutesPerYear), " and ",
                                FormatNumber(kMaxEffectiveMinutesPerYear), ", got ",
                                FormatNumber(settings.effective_minutes_per_year))});
  }
  const PeriodFactors& f = settings.period_factors;
  CheckFactor("year", f.year, 1, out);
  CheckFactor("month", f.month, 12, out);
  CheckFactor("week", f.week, 53, out);
  CheckFactor("day", f.day, 366, out);

  switch (settings.rounding) {
    case Rounding::kNearestHalfUp:
    case Rounding::kCeiling:
    case Rounding::kFloor:
    case Rounding::kCeilingPerTask:
      break;
    default:
      out.push_back({"rounding", "rounding is not a known rounding rule"});
  }

  const GradeBands& g = settings.grade_bands;
  if (!(g.a_min_exclusive > 0 && std::isfinite(g.a_min_exclusive))) {
    out.push_back({"grade_bands.a_min_exclusive",
                   absl::StrCat("grade_bands.a_min_exclusive must be greater than 0, got ",
                                FormatNumber(g.a_min_exclusive))});
  }
  CheckBandEdge("b_min", g.b_min, "a_min_exclusive", g.a_min_exclusive, out);
  CheckBandEdge("c_min", g.c_min, "b_min", g.b_min, out);
  CheckBandEdge("d_min", g.d_min, "c_min", g.c_min, out);

  const BalancedBand& b = settings.balanced_band;
  if (!(b.min > 0 && std::isfinite(b.min))) {
    out.push_back(
        {"balanced_band.min",
         absl::StrCat("balanced_band.min must be greater than 0, got ", FormatNumber(b.min))});
  }
  if (!(b.max >= b.min && std::isfinite(b.max))) {
    out.push_back(
        {"balanced_band.max", absl::StrCat("balanced_band.max must be at least balanced_band.min (",
                                           FormatNumber(b.min), "), got ", FormatNumber(b.max))});
  }

  if (settings.signal_window_months < 1 || settings.signal_window_months > kMaxSignalWindowMonths) {
    out.push_back({"signal_window_months",
                   absl::StrCat("signal_window_months must be between 1 and ",
                                kMaxSignalWindowMonths, ", got ", settings.signal_window_months)});
  }
  return out;
}

}  // namespace seimbang::abk
