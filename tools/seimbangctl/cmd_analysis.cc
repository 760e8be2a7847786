// seimbangctl analysis run | show | compare.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/seimbangctl/cli_internal.h"

namespace seimbang::ctl {
namespace wv1 = seimbang::workload::v1;

void Cli::PrintAnalysisSummary(const wv1::AnalysisSummary& s) {
  Table t{
      {"", ""},
      {{"run", s.run_id()},
       {"agency", s.agency_code()},
       {"as of", DateText(s.as_of())},
       {"label", s.label()},
       {"units / unit x positions", absl::StrCat(s.units(), " / ", s.positions())},
       {"staff / need", absl::StrCat(s.total_staff(), " / ", s.total_need())},
       {"surplus / deficit", absl::StrCat(s.total_surplus(), " / ", s.total_deficit())},
       {"over / under / vacant",
        absl::StrCat(s.positions_over(), " / ", s.positions_under(), " / ", s.positions_vacant())},
       {"balanced share", Pct(s.balanced_share())},
       {"EJ CV / Gini", absl::StrCat(F2(s.ej_cv()), " / ", F2(s.ej_gini()))},
       {"Robin Hood index", Pct(s.robin_hood_index())},
       {"WKE (minutes/year)", absl::StrFormat("%.0f", s.settings().effective_minutes_per_year())}}};
  t.header.clear();
  Emit(s, t);
}

int Cli::Analysis() {
  const std::string& sub = Word(1, "analysis subcommand (run|show|compare)");
  if (sub == "run") return AnalysisRun();
  if (sub == "show") return AnalysisShow();
  if (sub == "compare") return AnalysisCompare();
  throw UsageError{absl::StrCat("unknown analysis subcommand '", sub, "'")};
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
    err_ << "seimbangctl: RunAnalysis ended without a summary\n";
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
  Table t{{"unit", "position", "family", "staff", "need", "gap", "EJ"}, {}};
  auto add = [&](const wv1::PositionRow& r) {
    t.rows.push_back({absl::StrCat(r.unit_id()), r.position_code(), r.job_family(),
                      absl::StrCat(r.staff()), absl::StrCat(r.required_headcount()),
                      absl::StrCat(r.gap()), r.vacant() ? "vacant" : F2(r.ej())});
  };
  for (size_t i = 0; i < rows.size() && i < 10 && rows[i].gap() < 0; ++i) add(rows[i]);
  out_ << "\nLargest shortages and surpluses:\n";
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
  wv1::CompareAnalysesResponse resp;
  auto ctx = Ctx();
  grpc::Status st = Workload().CompareAnalyses(ctx.get(), req, &resp);
  if (!st.ok()) return RpcError("CompareAnalyses", st);
  Table t{{"", "delta"},
          {{"need", absl::StrCat(resp.total_need_delta())},
           {"staff", absl::StrCat(resp.total_staff_delta())},
           {"surplus", absl::StrCat(resp.total_surplus_delta())},
           {"deficit", absl::StrCat(resp.total_deficit_delta())},
           {"balanced share", Pct(resp.balanced_share_delta())},
           {"EJ CV", F2(resp.ej_cv_delta())},
           {"Robin Hood index", Pct(resp.robin_hood_index_delta())},
           {"rows that differ", absl::StrCat(resp.rows_size())}}};
  Emit(resp, t);
  return kExitOk;
}

}  // namespace seimbang::ctl
