// One yardstick for every method: a plan is a list of (candidate, from, to)
// moves, scored with the planner's own cost functions (MoveCostScaled and
// PenaltyScaled from rules.h) so objectives are comparable to the unit.
#ifndef SEIMBANG_BENCH_COMPARE_OUTCOME_H_
#define SEIMBANG_BENCH_COMPARE_OUTCOME_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "services/transfer/planner/model.h"
#include "services/transfer/planner/types.h"

namespace seimbang::bench {

struct PlainMove {
  int candidate = -1;  // -1 when a flow only says "one of this class" (see FromFlow)
  int from = -1;
  int to = -1;
};

struct Outcome {
  int64_t objective_scaled = 0;  // Σ move costs + Σ penalties over every destination, × 100
  int64_t moves = 0;
  // Staffed destinations whose EJ proxy need/staff lies in the ABK balanced
  // band (0.90..1.10, abk::BalancedBand), over staffed destinations.
  double balanced_share = 0;
};

// Scores explicit moves (Seimbang's plan, the greedy plan).
[[nodiscard]] Outcome Score(const planner::PlanInput& input, const std::vector<PlainMove>& moves);

// Scores a flow on a model from planner::BuildModel: moves and their cost come
// from the move arcs (a class's members share one cost per target, so the
// cost is exact without naming the person).
[[nodiscard]] absl::StatusOr<Outcome> ScoreFlow(const planner::PlanInput& input,
                                                const planner::FlowModel& model,
                                                const std::vector<int64_t>& flow);

// The balanced share of the instance as it stands.
[[nodiscard]] double BalancedShareBefore(const planner::PlanInput& input);

}  // namespace seimbang::bench

#endif  // SEIMBANG_BENCH_COMPARE_OUTCOME_H_
