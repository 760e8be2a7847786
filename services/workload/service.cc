#include "services/workload/service.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/db/time_format.h"
#include "common/errors/errors.h"
#include "common/errors/status_macros.h"
#include "common/idempotency/idempotency.h"
#include "common/paging/page_token.h"
#include "common/server/allocator.h"
#include "common/server/strict_read.h"
#include "services/workload/analysis_workflow.h"
#include "services/workload/call.h"
#include "services/workload/convert.h"
#include "services/workload/permissions.h"
#include "services/workload/projection_workflow.h"
#include "services/workload/query_workflow.h"
#include "services/workload/signals_workflow.h"
#include "services/workload/validation.h"
#include "services/workload/workload_workflow.h"

SEIMBANG_STRICT_READS(::seimbang::workload::v1::ImportWorkloadRequest);

namespace seimbang::workload {

namespace ppb = ::seimbang::personnel::v1;
namespace cpb = ::seimbang::common::v1;

namespace {

absl::Status Invalid(const Violations& violations) { return errors::InvalidArgument(violations); }

absl::Status InvalidField(std::string field, std::string description) {
  return errors::InvalidArgument({{std::move(field), std::move(description)}});
}

}  // namespace

// ------------------------------------------------------------------ plumbing

WorkloadService::WorkloadService(Repository& repo, std::unique_ptr<PersonnelDirectory> personnel,
                                 WorkloadServiceOptions options)
    : repo_(repo), personnel_(std::move(personnel)), options_(std::move(options)) {}

WorkloadService::~WorkloadService() = default;

void WorkloadService::RegisterGauges(prometheus::Registry& registry) {
  gauges_.Register(registry);
  RefreshGauges();
}

void WorkloadService::RefreshGauges() {
  absl::StatusOr<std::vector<pb::AnalysisSummary>> latest = repo_.LatestRunPerAgency();
  if (!latest.ok()) return;  // a database error leaves the gauges as they were
  for (const pb::AnalysisSummary& s : *latest) gauges_.Publish(s);
}

// The writes: a member (Do##Name) that checks the request and runs its workflow.
#define WL_HANDLER(Name, Req, Resp)                                                    \
  grpc::Status WorkloadService::Name(grpc::ServerContext* ctx, const pb::Req* req,     \
                                     pb::Resp* resp) {                                 \
    return Serve(*ctx, [&](const Call& call) { return Do##Name(call, *req, *resp); }); \
  }
// The reads: query_workflow.h.
#define WL_READ(Name, Req, Resp)                                                   \
  grpc::Status WorkloadService::Name(grpc::ServerContext* ctx, const pb::Req* req, \
                                     pb::Resp* resp) {                             \
    return Serve(*ctx, [&](const Call& call) {                                     \
      return workload::Name(repo_, *personnel_, call, *req, *resp);                \
    });                                                                            \
  }
WL_HANDLER(UpsertWorkload, UpsertWorkloadRequest, UpsertWorkloadResponse)
WL_READ(GetWorkload, GetWorkloadRequest, GetWorkloadResponse)
WL_READ(ListWorkloads, ListWorkloadsRequest, ListWorkloadsResponse)
WL_HANDLER(RecordDemandSignals, RecordDemandSignalsRequest, RecordDemandSignalsResponse)
WL_READ(ListDemandSignals, ListDemandSignalsRequest, ListDemandSignalsResponse)
WL_READ(GetSettings, GetSettingsRequest, GetSettingsResponse)
WL_HANDLER(UpdateSettings, UpdateSettingsRequest, UpdateSettingsResponse)
WL_READ(GetAnalysis, GetAnalysisRequest, GetAnalysisResponse)
WL_READ(ListAnalyses, ListAnalysesRequest, ListAnalysesResponse)
WL_READ(CompareAnalyses, CompareAnalysesRequest, CompareAnalysesResponse)
WL_READ(ListAuditEvents, ListAuditEventsRequest, ListAuditEventsResponse)
WL_HANDLER(ProjectStaffing, ProjectStaffingRequest, ProjectStaffingResponse)
WL_READ(GetProjection, GetProjectionRequest, GetProjectionResponse)
WL_READ(ListProjections, ListProjectionsRequest, ListProjectionsResponse)
#undef WL_READ
#undef WL_HANDLER

grpc::Status WorkloadService::ImportWorkload(grpc::ServerContext* ctx,
                                             grpc::ServerReader<pb::ImportWorkloadRequest>* reader,
                                             pb::ImportWorkloadResponse* resp) {
  return Serve(*ctx,
               [&](const Call& call) { return DoImportWorkload(call, *ctx, *reader, *resp); });
}

grpc::Status WorkloadService::RunAnalysis(grpc::ServerContext* ctx,
                                          const pb::RunAnalysisRequest* req,
                                          grpc::ServerWriter<pb::RunAnalysisResponse>* writer) {
  grpc::Status status =
      Serve(*ctx, [&](const Call& call) { return DoRunAnalysis(call, *req, *writer); });
  // A run's staffing, inputs and rows (tens of MB) are freed by now. Hand them back at once when
  // runs come alone (issue #10), but not after each run of a pass over many agencies: a trim per
  // run cost 61-65% of the service's CPU in a national pass (bench/RESULTS.md).
  server::ReleaseFreeMemoryAtMostEvery(absl::Seconds(5));
  return status;
}

// ------------------------------------------------------------------ workloads

absl::Status WorkloadService::DoUpsertWorkload(const Call& call,
                                               const pb::UpsertWorkloadRequest& req,
                                               pb::UpsertWorkloadResponse& resp) {
  const auth::Caller& caller = call.caller;
  const pb::Workload& w = req.workload();
  if (!w.agency_code().empty()) {
    SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, w.agency_code()));
  }
  return workload::UpsertWorkload(repo_, *personnel_, call, req, resp);
}

absl::Status WorkloadService::DoImportWorkload(
    const Call& call, grpc::ServerContext& ctx,
    grpc::ServerReader<pb::ImportWorkloadRequest>& reader, pb::ImportWorkloadResponse& resp) {
  // A cancelled stream, or one with a message that does not parse, applies nothing: the whole
  // stream is read before anything is written (common/server/strict_read.h).
  auto next_row = [&reader, &ctx](pb::ImportWorkloadRequest& row) {
    return server::NextMessage(&reader, &ctx, &row);
  };
  return workload::ImportWorkload(repo_, *personnel_, call, next_row, *resp.mutable_summary());
}

// ------------------------------------------------------------------ signals

absl::Status WorkloadService::DoRecordDemandSignals(const Call& call,
                                                    const pb::RecordDemandSignalsRequest& req,
                                                    pb::RecordDemandSignalsResponse& resp) {
  const auth::Caller& caller = call.caller;
  if (req.signals_size() > kMaxSignalsPerBatch) {
    return InvalidField("signals", absl::StrCat("signals has ", req.signals_size(),
                                                " entries, at most 10000 are allowed"));
  }
  SEIMBANG_ASSIGN_OR_RETURN(
      const std::optional<pb::RecordDemandSignalsRequest> rewritten,
      SignalUnitsByExternalId(*personnel_, call.downstream_token, caller, req));
  const pb::RecordDemandSignalsRequest& resolved = rewritten ? *rewritten : req;
  Violations all;
  for (int i = 0; i < resolved.signals_size(); ++i) {
    Violations v = ValidateSignal(resolved.signals(i), absl::StrCat("signals[", i, "]."));
    all.insert(all.end(), v.begin(), v.end());
  }
  if (!all.empty()) return Invalid(all);
  std::vector<std::string> agencies;
  for (const pb::DemandSignal& s : resolved.signals()) {
    if (std::find(agencies.begin(), agencies.end(), s.agency_code()) == agencies.end()) {
      agencies.push_back(s.agency_code());
      SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, s.agency_code()));
    }
  }
  return workload::RecordDemandSignals(repo_, *personnel_, call, resolved, agencies, resp);
}

// ------------------------------------------------------------------ settings

absl::Status WorkloadService::DoUpdateSettings(const Call& call,
                                               const pb::UpdateSettingsRequest& req,
                                               pb::UpdateSettingsResponse& resp) {
  const auth::Caller& caller = call.caller;
  const std::string& agency = req.settings().agency_code();
  if (!agency.empty()) SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, agency));
  SEIMBANG_ASSIGN_OR_RETURN(pb::Settings settings, RequestedSettings(repo_, req));
  if (Violations v = ValidateSettings(settings); !v.empty()) return Invalid(v);
  SEIMBANG_ASSIGN_OR_RETURN(auto key,
                            idempotency::KeyFor(caller, MethodPath("UpdateSettings"), req));
  return idempotency::Run(repo_.pool(), key, resp, [&](db::Connection& conn) -> absl::Status {
    SEIMBANG_ASSIGN_OR_RETURN(
        auto stored, Repository::PutSettings(conn, settings, settings.etag(), db::NowUnixMillis()));
    *resp.mutable_settings() = stored;
    return Repository::InsertAudit(
        conn, server::AuditEventOf(call, MethodPath("UpdateSettings"),
                                   absl::StrCat("settings/", stored.agency_code()),
                                   req.request_id(), stored.agency_code()));
  });
}

// ------------------------------------------------------------------ projections

absl::Status WorkloadService::DoProjectStaffing(const Call& call,
                                                const pb::ProjectStaffingRequest& req,
                                                pb::ProjectStaffingResponse& resp) {
  const auth::Caller& caller = call.caller;
  if (!req.agency_code().empty()) {
    SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, req.agency_code()));
  }
  if (Violations v = ValidateProjectStaffing(req); !v.empty()) return Invalid(v);
  SEIMBANG_ASSIGN_OR_RETURN(auto outcome, workload::ProjectStaffing(repo_, *personnel_, call, req));
  *resp.mutable_projection() = std::move(outcome.projection);
  return absl::OkStatus();
}

// ------------------------------------------------------------------ analysis

absl::Status WorkloadService::DoRunAnalysis(const Call& call, const pb::RunAnalysisRequest& req,
                                            grpc::ServerWriter<pb::RunAnalysisResponse>& writer) {
  const auth::Caller& caller = call.caller;
  if (Violations v = ValidateRunAnalysis(req); !v.empty()) return Invalid(v);
  SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, req.agency_code()));
  auto send_progress = [&writer](cpb::Progress p) {
    pb::RunAnalysisResponse out;
    *out.mutable_progress() = std::move(p);
    writer.Write(out);
  };
  SEIMBANG_ASSIGN_OR_RETURN(AnalysisOutcome outcome,
                            workload::RunAnalysis(repo_, *personnel_, call, req, send_progress));
  if (!outcome.replayed) gauges_.Publish(outcome.summary);
  pb::RunAnalysisResponse out;
  *out.mutable_summary() = std::move(outcome.summary);
  writer.Write(out);
  return absl::OkStatus();
}

}  // namespace seimbang::workload
