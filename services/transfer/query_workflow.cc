#include "services/transfer/query_workflow.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "common/errors/status_macros.h"
#include "common/paging/page_token.h"
#include "services/transfer/objection_workflow.h"
#include "services/transfer/permissions.h"
#include "services/transfer/plan_lifecycle.h"
#include "services/transfer/plan_scope.h"
#include "services/transfer/policy_rules.h"
#include "services/transfer/repository.h"
#include "services/transfer/validation.h"

namespace seimbang::transfer {
namespace {

// A repository page into a response: its items into `items`, its token and `total_size` into
// the response's page.
template <typename T, typename Items, typename PageResponse>
void MovePage(Page<T>& page, Items* items, PageResponse* out, int64_t total_size) {
  for (T& item : page.items) *items->Add() = std::move(item);
  out->set_next_page_token(page.next_page_token);
  out->set_total_size(total_size);
}

}  // namespace

absl::Status GetPolicy(Repository& repo, Downstream& /*downstream*/, const Call& call,
                       const v1::GetPolicyRequest& req, v1::GetPolicyResponse* resp) {
  const auth::Caller& caller = call.caller;
  if (req.id().empty()) return errors::InvalidArgument({{"id", "is required"}});
  if (req.version() < 0) {
    return errors::InvalidArgument(
        {{"version", "must be a version (positive) or 0 for the latest"}});
  }
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(auto p, Repository::GetPolicy(conn.get(), req.id(), req.version()));
  if (absl::Status s = auth::CheckAgencyScope(caller, p.agency_code()); !s.ok()) return s;
  *resp->mutable_policy() = req.effective() ? EffectivePolicy(p) : std::move(p);
  return absl::OkStatus();
}

absl::Status ListPolicies(Repository& repo, Downstream& /*downstream*/, const Call& call,
                          const v1::ListPoliciesRequest& req, v1::ListPoliciesResponse* resp) {
  const auth::Caller& caller = call.caller;
  SEIMBANG_ASSIGN_OR_RETURN(auto size, paging::EffectivePageSize(req.page().page_size()));
  SEIMBANG_ASSIGN_OR_RETURN(const std::string agency, auth::ListAgency(caller, req.agency_code()));
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(
      auto page, Repository::ListPolicies(conn.get(), agency, size, req.page().page_token(),
                                          server::PageQueryOf(MethodPath("ListPolicies"), caller)));
  MovePage(page, resp->mutable_policies(), resp->mutable_page(), page.total_size);
  return absl::OkStatus();
}

absl::Status ListPreferences(Repository& repo, Downstream& /*downstream*/, const Call& call,
                             const v1::ListPreferencesRequest& req,
                             v1::ListPreferencesResponse* resp) {
  const auth::Caller& caller = call.caller;
  SEIMBANG_RETURN_IF_ERROR(ValidateListPreferences(req));
  SEIMBANG_ASSIGN_OR_RETURN(auto size, paging::EffectivePageSize(req.page().page_size()));
  std::string agency = req.agency_code();
  std::string nip = req.nip();
  if (IsEmployee(caller)) {
    if (!nip.empty() && nip != caller.claims.nip) {
      return absl::PermissionDeniedError("an employee may see only their own preferences");
    }
    nip = caller.claims.nip;
    agency.clear();
  } else {
    SEIMBANG_ASSIGN_OR_RETURN(agency, auth::ListAgency(caller, agency));
  }
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(
      auto page,
      Repository::ListPreferences(conn.get(), agency, nip, size, req.page().page_token(),
                                  server::PageQueryOf(MethodPath("ListPreferences"), caller)));
  MovePage(page, resp->mutable_preferences(), resp->mutable_page(), -1);
  return absl::OkStatus();
}

absl::Status GetPlan(Repository& repo, Downstream& /*downstream*/, const Call& call,
                     const v1::GetPlanRequest& req, v1::GetPlanResponse* resp) {
  const auth::Caller& caller = call.caller;
  SEIMBANG_ASSIGN_OR_RETURN(auto rec, LoadPlanInScope(repo, caller, req.plan_id()));
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(auto unfilled, Repository::ListUnfilled(conn.get(), req.plan_id()));
  if (rec.submit_time_ms > 0) {
    SEIMBANG_ASSIGN_OR_RETURN(
        auto policy,
        Repository::GetPolicy(conn.get(), rec.summary.policy_id(), rec.summary.policy_version()));
    resp->set_objection_window_close_ms(ObjectionWindowCloses(rec, policy));
  }
  *resp->mutable_plan() = rec.summary;
  for (auto& u : unfilled) *resp->add_unfilled() = std::move(u);
  return absl::OkStatus();
}

absl::Status ListPlans(Repository& repo, Downstream& /*downstream*/, const Call& call,
                       const v1::ListPlansRequest& req, v1::ListPlansResponse* resp) {
  const auth::Caller& caller = call.caller;
  SEIMBANG_ASSIGN_OR_RETURN(auto size, paging::EffectivePageSize(req.page().page_size()));
  SEIMBANG_ASSIGN_OR_RETURN(const std::string agency, auth::ListAgency(caller, req.agency_code()));
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(
      auto page,
      Repository::ListPlans(conn.get(), agency, req.state(), size, req.page().page_token(),
                            server::PageQueryOf(MethodPath("ListPlans"), caller)));
  MovePage(page, resp->mutable_plans(), resp->mutable_page(), -1);
  return absl::OkStatus();
}

absl::Status ListMoves(Repository& repo, Downstream& downstream, const Call& call,
                       const v1::ListMovesRequest& req, v1::ListMovesResponse* resp) {
  const auth::Caller& caller = call.caller;
  SEIMBANG_RETURN_IF_ERROR(ValidateListMoves(req));
  SEIMBANG_ASSIGN_OR_RETURN(auto size, paging::EffectivePageSize(req.page().page_size()));
  SEIMBANG_ASSIGN_OR_RETURN(auto rec, LoadPlanInScope(repo, caller, req.plan_id()));
  int64_t unit_id = req.unit_id();
  if (!req.unit_external_id().empty()) {  // issue 20: the unit by its id in the agency's registry
    SEIMBANG_ASSIGN_OR_RETURN(auto ids,
                              ResolveExternalUnits(downstream, rec.summary.agency_code(),
                                                   {{req.unit_external_id(), "unit_external_id"}}));
    unit_id = ids.front();
  }
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  paging::PageQuery page_query = server::PageQueryOf(MethodPath("ListMoves"), caller);
  page_query.Add("unit_external_id", req.unit_external_id());
  SEIMBANG_ASSIGN_OR_RETURN(
      auto page, Repository::ListMoves(conn.get(), req.plan_id(),
                                       {unit_id, req.job_family(), req.by_importance()}, size,
                                       req.page().page_token(), page_query));
  MovePage(page, resp->mutable_moves(), resp->mutable_page(), -1);
  return absl::OkStatus();
}

absl::Status ExplainMove(Repository& repo, Downstream& /*downstream*/, const Call& call,
                         const v1::ExplainMoveRequest& req, v1::ExplainMoveResponse* resp) {
  const auth::Caller& caller = call.caller;
  SEIMBANG_ASSIGN_OR_RETURN(auto rec, LoadPlanInScope(repo, caller, req.plan_id()));
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(auto e, Repository::GetMove(conn.get(), req.plan_id(), req.move_id()));
  if (IsEmployee(caller) && e.move().nip() != caller.claims.nip) {
    return absl::PermissionDeniedError("an employee may see only their own moves");
  }
  *resp = std::move(e);
  return absl::OkStatus();
}

absl::Status ListObjections(Repository& repo, Downstream& /*downstream*/, const Call& call,
                            const v1::ListObjectionsRequest& req,
                            v1::ListObjectionsResponse* resp) {
  const auth::Caller& caller = call.caller;
  SEIMBANG_ASSIGN_OR_RETURN(auto size, paging::EffectivePageSize(req.page().page_size()));
  SEIMBANG_ASSIGN_OR_RETURN(auto rec, LoadPlanInScope(repo, caller, req.plan_id()));
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(
      auto page, Repository::ListObjections(
                     conn.get(), req.plan_id(), req.state(), size, req.page().page_token(),
                     server::PageQueryOf(MethodPath("ListObjections"), caller)));
  MovePage(page, resp->mutable_objections(), resp->mutable_page(), -1);
  return absl::OkStatus();
}

absl::Status GetExecution(Repository& repo, Downstream& /*downstream*/, const Call& call,
                          const v1::GetExecutionRequest& req, v1::GetExecutionResponse* resp) {
  const auth::Caller& caller = call.caller;
  SEIMBANG_ASSIGN_OR_RETURN(auto size, paging::EffectivePageSize(req.page().page_size()));
  SEIMBANG_ASSIGN_OR_RETURN(auto rec, LoadPlanInScope(repo, caller, req.plan_id()));
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(auto e, ExecutionOf(conn.get(), rec));
  *resp->mutable_execution() = std::move(e);
  SEIMBANG_ASSIGN_OR_RETURN(
      auto page,
      Repository::ListMoveExecutions(conn.get(), req.plan_id(), size, req.page().page_token(),
                                     server::PageQueryOf(MethodPath("GetExecution"), caller)));
  MovePage(page, resp->mutable_moves(), resp->mutable_page(), resp->execution().total());
  return absl::OkStatus();
}

absl::Status ListAuditEvents(Repository& repo, Downstream& /*downstream*/, const Call& call,
                             const v1::ListAuditEventsRequest& req,
                             v1::ListAuditEventsResponse* resp) {
  const auth::Caller& caller = call.caller;
  SEIMBANG_ASSIGN_OR_RETURN(auto size, paging::EffectivePageSize(req.page().page_size()));
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(
      auto page, Repository::ListAudit(conn.get(), req.method(), size, req.page().page_token(),
                                       server::PageQueryOf(MethodPath("ListAuditEvents"), caller)));
  MovePage(page, resp->mutable_events(), resp->mutable_page(), -1);
  return absl::OkStatus();
}

}  // namespace seimbang::transfer
