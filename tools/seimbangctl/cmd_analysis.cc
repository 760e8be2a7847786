// seimbangctl analysis run | show | compare.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/seimbangctl/cli_internal.h"

namespace seimbang::ctl {
namespace wv1 = seimbang::workload::v1;

void Cli::PrintAnalysisSummary(const wv1::AnalysisSummary& s) {
  Table t{
      {},
      {{T("analysis.run"), s.run_id()},
       {T("analysis.agency"), s.agency_code()},
       {T("analysis.as_of"), DateText(s.as_of())},
       {T("analysis.label"), s.label()},
       {T("analysis.units"), absl::StrCat(s.units(), " / ", s.positions())},
       {T("analysis.staff_need"), absl::StrCat(s.total_staff(), " / ", s.total_need())},
       {T("analysis.surplus_deficit"), absl::StrCat(s.total_surplus(), " / ", s.total_deficit())},
       {T("analysis.over_under_vacant"),
        absl::StrCat(s.positions_over(), " / ", s.positions_under(), " / ", s.positions_vacant())},
       {T("metric.balanced_share"), Pct(s.balanced_share())},
       {T("analysis.ej_cv_gini"), absl::StrCat(F2(s.ej_cv()), " / ", F2(s.ej_gini()))},
       {T("metric.robin_hood"), Pct(s.robin_hood_index())},
       {T("analysis.wke"), absl::StrFormat("%.0f", s.settings().effective_minutes_per_year())}}};
  if (output_ == "csv") {
    // CSV: machine names, one field a row.
    t = Table{{"field", "value"},
              {{"run_id", s.run_id()},
               {"agency", s.agency_code()},
               {"as_of", DateText(s.as_of())},
               {"label", s.label()},
               {"units", absl::StrCat(s.units())},
               {"positions", absl::StrCat(s.positions())},
               {"staff", absl::StrCat(s.total_staff())},
               {"need", absl::StrCat(s.total_need())},
               {"surplus", absl::StrCat(s.total_surplus())},
               {"deficit", absl::StrCat(s.total_deficit())},
               {"balanced_share", Pct(s.balanced_share())},
               {"ej_cv", F2(s.ej_cv())},
               {"ej_gini", F2(s.ej_gini())},
               {"robin_hood", Pct(s.robin_hood_index())}}};
  }
  Emit(s, t);
}

// analysis list: the agency's runs, newest first.
int Cli::AnalysisList() {
  wv1::ListAnalysesRequest req;
  req.set_agency_code(Flag("agency"));
  return ListRpc("ListAnalyses",
                 Table{{"run_id", "agency", "as_of", "label", "staff", "need", "surplus", "deficit",
                        "balanced_share"},
                       {}},
                 &Cli::Workload, &WorkloadStub::ListAnalyses, req,
                 [&](const wv1::ListAnalysesResponse& resp, Table& t) {
                   for (const auto& s : resp.runs()) {
                     t.rows.push_back({s.run_id(), s.agency_code(), DateText(s.as_of()), s.label(),
                                       absl::StrCat(s.total_staff()), absl::StrCat(s.total_need()),
                                       absl::StrCat(s.total_surplus()),
                                       absl::StrCat(s.total_deficit()), Pct(s.balanced_share())});
                   }
                 });
}

int Cli::AnalysisRun() {
  wv1::RunAnalysisRequest req;
  req.set_agency_code(Required("agency"));
  *req.mutable_as_of() = DateFlag("as-of");
  req.set_label(Flag("label"));
  req.set_request_id(Flag("request-id"));
  auto ctx = Ctx(30 * 60 * 1000);
  auto reader = Workload().RunAnalysis(ctx.get(), req);
  wv1::RunAnalysisResponse ev;
  wv1::AnalysisSummary summary;
  bool got = false;
  while (reader->Read(&ev)) {
    if (ev.has_progress()) Progress(ev.progress());
    if (ev.has_summary()) {
      summary = ev.summary();
      got = true;
    }
  }
  grpc::Status st = reader->Finish();
  EndProgress();
  if (!st.ok()) return RpcError("RunAnalysis", st);
  if (!got) {
    err_ << "seimbangctl: " << T("err.no_summary_in_stream") << "\n";
    return kExitError;
  }
  PrintAnalysisSummary(summary);
  return kExitOk;
}

// The summary, then (as a table) the largest shortages and surpluses.
int Cli::AnalysisShow() {
  std::vector<wv1::PositionRow> rows;
  wv1::AnalysisSummary summary;
  grpc::Status st;
  if (!AllAnalysisRows(Word(2, "RUN"), rows, &summary, st)) return RpcError("GetAnalysis", st);
  PrintAnalysisSummary(summary);
  if (output_ != "table") return kExitOk;
  std::sort(rows.begin(), rows.end(),
            [](const wv1::PositionRow& a, const wv1::PositionRow& b) { return a.gap() < b.gap(); });
  std::map<int64_t, std::string> names = UnitNames(summary.agency_code());
  Table t{{"unit_id", "unit_name", "position", "family", "staff", "need", "gap", "EJ"}, {}};
  auto add = [&](const wv1::PositionRow& r) {
    t.rows.push_back({absl::StrCat(r.unit_id()), names[r.unit_id()], r.position_code(),
                      FamilyWord(lang_, r.job_family()), absl::StrCat(r.staff()),
                      absl::StrCat(r.required_headcount()), absl::StrCat(r.gap()),
                      r.vacant() ? T("word.vacant") : F2(r.ej())});
  };
  for (size_t i = 0; i < rows.size() && i < 10 && rows[i].gap() < 0; ++i) add(rows[i]);
  out_ << "\n" << T("analysis.largest") << "\n";
  for (size_t i = 0; i < rows.size() && i < 10; ++i) {
    const auto& r = rows[rows.size() - 1 - i];
    if (r.gap() <= 0) break;
    add(r);
  }
  PrintTable(t);
  return kExitOk;
}

int Cli::AnalysisCompare() {
  wv1::CompareAnalysesRequest req;
  req.set_base_run_id(Word(2, "RUN1"));
  req.set_other_run_id(Word(3, "RUN2"));
  req.mutable_page()->set_page_size(static_cast<int32_t>(IntFlag("page-size", 100)));
  const auto resp =
      CallOrExit("CompareAnalyses", &Cli::Workload, &WorkloadStub::CompareAnalyses, req);
  Table t{{"field", "delta"},
          {{"need", absl::StrCat(resp.total_need_delta())},
           {"staff", absl::StrCat(resp.total_staff_delta())},
           {"surplus", absl::StrCat(resp.total_surplus_delta())},
           {"deficit", absl::StrCat(resp.total_deficit_delta())},
           {"balanced_share", Pct(resp.balanced_share_delta())},
           {"ej_cv", F2(resp.ej_cv_delta())},
           {"robin_hood", Pct(resp.robin_hood_index_delta())},
           {"rows_that_differ", absl::StrCat(resp.rows_size())}}};
  Emit(resp, t);
  return kExitOk;
}

}  // namespace seimbang::ctl
