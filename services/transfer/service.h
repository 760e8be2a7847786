// seimbang.transfer.v1.TransferPlanningService, the gRPC adapter: each handler decodes the
// request, checks scope, calls one workflow (plan_workflow, ...) and encodes the answer.
#ifndef SEIMBANG_SERVICES_TRANSFER_SERVICE_H_
#define SEIMBANG_SERVICES_TRANSFER_SERVICE_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/auth/caller.h"
#include "common/db/pool.h"
#include "seimbang/transfer/v1/transfer.grpc.pb.h"
#include "services/transfer/downstream.h"
#include "services/transfer/executor.h"
#include "services/transfer/gauges.h"
#include "services/transfer/permissions.h"  // TransferPermissions(), registered beside the service
#include "services/transfer/plan_lifecycle.h"
#include "services/transfer/plan_state.h"
#include "services/transfer/plan_workflow.h"
#include "services/transfer/repository.h"

namespace seimbang::transfer {

class TransferService final : public v1::TransferPlanningService::Service {
 public:
  // `repo` (main.cc's, shared with the executor and the gauges) must outlive the service.
  TransferService(Repository& repo, Downstream& downstream, Executor& executor,
                  TransferGauges& gauges);

  using Ctx = grpc::ServerContext;
  grpc::Status CreatePolicy(Ctx*, const v1::CreatePolicyRequest*,
                            v1::CreatePolicyResponse*) override;
  grpc::Status GetPolicy(Ctx*, const v1::GetPolicyRequest*, v1::GetPolicyResponse*) override;
  grpc::Status ListPolicies(Ctx*, const v1::ListPoliciesRequest*,
                            v1::ListPoliciesResponse*) override;
  grpc::Status UpdatePolicy(Ctx*, const v1::UpdatePolicyRequest*,
                            v1::UpdatePolicyResponse*) override;
  grpc::Status SubmitPreferences(Ctx*, const v1::SubmitPreferencesRequest*,
                                 v1::SubmitPreferencesResponse*) override;
  grpc::Status ListPreferences(Ctx*, const v1::ListPreferencesRequest*,
                               v1::ListPreferencesResponse*) override;
  grpc::Status CreatePlan(Ctx*, const v1::CreatePlanRequest*,
                          grpc::ServerWriter<v1::CreatePlanResponse>*) override;
  grpc::Status GetPlan(Ctx*, const v1::GetPlanRequest*, v1::GetPlanResponse*) override;
  grpc::Status ListPlans(Ctx*, const v1::ListPlansRequest*, v1::ListPlansResponse*) override;
  grpc::Status ListMoves(Ctx*, const v1::ListMovesRequest*, v1::ListMovesResponse*) override;
  grpc::Status ExplainMove(Ctx*, const v1::ExplainMoveRequest*, v1::ExplainMoveResponse*) override;
  grpc::Status ListMyMoves(Ctx*, const v1::ListMyMovesRequest*, v1::ListMyMovesResponse*) override;
  grpc::Status ComparePlans(Ctx*, const v1::ComparePlansRequest*,
                            v1::ComparePlansResponse*) override;
  grpc::Status SubmitPlan(Ctx*, const v1::SubmitPlanRequest*, v1::SubmitPlanResponse*) override;
  grpc::Status ApprovePlan(Ctx*, const v1::ApprovePlanRequest*, v1::ApprovePlanResponse*) override;
  grpc::Status RejectPlan(Ctx*, const v1::RejectPlanRequest*, v1::RejectPlanResponse*) override;
  grpc::Status CancelPlan(Ctx*, const v1::CancelPlanRequest*, v1::CancelPlanResponse*) override;
  grpc::Status FileObjection(Ctx*, const v1::FileObjectionRequest*,
                             v1::FileObjectionResponse*) override;
  grpc::Status ResolveObjection(Ctx*, const v1::ResolveObjectionRequest*,
                                v1::ResolveObjectionResponse*) override;
  grpc::Status ListObjections(Ctx*, const v1::ListObjectionsRequest*,
                              v1::ListObjectionsResponse*) override;
  grpc::Status RevisePlan(Ctx*, const v1::RevisePlanRequest*,
                          grpc::ServerWriter<v1::RevisePlanResponse>*) override;
  grpc::Status ExecutePlan(Ctx*, const v1::ExecutePlanRequest*, v1::ExecutePlanResponse*) override;
  grpc::Status GetExecution(Ctx*, const v1::GetExecutionRequest*,
                            v1::GetExecutionResponse*) override;
  grpc::Status ExportPlan(Ctx*, const v1::ExportPlanRequest*,
                          grpc::ServerWriter<v1::ExportPlanResponse>*) override;
  grpc::Status ListAuditEvents(Ctx*, const v1::ListAuditEventsRequest*,
                               v1::ListAuditEventsResponse*) override;

 private:
  Repository& repo_;
  Downstream& downstream_;
  PlanWorkflow plans_;
  PlanLifecycle lifecycle_;
};

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_SERVICE_H_
