#include "services/transfer/plan_input.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/domain/rank.h"
#include "common/errors/errors.h"
#include "services/transfer/planner/explain.h"
#include "services/transfer/planner/rules.h"

namespace seimbang::transfer {
namespace {

bool Known(const common::v1::LatLng& p) { return p.latitude() != 0 || p.longitude() != 0; }

domain::Date ToDate(const common::v1::Date& d) { return {d.year(), d.month(), d.day()}; }

// A status date (bond, leave) still running on the effective date.
bool Until(const common::v1::Date& d, const domain::Date& on) {
  if (d.year() == 0) return false;
  return ToDate(d) >= on;
}

planner::Weights ToWeights(const v1::CostWeights& w) {
  planner::Weights out;
  out.base_per_move = w.base_per_move();
  out.per_km = w.per_km();
  out.competency_bonus_per_tag = w.competency_match_bonus();
  out.preferred_bonus = w.preferred_bonus();
  out.avoided_penalty = w.avoided_penalty();
  out.rotation_bonus = w.rotation_bonus();
  out.rotation_months = 60;  // "past 60 months in post" (transfer.proto)
  out.under_base = w.under_need_penalty();
  out.over_base = w.over_need_penalty();
  return out;
}

v1::UnfilledReason ToReason(planner::UnfilledReason r) {
  switch (r) {
    case planner::UnfilledReason::kNoEligibleCandidateInFamily:
      return v1::UNFILLED_REASON_NO_ELIGIBLE_CANDIDATE;
    case planner::UnfilledReason::kBlockedByRule:
    case planner::UnfilledReason::kSupplyExhausted:
      return v1::UNFILLED_REASON_BLOCKED_BY_RULE;
    case planner::UnfilledReason::kBudgetExhausted:
      return v1::UNFILLED_REASON_BUDGET_EXHAUSTED;
    case planner::UnfilledReason::kCheaperToLeave:
      return v1::UNFILLED_REASON_NOT_WORTH_MOVING;
  }
  return v1::UNFILLED_REASON_UNSPECIFIED;
}

v1::SlotState Slot(const BuiltInput& b, const PlanningData& data, int d, int after) {
  const planner::Destination& dest = b.input.destinations[d];
  v1::SlotState s;
  s.set_unit_id(dest.unit_id);
  s.set_unit_name(b.unit_names[d]);
  s.set_position_code(dest.position_code);
  s.set_staff_before(dest.staff_before);
  s.set_staff_after(after);
  s.set_need(dest.need);
  s.set_ej_before(dest.ej_before);
  s.set_ej_after(after > 0 && data.wke > 0 ? b.workload[d] / (after * data.wke) : 0);
  s.set_gap_before(dest.staff_before - dest.need);
  s.set_gap_after(after - dest.need);
  return s;
}

}  // namespace

int RankOrdinal(const std::string& rank) {
  if (rank.empty()) return 0;
  auto r = domain::ParseRank(rank);
  return r.ok() ? r->ordinal : 0;
}

int EducationOrdinal(int level) {
  return level == ppb::EDUCATION_LEVEL_D4 ? ppb::EDUCATION_LEVEL_S1 : level;
}

std::string MoveId(int ordinal) { return absl::StrFormat("m%06d", ordinal); }

absl::StatusOr<BuiltInput> BuildPlanInput(const PlanningData& data, const v1::Policy& policy,
                                          const RevisionRules& revision) {
  BuiltInput b;
  auto& in = b.input;
  for (const auto& row : data.rows) {
    planner::Destination d;
    d.unit_id = row.unit_id();
    d.position_code = row.position_code();
    d.agency_code = data.agency_code;
    d.job_family = row.job_family();
    auto pos = data.positions.find(row.position_code());
    std::string position_name = row.position_code();
    if (pos != data.positions.end()) {
      if (d.job_family.empty()) d.job_family = pos->second.job_family();
      d.min_rank = RankOrdinal(pos->second.rank_min());
      d.max_rank = RankOrdinal(pos->second.rank_max());
      d.min_education = EducationOrdinal(pos->second.min_education());
      position_name = pos->second.name();
    }
    d.staff_before = row.staff();
    d.need = row.required_headcount();
    d.ej_before = row.ej();
    std::string unit_name = absl::StrCat("unit ", row.unit_id());
    auto unit = data.units.find(row.unit_id());
    if (unit != data.units.end()) {
      unit_name = unit->second.name();
      d.kecamatan = unit->second.kecamatan();
      if (Known(unit->second.location())) {
        d.lat = unit->second.location().latitude();
        d.lon = unit->second.location().longitude();
      }
    }
    d.display_name = absl::StrCat(unit_name, " - ", position_name);
    b.index[{d.unit_id, d.position_code}] = static_cast<int>(in.destinations.size());
    b.workload.push_back(row.workload_minutes());
    b.unit_names.push_back(unit_name);
    in.destinations.push_back(std::move(d));
  }

  for (const auto& s : data.employees) {
    const auto& e = s.employee();
    auto slot = b.index.find({e.unit_id(), e.position_code()});
    if (slot == b.index.end()) {
      ++b.skipped_outside_run;
      continue;
    }
    if (s.months_to_retirement() <= 0) {
      ++b.skipped_retired;
      continue;
    }
    planner::Candidate c;
    c.nip = e.nip();
    c.agency_code = data.agency_code;
    c.current = slot->second;
    c.job_family =
        s.job_family().empty() ? in.destinations[slot->second].job_family : s.job_family();
    c.rank = RankOrdinal(e.rank());
    c.education = EducationOrdinal(e.education_level());
    c.months_in_post = s.months_in_post();
    c.months_to_retirement = s.months_to_retirement();
    // LEAD: the planner has one "disciplinary" flag for both processes; each is
    // raised only when the policy does not allow it, so the right rule applies.
    const auto& f = e.flags();
    c.flags.disciplinary =
        (f.disciplinary_process() && !policy.rules().allow_disciplinary_process()) ||
        (f.judicial_process() && !policy.rules().allow_judicial_process());
    c.flags.study_assignment = f.study_assignment();
    c.flags.service_bond = Until(f.service_bond_until(), data.effective_date);
    c.flags.on_leave = Until(f.leave_until(), data.effective_date);
    c.competency_tags.assign(e.competency_tags().begin(), e.competency_tags().end());
    if (Known(e.home_location())) {
      c.home_lat = e.home_location().latitude();
      c.home_lon = e.home_location().longitude();
    }
    auto pref = data.preferences.find(e.nip());
    if (pref != data.preferences.end()) {
      c.preferred_units.assign(pref->second.preferred_unit_ids().begin(),
                               pref->second.preferred_unit_ids().end());
      c.avoided_units.assign(pref->second.avoided_unit_ids().begin(),
                             pref->second.avoided_unit_ids().end());
    }
    c.display_name = e.name();
    in.candidates.push_back(std::move(c));
  }

  const auto& r = policy.rules();
  planner::Policy& p = in.policy;
  p.min_months_in_post = r.min_months_in_post();
  p.exclude_within_months_of_retirement = r.exclude_within_months_of_retirement();
  p.exclude_disciplinary = true;  // folded into the candidate flag above
  p.exclude_study_assignment = !r.allow_study_assignment();
  p.exclude_service_bond = !r.allow_service_bond();
  p.exclude_on_leave = !r.allow_on_leave();
  p.require_rank_band = !r.ignore_rank_band();
  p.require_education = !r.ignore_min_education();
  p.same_family_only = !r.allow_any_family();
  for (const auto& fc : r.family_compatibility()) {
    p.family_compatibility[fc.family()].assign(fc.may_move_to().begin(), fc.may_move_to().end());
  }
  p.same_agency_only = !r.allow_cross_agency();
  p.max_leave_fraction = r.max_leave_fraction();
  p.never_below_need = !r.allow_below_need();
  if (r.move_budget() > 0) p.move_budget = r.move_budget();
  p.weights = ToWeights(policy.weights());

  errors::ValidationErrors errs;
  // A forbidden target outside the run can never be chosen anyway.
  auto add_forbidden = [&](const v1::ForbiddenMove& f, int origin) {
    if (f.to_unit_id() == 0) {
      p.forbidden.push_back({f.nip(), -1});
      b.forbidden_origin.push_back(origin);
      return;
    }
    for (const auto& [key, idx] : b.index) {
      if (key.first == f.to_unit_id() &&
          (f.to_position_code().empty() || key.second == f.to_position_code())) {
        p.forbidden.push_back({f.nip(), idx});
        b.forbidden_origin.push_back(origin);
      }
    }
  };
  for (int i = 0; i < r.forbidden_size(); ++i) add_forbidden(r.forbidden(i), i);
  for (const auto& f : revision.forbidden) add_forbidden(f, -1);

  std::set<std::string> pinned_nips;
  for (int i = 0; i < r.pinned_size(); ++i) {
    const auto& pm = r.pinned(i);
    auto it = b.index.find({pm.to_unit_id(), pm.to_position_code()});
    if (it == b.index.end()) {
      errs.Add(absl::StrCat("policy.rules.pinned[", i, "]"),
               absl::StrCat("unit ", pm.to_unit_id(), " position ", pm.to_position_code(),
                            " is not a row of the analysis run"));
      continue;
    }
    p.pinned.push_back({pm.nip(), it->second});
    b.pinned_origin.push_back(i);
    pinned_nips.insert(pm.nip());
  }
  // The parent's moves are pinned only while still feasible, so a revision
  // never fails because the world moved on; the rest is re-optimised.
  planner::ForbiddenSet forbidden(p.forbidden);
  std::map<std::string, int> candidate_of;
  for (size_t i = 0; i < in.candidates.size(); ++i) candidate_of[in.candidates[i].nip] = i;
  for (const auto& pm : revision.pinned) {
    if (pinned_nips.count(pm.nip())) continue;
    auto it = b.index.find({pm.to_unit_id(), pm.to_position_code()});
    auto ci = candidate_of.find(pm.nip());
    if (it == b.index.end() || ci == candidate_of.end()) continue;
    if (!planner::Eligible(in.candidates[ci->second], it->second, in.destinations, p, forbidden)) {
      continue;
    }
    p.pinned.push_back({pm.nip(), it->second});
    b.pinned_origin.push_back(-1);
    pinned_nips.insert(pm.nip());
  }
  if (p.move_budget && *p.move_budget < static_cast<int>(p.pinned.size())) {
    p.move_budget = static_cast<int>(p.pinned.size());
  }
  if (absl::Status s = errs.ToStatus(); !s.ok()) return s;
  return b;
}

namespace {

// "policy.pinned[12].destination" -> {"policy.pinned", 12, ".destination"}; false otherwise.
bool SplitIndexed(const std::string& field, const std::string& list, size_t* index,
                  std::string* rest) {
  const std::string head = list + "[";
  if (field.rfind(head, 0) != 0) return false;
  const size_t close = field.find(']', head.size());
  if (close == std::string::npos) return false;
  size_t n = 0;
  for (size_t i = head.size(); i < close; ++i) {
    if (field[i] < '0' || field[i] > '9') return false;
    n = n * 10 + static_cast<size_t>(field[i] - '0');
  }
  *index = n;
  *rest = field.substr(close + 1);
  return true;
}

std::string ListEntry(const char* list, const std::vector<int>& origin, size_t index,
                      const std::string& rest) {
  if (index >= origin.size() || origin[index] < 0) return "plan_id";
  return absl::StrCat("policy.rules.", list, "[", origin[index], "]", rest == ".nip" ? rest : "");
}

}  // namespace

std::vector<errors::FieldViolation> RequestViolations(
    const std::vector<planner::FieldViolation>& violations, const BuiltInput& built) {
  static const std::map<std::string, std::string> kRenamed = {
      {"policy.weights.competency_bonus_per_tag", "policy.weights.competency_match_bonus"},
      {"policy.weights.under_base", "policy.weights.under_need_penalty"},
      {"policy.weights.over_base", "policy.weights.over_need_penalty"},
      {"policy.max_leave_fraction", "policy.rules.max_leave_fraction"},
      {"policy.move_budget", "policy.rules.move_budget"}};
  std::vector<errors::FieldViolation> out;
  out.reserve(violations.size());
  for (const planner::FieldViolation& v : violations) {
    std::string field = v.field;
    size_t index = 0;
    std::string rest;
    if (auto it = kRenamed.find(field); it != kRenamed.end()) {
      field = it->second;
    } else if (SplitIndexed(field, "policy.pinned", &index, &rest)) {
      field = ListEntry("pinned", built.pinned_origin, index, rest);
    } else if (SplitIndexed(field, "policy.forbidden", &index, &rest)) {
      field = ListEntry("forbidden", built.forbidden_origin, index, rest);
    }
    out.push_back({std::move(field), v.description});
  }
  return out;
}

v1::MetricsSnapshot ComputeMetrics(const std::vector<SlotFigures>& slots, double wke) {
  v1::MetricsSnapshot m;
  std::map<std::string, std::pair<int, int>> family;  // surplus, deficit
  double staff_total = 0, weighted = 0;
  int staffed = 0, balanced = 0;
  std::vector<std::pair<double, int>> ejs;
  for (const auto& s : slots) {
    const int gap = s.staff - s.need;
    if (gap > 0) {
      m.set_units_over(m.units_over() + 1);
      m.set_total_surplus(m.total_surplus() + gap);
      family[s.family].first += gap;
    } else if (gap < 0) {
      m.set_units_under(m.units_under() + 1);
      m.set_total_deficit(m.total_deficit() - gap);
      family[s.family].second -= gap;
    }
    if (s.staff > 0 && wke > 0) {
      const double ej = s.workload / (s.staff * wke);
      ++staffed;
      if (ej >= 0.9 && ej <= 1.1) ++balanced;
      ejs.push_back({ej, s.staff});
      staff_total += s.staff;
      weighted += ej * s.staff;
    }
  }
  m.set_balanced_share(staffed > 0 ? static_cast<double>(balanced) / staffed : 0);
  if (staff_total > 0 && weighted > 0) {
    const double mean = weighted / staff_total;
    double var = 0;
    for (const auto& [ej, n] : ejs) var += n * (ej - mean) * (ej - mean);
    m.set_ej_cv(std::sqrt(var / staff_total) / mean);
  }
  int movable = 0;
  for (const auto& [f, sd] : family) movable += std::min(sd.first, sd.second);
  m.set_robin_hood_index(staff_total > 0 ? movable / staff_total : 0);
  return m;
}

DescribedPlan DescribePlan(const BuiltInput& b, const PlanningData& data, const v1::Policy& policy,
                           const planner::PlanResult& result, const std::string& plan_id) {
  DescribedPlan out;
  const auto& in = b.input;
  const planner::Weights& w = in.policy.weights;
  auto& s = out.summary;

  std::vector<SlotFigures> before, after;
  std::map<std::string, std::pair<int, int>> family_gap;  // surplus, deficit
  for (size_t d = 0; d < in.destinations.size(); ++d) {
    const auto& dest = in.destinations[d];
    const int staff_after =
        d < result.staff_after.size() ? result.staff_after[d] : dest.staff_before;
    before.push_back({dest.job_family, dest.staff_before, dest.need, b.workload[d]});
    after.push_back({dest.job_family, staff_after, dest.need, b.workload[d]});
    const int gap = dest.staff_before - dest.need;
    if (gap > 0) family_gap[dest.job_family].first += gap;
    if (gap < 0) family_gap[dest.job_family].second -= gap;
  }
  *s.mutable_before() = ComputeMetrics(before, data.wke);
  *s.mutable_after() = ComputeMetrics(after, data.wke);

  std::map<std::string, int> family_moves;
  int ordinal = 0;
  for (const planner::Move& m : result.moves) {
    const planner::Candidate& c = in.candidates[m.candidate];
    const planner::Destination& from = in.destinations[m.from];
    const planner::Destination& to = in.destinations[m.to];
    const planner::MoveExplanation ex = planner::ExplainMove(in, result, m);
    v1::ExplainMoveResponse e;
    v1::Move* mv = e.mutable_move();
    mv->set_id(MoveId(++ordinal));
    mv->set_plan_id(plan_id);
    mv->set_nip(c.nip);
    mv->set_employee_name(c.display_name);
    mv->set_job_family(c.job_family);
    mv->set_from_unit_id(from.unit_id);
    mv->set_from_unit_name(b.unit_names[m.from]);
    mv->set_from_position_code(from.position_code);
    mv->set_to_unit_id(to.unit_id);
    mv->set_to_unit_name(b.unit_names[m.to]);
    mv->set_to_position_code(to.position_code);
    auto* cost = mv->mutable_cost();
    cost->set_base(m.cost.base);
    cost->set_distance(m.cost.distance);
    cost->set_competency(m.cost.competency);
    cost->set_preference(m.cost.preference);
    cost->set_rotation(m.cost.rotation);
    cost->set_total(m.cost.total);
    cost->set_distance_km(w.per_km > 0 ? m.cost.distance / w.per_km : 0);
    mv->set_months_in_post(c.months_in_post);
    mv->set_preference_rank(m.preference_rank);
    // Penalty relieved by the first step of this move at target and source.
    const double relieved =
        planner::Unscale(planner::PenaltyScaled(to.staff_before, to.need, w) -
                         planner::PenaltyScaled(to.staff_before + 1, to.need, w)) +
        planner::Unscale(planner::PenaltyScaled(from.staff_before, from.need, w) -
                         planner::PenaltyScaled(from.staff_before - 1, from.need, w));
    mv->set_importance(relieved);
    const int shortage = to.need - to.staff_before;
    const int surplus = from.staff_before - from.need;
    mv->set_summary(absl::StrCat(
        "Pindah ke ", b.unit_names[m.to], " (", to.position_code, "): ",
        shortage > 0 ? absl::StrCat("tujuan kekurangan ", shortage, " orang")
                     : std::string("penyeimbangan beban kerja"),
        surplus > 0 ? absl::StrCat(", asal kelebihan ", surplus, " orang") : std::string(),
        m.pinned ? " (ditetapkan)" : "", "."));
    const int to_after = m.to < static_cast<int>(result.staff_after.size())
                             ? result.staff_after[m.to]
                             : to.staff_before + 1;
    const int from_after = m.from < static_cast<int>(result.staff_after.size())
                               ? result.staff_after[m.from]
                               : from.staff_before - 1;
    *e.mutable_target() = Slot(b, data, m.to, to_after);
    *e.mutable_source() = Slot(b, data, m.from, from_after);
    for (const auto& rule : m.rules_satisfied) e.add_rules_satisfied(rule);
    if (m.best_alternative >= 0) {
      const auto& alt = in.destinations[m.best_alternative];
      auto* a = e.mutable_best_alternative();
      a->set_unit_id(alt.unit_id);
      a->set_unit_name(b.unit_names[m.best_alternative]);
      a->set_position_code(alt.position_code);
      a->set_extra_cost(m.best_alternative_extra_cost);
    }
    e.set_sentence(ex.sentence);
    ++family_moves[c.job_family];
    out.moves.push_back(std::move(e));
  }

  int missing = 0;
  for (const planner::UnfilledNeed& u : result.unfilled) {
    const auto& dest = in.destinations[u.destination];
    v1::UnfilledNeed n;
    n.set_unit_id(dest.unit_id);
    n.set_unit_name(b.unit_names[u.destination]);
    n.set_position_code(dest.position_code);
    n.set_job_family(dest.job_family);
    n.set_missing(u.missing);
    n.set_reason(ToReason(u.reason));
    switch (u.reason) {
      case planner::UnfilledReason::kBlockedByRule:
        n.set_rule(u.blocking_rule);
        n.set_detail(
            absl::StrCat("kandidat ada, tetapi aturan ", u.blocking_rule, " mengecualikan mereka"));
        break;
      case planner::UnfilledReason::kSupplyExhausted:
        n.set_rule(policy.rules().allow_below_need() ? "max_leave_fraction"
                                                     : "max_leave_fraction/allow_below_need");
        n.set_detail("kandidat ada, tetapi unit asal tidak boleh melepas lebih banyak pegawai");
        break;
      case planner::UnfilledReason::kNoEligibleCandidateInFamily:
        n.set_detail("tidak ada pegawai dari rumpun jabatan yang sesuai yang berlebih");
        break;
      case planner::UnfilledReason::kBudgetExhausted:
        n.set_detail("batas jumlah mutasi tercapai");
        break;
      case planner::UnfilledReason::kCheaperToLeave:
        n.set_detail("biaya mutasi lebih besar daripada penalti kekurangan yang dikurangi");
        break;
    }
    missing += u.missing;
    out.unfilled.push_back(std::move(n));
  }

  s.set_moves(static_cast<int>(result.moves.size()));
  s.set_moves_lower_bound(result.moves_lower_bound);
  s.set_objective(result.objective);
  s.set_move_cost(result.move_cost);
  s.set_under_penalty(result.penalty_under);
  s.set_over_penalty(result.penalty_over);
  for (const auto& [fam, gap] : family_gap) {
    auto* fm = s.add_by_family();
    fm->set_job_family(fam);
    fm->set_moves(family_moves[fam]);
    fm->set_lower_bound(std::min(gap.first, gap.second));
  }
  for (const auto& [fam, n] : family_moves) {
    if (family_gap.count(fam)) continue;
    auto* fm = s.add_by_family();
    fm->set_job_family(fam);
    fm->set_moves(n);
  }
  s.set_unfilled(missing);
  s.set_solve_ms(static_cast<int64_t>(std::llround(result.stats.milliseconds)));
  s.set_budget_lambda(result.budget_lambda.value_or(0));
  s.set_candidates(static_cast<int>(in.candidates.size()));
  int eligible = 0;
  for (const auto& c : in.candidates) {
    if (planner::PersonBlockingRules(c, in.policy).empty()) ++eligible;
  }
  s.set_eligible(eligible);
  return out;
}

}  // namespace seimbang::transfer
