// Cli helpers that fetch one plan, or every page of a list (analysis rows, moves, units).
#include "tools/seimbangctl/cli_internal.h"

namespace seimbang::ctl {
namespace pv1 = seimbang::personnel::v1;
namespace wv1 = seimbang::workload::v1;
namespace tv1 = seimbang::transfer::v1;

bool Cli::AllAnalysisRows(const std::string& run, std::vector<wv1::PositionRow>& rows,
                          wv1::AnalysisSummary* summary, grpc::Status& st) {
  std::string token;
  do {
    wv1::GetAnalysisRequest req;
    req.set_run_id(run);
    req.mutable_page()->set_page_size(1000);
    req.mutable_page()->set_page_token(token);
    wv1::GetAnalysisResponse resp;
    auto ctx = Ctx();
    st = Workload().GetAnalysis(ctx.get(), req, &resp);
    if (!st.ok()) return false;
    if (summary != nullptr) *summary = resp.summary();
    for (auto& r : *resp.mutable_rows()) rows.push_back(std::move(r));
    token = resp.page().next_page_token();
  } while (!token.empty());
  return true;
}

bool Cli::GetPlan(const std::string& id, tv1::GetPlanResponse& resp, grpc::Status& st) {
  tv1::GetPlanRequest req;
  req.set_plan_id(id);
  auto ctx = Ctx();
  st = Transfer().GetPlan(ctx.get(), req, &resp);
  return st.ok();
}

bool Cli::AllMoves(const std::string& plan, bool by_importance, std::vector<tv1::Move>& moves,
                   grpc::Status& st) {
  std::string token;
  do {
    tv1::ListMovesRequest req;
    req.set_plan_id(plan);
    req.set_by_importance(by_importance);
    req.mutable_page()->set_page_size(1000);
    req.mutable_page()->set_page_token(token);
    tv1::ListMovesResponse resp;
    auto ctx = Ctx();
    st = Transfer().ListMoves(ctx.get(), req, &resp);
    if (!st.ok()) return false;
    for (auto& m : *resp.mutable_moves()) moves.push_back(std::move(m));
    token = resp.page().next_page_token();
  } while (!token.empty());
  return true;
}

bool Cli::AllUnits(const std::string& agency, std::vector<pv1::Unit>& units, grpc::Status& st) {
  std::string token;
  do {
    pv1::ListUnitsRequest req;
    req.set_agency_code(agency);
    req.set_include_inactive(true);
    req.mutable_page()->set_page_size(1000);
    req.mutable_page()->set_page_token(token);
    pv1::ListUnitsResponse resp;
    auto ctx = Ctx();
    st = Personnel().ListUnits(ctx.get(), req, &resp);
    if (!st.ok()) return false;
    for (auto& u : *resp.mutable_units()) units.push_back(std::move(u));
    token = resp.page().next_page_token();
  } while (!token.empty());
  return true;
}

}  // namespace seimbang::ctl
