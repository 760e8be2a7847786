#include "services/transfer/objection_workflow.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/db/time_format.h"
#include "common/errors/errors.h"
#include "common/errors/status_macros.h"
#include "services/transfer/permissions.h"
#include "services/transfer/plan_scope.h"
#include "services/transfer/plan_state.h"
#include "services/transfer/policy_rules.h"
#include "services/transfer/repository.h"
#include "services/transfer/validation.h"

namespace seimbang::transfer {

absl::Status FileObjection(Repository& repo, const Call& call, const v1::FileObjectionRequest& req,
                           v1::FileObjectionResponse* resp) {
  SEIMBANG_RETURN_IF_ERROR(ValidateFileObjection(req));
  SEIMBANG_RETURN_IF_ERROR(LoadPlanInScope(repo, call.caller, req.plan_id()).status());
  const std::string method = MethodPath("FileObjection");
  return Idempotent<v1::FileObjectionResponse>(
      repo, idempotency::KeyFor(call.caller, method, req), resp,
      [&](db::Connection& c, v1::FileObjectionResponse* out) -> absl::Status {
        SEIMBANG_ASSIGN_OR_RETURN(v1::ExplainMoveResponse move,
                                  Repository::GetMove(c, req.plan_id(), req.move_id()));
        if (IsEmployee(call.caller) && move.move().nip() != call.caller.claims.nip) {
          return absl::PermissionDeniedError("an employee may object only to a move of their own");
        }
        SEIMBANG_ASSIGN_OR_RETURN(PlanRecord plan, Repository::LockPlan(c, req.plan_id()));
        SEIMBANG_ASSIGN_OR_RETURN(
            v1::Policy policy,
            Repository::GetPolicy(c, plan.summary.policy_id(), plan.summary.policy_version()));
        SEIMBANG_RETURN_IF_ERROR(CheckObjectionWindow(req.plan_id(), plan.summary.state(),
                                                      ObjectionWindowCloses(plan, policy),
                                                      db::NowUnixMillis()));
        ObjectionRecord o;
        o.agency_code = plan.summary.agency_code();
        v1::Objection& ob = o.objection;
        ob.set_id(NewId("o"));
        ob.set_plan_id(req.plan_id());
        ob.set_move_id(req.move_id());
        ob.set_nip(move.move().nip());
        ob.set_reason(req.reason());
        ob.set_state(v1::OBJECTION_STATE_OPEN);
        ob.set_filed_by(call.caller.claims.subject);
        ob.set_file_time_ms(db::NowUnixMillis());
        SEIMBANG_RETURN_IF_ERROR(Repository::InsertObjection(c, o));
        SEIMBANG_RETURN_IF_ERROR(Repository::InsertAudit(
            c, server::AuditEventOf(call, method, absl::StrCat(req.plan_id(), "/", req.move_id()),
                                    req.request_id(), o.agency_code)));
        *out->mutable_objection() = ob;
        return absl::OkStatus();
      });
}

absl::Status ResolveObjection(Repository& repo, const Call& call,
                              const v1::ResolveObjectionRequest& req,
                              v1::ResolveObjectionResponse* resp) {
  SEIMBANG_RETURN_IF_ERROR(ValidateResolveObjection(req));
  const std::string method = MethodPath("ResolveObjection");
  return Idempotent<v1::ResolveObjectionResponse>(
      repo, idempotency::KeyFor(call.caller, method, req), resp,
      [&](db::Connection& c, v1::ResolveObjectionResponse* out) -> absl::Status {
        SEIMBANG_ASSIGN_OR_RETURN(ObjectionRecord o,
                                  Repository::GetObjection(c, req.objection_id()));
        SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(call.caller, o.agency_code));
        if (o.objection.state() != v1::OBJECTION_STATE_OPEN) {
          return absl::FailedPreconditionError(
              absl::StrCat("objection ", req.objection_id(), " is already resolved"));
        }
        v1::Objection ob = o.objection;
        ob.set_state(req.accept() ? v1::OBJECTION_STATE_ACCEPTED : v1::OBJECTION_STATE_REJECTED);
        ob.set_resolution_note(req.note());
        ob.set_resolved_by(call.caller.claims.subject);
        ob.set_resolve_time_ms(db::NowUnixMillis());
        SEIMBANG_RETURN_IF_ERROR(Repository::UpdateObjection(c, ob));
        SEIMBANG_RETURN_IF_ERROR(Repository::InsertAudit(
            c, server::AuditEventOf(call, method, ob.id(), req.request_id(), o.agency_code)));
        *out->mutable_objection() = std::move(ob);
        return absl::OkStatus();
      });
}

absl::Status ListMyMoves(Repository& repo, const Call& call, v1::ListMyMovesResponse* resp) {
  const std::string& nip = call.caller.claims.nip;
  if (!IsEmployee(call.caller) || nip.empty()) {
    return absl::PermissionDeniedError("ListMyMoves answers an employee token with a NIP");
  }
  constexpr int kMost = 200;  // transfer.proto ListMyMoves
  SEIMBANG_ASSIGN_OR_RETURN(db::PooledConnection conn, repo.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(std::vector<v1::MyMove> moves,
                            Repository::MovesOfEmployee(conn.get(), nip, kMost));
  std::map<std::string, PlanRecord> plans;
  std::map<std::string, int64_t> closes;
  for (v1::MyMove& m : moves) {
    const std::string& id = m.move().plan_id();
    if (!plans.count(id)) {
      SEIMBANG_ASSIGN_OR_RETURN(PlanRecord plan, Repository::GetPlan(conn.get(), id));
      int64_t close = 0;
      if (plan.submit_time_ms > 0) {
        SEIMBANG_ASSIGN_OR_RETURN(v1::Policy policy,
                                  Repository::GetPolicy(conn.get(), plan.summary.policy_id(),
                                                        plan.summary.policy_version()));
        close = ObjectionWindowCloses(plan, policy);
      }
      closes[id] = close;
      plans.emplace(id, std::move(plan));
    }
    const PlanRecord& plan = plans.at(id);
    m.set_plan_state(plan.summary.state());
    *m.mutable_effective_date() = plan.summary.effective_date();
    m.set_objection_window_close_ms(closes.at(id));
  }
  // Newest plan first.
  std::stable_sort(moves.begin(), moves.end(), [&](const v1::MyMove& a, const v1::MyMove& b) {
    return plans.at(a.move().plan_id()).summary.create_time_ms() >
           plans.at(b.move().plan_id()).summary.create_time_ms();
  });
  for (auto& m : moves) {
    if (plans.at(m.move().plan_id()).submit_time_ms == 0) continue;  // a draft scenario
    *resp->add_moves() = std::move(m);
  }
  SEIMBANG_ASSIGN_OR_RETURN(std::vector<v1::Objection> objections,
                            Repository::ObjectionsOfEmployee(conn.get(), nip, kMost));
  for (auto& o : objections) *resp->add_objections() = std::move(o);
  return absl::OkStatus();
}

int64_t ObjectionWindowCloses(const PlanRecord& plan, const v1::Policy& policy) {
  const v1::HardRules rules = EffectivePolicy(policy).rules();
  return ObjectionWindowCloseMs(plan.submit_time_ms, rules.objection_window_days(),
                                PublicHolidays(rules));
}

namespace {
// "o-1, o-2, o-3 and 4 more": bounded, whatever the number of objections.
std::string FirstIds(const std::vector<std::string>& ids) {
  constexpr size_t kShown = 5;
  std::string out;
  for (size_t i = 0; i < ids.size() && i < kShown; ++i) {
    absl::StrAppend(&out, i == 0 ? "" : ", ", ids[i]);
  }
  if (ids.size() > kShown) absl::StrAppend(&out, " and ", ids.size() - kShown, " more");
  return out;
}
}  // namespace

absl::Status CheckNothingContested(db::Connection& c, const PlanRecord& plan, int64_t now_ms) {
  const std::string& id = plan.summary.id();
  SEIMBANG_ASSIGN_OR_RETURN(
      v1::Policy policy,
      Repository::GetPolicy(c, plan.summary.policy_id(), plan.summary.policy_version()));
  const int64_t closes = ObjectionWindowCloses(plan, policy);
  if (now_ms < closes) {
    return absl::FailedPreconditionError(
        absl::StrCat("plan ", id, " cannot be approved yet: its objection window is open until ",
                     WitaTime(closes), "; approve it after the window closes"));
  }
  SEIMBANG_ASSIGN_OR_RETURN(std::vector<std::string> open,
                            Repository::ObjectionIdsInState(c, id, v1::OBJECTION_STATE_OPEN));
  if (!open.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "plan ", id, " cannot be approved: ", open.size(), " objection(s) still open (",
        FirstIds(open), "); resolve them with ResolveObjection first"));
  }
  SEIMBANG_ASSIGN_OR_RETURN(std::vector<std::string> accepted,
                            Repository::ObjectionIdsInState(c, id, v1::OBJECTION_STATE_ACCEPTED));
  if (!accepted.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "plan ", id, " cannot be approved: objection(s) ", FirstIds(accepted),
        " were accepted, so their moves must go; revise the plan (RevisePlan) and submit the "
        "revision"));
  }
  return absl::OkStatus();
}

}  // namespace seimbang::transfer
