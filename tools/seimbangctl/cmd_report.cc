// seimbangctl report PLAN --out FILE.html: the printable plan report.
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/domain/nip.h"
#include "tools/seimbangctl/cli_internal.h"
#include "tools/seimbangctl/report.h"

namespace seimbang::ctl {
namespace pv1 = seimbang::personnel::v1;
namespace wv1 = seimbang::workload::v1;
namespace tv1 = seimbang::transfer::v1;

int Cli::Report() {
  const std::string plan_id = Word(1, "PLAN");
  const std::string path = Required("out");
  ReportInput in;
  tv1::GetPlanResponse plan;
  grpc::Status st;
  if (!GetPlan(plan_id, plan, st)) return RpcError("GetPlan", st);
  in.plan = plan.plan();
  in.unfilled.assign(plan.unfilled().begin(), plan.unfilled().end());
  in.objection_window_close_ms = plan.objection_window_close_ms();
  if (!ReportObjectionsAndPeople(in)) return kExitError;
  {
    tv1::GetPolicyRequest req;
    req.set_id(in.plan.policy_id());
    req.set_version(in.plan.policy_version());
    req.set_effective(true);  // The values the planner used, never "0 = default".
    tv1::GetPolicyResponse resp;
    auto ctx = Ctx();
    st = Transfer().GetPolicy(ctx.get(), req, &resp);
    if (!st.ok()) return RpcError("GetPolicy", st);
    in.policy = resp.policy();
  }
  if (!AllMoves(plan_id, true, in.moves, st)) return RpcError("ListMoves", st);
  std::vector<wv1::PositionRow> rows;
  wv1::AnalysisSummary summary;
  if (!AllAnalysisRows(in.plan.analysis_run_id(), rows, &summary, st))
    return RpcError("GetAnalysis", st);
  if (summary.settings().effective_minutes_per_year() > 0) {
    in.effective_minutes_per_year = summary.settings().effective_minutes_per_year();
  }
  std::vector<pv1::Unit> units;
  std::map<int64_t, std::string> names;
  if (AllUnits(in.plan.agency_code(), units, st)) {
    for (const auto& u : units) names[u.id()] = u.name();
  }
  {
    pv1::GetAgencyRequest req;
    req.set_code(in.plan.agency_code());
    pv1::GetAgencyResponse resp;
    auto ctx = Ctx();
    if (Personnel().GetAgency(ctx.get(), req, &resp).ok()) in.agency_name = resp.agency().name();
  }
  in.slots = BuildSlots(rows, in.moves, names);
  in.unit_names = names;
  const std::string which = Flag("projection", "latest");
  in.projection_wanted = which != "none";
  wv1::Projection projection;
  if (in.projection_wanted && ReportProjection(in.plan, projection)) {
    in.projection = std::move(projection);
  }
  in.generated_at = absl::FormatTime("%Y-%m-%d %H:%M %Z", absl::Now(), absl::UTCTimeZone());
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << RenderPlanReport(in);
  f.close();
  if (!f) {
    err_ << "seimbangctl: " << T("err.cannot_write", path) << "\n";
    return kExitError;
  }
  if (output_ == "table") out_ << T("report.wrote", path, in.moves.size()) << "\n";
  return kExitOk;
}

// The open objections against the plan (ListObjections, every page) and the names of the
// audit trail's subjects that are NIPs (BatchGetEmployees); false after printing a failed call.
bool Cli::ReportObjectionsAndPeople(ReportInput& in) {
  grpc::Status st;
  std::string token;
  do {
    tv1::ListObjectionsRequest req;
    req.set_plan_id(in.plan.id());
    req.mutable_page()->set_page_size(1000);
    req.mutable_page()->set_page_token(token);
    tv1::ListObjectionsResponse resp;
    auto ctx = Ctx();
    st = Transfer().ListObjections(ctx.get(), req, &resp);
    if (!st.ok()) {
      RpcError("ListObjections", st);
      return false;
    }
    for (const auto& o : resp.objections()) {
      if (o.state() == tv1::OBJECTION_STATE_OPEN) ++in.open_objections;
    }
    token = resp.page().next_page_token();
  } while (!token.empty());
  std::vector<std::string> nips;
  for (const std::string& s :
       {in.plan.created_by(), in.plan.submitted_by(), in.plan.approved_by()}) {
    if (domain::IsEmployeeNumberShape(s)) nips.push_back(s);
  }
  std::map<std::string, pv1::Employee> employees;
  if (!nips.empty() && !EmployeesByNip(nips, employees, st)) {
    RpcError("BatchGetEmployees", st);
    return false;
  }
  for (const auto& [nip, e] : employees) in.people[nip] = e.name();
  return true;
}

// --projection latest (the agency's newest stored projection, if any), plan (ProjectStaffing
// now from the plan's analysis run with its moves and unfilled needs; stored like any other),
// or a projection id. Any failed call ends the command (RpcError).
bool Cli::ReportProjection(const tv1::PlanSummary& plan, wv1::Projection& out) {
  const std::string which = Flag("projection", "latest");
  grpc::Status st;
  std::string id = which;
  if (which == "latest") {
    wv1::ListProjectionsRequest req;
    req.set_agency_code(plan.agency_code());
    req.mutable_page()->set_page_size(1);
    wv1::ListProjectionsResponse resp;
    auto ctx = Ctx();
    st = Workload().ListProjections(ctx.get(), req, &resp);
    if (!st.ok()) throw ExitNow{RpcError("ListProjections", st)};
    if (resp.projections_size() == 0) return false;
    id = resp.projections(0).projection_id();
  } else if (which == "plan") {
    wv1::ProjectStaffingRequest req;
    req.set_agency_code(plan.agency_code());
    req.set_run_id(plan.analysis_run_id());
    req.set_label(absl::StrCat("report ", plan.id()));
    std::string agency;
    if (!ProjectionPlanOf(plan.id(), *req.mutable_plan(), agency, st)) {
      throw ExitNow{RpcError("GetPlan/ListMoves", st)};
    }
    wv1::ProjectStaffingResponse resp;
    auto ctx = Ctx(10 * 60 * 1000);
    st = Workload().ProjectStaffing(ctx.get(), req, &resp);
    if (!st.ok()) throw ExitNow{RpcError("ProjectStaffing", st)};
    out = std::move(*resp.mutable_projection());
    return true;
  }
  wv1::GetProjectionRequest req;
  req.set_projection_id(id);
  wv1::GetProjectionResponse resp;
  auto ctx = Ctx();
  st = Workload().GetProjection(ctx.get(), req, &resp);
  if (!st.ok()) throw ExitNow{RpcError("GetProjection", st)};
  out = std::move(*resp.mutable_projection());
  return true;
}

}  // namespace seimbang::ctl
