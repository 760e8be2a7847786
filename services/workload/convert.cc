#include "services/workload/convert.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <utility>

namespace seimbang::workload {

int32_t Clamp32(int64_t value) {
  return static_cast<int32_t>(std::clamp<int64_t>(value, std::numeric_limits<int32_t>::min(),
                                                  std::numeric_limits<int32_t>::max()));
}

pb::Settings DefaultSettings(const std::string& agency_code) {
  const abk::Settings d;
  pb::Settings s;
  s.set_agency_code(agency_code);
  s.set_effective_minutes_per_year(d.effective_minutes_per_year);
  s.mutable_period_factors()->set_year(d.period_factors.year);
  s.mutable_period_factors()->set_month(d.period_factors.month);
  s.mutable_period_factors()->set_week(d.period_factors.week);
  s.mutable_period_factors()->set_day(d.period_factors.day);
  s.set_rounding(pb::ROUNDING_NEAREST_HALF_UP);
  s.mutable_grade_bands()->set_a_above(d.grade_bands.a_min_exclusive);
  s.mutable_grade_bands()->set_b_from(d.grade_bands.b_min);
  s.mutable_grade_bands()->set_c_from(d.grade_bands.c_min);
  s.mutable_grade_bands()->set_d_from(d.grade_bands.d_min);
  s.set_balanced_min(d.balanced_band.min);
  s.set_balanced_max(d.balanced_band.max);
  s.set_signal_window_months(d.signal_window_months);
  return s;
}

abk::Rounding ToAbk(pb::Rounding rounding) {
  switch (rounding) {
    case pb::ROUNDING_CEILING:
      return abk::Rounding::kCeiling;
    case pb::ROUNDING_FLOOR:
      return abk::Rounding::kFloor;
    default:
      return abk::Rounding::kNearestHalfUp;
  }
}

abk::Period ToAbk(pb::Period period) {
  switch (period) {
    case pb::PERIOD_MONTH:
      return abk::Period::kMonth;
    case pb::PERIOD_WEEK:
      return abk::Period::kWeek;
    case pb::PERIOD_DAY:
      return abk::Period::kDay;
    default:
      return abk::Period::kYear;
  }
}

abk::Settings ToAbk(const pb::Settings& s) {
  abk::Settings out;
  out.effective_minutes_per_year = s.effective_minutes_per_year();
  out.period_factors = {s.period_factors().year(), s.period_factors().month(),
                        s.period_factors().week(), s.period_factors().day()};
  out.rounding = ToAbk(s.rounding());
  out.grade_bands = {s.grade_bands().a_above(), s.grade_bands().b_from(), s.grade_bands().c_from(),
                     s.grade_bands().d_from()};
  out.balanced_band = {s.balanced_min(), s.balanced_max()};
  out.signal_window_months = s.signal_window_months();
  return out;
}

pb::Grade FromAbk(abk::Grade grade) {
  switch (grade) {
    case abk::Grade::kA:
      return pb::GRADE_A;
    case abk::Grade::kB:
      return pb::GRADE_B;
    case abk::Grade::kC:
      return pb::GRADE_C;
    case abk::Grade::kD:
      return pb::GRADE_D;
    case abk::Grade::kE:
      return pb::GRADE_E;
    case abk::Grade::kNone:
      break;
  }
  return pb::GRADE_UNSPECIFIED;
}

std::string SignalKindName(pb::SignalKind kind) {
  switch (kind) {
    case pb::SIGNAL_KIND_PUBLIC_COMPLAINTS:
      return "public_complaints";
    case pb::SIGNAL_KIND_SERVICE_REQUESTS:
      return "service_requests";
    case pb::SIGNAL_KIND_INFRASTRUCTURE_PROJECTS:
      return "infrastructure_projects";
    case pb::SIGNAL_KIND_OTHER:
      return "other";
    default:
      return "";
  }
}

abk::Workload ToAbk(const StoredWorkload& stored) {
  abk::Workload w;
  w.unit_id = stored.workload.unit_id();
  w.position_code = stored.workload.position_code();
  w.job_family = stored.job_family;
  w.tasks.reserve(stored.workload.tasks_size());
  for (const pb::Task& t : stored.workload.tasks()) {
    abk::Task task;
    task.name = t.name();
    task.output_unit = t.output_unit();
    task.volume = t.volume();
    task.period = ToAbk(t.period());
    task.norm_minutes = t.norm_minutes();
    if (t.has_driver() && t.driver().signal_kind() != pb::SIGNAL_KIND_UNSPECIFIED) {
      task.driver = abk::Driver{SignalKindName(t.driver().signal_kind()),
                                t.driver().baseline_per_month(), 1.0};
    }
    w.tasks.push_back(std::move(task));
  }
  return w;
}

abk::DemandSignal ToAbk(const pb::DemandSignal& s) {
  return abk::DemandSignal{s.unit_id(), SignalKindName(s.kind()), s.month().year(),
                           s.month().month(), s.count()};
}

abk::Staffing ToAbk(const seimbang::personnel::v1::StaffingRow& row) {
  return abk::Staffing{row.unit_id(), row.position_code(), row.job_family(), row.pns(), row.pppk()};
}

std::pair<int, int> SignalWindow(absl::CivilDay as_of, int window_months) {
  const absl::CivilMonth last(as_of);
  const absl::CivilMonth first = last - (window_months - 1);
  auto key = [](absl::CivilMonth m) { return static_cast<int>(m.year() * 100 + m.month()); };
  return {key(first), key(last)};
}

RunRows ToRows(const abk::AnalysisResult& result, const std::vector<StoredWorkload>& workloads) {
  std::set<std::pair<int64_t, std::string>> defined;
  for (const StoredWorkload& w : workloads) {
    defined.emplace(w.workload.unit_id(), w.workload.position_code());
  }
  RunRows rows;
  rows.positions.reserve(result.positions.size());
  for (const abk::PositionResult& p : result.positions) {
    pb::PositionRow r;
    r.set_unit_id(p.unit_id);
    r.set_position_code(p.position_code);
    r.set_job_family(p.job_family);
    r.set_workload_minutes(p.workload_minutes);
    r.set_required_fte(p.required_fte);
    r.set_required_headcount(Clamp32(p.required_headcount));
    r.set_staff(Clamp32(p.staff));
    r.set_staff_pns(Clamp32(p.pns));
    r.set_staff_pppk(Clamp32(p.pppk));
    r.set_gap(Clamp32(p.gap));
    r.set_ej(p.ej.value_or(0.0));
    r.set_grade(FromAbk(p.grade));
    r.set_vacant(p.vacant);
    r.set_has_workload(defined.count({p.unit_id, p.position_code}) > 0);
    rows.positions.push_back(std::move(r));
  }
  rows.units.reserve(result.units.size());
  for (const abk::UnitResult& u : result.units) {
    pb::UnitRow r;
    r.set_unit_id(u.unit_id);
    r.set_workload_minutes(u.workload_minutes);
    r.set_required_fte(u.required_fte);
    r.set_required_headcount(Clamp32(u.required_headcount));
    r.set_staff(Clamp32(u.staff));
    r.set_surplus(Clamp32(u.surplus));
    r.set_deficit(Clamp32(u.deficit));
    r.set_eu(u.eu.value_or(0.0));
    r.set_grade(FromAbk(u.grade));
    rows.units.push_back(std::move(r));
  }
  return rows;
}

void FillSummary(const abk::AnalysisResult& result, pb::AnalysisSummary& s) {
  const abk::AgencySummary& a = result.agency;
  s.set_total_need(Clamp32(a.required_headcount));
  s.set_total_staff(Clamp32(a.staff));
  s.set_total_surplus(Clamp32(a.surplus));
  s.set_total_deficit(Clamp32(a.deficit));
  s.set_positions(Clamp32(a.positions));
  s.set_positions_vacant(Clamp32(a.vacant_positions));
  s.set_positions_over(Clamp32(a.over_positions));
  s.set_positions_under(Clamp32(a.under_positions));
  s.set_balanced_share(a.balanced_share);
  s.set_ej_cv(a.ej_coefficient_of_variation);
  s.set_ej_gini(a.ej_gini);
  s.set_robin_hood_index(a.robin_hood_index);
  s.set_units(Clamp32(static_cast<int64_t>(result.units.size())));
}

std::vector<pb::RowDelta> DiffRows(const std::vector<pb::PositionRow>& base,
                                   const std::vector<pb::PositionRow>& other) {
  // Both inputs are ordered by (unit_id, position_code): a merge join.
  std::vector<pb::RowDelta> out;
  const pb::PositionRow empty;
  size_t i = 0, j = 0;
  while (i < base.size() || j < other.size()) {
    const pb::PositionRow* b = &empty;
    const pb::PositionRow* o = &empty;
    if (j == other.size() ||
        (i < base.size() && std::make_pair(base[i].unit_id(), base[i].position_code()) <
                                std::make_pair(other[j].unit_id(), other[j].position_code()))) {
      b = &base[i++];
    } else if (i == base.size() || std::make_pair(other[j].unit_id(), other[j].position_code()) <
                                       std::make_pair(base[i].unit_id(), base[i].position_code())) {
      o = &other[j++];
    } else {
      b = &base[i++];
      o = &other[j++];
    }
    const pb::PositionRow& key = b != &empty ? *b : *o;
    pb::RowDelta d;
    d.set_unit_id(key.unit_id());
    d.set_position_code(key.position_code());
    // In int64, then back: gaps may be negative, so an int32 difference could wrap.
    d.set_required_headcount_delta(
        Clamp32(int64_t{o->required_headcount()} - b->required_headcount()));
    d.set_staff_delta(Clamp32(int64_t{o->staff()} - b->staff()));
    d.set_gap_delta(Clamp32(int64_t{o->gap()} - b->gap()));
    d.set_ej_delta(o->ej() - b->ej());
    d.set_base_grade(b->grade());
    d.set_other_grade(o->grade());
    const bool present_in_both = b != &empty && o != &empty;
    const bool same = present_in_both && d.required_headcount_delta() == 0 &&
                      d.staff_delta() == 0 && d.gap_delta() == 0 &&
                      std::fabs(d.ej_delta()) < 1e-12 && d.base_grade() == d.other_grade() &&
                      std::fabs(o->workload_minutes() - b->workload_minutes()) < 1e-9;
    if (!same) out.push_back(std::move(d));
  }
  return out;
}

}  // namespace seimbang::workload
