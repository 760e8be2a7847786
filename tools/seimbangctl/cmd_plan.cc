// seimbangctl plan create | revise | show | moves | explain | compare | submit | approve |
// reject | cancel | execute | export (plan story is in cmd_plan_story.cc).
#include <chrono>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "tools/seimbangctl/cli_internal.h"

namespace seimbang::ctl {
namespace tv1 = seimbang::transfer::v1;

std::string UnfilledReasonText(Lang lang, const tv1::UnfilledNeed& u) {
  std::string reason = EnumWord(lang, tv1::UnfilledReason_Name(u.reason()), "UNFILLED_REASON_");
  if (!u.rule().empty()) absl::StrAppend(&reason, " (", u.rule(), ")");
  return reason;
}

void Cli::PrintPlanSummary(const tv1::PlanSummary& p,
                           const std::vector<tv1::UnfilledNeed>& unfilled) {
  out_ << T("plan.heading", p.id(), Word_(tv1::PlanState_Name(p.state()), "PLAN_STATE_"),
            p.revision(), p.agency_code(), DateText(p.effective_date()))
       << "\n";
  out_ << "  " << T("plan.considered", p.candidates(), p.eligible(), p.solve_ms()) << "\n";
  // The approver's note, or why the plan was rejected or cancelled.
  if (!p.decision_note().empty())
    out_ << "  " << T("plan.decision_note", p.decision_note()) << "\n";
  out_ << "\n";
  const auto& b = p.before();
  const auto& a = p.after();
  PrintTable(
      {{"", T("col.before"), T("col.after")},
       {{T("metric.units_over"), absl::StrCat(b.units_over()), absl::StrCat(a.units_over())},
        {T("metric.units_under"), absl::StrCat(b.units_under()), absl::StrCat(a.units_under())},
        {T("metric.surplus"), absl::StrCat(b.total_surplus()), absl::StrCat(a.total_surplus())},
        {T("metric.deficit"), absl::StrCat(b.total_deficit()), absl::StrCat(a.total_deficit())},
        {T("metric.balanced_share"), Pct(b.balanced_share()), Pct(a.balanced_share())},
        {T("metric.ej_cv"), F2(b.ej_cv()), F2(a.ej_cv())},
        {T("metric.robin_hood"), Pct(b.robin_hood_index()), Pct(a.robin_hood_index())}}});
  out_ << "\n" << T("plan.moves", p.moves(), p.moves_lower_bound()) << "\n";
  Table fam{{T("col.family"), T("col.moves"), T("col.lower_bound")}, {}};
  for (const auto& f : p.by_family()) {
    fam.rows.push_back({FamilyWord(lang_, f.job_family()), absl::StrCat(f.moves()),
                        absl::StrCat(f.lower_bound())});
  }
  if (!fam.rows.empty()) PrintTable(fam);
  out_ << "\n" << T("plan.unfilled", p.unfilled()) << "\n";
  Table un{{T("col.unit"), T("col.position"), T("col.missing"), T("col.reason")}, {}};
  for (size_t i = 0; i < unfilled.size() && i < 10; ++i) {
    const auto& u = unfilled[i];
    un.rows.push_back({u.unit_name(), u.position_code(), absl::StrCat(u.missing()),
                       UnfilledReasonText(lang_, u)});
  }
  if (!un.rows.empty()) PrintTable(un);
  if (unfilled.size() > 10) out_ << "  " << T("word.and_more", unfilled.size() - 10) << "\n";
}

// plan list: the agency's plans, newest first, with their state in words.
int Cli::PlanList() {
  const std::string agency = Flag("agency");
  tv1::PlanState state = tv1::PLAN_STATE_UNSPECIFIED;
  if (const std::string s = Flag("state"); !s.empty()) {
    std::vector<std::string> known;
    for (int i = 1; i <= tv1::PlanState_MAX; ++i) {
      if (!tv1::PlanState_IsValid(i)) continue;
      const std::string name = tv1::PlanState_Name(static_cast<tv1::PlanState>(i));
      const std::string word = Word_(name, "PLAN_STATE_");
      const std::string plain =
          absl::AsciiStrToLower(std::string(absl::StripPrefix(name, "PLAN_STATE_")));
      if (absl::AsciiStrToLower(s) == plain || s == word || s == name) {
        state = static_cast<tv1::PlanState>(i);
      }
      known.push_back(plain);
    }
    if (state == tv1::PLAN_STATE_UNSPECIFIED) {
      throw UsageError{T("err.state", s, absl::StrJoin(known, ", "))};
    }
  }
  tv1::ListPlansRequest req;
  req.set_agency_code(agency);
  req.set_state(state);
  return ListRpc("ListPlans",
                 Table{{"plan_id", "state", "revision", "agency", "effective", "label", "moves",
                        "moves_lower_bound", "balanced_share_before", "balanced_share_after"},
                       {}},
                 &Cli::Transfer, &TransferStub::ListPlans, req,
                 [&](const tv1::ListPlansResponse& resp, Table& t) {
                   for (const auto& p : resp.plans()) {
                     t.rows.push_back(
                         {p.id(), Word_(tv1::PlanState_Name(p.state()), "PLAN_STATE_"),
                          absl::StrCat(p.revision()), p.agency_code(), DateText(p.effective_date()),
                          p.label(), absl::StrCat(p.moves()), absl::StrCat(p.moves_lower_bound()),
                          Pct(p.before().balanced_share()), Pct(p.after().balanced_share())});
                   }
                 });
}

int Cli::PlanCreateOrRevise() {
  const std::string& sub = args_.words[1];
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
    err_ << "seimbangctl: " << T("err.no_plan_in_stream") << "\n";
    return kExitError;
  }
  if (output_ == "json" || output_ == "yaml") {
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
  if (output_ != "table") {
    // CSV: the summary's figures as one table of name,value (the message's
    // fields are JSON's); the moves are `plan moves`, the export `plan export`.
    Emit(resp, PlanFigures(resp.plan()));
    return kExitOk;
  }
  PrintPlanSummary(resp.plan(), {resp.unfilled().begin(), resp.unfilled().end()});
  const tv1::PlanState state = resp.plan().state();
  if (state == tv1::PLAN_STATE_EXECUTING || state == tv1::PLAN_STATE_EXECUTED ||
      state == tv1::PLAN_STATE_EXECUTED_WITH_FAILURES) {
    const tv1::Execution ex = ExecutionOf(resp.plan().id());
    out_ << "\n";
    PrintExecution(ex);
  }
  return kExitOk;
}

void Cli::PrintExecution(const tv1::Execution& ex) {
  out_ << T("exec.summary", Word_(tv1::PlanState_Name(ex.plan_state()), "PLAN_STATE_"),
            ex.applied(), ex.total(), ex.failed(), ex.stale(), ex.pending())
       << "\n";
  if (!ex.last_error().empty()) out_ << "  " << T("exec.last_error", ex.last_error()) << "\n";
  if (ex.not_applied().empty()) return;
  Table t{{"move_id", "nip", "outcome", "reason"}, {}};
  for (const auto& m : ex.not_applied()) {
    t.rows.push_back({m.move_id(), m.nip(),
                      Word_(tv1::MoveExecutionState_Name(m.state()), "MOVE_EXECUTION_STATE_"),
                      m.detail()});
  }
  PrintTable(t);
  const int shown = ex.not_applied_size();
  if (ex.failed() + ex.stale() > shown) {
    out_ << "  " << T("exec.more_not_shown", ex.failed() + ex.stale() - shown) << "\n";
  }
}

// The plan summary's figures as rows of name, value (CSV of `plan show`).
Table Cli::PlanFigures(const tv1::PlanSummary& p) const {
  const auto& b = p.before();
  const auto& a = p.after();
  return Table{{"field", "value"},
               {{"plan_id", p.id()},
                {"state", Word_(tv1::PlanState_Name(p.state()), "PLAN_STATE_")},
                {"revision", absl::StrCat(p.revision())},
                {"agency", p.agency_code()},
                {"effective", DateText(p.effective_date())},
                {"run_id", p.analysis_run_id()},
                {"policy_id", p.policy_id()},
                {"decision_note", p.decision_note()},
                {"candidates", absl::StrCat(p.candidates())},
                {"eligible", absl::StrCat(p.eligible())},
                {"moves", absl::StrCat(p.moves())},
                {"moves_lower_bound", absl::StrCat(p.moves_lower_bound())},
                {"unfilled", absl::StrCat(p.unfilled())},
                {"units_over_before", absl::StrCat(b.units_over())},
                {"units_over_after", absl::StrCat(a.units_over())},
                {"units_under_before", absl::StrCat(b.units_under())},
                {"units_under_after", absl::StrCat(a.units_under())},
                {"surplus_before", absl::StrCat(b.total_surplus())},
                {"surplus_after", absl::StrCat(a.total_surplus())},
                {"deficit_before", absl::StrCat(b.total_deficit())},
                {"deficit_after", absl::StrCat(a.total_deficit())},
                {"balanced_share_before", Pct(b.balanced_share())},
                {"balanced_share_after", Pct(a.balanced_share())},
                {"ej_cv_before", F2(b.ej_cv())},
                {"ej_cv_after", F2(a.ej_cv())},
                {"robin_hood_before", Pct(b.robin_hood_index())},
                {"robin_hood_after", Pct(a.robin_hood_index())}}};
}

int Cli::PlanMoves() {
  const std::string plan_id = Word(2, "ID");
  int64_t unit = 0;
  if (const std::string u = Flag("unit"); !u.empty()) {
    tv1::GetPlanResponse plan;
    grpc::Status st;
    int64_t id = 0;
    if (!absl::SimpleAtoi(u, &id) && !GetPlan(plan_id, plan, st)) return RpcError("GetPlan", st);
    unit = ResolveUnit(plan.plan().agency_code(), u);
  }
  const std::string family = FamilyFlag();
  // The moves as a table of the export's columns (plan export), plus importance.
  Table t{{"move_id", "nip", "name", "family", "from_unit", "from_position", "to_unit",
           "to_position", "importance", "cost", "summary"},
          {}};
  int64_t default_size = IntFlag("top", IntFlag("page-size", 20));
  std::vector<tv1::Move> shown;
  std::string next;
  const bool all = Switch("all");
  std::string token = Flag("page-token");
  tv1::ListMovesResponse merged;
  do {
    tv1::ListMovesRequest req;
    req.set_plan_id(plan_id);
    req.set_by_importance(!Switch("by-id"));
    req.set_unit_id(unit);
    req.set_job_family(family);
    req.mutable_page()->set_page_size(static_cast<int32_t>(all ? 1000 : default_size));
    req.mutable_page()->set_page_token(token);
    const auto resp = CallOrExit("ListMoves", &Cli::Transfer, &TransferStub::ListMoves, req);
    token = resp.page().next_page_token();
    merged.MergeFrom(resp);
  } while (all && !token.empty());
  merged.mutable_page()->set_next_page_token(token);
  if (output_ == "table") {
    int i = 0;
    for (const auto& m : merged.moves()) {
      out_ << absl::StrFormat("%2d. %s  %s (%s), %s\n    %s / %s  ->  %s / %s   [%s]\n    %s\n",
                              ++i, m.id(), m.employee_name(), m.nip(),
                              FamilyWord(lang_, m.job_family()), m.from_unit_name(),
                              m.from_position_code(), m.to_unit_name(), m.to_position_code(),
                              T("moves.importance_cost", absl::StrFormat("%.0f", m.importance()),
                                absl::StrFormat("%.0f", m.cost().total())),
                              m.summary());
    }
    if (merged.moves().empty()) out_ << T("moves.none") << "\n";
    if (!token.empty()) out_ << T("page.next", token) << "\n";
    return kExitOk;
  }
  for (const auto& m : merged.moves()) {
    t.rows.push_back({m.id(), m.nip(), m.employee_name(), FamilyWord(lang_, m.job_family()),
                      m.from_unit_name(), m.from_position_code(), m.to_unit_name(),
                      m.to_position_code(), F2(m.importance()), F2(m.cost().total()), m.summary()});
  }
  Emit(merged, t, token);
  return kExitOk;
}

int Cli::PlanExplain() {
  tv1::ExplainMoveRequest req;
  req.set_plan_id(Word(2, "ID"));
  req.set_move_id(Word(3, "MOVE"));
  const auto resp = CallOrExit("ExplainMove", &Cli::Transfer, &TransferStub::ExplainMove, req);
  if (output_ != "table") {
    Emit(resp, Table{{"field", "value"},
                     {{"move_id", resp.move().id()},
                      {"nip", resp.move().nip()},
                      {"name", resp.move().employee_name()},
                      {"sentence", resp.sentence()},
                      {"rules_satisfied", absl::StrJoin(resp.rules_satisfied(), ", ")}}});
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
  PrintTable({{"", T("col.unit_position"), T("col.staff"), T("col.need"), "EJ"},
              {slot(T("word.from"), resp.source()), slot(T("word.to"), resp.target())}});
  std::vector<std::string> rules;
  for (const auto& r : resp.rules_satisfied()) {
    const std::string key = absl::StrCat("rule.", r);
    rules.push_back(HasText(key) ? absl::StrCat(T(key), " (", r, ")") : r);
  }
  out_ << "\n" << T("explain.rules", absl::StrJoin(rules, ", ")) << "\n";
  auto f1 = [this](double v) { return Decimal(v, 1); };
  out_ << T("explain.cost", f1(m.cost().total()), f1(m.cost().base()), f1(m.cost().distance()),
            f1(m.cost().distance_km()), f1(m.cost().preference()), f1(m.cost().rotation()))
       << "\n";
  if (resp.has_best_alternative()) {
    const auto& a = resp.best_alternative();
    out_ << T("explain.alternative", a.unit_name(), a.position_code(), f1(a.extra_cost())) << "\n";
  }
  return kExitOk;
}

int Cli::PlanCompare() {
  tv1::ComparePlansRequest req;
  req.set_base_plan_id(Word(2, "A"));
  req.set_other_plan_id(Word(3, "B"));
  const auto resp = CallOrExit("ComparePlans", &Cli::Transfer, &TransferStub::ComparePlans, req);
  Table t{{"change", "move_id", "nip", "name", "from_unit", "to_unit"}, {}};
  for (const auto& m : resp.added()) {
    t.rows.push_back({T("compare.added"), m.id(), m.nip(), m.employee_name(), m.from_unit_name(),
                      m.to_unit_name()});
  }
  for (const auto& m : resp.removed()) {
    t.rows.push_back({T("compare.removed"), m.id(), m.nip(), m.employee_name(), m.from_unit_name(),
                      m.to_unit_name()});
  }
  if (output_ == "table") {
    out_ << T("compare.summary", resp.base().id(), resp.base().moves(), resp.other().id(),
              resp.other().moves(), resp.unchanged(), resp.added_size(), resp.removed_size())
         << "\n";
  }
  Emit(resp, t);
  return kExitOk;
}

// submit, approve, reject or cancel, against the plan's current etag.
int Cli::PlanTransition() {
  const std::string& sub = args_.words[1];
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

  if (sub == "submit") {
    tv1::SubmitPlanRequest req;
    tv1::SubmitPlanResponse resp;
    send(req, &TransferStub::SubmitPlan, resp);
  } else if (sub == "approve") {
    tv1::ApprovePlanRequest req;
    req.set_note(Flag("note"));
    tv1::ApprovePlanResponse resp;
    send(req, &TransferStub::ApprovePlan, resp);
  } else if (sub == "reject") {
    tv1::RejectPlanRequest req;
    req.set_reason(Required("reason"));
    tv1::RejectPlanResponse resp;
    send(req, &TransferStub::RejectPlan, resp);
  } else {
    tv1::CancelPlanRequest req;
    req.set_reason(Flag("reason"));
    tv1::CancelPlanResponse resp;
    send(req, &TransferStub::CancelPlan, resp);
  }
  if (!st.ok()) return RpcError(absl::StrCat("plan ", sub), st);
  Emit(plan, Table{{"plan_id", "state"},
                   {{plan.id(), Word_(tv1::PlanState_Name(plan.state()), "PLAN_STATE_")}}});
  return kExitOk;
}

// The plan's execution (GetExecution, its counts only); a failed call ends the command.
tv1::Execution Cli::ExecutionOf(const std::string& plan_id) {
  tv1::GetExecutionRequest req;
  req.set_plan_id(plan_id);
  req.mutable_page()->set_page_size(1);
  return CallOrExit("GetExecution", &Cli::Transfer, &TransferStub::GetExecution, req).execution();
}

int Cli::PlanExecute() {
  const std::string id = Word(2, "ID");
  tv1::ExecutePlanRequest req;
  req.set_plan_id(id);
  req.set_request_id(Flag("request-id"));
  tv1::Execution ex =
      CallOrExit("ExecutePlan", &Cli::Transfer, &TransferStub::ExecutePlan, req, 60 * 60 * 1000)
          .execution();
  // ExecutePlan may return while the saga still runs: follow it to the end.
  while (ex.finish_time_ms() == 0 && ex.plan_state() == tv1::PLAN_STATE_EXECUTING) {
    Progress("execute", T("exec.progress", ex.applied(), ex.stale(), ex.failed()),
             ex.total() - ex.pending(), ex.total());
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ex = ExecutionOf(id);
  }
  EndProgress();
  if (output_ == "json" || output_ == "yaml") {
    Emit(ex, {});
  } else {
    out_ << T("exec.plan", ex.plan_id()) << "\n";
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
    throw UsageError{T("err.export_format", format)};
  }
  auto ctx = Ctx(10 * 60 * 1000);
  auto reader = Transfer().ExportPlan(ctx.get(), req);
  tv1::ExportPlanResponse line;
  int64_t n = 0;
  while (reader->Read(&line)) {
    out_ << line.text();
    if (format == "sk") out_ << "\n\f\n";
    if (++n % 50 == 0) Progress("export", "", n, 0);
  }
  grpc::Status st = reader->Finish();
  EndProgress();
  if (!st.ok()) return RpcError("ExportPlan", st);
  return kExitOk;
}

}  // namespace seimbang::ctl
