// A plan as a caller may see it: the one scope rule every plan RPC shares.
#ifndef SEIMBANG_SERVICES_TRANSFER_PLAN_SCOPE_H_
#define SEIMBANG_SERVICES_TRANSFER_PLAN_SCOPE_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/auth/caller.h"
#include "services/transfer/repository.h"

namespace seimbang::transfer {

// INVALID_ARGUMENT for an empty id, NOT_FOUND, PERMISSION_DENIED for a plan of an agency the
// caller may not act on. Employees pass here: their checks are per move (their own NIP).
[[nodiscard]] absl::StatusOr<PlanRecord> LoadPlanInScope(Repository& repo,
                                                         const auth::Caller& caller,
                                                         const std::string& plan_id);

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_PLAN_SCOPE_H_
