#include "services/transfer/plan_description.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/transfer/planner/explain.h"
#include "services/transfer/planner/rules.h"

namespace seimbang::transfer {
namespace {

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

// One stored move: who, from where to where, its cost, why (the planner's explanation), the
// slots before and after, and its best alternative.
v1::ExplainMoveResponse DescribeMove(const BuiltInput& b, const PlanningData& data,
                                     const planner::PlanResult& result, const planner::Move& m,
                                     int ordinal, const std::string& plan_id) {
  const auto& in = b.input;
  const planner::Weights& w = in.policy.weights;
  const planner::Candidate& c = in.candidates[m.candidate];
  const planner::Destination& from = in.destinations[m.from];
  const planner::Destination& to = in.destinations[m.to];
  const planner::MoveExplanation ex = planner::ExplainMove(in, result, m);
  v1::ExplainMoveResponse e;
  v1::Move* mv = e.mutable_move();
  mv->set_id(MoveId(ordinal));
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
  const int to_after = m.to < static_cast<int>(result.staff_after.size()) ? result.staff_after[m.to]
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
  return e;
}

// One unfilled need with its reason in the contract's terms and an Indonesian detail.
v1::UnfilledNeed DescribeUnfilled(const BuiltInput& b, const v1::Policy& policy,
                                  const planner::UnfilledNeed& u) {
  const auto& in = b.input;
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
  return n;
}

// The solve's figures: moves, bounds per family, objective parts, unfilled, candidates.
void SetSolveFigures(const BuiltInput& b, const planner::PlanResult& result,
                     const std::map<std::string, std::pair<int, int>>& family_gap,
                     std::map<std::string, int>& family_moves, int missing, v1::PlanSummary& s) {
  const auto& in = b.input;
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
  s.set_proven_optimal(result.proven_optimal);
  // Unknown bound (a heuristic cut): 0 is still one (every cost is >= 0).
  s.set_objective_lower_bound(result.objective_lower_bound.value_or(0));
  s.set_optimality_gap(result.optimality_gap.value_or(result.objective));
  s.set_candidates(static_cast<int>(in.candidates.size()));
  int eligible = 0;
  for (const auto& c : in.candidates) {
    if (planner::PersonBlockingRules(c, in.policy).empty()) ++eligible;
  }
  s.set_eligible(eligible);
}

}  // namespace

std::string MoveId(int ordinal) { return absl::StrFormat("m%06d", ordinal); }

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
    out.moves.push_back(DescribeMove(b, data, result, m, ++ordinal, plan_id));
    ++family_moves[in.candidates[m.candidate].job_family];
  }
  int missing = 0;
  for (const planner::UnfilledNeed& u : result.unfilled) {
    out.unfilled.push_back(DescribeUnfilled(b, policy, u));
    missing += u.missing;
  }
  SetSolveFigures(b, result, family_gap, family_moves, missing, s);
  return out;
}

}  // namespace seimbang::transfer
