// seimbangctl projection run | get | list | formasi: the five-year staffing projection and the
// formasi proposal (workload-service ProjectStaffing, GetProjection, ListProjections; issue 21).
//
// The formasi CSV follows the e-Formasi proposal form's column order (README.md, "projection
// formasi"): year, position, placement, count, reasons.
#include <algorithm>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "tools/seimbangctl/cli_internal.h"

namespace seimbang::ctl {
namespace pv1 = seimbang::personnel::v1;
namespace tv1 = seimbang::transfer::v1;
namespace wv1 = seimbang::workload::v1;

namespace {

// The formasi CSV columns, in the e-Formasi proposal form's order (README.md documents each).
const std::vector<std::string>& FormasiCsvColumns() {
  static const auto* columns = new std::vector<std::string>{"tahun",
                                                            "kode_jabatan",
                                                            "nama_jabatan",
                                                            "rumpun_jabatan",
                                                            "unit_kerja_id",
                                                            "unit_kerja",
                                                            "jumlah",
                                                            "alasan_pensiun",
                                                            "alasan_pertumbuhan",
                                                            "alasan_kekurangan_saat_ini",
                                                            "keterangan"};
  return *columns;
}

// The years projected as "2027-2031".
std::string YearSpan(const wv1::ProjectionSummary& s) {
  if (s.years_size() == 0) return "";
  return absl::StrCat(s.years(0), "-", s.years(s.years_size() - 1));
}

}  // namespace

bool Cli::ProjectionPlanOf(const std::string& plan_id, wv1::ProjectionPlan& out,
                           std::string& agency, grpc::Status& st) {
  tv1::GetPlanResponse plan;
  if (!GetPlan(plan_id, plan, st)) return false;
  agency = plan.plan().agency_code();
  std::vector<tv1::Move> moves;
  if (!AllMoves(plan_id, false, moves, st)) return false;
  out.set_plan_id(plan_id);
  for (const tv1::Move& m : moves) {
    wv1::ProjectionMove* pm = out.add_moves();
    pm->set_nip(m.nip());
    pm->set_to_unit_id(m.to_unit_id());
    pm->set_to_position_code(m.to_position_code());
  }
  for (const tv1::UnfilledNeed& u : plan.unfilled()) {
    wv1::UnfilledNeedDiagnosis* d = out.add_unfilled_needs();
    d->set_unit_id(u.unit_id());
    d->set_position_code(u.position_code());
    // The reason's name without its prefix, and the rule: "BLOCKED_BY_RULE: min_tenure".
    std::string diagnosis(
        absl::StripPrefix(tv1::UnfilledReason_Name(u.reason()), "UNFILLED_REASON_"));
    if (!u.rule().empty()) absl::StrAppend(&diagnosis, ": ", u.rule());
    d->set_diagnosis(diagnosis.substr(0, 500));
  }
  return true;
}

int Cli::ProjectionRun() {
  wv1::ProjectStaffingRequest req;
  req.set_agency_code(Required("agency"));
  req.set_run_id(Flag("run"));
  if (!Flag("as-of").empty()) *req.mutable_as_of() = DateFlag("as-of");
  req.set_years(static_cast<int32_t>(IntFlag("years", 0)));
  req.set_first_year(static_cast<int32_t>(IntFlag("first-year", 0)));
  req.set_label(Flag("label"));
  req.set_request_id(Flag("request-id"));
  for (const std::string& g : Flags("growth")) {
    const size_t eq = g.find('=');
    double rate = 0;
    const std::string family = eq == std::string::npos ? "" : FamilyFromText(g.substr(0, eq));
    if (eq == std::string::npos || !absl::SimpleAtod(g.substr(eq + 1), &rate)) {
      throw UsageError{T("err.growth", g)};
    }
    if (family.empty()) {
      throw UsageError{T("err.family", g.substr(0, eq), absl::StrJoin(KnownFamilies(), ", "))};
    }
    wv1::FamilyGrowth* fg = req.add_growth();
    fg->set_job_family(family);
    fg->set_yearly_growth(rate);
  }
  if (const std::string plan = Flag("plan"); !plan.empty()) {
    std::string plan_agency;
    grpc::Status st;
    if (!ProjectionPlanOf(plan, *req.mutable_plan(), plan_agency, st)) {
      return RpcError("GetPlan/ListMoves", st);
    }
    if (plan_agency != req.agency_code()) {
      throw UsageError{T("err.plan_agency", plan, plan_agency, req.agency_code())};
    }
  }
  PrintProjection(CallOrExit("ProjectStaffing", &Cli::Workload, &WorkloadStub::ProjectStaffing, req,
                             10 * 60 * 1000)
                      .projection());
  return kExitOk;
}

// The projection ID (the command's argument), or the command ends with RpcError's exit code.
wv1::Projection Cli::ProjectionArg() {
  wv1::GetProjectionRequest req;
  req.set_projection_id(Word(2, "ID"));
  return CallOrExit("GetProjection", &Cli::Workload, &WorkloadStub::GetProjection, req)
      .projection();
}

int Cli::ProjectionGet() {
  PrintProjection(ProjectionArg());
  return kExitOk;
}

// JSON/YAML: the whole projection. Table: the summary, then the agency's figures per year.
// CSV: the agency's figures per year, machine column names.
void Cli::PrintProjection(const wv1::Projection& p) {
  if (output_ == "json" || output_ == "yaml") {
    Emit(p, Table{});
    return;
  }
  const wv1::ProjectionSummary& s = p.summary();
  const bool csv = output_ == "csv";
  Table years{
      csv ? std::vector<std::string>{"year", "staff_start", "retirements", "need", "gap",
                                     "shortage", "formasi", "formasi_existing_shortage",
                                     "formasi_retirements", "formasi_growth"}
          : std::vector<std::string>{T("projection.col.year"), T("projection.col.staff"),
                                     T("projection.col.retirements"), T("projection.col.need"),
                                     T("projection.col.gap"), T("projection.col.shortage"),
                                     T("projection.col.formasi"), T("projection.col.existing"),
                                     T("projection.col.retirements"), T("projection.col.growth")},
      {}};
  for (const wv1::ProjectionYear& y : s.agency()) {
    const wv1::FormasiSplit& f = y.formasi();
    years.rows.push_back({absl::StrCat(y.year()), absl::StrCat(y.staff_start()),
                          absl::StrCat(y.retirements()), absl::StrCat(y.need()),
                          absl::StrCat(y.gap()), absl::StrCat(y.shortage()),
                          absl::StrCat(f.total()), absl::StrCat(f.existing_shortage()),
                          absl::StrCat(f.retirements()), absl::StrCat(f.growth())});
  }
  if (csv) {
    PrintTable(years);
    return;
  }
  std::vector<std::string> growth;
  for (const auto& g : s.growth()) {
    growth.push_back(absl::StrCat(FamilyWord(lang_, g.job_family()), " ", Pct(g.yearly_growth())));
  }
  const std::string none = T("projection.none");
  PrintTable(Table{{},
                   {{T("projection.id"), s.projection_id()},
                    {T("projection.agency"), s.agency_code()},
                    {T("projection.run"), s.run_id()},
                    {T("projection.as_of"), DateText(s.as_of())},
                    {T("projection.years"), YearSpan(s)},
                    {T("projection.growth"), growth.empty() ? none : absl::StrJoin(growth, ", ")},
                    {T("projection.plan"), s.plan_id().empty()
                                               ? none
                                               : absl::StrCat(s.plan_id(), " (", s.moves_applied(),
                                                              " / ", s.moves_given(), ")")},
                    {T("projection.skipped"), absl::StrCat(s.moves_skipped_size())},
                    {T("projection.people"), absl::StrCat(s.employees(), " / ", s.positions())},
                    {T("projection.formasi_total"), absl::StrCat(s.formasi_total())},
                    {T("projection.label"), s.label()},
                    {T("projection.compute_ms"), absl::StrCat(s.compute_ms())}}});
  out_ << "\n";
  PrintTable(years);
}

int Cli::ProjectionList() {
  wv1::ListProjectionsRequest req;
  req.set_agency_code(Flag("agency"));
  const bool csv = output_ == "csv";
  Table t{csv ? std::vector<std::string>{"projection_id", "agency", "run_id", "as_of", "years",
                                         "plan_id", "employees", "formasi_total", "label",
                                         "create_time_ms"}
              : std::vector<std::string>{T("projection.id"), T("projection.agency"),
                                         T("projection.run"), T("projection.as_of"),
                                         T("projection.years"), T("projection.plan"),
                                         T("projection.people"), T("projection.formasi_total"),
                                         T("projection.label"), T("projection.col.created")},
          {}};
  return ListRpc("ListProjections", t, &Cli::Workload, &WorkloadStub::ListProjections, req,
                 [&](const wv1::ListProjectionsResponse& resp, Table& table) {
                   for (const auto& s : resp.projections()) {
                     table.rows.push_back({s.projection_id(), s.agency_code(), s.run_id(),
                                           DateText(s.as_of()), YearSpan(s), s.plan_id(),
                                           csv ? absl::StrCat(s.employees())
                                               : absl::StrCat(s.employees(), " / ", s.positions()),
                                           absl::StrCat(s.formasi_total()), s.label(),
                                           absl::StrCat(s.create_time_ms())});
                   }
                 });
}

// The formasi proposal: one line per year and position with a recruitment, its count and why.
int Cli::ProjectionFormasi() {
  const wv1::Projection p = ProjectionArg();
  if (output_ == "json" || output_ == "yaml") {
    wv1::Projection only;
    *only.mutable_summary() = p.summary();
    *only.mutable_formasi() = p.formasi();
    Emit(only, Table{});
    return kExitOk;
  }
  std::map<int64_t, std::string> units = UnitNames(p.summary().agency_code());
  std::map<std::string, std::string> positions;
  {
    pv1::ListPositionsRequest preq;
    preq.mutable_page()->set_page_size(1000);
    pv1::ListPositionsResponse presp;
    if (Call(&Cli::Personnel, &PersonnelStub::ListPositions, preq, presp).ok()) {
      for (const auto& pos : presp.positions()) positions[pos.code()] = pos.name();
    }
  }
  const bool csv = output_ == "csv";
  Table t{csv ? FormasiCsvColumns()
              : std::vector<std::string>{T("projection.col.year"), T("projection.col.position"),
                                         T("projection.col.position_name"),
                                         T("projection.col.family"), T("projection.col.unit"),
                                         T("projection.col.count"), T("projection.col.reason")},
          {}};
  for (const wv1::FormasiRow& r : p.formasi()) {
    const wv1::FormasiSplit& f = r.formasi();
    std::vector<std::string> why;
    if (f.retirements() > 0) why.push_back(T("projection.reason.retirements", f.retirements()));
    if (f.growth() > 0) why.push_back(T("projection.reason.growth", f.growth()));
    if (f.existing_shortage() > 0) {
      std::string e = T("projection.reason.existing", f.existing_shortage());
      if (!r.unfilled_diagnosis().empty()) absl::StrAppend(&e, " (", r.unfilled_diagnosis(), ")");
      why.push_back(e);
    }
    const std::string reason = absl::StrJoin(why, "; ");
    const std::string year = absl::StrCat(r.year());
    const std::string& name = positions[r.position_code()];
    if (csv) {
      t.rows.push_back({year, r.position_code(), name, r.job_family(), absl::StrCat(r.unit_id()),
                        units[r.unit_id()], absl::StrCat(f.total()), absl::StrCat(f.retirements()),
                        absl::StrCat(f.growth()), absl::StrCat(f.existing_shortage()), reason});
    } else {
      t.rows.push_back({year, r.position_code(), name, FamilyWord(lang_, r.job_family()),
                        absl::StrCat(r.unit_id(), " ", units[r.unit_id()]), absl::StrCat(f.total()),
                        reason});
    }
  }
  if (!csv && t.rows.empty()) {
    out_ << T("projection.no_formasi") << "\n";
    return kExitOk;
  }
  PrintTable(t);
  return kExitOk;
}

}  // namespace seimbang::ctl
