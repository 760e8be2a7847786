// The budget step of Solve: the least-cost flows of all parts together with at
// most `budget` moves (flow on move arcs), proven optimal or with a proven
// lower bound.
//
// Min-cost flow with one side constraint (Σ moves <= B) is not a network
// problem: its cost as a function of the number of moves is not convex in
// general (a chain A -> B -> C whose direct move A -> C is forbidden gains
// only with both moves), so a single price per move (Lagrangian λ) can miss the
// optimum. The step therefore
//  1. finds the exact breakpoint λ* of the Lagrangian dual (Newton's method on
//     the lower convex hull of cost against moves, λ a fraction num/den so
//     that every solve is an exact integer min-cost flow): its value at B is
//     the LP relaxation, a lower bound on every plan within the budget;
//  2. among the flows optimal at λ*, takes one with the most moves within the
//     budget (ties toward more moves): the difference of two such flows is a
//     sum of cycles of zero reduced cost, any subset of which may be applied;
//     which subset is a small subset-sum problem solved exactly;
//  3. where that still leaves a gap (fewer than B moves at λ*), branches on
//     an arc whose flow is fractional in the LP solution (flow <= ⌊v⌋ or
//     >= ⌈v⌉), each branch bounded by its own steps 1 and 2, best bound first,
//     until the gap is closed or the node or time limit is reached; then the
//     smallest open bound is the lower bound reported.
#ifndef SEIMBANG_SERVICES_TRANSFER_PLANNER_BUDGET_H_
#define SEIMBANG_SERVICES_TRANSFER_PLANNER_BUDGET_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "services/transfer/planner/model.h"
#include "services/transfer/planner/types.h"

namespace seimbang::planner {

struct BudgetOptions {
  int budget = 0;            // moves allowed in the models (pinned moves already taken off)
  int threads = 1;           // parts solved in parallel
  int64_t max_nodes = 2000;  // branch and bound nodes (the root is node 1)
  double max_ms = 2000;      // time for the branch and bound after the root
  // Called once with the root's dual potentials per part at λ* = num/den
  // (potentials in units of cost × den) and whether the root left a gap;
  // returning false stops the step (SolveBudgeted then returns `rejected`).
  // The caller checks here that arcs it left out of the models would not pay.
  std::function<bool(const std::vector<std::vector<int64_t>>& potentials, int64_t num, int64_t den,
                     bool gap)>
      accept_root;
};

struct BudgetSolution {
  bool rejected = false;                       // accept_root returned false: nothing else is set
  std::vector<std::vector<int64_t>> per_part;  // flow per arc of each model
  int64_t moves = 0;
  int64_t cost = 0;             // Σ FlowCost over the models (scaled)
  int64_t lower_bound = 0;      // no flow within the budget costs less (scaled, Σ FlowCost)
  bool proven_optimal = false;  // cost == lower_bound
  // λ* = lambda_num / lambda_den (scaled points per move) at the root.
  int64_t lambda_num = 0;
  int64_t lambda_den = 1;
  int64_t nodes = 0;   // branch and bound nodes solved, the root included
  int64_t solves = 0;  // min-cost flow solves of one part
};

// `models[p]` for p in `order` (biggest first). Requires that every model
// stays feasible with no move at all (as BuildPartModel's are).
[[nodiscard]] absl::StatusOr<BudgetSolution> SolveBudgeted(const std::vector<FlowModel>& models,
                                                           const std::vector<int>& order,
                                                           const BudgetOptions& options);

}  // namespace seimbang::planner

#endif  // SEIMBANG_SERVICES_TRANSFER_PLANNER_BUDGET_H_
