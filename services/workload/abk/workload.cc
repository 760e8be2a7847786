#include "services/workload/abk/workload.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/workload/abk/number_format.h"

namespace seimbang::abk {
namespace {

void CheckTask(const Task& task, size_t index, const Settings& settings,
               std::vector<FieldViolation>& out) {
  // Field names are built only on failure: a national run validates millions of tasks.
  auto prefix = [index] { return absl::StrCat("tasks[", index, "]"); };
  auto add = [&](const std::string& suffix, const std::string& rule) {
    const std::string field = absl::StrCat(prefix(), ".", suffix);
    out.push_back({field, absl::StrCat(field, " ", rule)});
  };
  if (task.name.empty()) add("name", "must not be empty");
  if (task.output_unit.empty()) add("output_unit", "must not be empty");
  const bool volume_ok = task.volume >= 0 && std::isfinite(task.volume);
  if (!volume_ok)
    add("volume", absl::StrCat("must be at least 0, got ", FormatNumber(task.volume)));
  const bool period_ok = task.period == Period::kYear || task.period == Period::kMonth ||
                         task.period == Period::kWeek || task.period == Period::kDay;
  if (!period_ok) add("period", "is not a known period");
  const bool norm_ok = task.norm_minutes > 0 && task.norm_minutes <= kMaxNormMinutes;
  if (!norm_ok) {
    add("norm_minutes",
        absl::StrCat("must be greater than 0 and at most ", FormatNumber(kMaxNormMinutes), ", got ",
                     FormatNumber(task.norm_minutes)));
  }
  if (volume_ok && period_ok && norm_ok) {
    const double annual_minutes = AnnualVolume(task, settings.period_factors) * task.norm_minutes;
    const double limit = kMaxTaskFte * settings.effective_minutes_per_year;
    if (annual_minutes > limit) {
      // Printed as whole minutes: %g would round 750000000 to 7.5e+08.
      const std::string field = prefix();
      out.push_back({field, absl::StrFormat("%s annual workload must be at most %.0f minutes "
                                            "(%.0f full-time staff), got %.0f",
                                            field, limit, kMaxTaskFte, annual_minutes)});
    }
  }
  if (task.driver.has_value()) {
    const Driver& d = *task.driver;
    if (d.signal_kind.empty()) add("driver.signal_kind", "must not be empty");
    if (!(d.baseline_per_month >= 0 && std::isfinite(d.baseline_per_month))) {
      add("driver.baseline_per_month",
          absl::StrCat("must be at least 0, got ", FormatNumber(d.baseline_per_month)));
    }
    if (!(d.elasticity >= 0 && d.elasticity <= kMaxElasticity)) {
      add("driver.elasticity", absl::StrCat("must be between 0 and ", FormatNumber(kMaxElasticity),
                                            ", got ", FormatNumber(d.elasticity)));
    }
  }
}

}  // namespace

double AnnualVolume(const Task& task, const PeriodFactors& factors) {
  switch (task.period) {
    case Period::kYear:
      return task.volume * factors.year;
    case Period::kMonth:
      return task.volume * factors.month;
    case Period::kWeek:
      return task.volume * factors.week;
    case Period::kDay:
      return task.volume * factors.day;
  }
  return 0;  // unreachable for valid input; ValidateWorkload rejects unknown periods
}

std::vector<FieldViolation> ValidateWorkload(const Workload& workload, const Settings& settings) {
  std::vector<FieldViolation> out;
  if (workload.unit_id <= 0) {
    out.push_back({"unit_id", absl::StrCat("unit_id must be positive, got ", workload.unit_id)});
  }
  if (workload.position_code.empty()) {
    out.push_back({"position_code", "position_code must not be empty"});
  }
  if (workload.job_family.empty()) {
    out.push_back({"job_family", "job_family must not be empty"});
  }
  if (workload.tasks.size() > kMaxTasksPerPosition) {
    out.push_back({"tasks", absl::StrCat("tasks has ", workload.tasks.size(), " entries, at most ",
                                         kMaxTasksPerPosition, " are allowed")});
    return out;  // thousands of per-task messages would drown the real mistake
  }
  for (size_t i = 0; i < workload.tasks.size(); ++i) {
    CheckTask(workload.tasks[i], i, settings, out);
  }
  return out;
}

}  // namespace seimbang::abk
