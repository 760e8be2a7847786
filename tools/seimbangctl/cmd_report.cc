// seimbangctl report PLAN --out FILE.html: the printable plan report.
#include <fstream>

#include "absl/time/clock.h"
#include "absl/time/time.h"
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
  {
    tv1::GetPolicyRequest req;
    req.set_id(in.plan.policy_id());
    req.set_version(in.plan.policy_version());
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

}  // namespace seimbang::ctl
