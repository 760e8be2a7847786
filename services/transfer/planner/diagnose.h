// The diagnosis step of Solve: why each destination still below need after the
// plan stays short (UnfilledNeed::reason and, for a hard rule, which one).
#ifndef SEIMBANG_SERVICES_TRANSFER_PLANNER_DIAGNOSE_H_
#define SEIMBANG_SERVICES_TRANSFER_PLANNER_DIAGNOSE_H_

#include <vector>

#include "services/transfer/planner/model.h"
#include "services/transfer/planner/types.h"

namespace seimbang::planner {

// One UnfilledNeed per destination whose staff_after is below need, in
// destination order. `budget_binding`: a move budget limited the plan.
// Destinations are diagnosed independently, on up to `threads` threads.
[[nodiscard]] std::vector<UnfilledNeed> DiagnoseUnfilled(const PlanInput& input,
                                                         const PreparedInstance& prep,
                                                         const std::vector<int>& staff_after,
                                                         bool budget_binding, int threads);

}  // namespace seimbang::planner

#endif  // SEIMBANG_SERVICES_TRANSFER_PLANNER_DIAGNOSE_H_
