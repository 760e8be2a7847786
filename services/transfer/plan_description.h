// Pure mapping from the planner's result to the stored plan: moves with their explanations,
// unfilled needs with reasons, before/after balance metrics and the solve's figures.
#ifndef SEIMBANG_SERVICES_TRANSFER_PLAN_DESCRIPTION_H_
#define SEIMBANG_SERVICES_TRANSFER_PLAN_DESCRIPTION_H_

#include <string>
#include <vector>

#include "seimbang/transfer/v1/transfer.pb.h"
#include "services/transfer/plan_input.h"
#include "services/transfer/planner/types.h"

namespace seimbang::transfer {

// Figures of one slot for the balance metrics.
struct SlotFigures {
  std::string family;
  int staff = 0;
  int need = 0;
  double workload = 0;  // minutes per year
};
// units_over/under, balanced share (EJ in [0.9, 1.1]), staff-weighted CV of
// EJ, Robin Hood index (Σ per family min(surplus, deficit) / staff), totals.
[[nodiscard]] v1::MetricsSnapshot ComputeMetrics(const std::vector<SlotFigures>& slots, double wke);

struct DescribedPlan {
  v1::PlanSummary summary;  // solve figures only; identity and lifecycle set by the caller
  std::vector<v1::ExplainMoveResponse> moves;
  std::vector<v1::UnfilledNeed> unfilled;
};

[[nodiscard]] DescribedPlan DescribePlan(const BuiltInput& built, const PlanningData& data,
                                         const v1::Policy& policy,
                                         const planner::PlanResult& result,
                                         const std::string& plan_id);

// "m000017" for the 17th move.
std::string MoveId(int ordinal);

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_PLAN_DESCRIPTION_H_
