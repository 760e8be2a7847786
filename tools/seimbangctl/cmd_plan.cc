// seimbangctl plan create | revise | show | moves | explain | compare | submit | approve |
// reject | cancel | execute | export (plan story is in cmd_plan_story.cc).
#include <chrono>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "tools/seimbangctl/cli_internal.h"

namespace seimbang::ctl {
namespace tv1 = seimbang::transfer::v1;

std::string UnfilledReasonText(const tv1::UnfilledNeed& u) {
  std::string reason = absl::AsciiStrToLower(
      std::string(absl::StripPrefix(tv1::UnfilledReason_Name(u.reason()), "UNFILLED_REASON_")));
  if (!u.rule().empty()) absl::StrAppend(&reason, " (", u.rule(), ")");
  return reason;
}

void Cli::PrintPlanSummary(const tv1::PlanSummary& p,
                           const std::vector<tv1::UnfilledNeed>& unfilled) {
  out_ << "Plan " << p.id() << " (" << tv1::PlanState_Name(p.state()) << ", revision "
       << p.revision() << ") for " << p.agency_code() << ", effective "
       << DateText(p.effective_date()) << "\n";
  out_ << "  " << p.candidates() << " employees considered, " << p.eligible()
       << " eligible; solved in " << p.solve_ms() << " ms\n\n";
  const auto& b = p.before();
  const auto& a = p.after();
  PrintTable(
      {{"", "before", "after"},
       {{"unit x positions over need", absl::StrCat(b.units_over()), absl::StrCat(a.units_over())},
        {"unit x positions under need", absl::StrCat(b.units_under()),
         absl::StrCat(a.units_under())},
        {"total surplus", absl::StrCat(b.total_surplus()), absl::StrCat(a.total_surplus())},
        {"total deficit", absl::StrCat(b.total_deficit()), absl::StrCat(a.total_deficit())},
        {"balanced share", Pct(b.balanced_share()), Pct(a.balanced_share())},
        {"EJ coefficient of variation", F2(b.ej_cv()), F2(a.ej_cv())},
        {"Robin Hood index", Pct(b.robin_hood_index()), Pct(a.robin_hood_index())}}});
  out_ << "\nMoves: " << p.moves() << " (lower bound " << p.moves_lower_bound() << ")\n";
  Table fam{{"job family", "moves", "lower bound"}, {}};
  for (const auto& f : p.by_family()) {
    fam.rows.push_back({f.job_family(), absl::StrCat(f.moves()), absl::StrCat(f.lower_bound())});
  }
  if (!fam.rows.empty()) PrintTable(fam);
  out_ << "\nUnfilled: " << p.unfilled() << " people still missing\n";
  Table un{{"unit", "position", "missing", "reason"}, {}};
  for (size_t i = 0; i < unfilled.size() && i < 10; ++i) {
    const auto& u = unfilled[i];
    un.rows.push_back(
        {u.unit_name(), u.position_code(), absl::StrCat(u.missing()), UnfilledReasonText(u)});
  }
  if (!un.rows.empty()) PrintTable(un);
  if (unfilled.size() > 10) out_ << "  ... and " << unfilled.size() - 10 << " more\n";
}

int Cli::Plan() {
  const std::string& sub = Word(1, "plan subcommand");
  if (sub == "create" || sub == "revise") return PlanCreateOrRevise(sub);
  if (sub == "show") return PlanShow();
  if (sub == "moves") return PlanMoves();
  if (sub == "explain") return PlanExplain();
  if (sub == "compare") return PlanCompare();
  if (sub == "submit" || sub == "approve" || sub == "reject" || sub == "cancel")
    return PlanTransition(sub);
  if (sub == "execute") return PlanExecute();
  if (sub == "export") return PlanExport();
  if (sub == "story") return PlanStory(Word(2, "ID"));
  throw UsageError{absl::StrCat("unknown plan subcommand '", sub, "'")};
}

int Cli::PlanCreateOrRevise(const std::string& sub) {
  tv1::PlanSummary plan;
  bool got = false;
  auto ctx = Ctx(60 * 60 * 1000);
  grpc::Status st;
  // Both streams carry progress, then the plan.
  auto follow = [&](auto reader, auto ev) {
    while (reader->Read(&ev)) {
      if (ev.has_progress()) Progress(ev.progress());
      if (ev.has_plan()) plan = ev.plan(), got = true;
    }
    st = reader->Finish();
  };
  if (sub == "create") {
    tv1::CreatePlanRequest req;
    req.set_agency_code(Required("agency"));
    req.set_analysis_run_id(Required("run"));
    req.set_policy_id(Required("policy"));
    *req.mutable_effective_date() = DateFlag("effective");
    req.set_label(Flag("label"));
    req.set_request_id(Flag("request-id"));
    follow(Transfer().CreatePlan(ctx.get(), req), tv1::CreatePlanResponse());
  } else {
    tv1::RevisePlanRequest req;
    req.set_plan_id(Word(2, "ID"));
    req.set_label(Flag("label"));
    req.set_request_id(Flag("request-id"));
    follow(Transfer().RevisePlan(ctx.get(), req), tv1::RevisePlanResponse());
  }
  EndProgress();
  if (!st.ok()) return RpcError(sub == "create" ? "CreatePlan" : "RevisePlan", st);
  if (!got) {
    err_ << "seimbangctl: the plan stream ended without a plan\n";
    return kExitError;
  }
  if (output_ == "json") {
    Emit(plan, {});
  } else {
    PrintPlanSummary(plan, {});
  }
  return kExitOk;
}

int Cli::PlanShow() {
  tv1::GetPlanResponse resp;
  grpc::Status st;
  if (!GetPlan(Word(2, "ID"), resp, st)) return RpcError("GetPlan", st);
  if (output_ == "json") {
    Emit(resp, {});
    return kExitOk;
  }
  PrintPlanSummary(resp.plan(), {resp.unfilled().begin(), resp.unfilled().end()});
  const tv1::PlanState state = resp.plan().state();
  if (state == tv1::PLAN_STATE_EXECUTING || state == tv1::PLAN_STATE_EXECUTED ||
      state == tv1::PLAN_STATE_EXECUTED_WITH_FAILURES) {
    tv1::GetExecutionRequest g;
    g.set_plan_id(resp.plan().id());
    g.mutable_page()->set_page_size(1);
    tv1::GetExecutionResponse gr;
    auto ctx = Ctx();
    st = Transfer().GetExecution(ctx.get(), g, &gr);
    if (!st.ok()) return RpcError("GetExecution", st);
    out_ << "\n";
    PrintExecution(gr.execution());
  }
  return kExitOk;
}

void Cli::PrintExecution(const tv1::Execution& ex) {
  out_ << "Execution: " << tv1::PlanState_Name(ex.plan_state()) << ", " << ex.applied() << " of "
       << ex.total() << " moves applied, " << ex.failed() << " failed, " << ex.stale()
       << " stale (skipped), " << ex.pending() << " pending\n";
  if (!ex.last_error().empty()) out_ << "  last error: " << ex.last_error() << "\n";
  if (ex.not_applied().empty()) return;
  Table t{{"move", "NIP", "outcome", "reason"}, {}};
  for (const auto& m : ex.not_applied()) {
    t.rows.push_back({m.move_id(), m.nip(), tv1::MoveExecutionState_Name(m.state()), m.detail()});
  }
  PrintTable(t);
  const int shown = ex.not_applied_size();
  if (ex.failed() + ex.stale() > shown) {
    out_ << "  (" << ex.failed() + ex.stale() - shown << " more not shown)\n";
  }
}

int Cli::PlanMoves() {
  tv1::ListMovesRequest req;
  req.set_plan_id(Word(2, "ID"));
  req.set_by_importance(!Switch("by-id"));
  req.set_unit_id(IntFlag("unit", 0));
  req.set_job_family(Flag("family"));
  req.mutable_page()->set_page_size(static_cast<int32_t>(IntFlag("top", IntFlag("page-size", 20))));
  req.mutable_page()->set_page_token(Flag("page-token"));
  tv1::ListMovesResponse resp;
  auto ctx = Ctx();
  grpc::Status st = Transfer().ListMoves(ctx.get(), req, &resp);
  if (!st.ok()) return RpcError("ListMoves", st);
  if (output_ == "table") {
    int i = 0;
    for (const auto& m : resp.moves()) {
      out_ << absl::StrFormat(
          "%2d. %s  %s (%s)\n    %s / %s  ->  %s / %s   [importance %.0f, cost %.0f]\n    %s\n",
          ++i, m.id(), m.employee_name(), m.nip(), m.from_unit_name(), m.from_position_code(),
          m.to_unit_name(), m.to_position_code(), m.importance(), m.cost().total(), m.summary());
    }
    if (resp.moves().empty()) out_ << "no moves\n";
    return kExitOk;
  }
  Table t{{"id", "nip", "name", "family", "from_unit", "from_position", "to_unit", "to_position",
           "importance", "cost", "summary"},
          {}};
  for (const auto& m : resp.moves()) {
    t.rows.push_back({m.id(), m.nip(), m.employee_name(), m.job_family(), m.from_unit_name(),
                      m.from_position_code(), m.to_unit_name(), m.to_position_code(),
                      F2(m.importance()), F2(m.cost().total()), m.summary()});
  }
  Emit(resp, t);
  return kExitOk;
}

int Cli::PlanExplain() {
  tv1::ExplainMoveRequest req;
  req.set_plan_id(Word(2, "ID"));
  req.set_move_id(Word(3, "MOVE"));
  tv1::ExplainMoveResponse resp;
  auto ctx = Ctx();
  grpc::Status st = Transfer().ExplainMove(ctx.get(), req, &resp);
  if (!st.ok()) return RpcError("ExplainMove", st);
  if (output_ == "json") {
    Emit(resp, {});
    return kExitOk;
  }
  const auto& m = resp.move();
  out_ << m.id() << ": " << m.employee_name() << " (" << m.nip() << ")\n  " << resp.sentence()
       << "\n\n";
  auto slot = [&](const std::string& what, const tv1::SlotState& s) {
    return std::vector<std::string>{what, absl::StrCat(s.unit_name(), " / ", s.position_code()),
                                    absl::StrCat(s.staff_before(), " -> ", s.staff_after()),
                                    absl::StrCat(s.need()),
                                    absl::StrCat(F2(s.ej_before()), " -> ", F2(s.ej_after()))};
  };
  PrintTable({{"", "unit / position", "staff", "need", "EJ"},
              {slot("from", resp.source()), slot("to", resp.target())}});
  out_ << "\nRules met: " << absl::StrJoin(resp.rules_satisfied(), ", ") << "\n";
  out_ << absl::StrFormat(
      "Cost: %.1f (base %.1f, distance %.1f for %.1f km, competency %.1f, preference %.1f, "
      "rotation %.1f)\n",
      m.cost().total(), m.cost().base(), m.cost().distance(), m.cost().distance_km(),
      m.cost().competency(), m.cost().preference(), m.cost().rotation());
  if (resp.has_best_alternative()) {
    const auto& a = resp.best_alternative();
    out_ << absl::StrFormat("Best alternative: %s / %s, %.1f more\n", a.unit_name(),
                            a.position_code(), a.extra_cost());
  }
  return kExitOk;
}

int Cli::PlanCompare() {
  tv1::ComparePlansRequest req;
  req.set_base_plan_id(Word(2, "A"));
  req.set_other_plan_id(Word(3, "B"));
  tv1::ComparePlansResponse resp;
  auto ctx = Ctx();
  grpc::Status st = Transfer().ComparePlans(ctx.get(), req, &resp);
  if (!st.ok()) return RpcError("ComparePlans", st);
  Table t{{"change", "move", "nip", "name", "from", "to"}, {}};
  for (const auto& m : resp.added()) {
    t.rows.push_back(
        {"added", m.id(), m.nip(), m.employee_name(), m.from_unit_name(), m.to_unit_name()});
  }
  for (const auto& m : resp.removed()) {
    t.rows.push_back(
        {"removed", m.id(), m.nip(), m.employee_name(), m.from_unit_name(), m.to_unit_name()});
  }
  if (output_ == "table") {
    out_ << absl::StrFormat("%s: %d moves, %s: %d moves; %d unchanged, %d added, %d removed\n",
                            resp.base().id(), resp.base().moves(), resp.other().id(),
                            resp.other().moves(), resp.unchanged(), resp.added_size(),
                            resp.removed_size());
  }
  Emit(resp, t);
  return kExitOk;
}

// submit, approve, reject or cancel, against the plan's current etag.
int Cli::PlanTransition(const std::string& sub) {
  const std::string id = Word(2, "ID");
  tv1::GetPlanResponse cur;
  grpc::Status st;
  if (!GetPlan(id, cur, st)) return RpcError("GetPlan", st);
  tv1::PlanSummary plan;
  auto ctx = Ctx();
  // The four carry the plan, its current etag and the request id, and answer the plan.
  auto send = [&](auto& req, auto rpc, auto& resp) {
    req.set_plan_id(id);
    req.set_etag(cur.plan().etag());
    req.set_request_id(Flag("request-id"));
    st = (Transfer().*rpc)(ctx.get(), req, &resp);
    plan = resp.plan();
  };
  using Stub = tv1::TransferPlanningService::Stub;
  if (sub == "submit") {
    tv1::SubmitPlanRequest req;
    tv1::SubmitPlanResponse resp;
    send(req, &Stub::SubmitPlan, resp);
  } else if (sub == "approve") {
    tv1::ApprovePlanRequest req;
    req.set_note(Flag("note"));
    tv1::ApprovePlanResponse resp;
    send(req, &Stub::ApprovePlan, resp);
  } else if (sub == "reject") {
    tv1::RejectPlanRequest req;
    req.set_reason(Required("reason"));
    tv1::RejectPlanResponse resp;
    send(req, &Stub::RejectPlan, resp);
  } else {
    tv1::CancelPlanRequest req;
    req.set_reason(Flag("reason"));
    tv1::CancelPlanResponse resp;
    send(req, &Stub::CancelPlan, resp);
  }
  if (!st.ok()) return RpcError(absl::StrCat("plan ", sub), st);
  Emit(plan, Table{{}, {{"plan", plan.id()}, {"state", tv1::PlanState_Name(plan.state())}}});
  return kExitOk;
}

int Cli::PlanExecute() {
  const std::string id = Word(2, "ID");
  tv1::ExecutePlanRequest req;
  req.set_plan_id(id);
  req.set_request_id(Flag("request-id"));
  tv1::ExecutePlanResponse resp;
  auto ctx = Ctx(60 * 60 * 1000);
  grpc::Status st = Transfer().ExecutePlan(ctx.get(), req, &resp);
  if (!st.ok()) return RpcError("ExecutePlan", st);
  tv1::Execution ex = resp.execution();
  // ExecutePlan may return while the saga still runs: follow it to the end.
  while (ex.finish_time_ms() == 0 && ex.plan_state() == tv1::PLAN_STATE_EXECUTING) {
    Progress(
        "execute",
        absl::StrCat(ex.applied(), " applied, ", ex.stale(), " stale, ", ex.failed(), " failed"),
        ex.total() - ex.pending(), ex.total());
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    tv1::GetExecutionRequest g;
    g.set_plan_id(id);
    g.mutable_page()->set_page_size(1);
    tv1::GetExecutionResponse gr;
    auto c2 = Ctx();
    st = Transfer().GetExecution(c2.get(), g, &gr);
    if (!st.ok()) return RpcError("GetExecution", st);
    ex = gr.execution();
  }
  EndProgress();
  if (output_ == "json") {
    Emit(ex, {});
  } else {
    out_ << "Plan " << ex.plan_id() << "\n";
    PrintExecution(ex);
  }
  // A plan that did not apply every move is not a success (issue 18 item 2).
  return ex.plan_state() == tv1::PLAN_STATE_EXECUTED ? kExitOk : kExitError;
}

int Cli::PlanExport() {
  tv1::ExportPlanRequest req;
  req.set_plan_id(Word(2, "ID"));
  std::string format = Flag("format", "csv");
  if (format == "csv") {
    req.set_format(tv1::EXPORT_FORMAT_CSV);
  } else if (format == "sk") {
    req.set_format(tv1::EXPORT_FORMAT_DECREE_DRAFTS);
  } else {
    throw UsageError{"--format must be csv or sk"};
  }
  auto ctx = Ctx(10 * 60 * 1000);
  auto reader = Transfer().ExportPlan(ctx.get(), req);
  tv1::ExportPlanResponse line;
  while (reader->Read(&line)) {
    out_ << line.text();
    if (format == "sk") out_ << "\n\f\n";
  }
  grpc::Status st = reader->Finish();
  if (!st.ok()) return RpcError("ExportPlan", st);
  return kExitOk;
}

}  // namespace seimbang::ctl
