#include "services/workload/analysis_workflow.h"

#include <future>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "common/db/time_format.h"
#include "common/errors/status_macros.h"
#include "common/idempotency/idempotency.h"
#include "common/proto_convert/date.h"
#include "services/workload/abk/abk.h"
#include "services/workload/convert.h"
#include "services/workload/digest.h"
#include "services/workload/permissions.h"

namespace seimbang::workload {

namespace {

namespace ppb = ::seimbang::personnel::v1;
namespace cpb = ::seimbang::common::v1;

std::string NewRunId() {
  absl::BitGen gen;
  return absl::StrCat(absl::Hex(absl::Uniform<uint64_t>(gen), absl::kZeroPad16),
                      absl::Hex(absl::Uniform<uint64_t>(gen), absl::kZeroPad16));
}

// The inputs of one run, as read from personnel and the repository.
struct Inputs {
  ppb::GetStaffingResponse staffing;
  pb::Settings settings;
  std::vector<StoredWorkload> workloads;
  std::vector<pb::DemandSignal> signals;
};

// Streams the progress of one run, each message with the time since the run began.
class Progress {
 public:
  explicit Progress(const ProgressSink& sink) : sink_(sink), start_(absl::Now()) {}

  void Stage(std::string stage, std::string message, int64_t done, int64_t total) const {
    cpb::Progress p;
    p.set_stage(std::move(stage));
    p.set_message(std::move(message));
    p.set_done(done);
    p.set_total(total);
    p.set_elapsed_ms(absl::ToInt64Milliseconds(absl::Now() - start_));
    sink_(std::move(p));
  }

 private:
  const ProgressSink& sink_;
  const absl::Time start_;
};

// The run stored under `key` by an earlier call with the same request, if any.
absl::StatusOr<std::optional<pb::AnalysisSummary>> FindReplay(Repository& repo,
                                                              const idempotency::Key& key) {
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(auto stored, idempotency::Find(conn.get(), key));
  if (!stored.has_value()) return std::optional<pb::AnalysisSummary>();
  pb::AnalysisSummary s;
  if (!s.ParseFromString(*stored)) return absl::InternalError("stored run summary is corrupt");
  return std::optional<pb::AnalysisSummary>(std::move(s));
}

absl::StatusOr<ppb::GetStaffingResponse> FetchStaffing(PersonnelDirectory& personnel,
                                                       const Call& call,
                                                       const pb::RunAnalysisRequest& req) {
  ppb::GetStaffingRequest staffing_req;
  staffing_req.set_agency_code(req.agency_code());
  *staffing_req.mutable_as_of() = req.as_of();
  absl::StatusOr<ppb::GetStaffingResponse> staffing =
      personnel.GetStaffing(staffing_req, call.downstream_token);
  if (!staffing.ok()) return PersonnelError(staffing.status());
  return staffing;
}

// Settings, the agency's workloads and the signals of the settings' window ending at as_of.
absl::Status LoadInputs(Repository& repo, const pb::RunAnalysisRequest& req, absl::CivilDay as_of,
                        Inputs& in) {
  SEIMBANG_ASSIGN_OR_RETURN(auto settings, repo.LoadSettings(req.agency_code()));
  in.settings = std::move(settings.first);
  const auto [from_key, to_key] = SignalWindow(as_of, in.settings.signal_window_months());
  {
    SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
    SEIMBANG_ASSIGN_OR_RETURN(in.workloads,
                              Repository::LoadWorkloads(conn.get(), req.agency_code()));
    SignalFilter filter;
    filter.agency_code = req.agency_code();
    filter.from_month_key = from_key;
    filter.to_month_key = to_key;
    SEIMBANG_ASSIGN_OR_RETURN(in.signals,
                              Repository::ListSignals(conn.get(), filter, std::nullopt, -1));
  }
  return absl::OkStatus();
}

// Personnel's staffing and this service's own inputs, read at the same time: the two wait on
// different processes, so a run waits for the slower instead of both (issue 22 item 4). The
// progress stages keep their order (fetch_staffing, then load_inputs); a personnel error is
// reported before an error of the service's own reads, as when they ran one after the other.
// The personnel read gets a thread of its own for the run (std::async): at most one per analysis
// in flight, so bounded as RunAnalysis streams are (common/server/limits.h: streams per caller).
absl::Status ReadInputs(Repository& repo, PersonnelDirectory& personnel, const Call& call,
                        const pb::RunAnalysisRequest& req, absl::CivilDay as_of, Inputs& in,
                        const Progress& progress) {
  progress.Stage("fetch_staffing", "meminta data kepegawaian ke personnel", 0, 1);
  std::future<absl::StatusOr<ppb::GetStaffingResponse>> staffing =
      std::async(std::launch::async,
                 [&personnel, &call, &req] { return FetchStaffing(personnel, call, req); });
  const absl::Status own = LoadInputs(repo, req, as_of, in);
  SEIMBANG_ASSIGN_OR_RETURN(in.staffing, staffing.get());
  progress.Stage("fetch_staffing",
                 absl::StrCat(in.staffing.rows_size(), " baris kepegawaian diterima"), 1, 1);
  SEIMBANG_RETURN_IF_ERROR(own);
  progress.Stage("load_inputs",
                 absl::StrCat(in.workloads.size(), " beban kerja, ", in.signals.size(), " sinyal"),
                 1, 1);
  return absl::OkStatus();
}

// The ABK figures of the inputs: the run's rows and its summary (with a new run id).
absl::Status Compute(const Inputs& in, const pb::RunAnalysisRequest& req, absl::CivilDay as_of,
                     RunRows& rows, pb::AnalysisSummary& summary) {
  const absl::Time compute_start = absl::Now();
  std::vector<abk::Workload> abk_workloads;
  abk_workloads.reserve(in.workloads.size());
  for (const StoredWorkload& w : in.workloads) abk_workloads.push_back(ToAbk(w));
  std::vector<abk::Staffing> abk_staffing;
  abk_staffing.reserve(in.staffing.rows_size());
  for (const ppb::StaffingRow& r : in.staffing.rows()) abk_staffing.push_back(ToAbk(r));
  std::vector<abk::DemandSignal> abk_signals;
  abk_signals.reserve(in.signals.size());
  for (const pb::DemandSignal& s : in.signals) abk_signals.push_back(ToAbk(s));
  SEIMBANG_ASSIGN_OR_RETURN(auto result, abk::Analyse(ToAbk(in.settings), abk_workloads,
                                                      abk_staffing, abk_signals, as_of));
  rows = ToRows(result, in.workloads);
  summary.set_run_id(NewRunId());
  summary.set_agency_code(req.agency_code());
  *summary.mutable_as_of() = req.as_of();
  summary.set_label(req.label());
  summary.set_create_time_ms(db::NowUnixMillis());
  summary.set_staffing_digest(in.staffing.digest());
  *summary.mutable_settings() = in.settings;
  summary.set_input_version(InputVersion(in.workloads, in.signals));
  FillSummary(result, summary);
  summary.set_compute_ms(absl::ToInt64Milliseconds(absl::Now() - compute_start));
  return absl::OkStatus();
}

// Stores the run, its rows and its audit row in one transaction under `key`. A twin that
// stored its run since the replay lookup wins: its summary is the answer.
absl::StatusOr<pb::AnalysisSummary> Store(Repository& repo, const Call& call,
                                          const pb::RunAnalysisRequest& req,
                                          const idempotency::Key& key,
                                          const pb::AnalysisSummary& summary, const RunRows& rows) {
  pb::AnalysisSummary stored_summary;
  SEIMBANG_RETURN_IF_ERROR(
      idempotency::Run(repo.pool(), key, stored_summary, [&](db::Connection& conn) -> absl::Status {
        SEIMBANG_ASSIGN_OR_RETURN(auto pk,
                                  Repository::InsertRun(conn, summary, rows.positions, rows.units));
        (void)pk;
        SEIMBANG_RETURN_IF_ERROR(Repository::InsertAudit(
            conn, server::AuditEventOf(call, MethodPath("RunAnalysis"),
                                       absl::StrCat("run/", summary.run_id()), req.request_id(),
                                       req.agency_code())));
        stored_summary = summary;
        return absl::OkStatus();
      }));
  return stored_summary;
}

}  // namespace

absl::StatusOr<AnalysisOutcome> RunAnalysis(Repository& repo, PersonnelDirectory& personnel,
                                            const Call& call, const pb::RunAnalysisRequest& req,
                                            const ProgressSink& sink) {
  const Progress progress(sink);
  SEIMBANG_ASSIGN_OR_RETURN(auto key,
                            idempotency::KeyFor(call.caller, MethodPath("RunAnalysis"), req));
  // A replay returns the run of the first call without recomputing it.
  SEIMBANG_ASSIGN_OR_RETURN(auto previous, FindReplay(repo, key));
  if (previous.has_value()) return AnalysisOutcome{*std::move(previous), true};

  Inputs in;
  const domain::Date date = proto_convert::ToDomain(req.as_of());
  const absl::CivilDay as_of(date.year, date.month, date.day);
  SEIMBANG_RETURN_IF_ERROR(ReadInputs(repo, personnel, call, req, as_of, in, progress));

  RunRows rows;
  pb::AnalysisSummary summary;
  SEIMBANG_RETURN_IF_ERROR(Compute(in, req, as_of, rows, summary));
  progress.Stage("compute", absl::StrCat(rows.positions.size(), " baris unit x jabatan dihitung"),
                 1, 1);

  SEIMBANG_ASSIGN_OR_RETURN(auto stored, Store(repo, call, req, key, summary, rows));
  progress.Stage("store", "hasil analisis disimpan", 1, 1);
  return AnalysisOutcome{std::move(stored), false};
}

}  // namespace seimbang::workload
