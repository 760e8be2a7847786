// The transfer planner: which employees move where so that workload is
// balanced under the hard rules with the least disruption (min-cost flow on
// LEMON; see model.h for the network and ARCHITECTURE.md for the design).
#ifndef SEIMBANG_SERVICES_TRANSFER_PLANNER_PLANNER_H_
#define SEIMBANG_SERVICES_TRANSFER_PLANNER_PLANNER_H_

#include "absl/status/statusor.h"
#include "services/transfer/planner/types.h"
#include "services/transfer/planner/validate.h"

namespace seimbang::planner {

// Optimal plan for the model. INVALID_ARGUMENT (listing ValidateInput's
// violations) on bad input. Deterministic for a given input and options,
// whatever the thread count.
[[nodiscard]] absl::StatusOr<PlanResult> Solve(const PlanInput& input,
                                               const SolveOptions& options = {});

[[nodiscard]] const char* UnfilledReasonName(UnfilledReason reason);

}  // namespace seimbang::planner

#endif  // SEIMBANG_SERVICES_TRANSFER_PLANNER_PLANNER_H_
