// Cli helpers that fetch one plan, or every page of a list (analysis rows, moves, units,
// positions), employees by NIP in batches, and that turn a unit or job family given in words
// into the contract's id or name.
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/seimbangctl/cli_internal.h"

namespace seimbang::ctl {
namespace pv1 = seimbang::personnel::v1;
namespace wv1 = seimbang::workload::v1;
namespace tv1 = seimbang::transfer::v1;

bool Cli::AllAnalysisRows(const std::string& run, std::vector<wv1::PositionRow>& rows,
                          wv1::AnalysisSummary* summary, grpc::Status& st) {
  wv1::GetAnalysisRequest req;
  req.set_run_id(run);
  return FetchInto(&Cli::Workload, &WorkloadStub::GetAnalysis, req, st, rows, [&](auto& resp) {
    if (summary != nullptr) *summary = resp.summary();
    return resp.mutable_rows();
  });
}

bool Cli::GetPlan(const std::string& id, tv1::GetPlanResponse& resp, grpc::Status& st) {
  tv1::GetPlanRequest req;
  req.set_plan_id(id);
  st = Call(&Cli::Transfer, &TransferStub::GetPlan, req, resp);
  return st.ok();
}

bool Cli::AllMoves(const std::string& plan, bool by_importance, std::vector<tv1::Move>& moves,
                   grpc::Status& st) {
  tv1::ListMovesRequest req;
  req.set_plan_id(plan);
  req.set_by_importance(by_importance);
  return FetchInto(&Cli::Transfer, &TransferStub::ListMoves, req, st, moves,
                   [](auto& resp) { return resp.mutable_moves(); });
}

bool Cli::AllUnits(const std::string& agency, std::vector<pv1::Unit>& units, grpc::Status& st) {
  pv1::ListUnitsRequest req;
  req.set_agency_code(agency);
  req.set_include_inactive(true);
  return FetchInto(&Cli::Personnel, &PersonnelStub::ListUnits, req, st, units,
                   [](auto& resp) { return resp.mutable_units(); });
}

bool Cli::AllPositions(std::vector<pv1::Position>& positions, grpc::Status& st) {
  return FetchInto(&Cli::Personnel, &PersonnelStub::ListPositions, pv1::ListPositionsRequest(), st,
                   positions, [](auto& resp) { return resp.mutable_positions(); });
}

bool Cli::EmployeesByNip(const std::vector<std::string>& nips,
                         std::map<std::string, pv1::Employee>& out, grpc::Status& st) {
  for (size_t at = 0; at < nips.size(); at += 1000) {
    pv1::BatchGetEmployeesRequest req;
    for (size_t i = at; i < nips.size() && i < at + 1000; ++i) req.add_nips(nips[i]);
    pv1::BatchGetEmployeesResponse resp;
    st = Call(&Cli::Personnel, &PersonnelStub::BatchGetEmployees, req, resp);
    if (!st.ok()) return false;
    for (auto& e : *resp.mutable_employees()) out[e.nip()] = std::move(e);
  }
  return true;
}

std::map<int64_t, std::string> Cli::UnitNames(const std::string& agency) {
  std::map<int64_t, std::string> names;
  std::vector<pv1::Unit> units;
  grpc::Status st;
  if (AllUnits(agency, units, st)) {
    for (const auto& u : units) names[u.id()] = u.name();
  }
  return names;
}

std::map<int64_t, std::string> Cli::UnitNamesToShow(const std::string& agency) {
  if (agency.empty() || output_ == "json" || output_ == "yaml") return {};
  return UnitNames(agency);
}

int64_t Cli::ResolveUnit(const std::string& agency, const std::string& text) {
  if (text.empty()) return 0;
  int64_t id = 0;
  if (absl::SimpleAtoi(text, &id)) return id;
  if (agency.empty()) throw UsageError{T("err.unit_needs_agency", text)};
  std::vector<pv1::Unit> units;
  grpc::Status st;
  if (!AllUnits(agency, units, st)) throw ExitNow{RpcError("ListUnits", st)};
  const std::string needle = absl::AsciiStrToLower(text);
  std::vector<const pv1::Unit*> matches;
  for (const auto& u : units) {
    if (!u.external_id().empty() && u.external_id() == text) return u.id();
    const std::string name = absl::AsciiStrToLower(u.name());
    if (name == needle) return u.id();
    if (absl::StrContains(name, needle)) matches.push_back(&u);
  }
  if (matches.size() == 1) return matches[0]->id();
  if (matches.empty()) {
    err_ << "seimbangctl: " << T("err.unit_none", agency, text) << "\n";
    throw ExitNow{kExitNotFound};
  }
  std::vector<std::string> named;
  for (size_t i = 0; i < matches.size() && i < 5; ++i) {
    named.push_back(absl::StrCat(matches[i]->id(), " ", matches[i]->name()));
  }
  if (matches.size() > 5) named.push_back("...");
  throw UsageError{T("err.unit_many", text, matches.size(), absl::StrJoin(named, "; "))};
}

std::string Cli::FamilyFlag() const {
  const std::string text = Flag("family");
  if (text.empty()) return "";
  std::string family = FamilyFromText(text);
  if (!family.empty()) return family;
  std::vector<std::string> known;
  for (const auto& f : KnownFamilies()) {
    known.push_back(lang_ == Lang::kId ? absl::StrCat(FamilyWord(Lang::kId, f), " (", f, ")") : f);
  }
  throw UsageError{T("err.family", text, absl::StrJoin(known, ", "))};
}

}  // namespace seimbang::ctl
