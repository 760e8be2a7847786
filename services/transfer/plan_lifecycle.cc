#include "services/transfer/plan_lifecycle.h"

#include <optional>
#include <utility>

#include "common/db/time_format.h"
#include "common/errors/status_macros.h"
#include "services/transfer/objection_workflow.h"
#include "services/transfer/permissions.h"
#include "services/transfer/plan_scope.h"
#include "services/transfer/validation.h"

namespace seimbang::transfer {

PlanLifecycle::PlanLifecycle(Repository& repo, Downstream& downstream, Executor& executor,
                             TransferGauges& gauges)
    : repo_(repo), downstream_(downstream), executor_(executor), gauges_(gauges) {}

absl::StatusOr<v1::PlanSummary> PlanLifecycle::Transition(const Call& call,
                                                          const std::string& method,
                                                          const Decision& decision,
                                                          const google::protobuf::Message& request,
                                                          PlanAction action) {
  SEIMBANG_RETURN_IF_ERROR(ValidateDecision(decision.plan_id, decision.note_field, decision.note));
  const std::string& plan_id = decision.plan_id;
  SEIMBANG_ASSIGN_OR_RETURN(idempotency::Key key,
                            idempotency::KeyFor(call.caller, method, request));
  SEIMBANG_ASSIGN_OR_RETURN(PlanRecord rec, LoadPlanInScope(repo_, call.caller, plan_id));
  if (action == PlanAction::kApprove) {
    // Staleness is checked before the transaction: it is a remote call.
    SEIMBANG_RETURN_IF_ERROR(NextState(plan_id, rec.summary.state(), action).status());
    SEIMBANG_ASSIGN_OR_RETURN(RunStaffing staffing,
                              downstream_.StaffingOfRun(rec.summary.analysis_run_id()));
    if (staffing.current_digest != rec.summary.staffing_digest()) {
      staffing.run_digest = rec.summary.staffing_digest();
      return StaleRunError(rec.summary.analysis_run_id(), staffing,
                           absl::StrCat("create a new plan from the new run and submit it (plan ",
                                        plan_id, " cannot be approved)"));
    }
  }
  v1::PlanSummary out;
  SEIMBANG_RETURN_IF_ERROR(Idempotent<v1::PlanSummary>(
      repo_, key, &out, [&](db::Connection& c, v1::PlanSummary* answer) -> absl::Status {
        SEIMBANG_ASSIGN_OR_RETURN(PlanRecord cur, Repository::LockPlan(c, plan_id));
        SEIMBANG_RETURN_IF_ERROR(CheckEtag(plan_id, cur.summary.etag(), decision.etag));
        SEIMBANG_ASSIGN_OR_RETURN(v1::PlanState next,
                                  NextState(plan_id, cur.summary.state(), action));
        if (action == PlanAction::kApprove) {
          SEIMBANG_RETURN_IF_ERROR(CheckNothingContested(c, cur, db::NowUnixMillis()));
        }
        PlanRecord p = cur;
        p.summary.set_state(next);
        const int64_t now = db::NowUnixMillis();
        if (action == PlanAction::kSubmit) {
          p.submit_time_ms = now;
          p.summary.set_submit_time_ms(now);
          p.summary.set_submitted_by(call.caller.claims.subject);
        } else if (action == PlanAction::kApprove) {
          p.summary.set_approved_by(call.caller.claims.subject);
          p.summary.set_approve_time_ms(now);
        }
        if (action != PlanAction::kSubmit) p.summary.set_decision_note(decision.note);
        SEIMBANG_ASSIGN_OR_RETURN(PlanRecord updated, Repository::UpdatePlan(c, p, cur.version));
        SEIMBANG_RETURN_IF_ERROR(Repository::InsertAudit(
            c,
            server::AuditEventOf(call, method, plan_id, key.request_id, p.summary.agency_code())));
        *answer = updated.summary;
        return absl::OkStatus();
      }));
  gauges_.Refresh(repo_);
  return out;
}

absl::StatusOr<v1::Execution> PlanLifecycle::Execute(const Call& call,
                                                     const v1::ExecutePlanRequest& req) {
  SEIMBANG_RETURN_IF_ERROR(LoadPlanInScope(repo_, call.caller, req.plan_id()).status());
  const std::string method = MethodPath("ExecutePlan");
  v1::Execution execution;
  SEIMBANG_RETURN_IF_ERROR(repo_.Transaction([&](db::Connection& c) -> absl::Status {
    SEIMBANG_ASSIGN_OR_RETURN(PlanRecord cur, Repository::GetPlan(c, req.plan_id()));
    SEIMBANG_ASSIGN_OR_RETURN(v1::PlanState next,
                              NextState(req.plan_id(), cur.summary.state(), PlanAction::kExecute));
    if (cur.summary.state() == v1::PLAN_STATE_APPROVED) {
      PlanRecord p = cur;
      p.summary.set_state(next);
      SEIMBANG_ASSIGN_OR_RETURN(PlanRecord updated, Repository::UpdatePlan(c, p, cur.version));
      ExecutionRecord e;
      e.plan_id = req.plan_id();
      e.agency_code = cur.summary.agency_code();
      e.start_time_ms = db::NowUnixMillis();
      SEIMBANG_RETURN_IF_ERROR(Repository::InsertExecution(c, e));
      SEIMBANG_RETURN_IF_ERROR(Repository::InsertAudit(
          c, server::AuditEventOf(call, method, req.plan_id(), req.request_id(), e.agency_code)));
      cur = std::move(updated);
    }
    SEIMBANG_ASSIGN_OR_RETURN(execution, ExecutionOf(c, cur));
    return absl::OkStatus();
  }));
  executor_.Start(req.plan_id());
  gauges_.Refresh(repo_);
  return execution;
}

absl::StatusOr<v1::Execution> ExecutionOf(db::Connection& c, const PlanRecord& plan) {
  v1::Execution e;
  e.set_plan_id(plan.summary.id());
  e.set_plan_state(plan.summary.state());
  SEIMBANG_ASSIGN_OR_RETURN(MoveStateCounts counts,
                            Repository::CountMoveStates(c, plan.summary.id()));
  e.set_total(counts.total);
  e.set_applied(counts.applied);
  e.set_stale(counts.stale);
  e.set_failed(counts.failed);
  e.set_pending(counts.pending);
  SEIMBANG_ASSIGN_OR_RETURN(std::optional<ExecutionRecord> rec,
                            Repository::GetExecution(c, plan.summary.id()));
  if (rec.has_value()) {
    e.set_batches_done(rec->batches_done);
    e.set_start_time_ms(rec->start_time_ms);
    e.set_finish_time_ms(rec->finish_time_ms);
    e.set_last_error(rec->last_error);
  }
  if (plan.summary.state() == v1::PLAN_STATE_EXECUTED_WITH_FAILURES) {
    constexpr int kShown = 20;  // transfer.proto Execution.not_applied
    SEIMBANG_ASSIGN_OR_RETURN(std::vector<v1::MoveExecution> not_applied,
                              Repository::NotAppliedMoves(c, plan.summary.id(), kShown));
    for (auto& m : not_applied) *e.add_not_applied() = std::move(m);
  }
  return e;
}

}  // namespace seimbang::transfer
