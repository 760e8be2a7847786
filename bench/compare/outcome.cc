#include "bench/compare/outcome.h"

#include "absl/status/status.h"
#include "services/transfer/planner/rules.h"
#include "services/workload/abk/settings.h"

namespace seimbang::bench {
namespace {

int64_t Penalties(const planner::PlanInput& input, const std::vector<int>& staff) {
  int64_t total = 0;
  for (size_t d = 0; d < staff.size(); ++d) {
    total += planner::PenaltyScaled(staff[d], input.destinations[d].need, input.policy.weights);
  }
  return total;
}

double BalancedShare(const planner::PlanInput& input, const std::vector<int>& staff) {
  const abk::BalancedBand band = abk::Settings{}.balanced_band;
  int64_t staffed = 0;
  int64_t balanced = 0;
  for (size_t d = 0; d < staff.size(); ++d) {
    if (staff[d] <= 0) continue;
    ++staffed;
    const double ej = static_cast<double>(input.destinations[d].need) / staff[d];
    if (ej >= band.min - 1e-9 && ej <= band.max + 1e-9) ++balanced;
  }
  return staffed == 0 ? 0 : static_cast<double>(balanced) / staffed;
}

std::vector<int> StaffBefore(const planner::PlanInput& input) {
  std::vector<int> staff(input.destinations.size());
  for (size_t d = 0; d < staff.size(); ++d) staff[d] = input.destinations[d].staff_before;
  return staff;
}

}  // namespace

Outcome Score(const planner::PlanInput& input, const std::vector<PlainMove>& moves) {
  std::vector<int> staff = StaffBefore(input);
  Outcome out;
  int64_t move_cost = 0;
  for (const PlainMove& m : moves) {
    const planner::Candidate& c = input.candidates[m.candidate];
    move_cost += planner::MoveCostScaled(c, input.destinations[m.from], input.destinations[m.to],
                                         input.policy.weights);
    --staff[m.from];
    ++staff[m.to];
  }
  out.moves = static_cast<int64_t>(moves.size());
  out.objective_scaled = move_cost + Penalties(input, staff);
  out.balanced_share = BalancedShare(input, staff);
  return out;
}

absl::StatusOr<Outcome> ScoreFlow(const planner::PlanInput& input, const planner::FlowModel& model,
                                  const std::vector<int64_t>& flow) {
  if (flow.size() != model.arcs.size()) {
    return absl::InvalidArgumentError("flow and model have different arc counts");
  }
  // A class node's current destination is the `destination` of its stay arc.
  std::vector<int> current_of(model.num_nodes, -1);
  for (const planner::FlowArc& a : model.arcs) {
    if (a.kind == planner::ArcKind::kStay) current_of[a.from] = a.destination;
  }
  std::vector<int> staff = StaffBefore(input);
  Outcome out;
  int64_t move_cost = 0;
  for (size_t i = 0; i < flow.size(); ++i) {
    const planner::FlowArc& a = model.arcs[i];
    if (a.kind != planner::ArcKind::kMove || flow[i] == 0) continue;
    const int from = current_of[a.from];
    if (from < 0) return absl::InternalError("move arc from a node without a stay arc");
    move_cost += a.cost * flow[i];
    staff[from] -= static_cast<int>(flow[i]);
    staff[a.destination] += static_cast<int>(flow[i]);
    out.moves += flow[i];
  }
  out.objective_scaled = move_cost + Penalties(input, staff);
  out.balanced_share = BalancedShare(input, staff);
  return out;
}

double BalancedShareBefore(const planner::PlanInput& input) {
  return BalancedShare(input, StaffBefore(input));
}

}  // namespace seimbang::bench
