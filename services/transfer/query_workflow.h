// The reads of transfer-service (issue 16: the handler decodes, this file decides): policies,
// preferences, plans, moves and their explanations, objections, the execution and the audit
// trail, each in the caller's scope (an employee sees only their own), paged with query-bound
// tokens. No gRPC types; SQL is the repository's.
#ifndef SEIMBANG_SERVICES_TRANSFER_QUERY_WORKFLOW_H_
#define SEIMBANG_SERVICES_TRANSFER_QUERY_WORKFLOW_H_

#include "absl/status/status.h"
#include "seimbang/transfer/v1/transfer.pb.h"
#include "services/transfer/call.h"
#include "services/transfer/downstream.h"
#include "services/transfer/repository.h"

namespace seimbang::transfer {

[[nodiscard]] absl::Status GetPolicy(Repository& repo, Downstream& downstream, const Call& call,
                                     const v1::GetPolicyRequest& req, v1::GetPolicyResponse* resp);

[[nodiscard]] absl::Status ListPolicies(Repository& repo, Downstream& downstream, const Call& call,
                                        const v1::ListPoliciesRequest& req,
                                        v1::ListPoliciesResponse* resp);

[[nodiscard]] absl::Status ListPreferences(Repository& repo, Downstream& downstream,
                                           const Call& call, const v1::ListPreferencesRequest& req,
                                           v1::ListPreferencesResponse* resp);

[[nodiscard]] absl::Status GetPlan(Repository& repo, Downstream& downstream, const Call& call,
                                   const v1::GetPlanRequest& req, v1::GetPlanResponse* resp);

[[nodiscard]] absl::Status ListPlans(Repository& repo, Downstream& downstream, const Call& call,
                                     const v1::ListPlansRequest& req, v1::ListPlansResponse* resp);

[[nodiscard]] absl::Status ListMoves(Repository& repo, Downstream& downstream, const Call& call,
                                     const v1::ListMovesRequest& req, v1::ListMovesResponse* resp);

[[nodiscard]] absl::Status ExplainMove(Repository& repo, Downstream& downstream, const Call& call,
                                       const v1::ExplainMoveRequest& req,
                                       v1::ExplainMoveResponse* resp);

[[nodiscard]] absl::Status ListObjections(Repository& repo, Downstream& downstream,
                                          const Call& call, const v1::ListObjectionsRequest& req,
                                          v1::ListObjectionsResponse* resp);

[[nodiscard]] absl::Status GetExecution(Repository& repo, Downstream& downstream, const Call& call,
                                        const v1::GetExecutionRequest& req,
                                        v1::GetExecutionResponse* resp);

[[nodiscard]] absl::Status ListAuditEvents(Repository& repo, Downstream& downstream,
                                           const Call& call, const v1::ListAuditEventsRequest& req,
                                           v1::ListAuditEventsResponse* resp);

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_QUERY_WORKFLOW_H_
