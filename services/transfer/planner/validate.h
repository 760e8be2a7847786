// Input validation of the planner: bad references and impossible values
// become field violations (google.rpc.BadRequest style) before any solving.
#ifndef SEIMBANG_SERVICES_TRANSFER_PLANNER_VALIDATE_H_
#define SEIMBANG_SERVICES_TRANSFER_PLANNER_VALIDATE_H_

#include <vector>

#include "absl/status/status.h"
#include "services/transfer/planner/types.h"

namespace seimbang::planner {

// Every violation in the input, in a stable order; empty when the input is usable.
[[nodiscard]] std::vector<FieldViolation> ValidateInput(const PlanInput& input);
// INVALID_ARGUMENT whose message lists "field: description" joined by "; ".
[[nodiscard]] absl::Status ViolationsToStatus(const std::vector<FieldViolation>& violations);

}  // namespace seimbang::planner

#endif  // SEIMBANG_SERVICES_TRANSFER_PLANNER_VALIDATE_H_
