// Policies and preferences, the inputs of a plan, without gRPC types: validation (policy_rules),
// the agency scope, the NIPs and units they name checked against personnel (downstream), and
// the versioned write with its audit row in one idempotent transaction (repository).
#ifndef SEIMBANG_SERVICES_TRANSFER_POLICY_WORKFLOW_H_
#define SEIMBANG_SERVICES_TRANSFER_POLICY_WORKFLOW_H_

#include "absl/status/status.h"
#include "seimbang/transfer/v1/transfer.pb.h"
#include "services/transfer/call.h"
#include "services/transfer/downstream.h"
#include "services/transfer/repository.h"

namespace seimbang::transfer {

// A new policy, version 1.
[[nodiscard]] absl::Status CreatePolicy(Repository& repo, Downstream& downstream, const Call& call,
                                        const v1::CreatePolicyRequest& req,
                                        v1::CreatePolicyResponse* resp);
// The next version of a policy; ABORTED on a stale etag. Its agency never changes.
[[nodiscard]] absl::Status UpdatePolicy(Repository& repo, Downstream& downstream, const Call& call,
                                        const v1::UpdatePolicyRequest& req,
                                        v1::UpdatePolicyResponse* resp);
// An employee's preference (their own, for an employee caller), replacing the previous one.
[[nodiscard]] absl::Status SubmitPreferences(Repository& repo, Downstream& downstream,
                                             const Call& call,
                                             const v1::SubmitPreferencesRequest& req,
                                             v1::SubmitPreferencesResponse* resp);

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_POLICY_WORKFLOW_H_
