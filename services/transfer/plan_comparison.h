// ComparePlans without gRPC types: which moves a scenario adds to, or drops from, another.
// Moves are the same when they take the same NIP to the same unit and position.
#ifndef SEIMBANG_SERVICES_TRANSFER_PLAN_COMPARISON_H_
#define SEIMBANG_SERVICES_TRANSFER_PLAN_COMPARISON_H_

#include "absl/status/status.h"
#include "common/auth/caller.h"
#include "seimbang/transfer/v1/transfer.pb.h"
#include "services/transfer/repository.h"

namespace seimbang::transfer {

// Both plans must be in the caller's scope (plan_scope).
[[nodiscard]] absl::Status ComparePlans(Repository& repo, const auth::Caller& caller,
                                        const v1::ComparePlansRequest& req,
                                        v1::ComparePlansResponse* resp);

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_PLAN_COMPARISON_H_
