#include "services/workload/validation.h"

#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/civil_time.h"
#include "common/domain/text.h"
#include "services/workload/abk/number_format.h"
#include "services/workload/abk/settings.h"
#include "services/workload/abk/workload.h"
#include "services/workload/convert.h"

namespace seimbang::workload {

namespace {

using abk::FormatNumber;
using domain::Utf8Length;

void Add(Violations& out, std::string field, std::string description) {
  out.push_back({std::move(field), std::move(description)});
}

}  // namespace

Violations ValidateTask(const pb::Task& t, const std::string& prefix,
                        const pb::Settings& settings) {
  Violations out;
  const size_t name_len = Utf8Length(t.name());
  if (name_len < 1 || name_len > 500) {
    Add(out, prefix + "name", "name must be 1-500 characters");
  }
  if (Utf8Length(t.output_unit()) > 100) {
    Add(out, prefix + "output_unit", "output_unit must be at most 100 characters");
  }
  if (!(t.volume() >= 0 && t.volume() <= kMaxVolume)) {
    Add(out, prefix + "volume",
        absl::StrCat("volume must be between 0 and 10000000, got ", FormatNumber(t.volume())));
  }
  if (t.period() == pb::PERIOD_UNSPECIFIED || !pb::Period_IsValid(t.period())) {
    Add(out, prefix + "period", "period is required");
  }
  if (!(t.norm_minutes() > 0 && t.norm_minutes() <= abk::kMaxNormMinutes)) {
    Add(out, prefix + "norm_minutes",
        absl::StrCat("norm_minutes must be greater than 0 and at most 100000, got ",
                     FormatNumber(t.norm_minutes())));
  }
  if (t.has_driver()) {
    if (t.driver().signal_kind() == pb::SIGNAL_KIND_UNSPECIFIED ||
        !pb::SignalKind_IsValid(t.driver().signal_kind())) {
      Add(out, prefix + "driver.signal_kind", "driver.signal_kind is required");
    }
    const double baseline = t.driver().baseline_per_month();
    if (!(baseline >= kMinBaselinePerMonth && baseline <= kMaxBaselinePerMonth)) {
      Add(out, prefix + "driver.baseline_per_month",
          absl::StrCat("driver.baseline_per_month must be between 0.001 and 1000000000, got ",
                       FormatNumber(baseline)));
    }
  }
  if (!out.empty()) return out;
  // The library's remaining rule: one task alone must not need more than 10,000 FTE.
  StoredWorkload probe;
  probe.workload.set_unit_id(1);
  probe.workload.set_position_code("X");
  probe.job_family = "x";
  *probe.workload.add_tasks() = t;
  for (const abk::FieldViolation& v : abk::ValidateWorkload(ToAbk(probe), ToAbk(settings))) {
    // The library names this task "tasks[0]"; the caller's name for it is the prefix.
    std::string field = prefix.substr(0, prefix.size() - 1);
    if (v.field != "tasks[0]") field = prefix + absl::StrReplaceAll(v.field, {{"tasks[0].", ""}});
    Add(out, field,
        absl::StrReplaceAll(v.description, {{"tasks[0].", ""}, {"tasks[0] ", "task "}}));
  }
  return out;
}

Violations ValidateWorkload(const pb::Workload& w, const pb::Settings& settings) {
  Violations out;
  if (w.agency_code().empty()) Add(out, "workload.agency_code", "agency_code is required");
  if (w.unit_id() <= 0) {
    Add(out, "workload.unit_id", absl::StrCat("unit_id must be positive, got ", w.unit_id()));
  } else if (w.unit_id() > kMaxUnitId) {
    Add(out, "workload.unit_id",
        absl::StrCat("unit_id must be at most ", kMaxUnitId, ", got ", w.unit_id()));
  }
  if (w.position_code().empty()) Add(out, "workload.position_code", "position_code is required");
  if (w.agency_code().size() > 32) {
    Add(out, "workload.agency_code", "agency_code must be at most 32 characters");
  }
  if (w.position_code().size() > 64) {
    Add(out, "workload.position_code", "position_code must be at most 64 characters");
  }
  if (w.tasks_size() > kMaxTasks) {
    Add(out, "workload.tasks",
        absl::StrCat("tasks has ", w.tasks_size(), " entries, at most 200 are allowed"));
    return out;
  }
  for (int i = 0; i < w.tasks_size(); ++i) {
    Violations task = ValidateTask(w.tasks(i), absl::StrCat("workload.tasks[", i, "]."), settings);
    out.insert(out.end(), task.begin(), task.end());
  }
  return out;
}

Violations ValidateYearMonth(const seimbang::common::v1::YearMonth& m, const std::string& field) {
  Violations out;
  if (m.year() < 1900 || m.year() > 2200 || m.month() < 1 || m.month() > 12) {
    Add(out, field,
        absl::StrCat(field, " must be a year 1900-2200 and a month 1-12, got ", m.year(), "-",
                     m.month()));
  }
  return out;
}

Violations ValidateSignal(const pb::DemandSignal& s, const std::string& prefix) {
  Violations out;
  if (s.agency_code().empty()) Add(out, prefix + "agency_code", "agency_code is required");
  if (s.unit_id() <= 0) {
    Add(out, prefix + "unit_id", absl::StrCat("unit_id must be positive, got ", s.unit_id()));
  } else if (s.unit_id() > kMaxUnitId) {
    Add(out, prefix + "unit_id",
        absl::StrCat("unit_id must be at most ", kMaxUnitId, ", got ", s.unit_id()));
  }
  Violations month = ValidateYearMonth(s.month(), prefix + "month");
  out.insert(out.end(), month.begin(), month.end());
  if (s.kind() == pb::SIGNAL_KIND_UNSPECIFIED || !pb::SignalKind_IsValid(s.kind())) {
    Add(out, prefix + "kind", "kind is required");
  }
  if (s.count() < 0 || s.count() > kMaxSignalCount) {
    Add(out, prefix + "count",
        absl::StrCat("count must be between 0 and 1000000000, got ", s.count()));
  }
  return out;
}

Violations ValidateSettings(const pb::Settings& s) {
  Violations out;
  if (s.agency_code().empty()) Add(out, "settings.agency_code", "agency_code is required");
  if (s.rounding() == pb::ROUNDING_UNSPECIFIED || !pb::Rounding_IsValid(s.rounding())) {
    Add(out, "settings.rounding", "rounding is required");
  }
  // The library names fields after its own structs; the contract's names are these.
  const std::vector<std::pair<std::string, std::string>> renames = {
      {"grade_bands.a_min_exclusive", "grade_bands.a_above"},
      {"grade_bands.b_min", "grade_bands.b_from"},
      {"grade_bands.c_min", "grade_bands.c_from"},
      {"grade_bands.d_min", "grade_bands.d_from"},
      {"balanced_band.min", "balanced_min"},
      {"balanced_band.max", "balanced_max"}};
  for (const abk::FieldViolation& v : abk::ValidateSettings(ToAbk(s))) {
    if (v.field == "rounding" || v.field == "signal_window_months") continue;
    Add(out, "settings." + absl::StrReplaceAll(v.field, renames),
        absl::StrReplaceAll(v.description, renames));
  }
  // The library bounds the edges from below and against each other; these bound them above.
  const std::pair<const char*, double> edges[] = {
      {"grade_bands.a_above", s.grade_bands().a_above()},
      {"grade_bands.b_from", s.grade_bands().b_from()},
      {"grade_bands.c_from", s.grade_bands().c_from()},
      {"grade_bands.d_from", s.grade_bands().d_from()},
      {"balanced_min", s.balanced_min()},
      {"balanced_max", s.balanced_max()}};
  for (const auto& [name, value] : edges) {
    if (std::isfinite(value) && value > kMaxEjEdge) {  // non-finite: the library says so
      Add(out, absl::StrCat("settings.", name),
          absl::StrCat(name, " must be at most 10, got ", FormatNumber(value)));
    }
  }
  if (s.signal_window_months() < 1 || s.signal_window_months() > kMaxSignalWindowMonths) {
    Add(out, "settings.signal_window_months",
        absl::StrCat("signal_window_months must be between 1 and 60, got ",
                     s.signal_window_months()));
  }
  return out;
}

Violations ValidateDate(const seimbang::common::v1::Date& d, const std::string& field,
                        bool required) {
  Violations out;
  if (d.year() == 0 && d.month() == 0 && d.day() == 0) {
    if (required) Add(out, field, absl::StrCat(field, " is required"));
    return out;
  }
  const absl::CivilDay day(d.year(), d.month(), d.day());
  if (d.year() < 1900 || d.year() > 2200 || day.year() != d.year() || day.month() != d.month() ||
      day.day() != d.day()) {
    Add(out, field,
        absl::StrCat(field, " is not a valid date: ", d.year(), "-", d.month(), "-", d.day()));
  }
  return out;
}

Violations ValidateRunAnalysis(const pb::RunAnalysisRequest& req) {
  Violations v;
  if (req.agency_code().empty()) v.push_back({"agency_code", "agency_code is required"});
  Violations d = ValidateDate(req.as_of(), "as_of", /*required=*/true);
  v.insert(v.end(), d.begin(), d.end());
  if (req.label().size() > kMaxLabelChars) {
    v.push_back({"label", "label must be at most 200 characters"});
  }
  return v;
}

void CheckId(Violations& out, const std::string& field, const std::string& id) {
  if (id.empty()) {
    Add(out, field, field + " is required");
  } else if (Utf8Length(id) > kMaxIdChars) {
    Add(out, field, absl::StrCat(field, " is at most ", kMaxIdChars, " characters"));
  }
}

}  // namespace seimbang::workload
