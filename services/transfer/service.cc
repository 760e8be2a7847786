#include "services/transfer/service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "common/paging/page_token.h"
#include "common/server/channel.h"
#include "services/transfer/call.h"
#include "services/transfer/export_workflow.h"
#include "services/transfer/objection_workflow.h"
#include "services/transfer/permissions.h"
#include "services/transfer/plan_comparison.h"
#include "services/transfer/plan_lifecycle.h"
#include "services/transfer/plan_scope.h"
#include "services/transfer/policy_rules.h"
#include "services/transfer/policy_workflow.h"

namespace seimbang::transfer {
namespace {

std::string M(const char* name) { return MethodPath(name); }

grpc::Status G(const absl::Status& s) { return errors::ToGrpcStatus(s); }

absl::StatusOr<auth::Caller> CallerOf(grpc::ServerContext* ctx) {
  return auth::CallerFromContext(*ctx);
}

// The call as the workflows see it: who asks, its x-request-id, its deadline.
absl::StatusOr<Call> CallOf(grpc::ServerContext* ctx) {
  auto caller = auth::CallerFromContext(*ctx);
  if (!caller.ok()) return caller.status();
  return Call{*std::move(caller), server::IncomingRequestId(*ctx), ctx->deadline()};
}

}  // namespace

TransferService::TransferService(db::Pool& pool, Downstream& downstream, Executor& executor,
                                 TransferGauges& gauges)
    : pool_(pool),
      downstream_(downstream),
      plans_(pool, downstream, gauges),
      lifecycle_(pool, downstream, executor, gauges) {}

// ---------------------------------------------------------------- policies

grpc::Status TransferService::CreatePolicy(Ctx* ctx, const v1::CreatePolicyRequest* req,
                                           v1::CreatePolicyResponse* resp) {
  auto call = CallOf(ctx);
  if (!call.ok()) return G(call.status());
  return G(transfer::CreatePolicy(pool_, downstream_, *call, *req, resp));
}

grpc::Status TransferService::GetPolicy(Ctx* ctx, const v1::GetPolicyRequest* req,
                                        v1::GetPolicyResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  if (req->id().empty()) return G(errors::InvalidArgument({{"id", "is required"}}));
  if (req->version() < 0) {
    return G(
        errors::InvalidArgument({{"version", "must be a version (positive) or 0 for the latest"}}));
  }
  auto conn = pool_.Acquire();
  if (!conn.ok()) return G(conn.status());
  auto p = Repository::GetPolicy(conn->get(), req->id(), req->version());
  if (!p.ok()) return G(p.status());
  if (absl::Status s = auth::CheckAgencyScope(*caller, p->agency_code()); !s.ok()) return G(s);
  *resp->mutable_policy() = req->effective() ? EffectivePolicy(*p) : *std::move(p);
  return grpc::Status::OK;
}

grpc::Status TransferService::ListPolicies(Ctx* ctx, const v1::ListPoliciesRequest* req,
                                           v1::ListPoliciesResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  auto size = paging::EffectivePageSize(req->page().page_size());
  if (!size.ok()) return G(size.status());
  std::string agency = req->agency_code();
  if (agency.empty()) agency = caller->claims.agency;
  if (absl::Status s = auth::CheckAgencyScope(*caller, agency); !s.ok()) return G(s);
  auto conn = pool_.Acquire();
  if (!conn.ok()) return G(conn.status());
  auto page = Repository::ListPolicies(conn->get(), agency, *size, req->page().page_token(),
                                       PageQueryOf("ListPolicies", *caller));
  if (!page.ok()) return G(page.status());
  for (auto& p : page->items) *resp->add_policies() = std::move(p);
  resp->mutable_page()->set_next_page_token(page->next_page_token);
  resp->mutable_page()->set_total_size(page->total_size);
  return grpc::Status::OK;
}

grpc::Status TransferService::UpdatePolicy(Ctx* ctx, const v1::UpdatePolicyRequest* req,
                                           v1::UpdatePolicyResponse* resp) {
  auto call = CallOf(ctx);
  if (!call.ok()) return G(call.status());
  return G(transfer::UpdatePolicy(pool_, downstream_, *call, *req, resp));
}

// ---------------------------------------------------------------- preferences

grpc::Status TransferService::SubmitPreferences(Ctx* ctx, const v1::SubmitPreferencesRequest* req,
                                                v1::SubmitPreferencesResponse* resp) {
  auto call = CallOf(ctx);
  if (!call.ok()) return G(call.status());
  return G(transfer::SubmitPreferences(pool_, downstream_, *call, *req, resp));
}

grpc::Status TransferService::ListPreferences(Ctx* ctx, const v1::ListPreferencesRequest* req,
                                              v1::ListPreferencesResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  auto size = paging::EffectivePageSize(req->page().page_size());
  if (!size.ok()) return G(size.status());
  std::string agency = req->agency_code();
  std::string nip = req->nip();
  if (IsEmployee(*caller)) {
    if (!nip.empty() && nip != caller->claims.nip) {
      return G(absl::PermissionDeniedError("an employee may see only their own preferences"));
    }
    nip = caller->claims.nip;
    agency.clear();
  } else {
    if (agency.empty()) agency = caller->claims.agency;
    if (absl::Status s = auth::CheckAgencyScope(*caller, agency); !s.ok()) return G(s);
  }
  auto conn = pool_.Acquire();
  if (!conn.ok()) return G(conn.status());
  auto page = Repository::ListPreferences(conn->get(), agency, nip, *size, req->page().page_token(),
                                          PageQueryOf("ListPreferences", *caller));
  if (!page.ok()) return G(page.status());
  for (auto& p : page->items) *resp->add_preferences() = std::move(p);
  resp->mutable_page()->set_next_page_token(page->next_page_token);
  resp->mutable_page()->set_total_size(-1);
  return grpc::Status::OK;
}

// ---------------------------------------------------------------- planning

grpc::Status TransferService::CreatePlan(Ctx* ctx, const v1::CreatePlanRequest* req,
                                         grpc::ServerWriter<v1::CreatePlanResponse>* writer) {
  auto call = CallOf(ctx);
  if (!call.ok()) return G(call.status());
  auto spec = PlanSpecOf(*req);
  if (!spec.ok()) return G(spec.status());
  if (absl::Status s = auth::CheckAgencyScope(call->caller, spec->agency_code); !s.ok()) {
    return G(s);
  }
  auto plan = plans_.Create(*call, *req, *spec, [&](const cpb::Progress& p) {
    v1::CreatePlanResponse r;
    *r.mutable_progress() = p;
    writer->Write(r);
  });
  if (!plan.ok()) return G(plan.status());
  v1::CreatePlanResponse last;
  *last.mutable_plan() = *std::move(plan);
  writer->Write(last);
  return grpc::Status::OK;
}

grpc::Status TransferService::RevisePlan(Ctx* ctx, const v1::RevisePlanRequest* req,
                                         grpc::ServerWriter<v1::RevisePlanResponse>* writer) {
  auto call = CallOf(ctx);
  if (!call.ok()) return G(call.status());
  auto plan = plans_.Revise(*call, *req, [&](const cpb::Progress& p) {
    v1::RevisePlanResponse r;
    *r.mutable_progress() = p;
    writer->Write(r);
  });
  if (!plan.ok()) return G(plan.status());
  v1::RevisePlanResponse last;
  *last.mutable_plan() = *std::move(plan);
  writer->Write(last);
  return grpc::Status::OK;
}

// ---------------------------------------------------------------- reads

grpc::Status TransferService::GetPlan(Ctx* ctx, const v1::GetPlanRequest* req,
                                      v1::GetPlanResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  auto rec = LoadPlanInScope(pool_, *caller, req->plan_id());
  if (!rec.ok()) return G(rec.status());
  auto conn = pool_.Acquire();
  if (!conn.ok()) return G(conn.status());
  auto unfilled = Repository::ListUnfilled(conn->get(), req->plan_id());
  if (!unfilled.ok()) return G(unfilled.status());
  if (rec->submit_time_ms > 0) {
    auto policy =
        Repository::GetPolicy(conn->get(), rec->summary.policy_id(), rec->summary.policy_version());
    if (!policy.ok()) return G(policy.status());
    resp->set_objection_window_close_ms(ObjectionWindowCloses(*rec, *policy));
  }
  *resp->mutable_plan() = rec->summary;
  for (auto& u : *unfilled) *resp->add_unfilled() = std::move(u);
  return grpc::Status::OK;
}

grpc::Status TransferService::ListPlans(Ctx* ctx, const v1::ListPlansRequest* req,
                                        v1::ListPlansResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  auto size = paging::EffectivePageSize(req->page().page_size());
  if (!size.ok()) return G(size.status());
  std::string agency = req->agency_code();
  if (agency.empty()) agency = caller->claims.agency;
  if (absl::Status s = auth::CheckAgencyScope(*caller, agency); !s.ok()) return G(s);
  auto conn = pool_.Acquire();
  if (!conn.ok()) return G(conn.status());
  auto page = Repository::ListPlans(conn->get(), agency, req->state(), *size,
                                    req->page().page_token(), PageQueryOf("ListPlans", *caller));
  if (!page.ok()) return G(page.status());
  for (auto& p : page->items) *resp->add_plans() = std::move(p);
  resp->mutable_page()->set_next_page_token(page->next_page_token);
  resp->mutable_page()->set_total_size(-1);
  return grpc::Status::OK;
}

grpc::Status TransferService::ListMoves(Ctx* ctx, const v1::ListMovesRequest* req,
                                        v1::ListMovesResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  if (req->unit_id() < 0) {
    return G(errors::InvalidArgument({{"unit_id", "must be a unit id (positive) or 0 for all"}}));
  }
  auto size = paging::EffectivePageSize(req->page().page_size());
  if (!size.ok()) return G(size.status());
  auto rec = LoadPlanInScope(pool_, *caller, req->plan_id());
  if (!rec.ok()) return G(rec.status());
  int64_t unit_id = req->unit_id();
  if (!req->unit_external_id().empty()) {  // issue 20: the unit by its id in the agency's registry
    if (unit_id != 0) {
      return G(
          errors::InvalidArgument({{"unit_external_id", "set either unit_id or this, not both"}}));
    }
    auto ids = ResolveExternalUnits(downstream_, rec->summary.agency_code(),
                                    {{req->unit_external_id(), "unit_external_id"}});
    if (!ids.ok()) return G(ids.status());
    unit_id = ids->front();
  }
  auto conn = pool_.Acquire();
  if (!conn.ok()) return G(conn.status());
  paging::PageQuery page_query = PageQueryOf("ListMoves", *caller);
  page_query.Add("unit_external_id", req->unit_external_id());
  auto page = Repository::ListMoves(conn->get(), req->plan_id(),
                                    {unit_id, req->job_family(), req->by_importance()}, *size,
                                    req->page().page_token(), page_query);
  if (!page.ok()) return G(page.status());
  for (auto& m : page->items) *resp->add_moves() = std::move(m);
  resp->mutable_page()->set_next_page_token(page->next_page_token);
  resp->mutable_page()->set_total_size(-1);
  return grpc::Status::OK;
}

grpc::Status TransferService::ExplainMove(Ctx* ctx, const v1::ExplainMoveRequest* req,
                                          v1::ExplainMoveResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  auto rec = LoadPlanInScope(pool_, *caller, req->plan_id());
  if (!rec.ok()) return G(rec.status());
  auto conn = pool_.Acquire();
  if (!conn.ok()) return G(conn.status());
  auto e = Repository::GetMove(conn->get(), req->plan_id(), req->move_id());
  if (!e.ok()) return G(e.status());
  if (IsEmployee(*caller) && e->move().nip() != caller->claims.nip) {
    return G(absl::PermissionDeniedError("an employee may see only their own moves"));
  }
  *resp = *std::move(e);
  return grpc::Status::OK;
}

grpc::Status TransferService::ComparePlans(Ctx* ctx, const v1::ComparePlansRequest* req,
                                           v1::ComparePlansResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  return G(transfer::ComparePlans(pool_, *caller, *req, resp));
}

// ---------------------------------------------------------------- lifecycle

namespace {
// The four lifecycle RPCs differ only in their action and method name.
template <typename Request, typename Response, typename TransitionFn>
grpc::Status LifecycleRpc(const Request& req, Response* resp, TransitionFn&& transition) {
  auto plan = transition(req.plan_id(), req.etag(), req);
  if (!plan.ok()) return G(plan.status());
  *resp->mutable_plan() = *std::move(plan);
  return grpc::Status::OK;
}
}  // namespace

grpc::Status TransferService::SubmitPlan(Ctx* ctx, const v1::SubmitPlanRequest* req,
                                         v1::SubmitPlanResponse* resp) {
  auto call = CallOf(ctx);
  if (!call.ok()) return G(call.status());
  return LifecycleRpc(*req, resp, [&](auto&&... a) {
    return lifecycle_.Transition(*call, M("SubmitPlan"), a..., PlanAction::kSubmit);
  });
}

grpc::Status TransferService::ApprovePlan(Ctx* ctx, const v1::ApprovePlanRequest* req,
                                          v1::ApprovePlanResponse* resp) {
  auto call = CallOf(ctx);
  if (!call.ok()) return G(call.status());
  return LifecycleRpc(*req, resp, [&](auto&&... a) {
    return lifecycle_.Transition(*call, M("ApprovePlan"), a..., PlanAction::kApprove);
  });
}

grpc::Status TransferService::RejectPlan(Ctx* ctx, const v1::RejectPlanRequest* req,
                                         v1::RejectPlanResponse* resp) {
  auto call = CallOf(ctx);
  if (!call.ok()) return G(call.status());
  return LifecycleRpc(*req, resp, [&](auto&&... a) {
    return lifecycle_.Transition(*call, M("RejectPlan"), a..., PlanAction::kReject);
  });
}

grpc::Status TransferService::CancelPlan(Ctx* ctx, const v1::CancelPlanRequest* req,
                                         v1::CancelPlanResponse* resp) {
  auto call = CallOf(ctx);
  if (!call.ok()) return G(call.status());
  return LifecycleRpc(*req, resp, [&](auto&&... a) {
    return lifecycle_.Transition(*call, M("CancelPlan"), a..., PlanAction::kCancel);
  });
}

// ---------------------------------------------------------------- objections

grpc::Status TransferService::FileObjection(Ctx* ctx, const v1::FileObjectionRequest* req,
                                            v1::FileObjectionResponse* resp) {
  auto call = CallOf(ctx);
  if (!call.ok()) return G(call.status());
  return G(transfer::FileObjection(pool_, *call, *req, resp));
}

grpc::Status TransferService::ListMyMoves(Ctx* ctx, const v1::ListMyMovesRequest* /*req*/,
                                          v1::ListMyMovesResponse* resp) {
  auto call = CallOf(ctx);
  if (!call.ok()) return G(call.status());
  return G(transfer::ListMyMoves(pool_, *call, resp));
}

grpc::Status TransferService::ResolveObjection(Ctx* ctx, const v1::ResolveObjectionRequest* req,
                                               v1::ResolveObjectionResponse* resp) {
  auto call = CallOf(ctx);
  if (!call.ok()) return G(call.status());
  return G(transfer::ResolveObjection(pool_, *call, *req, resp));
}

grpc::Status TransferService::ListObjections(Ctx* ctx, const v1::ListObjectionsRequest* req,
                                             v1::ListObjectionsResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  auto size = paging::EffectivePageSize(req->page().page_size());
  if (!size.ok()) return G(size.status());
  auto rec = LoadPlanInScope(pool_, *caller, req->plan_id());
  if (!rec.ok()) return G(rec.status());
  auto conn = pool_.Acquire();
  if (!conn.ok()) return G(conn.status());
  auto page =
      Repository::ListObjections(conn->get(), req->plan_id(), req->state(), *size,
                                 req->page().page_token(), PageQueryOf("ListObjections", *caller));
  if (!page.ok()) return G(page.status());
  for (auto& o : page->items) *resp->add_objections() = std::move(o);
  resp->mutable_page()->set_next_page_token(page->next_page_token);
  resp->mutable_page()->set_total_size(-1);
  return grpc::Status::OK;
}

// ---------------------------------------------------------------- execution

grpc::Status TransferService::ExecutePlan(Ctx* ctx, const v1::ExecutePlanRequest* req,
                                          v1::ExecutePlanResponse* resp) {
  auto call = CallOf(ctx);
  if (!call.ok()) return G(call.status());
  auto execution = lifecycle_.Execute(*call, *req);
  if (!execution.ok()) return G(execution.status());
  *resp->mutable_execution() = *std::move(execution);
  return grpc::Status::OK;
}

grpc::Status TransferService::GetExecution(Ctx* ctx, const v1::GetExecutionRequest* req,
                                           v1::GetExecutionResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  auto size = paging::EffectivePageSize(req->page().page_size());
  if (!size.ok()) return G(size.status());
  auto rec = LoadPlanInScope(pool_, *caller, req->plan_id());
  if (!rec.ok()) return G(rec.status());
  auto conn = pool_.Acquire();
  if (!conn.ok()) return G(conn.status());
  auto e = ExecutionOf(conn->get(), *rec);
  if (!e.ok()) return G(e.status());
  *resp->mutable_execution() = *std::move(e);
  auto page =
      Repository::ListMoveExecutions(conn->get(), req->plan_id(), *size, req->page().page_token(),
                                     PageQueryOf("GetExecution", *caller));
  if (!page.ok()) return G(page.status());
  for (auto& m : page->items) *resp->add_moves() = std::move(m);
  resp->mutable_page()->set_next_page_token(page->next_page_token);
  resp->mutable_page()->set_total_size(resp->execution().total());
  return grpc::Status::OK;
}

// ---------------------------------------------------------------- export, audit

grpc::Status TransferService::ExportPlan(Ctx* ctx, const v1::ExportPlanRequest* req,
                                         grpc::ServerWriter<v1::ExportPlanResponse>* writer) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  return G(transfer::ExportPlan(
      pool_, *caller, *req, [&](const v1::ExportPlanResponse& r) { return writer->Write(r); },
      [&] { return ctx->IsCancelled(); }));
}

grpc::Status TransferService::ListAuditEvents(Ctx* ctx, const v1::ListAuditEventsRequest* req,
                                              v1::ListAuditEventsResponse* resp) {
  auto caller = CallerOf(ctx);
  if (!caller.ok()) return G(caller.status());
  auto size = paging::EffectivePageSize(req->page().page_size());
  if (!size.ok()) return G(size.status());
  auto conn = pool_.Acquire();
  if (!conn.ok()) return G(conn.status());
  auto page = Repository::ListAudit(conn->get(), req->method(), *size, req->page().page_token(),
                                    PageQueryOf("ListAuditEvents", *caller));
  if (!page.ok()) return G(page.status());
  for (auto& e : page->items) *resp->add_events() = std::move(e);
  resp->mutable_page()->set_next_page_token(page->next_page_token);
  resp->mutable_page()->set_total_size(-1);
  return grpc::Status::OK;
}

}  // namespace seimbang::transfer
