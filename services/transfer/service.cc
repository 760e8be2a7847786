#include "services/transfer/service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "common/paging/page_token.h"
#include "common/server/serve.h"
#include "services/transfer/call.h"
#include "services/transfer/export_workflow.h"
#include "services/transfer/objection_workflow.h"
#include "services/transfer/permissions.h"
#include "services/transfer/plan_comparison.h"
#include "services/transfer/plan_lifecycle.h"
#include "services/transfer/plan_scope.h"
#include "services/transfer/policy_rules.h"
#include "services/transfer/policy_workflow.h"
#include "services/transfer/query_workflow.h"

namespace seimbang::transfer {
namespace {

std::string M(const char* name) { return MethodPath(name); }

using server::Serve;

// A handler that is one workflow call: workflow(repo, downstream, call, req, resp).
template <typename Request, typename Response>
grpc::Status ServeWorkflow(const grpc::ServerContext& ctx, Repository& repo, Downstream& downstream,
                           absl::Status (*workflow)(Repository&, Downstream&, const Call&,
                                                    const Request&, Response*),
                           const Request& req, Response* resp) {
  return Serve(ctx, [&](const Call& call) { return workflow(repo, downstream, call, req, resp); });
}

}  // namespace

TransferService::TransferService(Repository& repo, Downstream& downstream, Executor& executor,
                                 TransferGauges& gauges)
    : repo_(repo),
      downstream_(downstream),
      plans_(repo_, downstream, gauges),
      lifecycle_(repo_, downstream, executor, gauges) {}

// ---------------------------------------------------------------- policies

grpc::Status TransferService::CreatePolicy(Ctx* ctx, const v1::CreatePolicyRequest* req,
                                           v1::CreatePolicyResponse* resp) {
  return ServeWorkflow(*ctx, repo_, downstream_, &transfer::CreatePolicy, *req, resp);
}

grpc::Status TransferService::GetPolicy(Ctx* ctx, const v1::GetPolicyRequest* req,
                                        v1::GetPolicyResponse* resp) {
  return ServeWorkflow(*ctx, repo_, downstream_, &transfer::GetPolicy, *req, resp);
}

grpc::Status TransferService::ListPolicies(Ctx* ctx, const v1::ListPoliciesRequest* req,
                                           v1::ListPoliciesResponse* resp) {
  return ServeWorkflow(*ctx, repo_, downstream_, &transfer::ListPolicies, *req, resp);
}

grpc::Status TransferService::UpdatePolicy(Ctx* ctx, const v1::UpdatePolicyRequest* req,
                                           v1::UpdatePolicyResponse* resp) {
  return ServeWorkflow(*ctx, repo_, downstream_, &transfer::UpdatePolicy, *req, resp);
}

// ---------------------------------------------------------------- preferences

grpc::Status TransferService::SubmitPreferences(Ctx* ctx, const v1::SubmitPreferencesRequest* req,
                                                v1::SubmitPreferencesResponse* resp) {
  return ServeWorkflow(*ctx, repo_, downstream_, &transfer::SubmitPreferences, *req, resp);
}

grpc::Status TransferService::ListPreferences(Ctx* ctx, const v1::ListPreferencesRequest* req,
                                              v1::ListPreferencesResponse* resp) {
  return ServeWorkflow(*ctx, repo_, downstream_, &transfer::ListPreferences, *req, resp);
}

// ---------------------------------------------------------------- planning

grpc::Status TransferService::CreatePlan(Ctx* ctx, const v1::CreatePlanRequest* req,
                                         grpc::ServerWriter<v1::CreatePlanResponse>* writer) {
  return Serve(*ctx, [&](const Call& call) -> absl::Status {
    auto spec = PlanSpecOf(*req);
    if (!spec.ok()) return spec.status();
    if (absl::Status s = auth::CheckAgencyScope(call.caller, spec->agency_code); !s.ok()) {
      return s;
    }
    auto plan = plans_.Create(call, *req, *spec, [&](const cpb::Progress& p) {
      v1::CreatePlanResponse r;
      *r.mutable_progress() = p;
      writer->Write(r);
    });
    if (!plan.ok()) return plan.status();
    v1::CreatePlanResponse last;
    *last.mutable_plan() = *std::move(plan);
    writer->Write(last);
    return absl::OkStatus();
  });
}

grpc::Status TransferService::RevisePlan(Ctx* ctx, const v1::RevisePlanRequest* req,
                                         grpc::ServerWriter<v1::RevisePlanResponse>* writer) {
  return Serve(*ctx, [&](const Call& call) -> absl::Status {
    auto plan = plans_.Revise(call, *req, [&](const cpb::Progress& p) {
      v1::RevisePlanResponse r;
      *r.mutable_progress() = p;
      writer->Write(r);
    });
    if (!plan.ok()) return plan.status();
    v1::RevisePlanResponse last;
    *last.mutable_plan() = *std::move(plan);
    writer->Write(last);
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------- reads

grpc::Status TransferService::GetPlan(Ctx* ctx, const v1::GetPlanRequest* req,
                                      v1::GetPlanResponse* resp) {
  return ServeWorkflow(*ctx, repo_, downstream_, &transfer::GetPlan, *req, resp);
}

grpc::Status TransferService::ListPlans(Ctx* ctx, const v1::ListPlansRequest* req,
                                        v1::ListPlansResponse* resp) {
  return ServeWorkflow(*ctx, repo_, downstream_, &transfer::ListPlans, *req, resp);
}

grpc::Status TransferService::ListMoves(Ctx* ctx, const v1::ListMovesRequest* req,
                                        v1::ListMovesResponse* resp) {
  return ServeWorkflow(*ctx, repo_, downstream_, &transfer::ListMoves, *req, resp);
}

grpc::Status TransferService::ExplainMove(Ctx* ctx, const v1::ExplainMoveRequest* req,
                                          v1::ExplainMoveResponse* resp) {
  return ServeWorkflow(*ctx, repo_, downstream_, &transfer::ExplainMove, *req, resp);
}

grpc::Status TransferService::ComparePlans(Ctx* ctx, const v1::ComparePlansRequest* req,
                                           v1::ComparePlansResponse* resp) {
  return Serve(*ctx, [&](const Call& call) {
    return transfer::ComparePlans(repo_, call.caller, *req, resp);
  });
}

// ---------------------------------------------------------------- lifecycle

namespace {
// The four lifecycle RPCs differ only in their action, method name and note: the approval's
// note, the rejection's or cancellation's reason (PlanSummary.decision_note), none to submit.
Decision DecisionOf(const v1::SubmitPlanRequest& r) { return {r.plan_id(), r.etag(), "", ""}; }
Decision DecisionOf(const v1::ApprovePlanRequest& r) {
  return {r.plan_id(), r.etag(), "note", r.note()};
}
Decision DecisionOf(const v1::RejectPlanRequest& r) {
  return {r.plan_id(), r.etag(), "reason", r.reason()};
}
Decision DecisionOf(const v1::CancelPlanRequest& r) {
  return {r.plan_id(), r.etag(), "reason", r.reason()};
}

template <typename Request, typename Response>
grpc::Status ServeTransition(const grpc::ServerContext& ctx, PlanLifecycle& lifecycle,
                             const char* method, PlanAction action, const Request& req,
                             Response* resp) {
  return Serve(ctx, [&](const Call& call) -> absl::Status {
    auto plan = lifecycle.Transition(call, M(method), DecisionOf(req), req, action);
    if (!plan.ok()) return plan.status();
    *resp->mutable_plan() = *std::move(plan);
    return absl::OkStatus();
  });
}
}  // namespace

grpc::Status TransferService::SubmitPlan(Ctx* ctx, const v1::SubmitPlanRequest* req,
                                         v1::SubmitPlanResponse* resp) {
  return ServeTransition(*ctx, lifecycle_, "SubmitPlan", PlanAction::kSubmit, *req, resp);
}

grpc::Status TransferService::ApprovePlan(Ctx* ctx, const v1::ApprovePlanRequest* req,
                                          v1::ApprovePlanResponse* resp) {
  return ServeTransition(*ctx, lifecycle_, "ApprovePlan", PlanAction::kApprove, *req, resp);
}

grpc::Status TransferService::RejectPlan(Ctx* ctx, const v1::RejectPlanRequest* req,
                                         v1::RejectPlanResponse* resp) {
  return ServeTransition(*ctx, lifecycle_, "RejectPlan", PlanAction::kReject, *req, resp);
}

grpc::Status TransferService::CancelPlan(Ctx* ctx, const v1::CancelPlanRequest* req,
                                         v1::CancelPlanResponse* resp) {
  return ServeTransition(*ctx, lifecycle_, "CancelPlan", PlanAction::kCancel, *req, resp);
}

// ---------------------------------------------------------------- objections

grpc::Status TransferService::FileObjection(Ctx* ctx, const v1::FileObjectionRequest* req,
                                            v1::FileObjectionResponse* resp) {
  return Serve(*ctx, [&](const Call& call) -> absl::Status {
    return transfer::FileObjection(repo_, call, *req, resp);
  });
}

grpc::Status TransferService::ListMyMoves(Ctx* ctx, const v1::ListMyMovesRequest* /*req*/,
                                          v1::ListMyMovesResponse* resp) {
  return Serve(*ctx, [&](const Call& call) -> absl::Status {
    return transfer::ListMyMoves(repo_, call, resp);
  });
}

grpc::Status TransferService::ResolveObjection(Ctx* ctx, const v1::ResolveObjectionRequest* req,
                                               v1::ResolveObjectionResponse* resp) {
  return Serve(*ctx, [&](const Call& call) -> absl::Status {
    return transfer::ResolveObjection(repo_, call, *req, resp);
  });
}

grpc::Status TransferService::ListObjections(Ctx* ctx, const v1::ListObjectionsRequest* req,
                                             v1::ListObjectionsResponse* resp) {
  return ServeWorkflow(*ctx, repo_, downstream_, &transfer::ListObjections, *req, resp);
}

// ---------------------------------------------------------------- execution

grpc::Status TransferService::ExecutePlan(Ctx* ctx, const v1::ExecutePlanRequest* req,
                                          v1::ExecutePlanResponse* resp) {
  return Serve(*ctx, [&](const Call& call) -> absl::Status {
    auto execution = lifecycle_.Execute(call, *req);
    if (!execution.ok()) return execution.status();
    *resp->mutable_execution() = *std::move(execution);
    return absl::OkStatus();
  });
}

grpc::Status TransferService::GetExecution(Ctx* ctx, const v1::GetExecutionRequest* req,
                                           v1::GetExecutionResponse* resp) {
  return ServeWorkflow(*ctx, repo_, downstream_, &transfer::GetExecution, *req, resp);
}

// ---------------------------------------------------------------- export, audit

grpc::Status TransferService::ExportPlan(Ctx* ctx, const v1::ExportPlanRequest* req,
                                         grpc::ServerWriter<v1::ExportPlanResponse>* writer) {
  return Serve(*ctx, [&](const Call& call) -> absl::Status {
    const auth::Caller& caller = call.caller;
    return transfer::ExportPlan(
        repo_, caller, *req, [&](const v1::ExportPlanResponse& r) { return writer->Write(r); },
        [&] { return ctx->IsCancelled(); });
  });
}

grpc::Status TransferService::ListAuditEvents(Ctx* ctx, const v1::ListAuditEventsRequest* req,
                                              v1::ListAuditEventsResponse* resp) {
  return ServeWorkflow(*ctx, repo_, downstream_, &transfer::ListAuditEvents, *req, resp);
}

}  // namespace seimbang::transfer
