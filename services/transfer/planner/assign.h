// The assignment step of Solve: from class flows to named people, and for each
// move "why here and not there" (its best alternative and what it would cost).
#ifndef SEIMBANG_SERVICES_TRANSFER_PLANNER_ASSIGN_H_
#define SEIMBANG_SERVICES_TRANSFER_PLANNER_ASSIGN_H_

#include <cstdint>
#include <vector>

#include "services/transfer/planner/model.h"
#include "services/transfer/planner/types.h"

namespace seimbang::planner {

// A positive flow on a move arc: `count` people of class `klass` to `destination`.
struct ClassFlow {
  int klass = -1;
  int destination = -1;
  int64_t count = 0;
};

// The move arcs of `model` that carry flow (`flow` per arc), in arc order:
// all a part's solution that assigning people needs, so the model can be freed.
[[nodiscard]] std::vector<ClassFlow> MoveFlows(const FlowModel& model,
                                               const std::vector<int64_t>& flow);

// The pinned moves, then each part's move flows given to members of their
// class: longest in post first, then preference for the target, then NIP.
// `sent[p]` is MoveFlows of the model of prep.parts[p].
[[nodiscard]] std::vector<Move> AssignIndividuals(const PlanInput& input,
                                                  const PreparedInstance& prep,
                                                  const std::vector<std::vector<ClassFlow>>& sent);

// Sets best_alternative and best_alternative_extra_cost of every optimised
// (not pinned) move: moving this one person to t' instead, everyone else
// unchanged, changes the objective by its move cost difference plus the
// marginal penalties at `staff_after`. Every eligible target counts, including
// arcs the pruning left out, but under the target-need rule only those still
// short of need at `staff_after`. Runs on up to `threads` threads.
void ExplainAlternatives(const PlanInput& input, const PreparedInstance& prep,
                         const std::vector<int>& staff_after, int threads,
                         std::vector<Move>& moves);

}  // namespace seimbang::planner

#endif  // SEIMBANG_SERVICES_TRANSFER_PLANNER_ASSIGN_H_
