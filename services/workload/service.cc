// long-file: every handler of the service and its read paths (GetWorkload, ListWorkloads,
// ListDemandSignals, GetAnalysis, CompareAnalyses) in one place; moving the reads to their own file
// is issue 16 work.
#include "services/workload/service.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/db/time_format.h"
#include "common/errors/errors.h"
#include "common/errors/status_macros.h"
#include "common/idempotency/idempotency.h"
#include "common/paging/page_token.h"
#include "common/server/allocator.h"
#include "common/server/channel.h"
#include "common/server/strict_read.h"
#include "services/workload/analysis_workflow.h"
#include "services/workload/call.h"
#include "services/workload/convert.h"
#include "services/workload/permissions.h"
#include "services/workload/projection_workflow.h"
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

// What a page token of `rpc` is bound to: the RPC and who asks; each List RPC adds its filters.
paging::PageQuery PageQueryOf(std::string_view rpc, const auth::Caller& c) {
  paging::PageQuery q(absl::StrCat("/seimbang.workload.v1.WorkloadAnalysisService/",
                                   absl::string_view(rpc.data(), rpc.size())));
  q.Scope(auth::RoleName(c.claims.role), c.claims.agency, c.claims.nip, c.claims.subject);
  return q;
}

bool SpansAllAgencies(const auth::Caller& caller) {
  return caller.claims.role == auth::Role::kAdmin || caller.claims.role == auth::Role::kService;
}

// Agency filter of a List RPC: required unless the caller spans all agencies.
absl::Status CheckListAgency(const auth::Caller& caller, const std::string& agency) {
  if (agency.empty()) {
    if (SpansAllAgencies(caller)) return absl::OkStatus();
    return InvalidField("agency_code", "agency_code is required");
  }
  return auth::CheckAgencyScope(caller, agency);
}

absl::StatusOr<int64_t> ParseInt(const std::string& s) {
  int64_t v = 0;
  if (!absl::SimpleAtoi(s, &v)) {
    return InvalidField(paging::kPageTokenField, "is not a valid page token");
  }
  return v;
}

}  // namespace

// ------------------------------------------------------------------ plumbing

WorkloadService::WorkloadService(db::Pool& pool, std::unique_ptr<PersonnelDirectory> personnel,
                                 WorkloadServiceOptions options)
    : repo_(pool), personnel_(std::move(personnel)), options_(std::move(options)) {}

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

std::string WorkloadService::PersonnelToken(const grpc::ServerContext& ctx) const {
  if (!options_.service_token.empty()) return options_.service_token;
  const auto& md = ctx.client_metadata();
  auto it = md.find("authorization");
  if (it == md.end()) return "";
  absl::string_view value(it->second.data(), it->second.size());
  if (!absl::ConsumePrefix(&value, "Bearer ")) absl::ConsumePrefix(&value, "bearer ");
  return std::string(value);
}

Call WorkloadService::CallOf(const grpc::ServerContext& ctx, auth::Caller caller) const {
  return Call{std::move(caller), server::IncomingRequestId(ctx), PersonnelToken(ctx)};
}

absl::StatusOr<int64_t> WorkloadService::UnitIdOf(const grpc::ServerContext& ctx,
                                                  const auth::Caller& caller,
                                                  const std::string& agency, int64_t unit_id,
                                                  const std::string& external_id,
                                                  const std::string& id_field,
                                                  const std::string& external_field) {
  if (external_id.empty()) return unit_id;
  PersonnelCheck check(*personnel_, PersonnelToken(ctx), caller);
  return check.UnitId(agency, unit_id, external_id, id_field, external_field);
}

#define WL_HANDLER(Name, Req, Resp)                                                \
  grpc::Status WorkloadService::Name(grpc::ServerContext* ctx, const pb::Req* req, \
                                     pb::Resp* resp) {                             \
    return errors::ToGrpcStatus(Do##Name(*ctx, *req, *resp));                      \
  }
WL_HANDLER(UpsertWorkload, UpsertWorkloadRequest, UpsertWorkloadResponse)
WL_HANDLER(GetWorkload, GetWorkloadRequest, GetWorkloadResponse)
WL_HANDLER(ListWorkloads, ListWorkloadsRequest, ListWorkloadsResponse)
WL_HANDLER(RecordDemandSignals, RecordDemandSignalsRequest, RecordDemandSignalsResponse)
WL_HANDLER(ListDemandSignals, ListDemandSignalsRequest, ListDemandSignalsResponse)
WL_HANDLER(GetSettings, GetSettingsRequest, GetSettingsResponse)
WL_HANDLER(UpdateSettings, UpdateSettingsRequest, UpdateSettingsResponse)
WL_HANDLER(GetAnalysis, GetAnalysisRequest, GetAnalysisResponse)
WL_HANDLER(ListAnalyses, ListAnalysesRequest, ListAnalysesResponse)
WL_HANDLER(CompareAnalyses, CompareAnalysesRequest, CompareAnalysesResponse)
WL_HANDLER(ListAuditEvents, ListAuditEventsRequest, ListAuditEventsResponse)
WL_HANDLER(ProjectStaffing, ProjectStaffingRequest, ProjectStaffingResponse)
WL_HANDLER(GetProjection, GetProjectionRequest, GetProjectionResponse)
WL_HANDLER(ListProjections, ListProjectionsRequest, ListProjectionsResponse)
#undef WL_HANDLER

grpc::Status WorkloadService::ImportWorkload(grpc::ServerContext* ctx,
                                             grpc::ServerReader<pb::ImportWorkloadRequest>* reader,
                                             pb::ImportWorkloadResponse* resp) {
  return errors::ToGrpcStatus(DoImportWorkload(*ctx, *reader, *resp));
}

grpc::Status WorkloadService::RunAnalysis(grpc::ServerContext* ctx,
                                          const pb::RunAnalysisRequest* req,
                                          grpc::ServerWriter<pb::RunAnalysisResponse>* writer) {
  grpc::Status status = errors::ToGrpcStatus(DoRunAnalysis(*ctx, *req, *writer));
  // A run's staffing, inputs and rows (tens of MB) are freed by now; hand their pages
  // back rather than let every arena keep one run's worth (issue #10).
  server::ReleaseFreeMemory();
  return status;
}

// ------------------------------------------------------------------ workloads

absl::Status WorkloadService::DoUpsertWorkload(grpc::ServerContext& ctx,
                                               const pb::UpsertWorkloadRequest& req,
                                               pb::UpsertWorkloadResponse& resp) {
  SEIMBANG_ASSIGN_OR_RETURN(auto caller, auth::CallerFromContext(ctx));
  const pb::Workload& w = req.workload();
  if (!w.agency_code().empty()) {
    SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, w.agency_code()));
  }
  return workload::UpsertWorkload(repo_, *personnel_, CallOf(ctx, std::move(caller)), req, resp);
}

absl::Status WorkloadService::DoGetWorkload(grpc::ServerContext& ctx,
                                            const pb::GetWorkloadRequest& req,
                                            pb::GetWorkloadResponse& resp) {
  SEIMBANG_ASSIGN_OR_RETURN(auto caller, auth::CallerFromContext(ctx));
  SEIMBANG_ASSIGN_OR_RETURN(const int64_t unit_id,
                            UnitIdOf(ctx, caller, req.agency_code(), req.unit_id(),
                                     req.unit_external_id(), "unit_id", "unit_external_id"));
  Violations v;
  if (unit_id <= 0) v.push_back({"unit_id", "unit_id must be positive"});
  if (req.position_code().empty()) v.push_back({"position_code", "position_code is required"});
  if (!v.empty()) return Invalid(v);
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo_.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(
      auto stored, WorkloadRepository::GetWorkload(conn.get(), unit_id, req.position_code()));
  if (!stored.has_value()) {
    return absl::NotFoundError(absl::StrCat("no workload for unit ", unit_id, " position ",
                                            errors::Echo(req.position_code())));
  }
  SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, stored->workload.agency_code()));
  *resp.mutable_workload() = stored->workload;
  return absl::OkStatus();
}

absl::Status WorkloadService::DoListWorkloads(grpc::ServerContext& ctx,
                                              const pb::ListWorkloadsRequest& req,
                                              pb::ListWorkloadsResponse& resp) {
  SEIMBANG_ASSIGN_OR_RETURN(auto caller, auth::CallerFromContext(ctx));
  SEIMBANG_RETURN_IF_ERROR(CheckListAgency(caller, req.agency_code()));
  if (req.unit_id() < 0) {
    return errors::InvalidArgument({{"unit_id", "must be a unit id (positive) or 0 for all"}});
  }
  SEIMBANG_ASSIGN_OR_RETURN(const int64_t unit_id,
                            UnitIdOf(ctx, caller, req.agency_code(), req.unit_id(),
                                     req.unit_external_id(), "unit_id", "unit_external_id"));
  SEIMBANG_ASSIGN_OR_RETURN(auto size, paging::EffectivePageSize(req.page().page_size()));
  paging::PageQuery query = PageQueryOf("ListWorkloads", caller);
  query.Add("agency_code", req.agency_code()).Add("unit_id", unit_id);
  SEIMBANG_ASSIGN_OR_RETURN(auto key,
                            paging::ProcessPageTokens().Decode(query, req.page().page_token(), 2));
  std::optional<WorkloadKey> after;
  if (!key.empty()) {
    SEIMBANG_ASSIGN_OR_RETURN(auto unit, ParseInt(key[0]));
    after = WorkloadKey{unit, key[1]};
  }
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo_.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(
      auto rows,
      WorkloadRepository::ListWorkloads(conn.get(), req.agency_code(), unit_id, after, size + 1));
  const bool more = static_cast<int>(rows.size()) > size;
  if (more) rows.resize(size);
  for (StoredWorkload& w : rows) *resp.add_workloads() = std::move(w.workload);
  resp.mutable_page()->set_total_size(-1);
  if (more) {
    const pb::Workload& last = resp.workloads(resp.workloads_size() - 1);
    resp.mutable_page()->set_next_page_token(
        paging::NextPageToken(query, {absl::StrCat(last.unit_id()), last.position_code()}));
  }
  return absl::OkStatus();
}

absl::Status WorkloadService::DoImportWorkload(
    grpc::ServerContext& ctx, grpc::ServerReader<pb::ImportWorkloadRequest>& reader,
    pb::ImportWorkloadResponse& resp) {
  SEIMBANG_ASSIGN_OR_RETURN(auto caller, auth::CallerFromContext(ctx));
  // A cancelled stream, or one with a message that does not parse, applies nothing: the whole
  // stream is read before anything is written (common/server/strict_read.h).
  auto next_row = [&reader, &ctx](pb::ImportWorkloadRequest& row) {
    return server::NextMessage(&reader, &ctx, &row);
  };
  return workload::ImportWorkload(repo_, *personnel_, CallOf(ctx, std::move(caller)), next_row,
                                  *resp.mutable_summary());
}

// ------------------------------------------------------------------ signals

absl::Status WorkloadService::DoRecordDemandSignals(grpc::ServerContext& ctx,
                                                    const pb::RecordDemandSignalsRequest& req,
                                                    pb::RecordDemandSignalsResponse& resp) {
  SEIMBANG_ASSIGN_OR_RETURN(auto caller, auth::CallerFromContext(ctx));
  if (req.signals_size() > kMaxSignalsPerBatch) {
    return InvalidField("signals", absl::StrCat("signals has ", req.signals_size(),
                                                " entries, at most 10000 are allowed"));
  }
  SEIMBANG_ASSIGN_OR_RETURN(const pb::RecordDemandSignalsRequest resolved,
                            SignalUnitsByExternalId(*personnel_, PersonnelToken(ctx), caller, req));
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
  return workload::RecordDemandSignals(repo_, *personnel_, CallOf(ctx, std::move(caller)), resolved,
                                       agencies, resp);
}

absl::Status WorkloadService::DoListDemandSignals(grpc::ServerContext& ctx,
                                                  const pb::ListDemandSignalsRequest& req,
                                                  pb::ListDemandSignalsResponse& resp) {
  SEIMBANG_ASSIGN_OR_RETURN(auto caller, auth::CallerFromContext(ctx));
  SEIMBANG_RETURN_IF_ERROR(CheckListAgency(caller, req.agency_code()));
  SEIMBANG_ASSIGN_OR_RETURN(auto size, paging::EffectivePageSize(req.page().page_size()));
  Violations v;
  if (req.has_from()) {
    Violations f = ValidateYearMonth(req.from(), "from");
    v.insert(v.end(), f.begin(), f.end());
  }
  if (req.has_to()) {
    Violations t = ValidateYearMonth(req.to(), "to");
    v.insert(v.end(), t.begin(), t.end());
  }
  if (!v.empty()) return Invalid(v);
  SignalFilter filter;
  filter.agency_code = req.agency_code();
  SEIMBANG_ASSIGN_OR_RETURN(filter.unit_id,
                            UnitIdOf(ctx, caller, req.agency_code(), req.unit_id(),
                                     req.unit_external_id(), "unit_id", "unit_external_id"));
  filter.kind = req.kind();
  if (req.has_from()) filter.from_month_key = req.from().year() * 100 + req.from().month();
  if (req.has_to()) filter.to_month_key = req.to().year() * 100 + req.to().month();
  paging::PageQuery query = PageQueryOf("ListDemandSignals", caller);
  query.Add("agency_code", filter.agency_code)
      .Add("unit_id", filter.unit_id)
      .Add("kind", filter.kind)
      .Add("from", filter.from_month_key)
      .Add("to", filter.to_month_key);
  SEIMBANG_ASSIGN_OR_RETURN(auto key,
                            paging::ProcessPageTokens().Decode(query, req.page().page_token(), 3));
  std::optional<SignalKey> after;
  if (!key.empty()) {
    SEIMBANG_ASSIGN_OR_RETURN(auto unit, ParseInt(key[0]));
    SEIMBANG_ASSIGN_OR_RETURN(auto kind, ParseInt(key[1]));
    SEIMBANG_ASSIGN_OR_RETURN(auto month, ParseInt(key[2]));
    after = SignalKey{unit, static_cast<int>(kind), static_cast<int>(month)};
  }
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo_.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(auto rows,
                            WorkloadRepository::ListSignals(conn.get(), filter, after, size + 1));
  const bool more = static_cast<int>(rows.size()) > size;
  if (more) rows.resize(size);
  for (pb::DemandSignal& s : rows) *resp.add_signals() = std::move(s);
  resp.mutable_page()->set_total_size(-1);
  if (more) {
    const pb::DemandSignal& last = resp.signals(resp.signals_size() - 1);
    resp.mutable_page()->set_next_page_token(paging::NextPageToken(
        query, {absl::StrCat(last.unit_id()), absl::StrCat(static_cast<int>(last.kind())),
                absl::StrCat(last.month().year() * 100 + last.month().month())}));
  }
  return absl::OkStatus();
}

// ------------------------------------------------------------------ settings

absl::Status WorkloadService::DoGetSettings(grpc::ServerContext& ctx,
                                            const pb::GetSettingsRequest& req,
                                            pb::GetSettingsResponse& resp) {
  SEIMBANG_ASSIGN_OR_RETURN(auto caller, auth::CallerFromContext(ctx));
  if (req.agency_code().empty()) return InvalidField("agency_code", "agency_code is required");
  SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, req.agency_code()));
  SEIMBANG_ASSIGN_OR_RETURN(auto settings, repo_.LoadSettings(req.agency_code()));
  *resp.mutable_settings() = settings.first;
  resp.set_defaults(settings.second);
  return absl::OkStatus();
}

absl::Status WorkloadService::DoUpdateSettings(grpc::ServerContext& ctx,
                                               const pb::UpdateSettingsRequest& req,
                                               pb::UpdateSettingsResponse& resp) {
  SEIMBANG_ASSIGN_OR_RETURN(auto caller, auth::CallerFromContext(ctx));
  const std::string& agency = req.settings().agency_code();
  if (!agency.empty()) SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, agency));
  SEIMBANG_ASSIGN_OR_RETURN(pb::Settings settings, RequestedSettings(repo_, req));
  if (Violations v = ValidateSettings(settings); !v.empty()) return Invalid(v);
  SEIMBANG_ASSIGN_OR_RETURN(auto key,
                            idempotency::KeyFor(caller, MethodPath("UpdateSettings"), req));
  return idempotency::Run(repo_.pool(), key, resp, [&](db::Connection& conn) -> absl::Status {
    SEIMBANG_ASSIGN_OR_RETURN(
        auto stored,
        WorkloadRepository::PutSettings(conn, settings, settings.etag(), db::NowUnixMillis()));
    *resp.mutable_settings() = stored;
    return WorkloadRepository::InsertAudit(
        conn, AuditOf(CallOf(ctx, caller), "UpdateSettings",
                      absl::StrCat("settings/", stored.agency_code()), req.request_id(),
                      stored.agency_code()));
  });
}

// ------------------------------------------------------------------ projections

absl::Status WorkloadService::DoProjectStaffing(grpc::ServerContext& ctx,
                                                const pb::ProjectStaffingRequest& req,
                                                pb::ProjectStaffingResponse& resp) {
  SEIMBANG_ASSIGN_OR_RETURN(auto caller, auth::CallerFromContext(ctx));
  if (!req.agency_code().empty()) {
    SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, req.agency_code()));
  }
  if (Violations v = ValidateProjectStaffing(req); !v.empty()) return Invalid(v);
  SEIMBANG_ASSIGN_OR_RETURN(
      auto outcome,
      workload::ProjectStaffing(repo_, *personnel_, CallOf(ctx, std::move(caller)), req));
  *resp.mutable_projection() = std::move(outcome.projection);
  return absl::OkStatus();
}

absl::Status WorkloadService::DoGetProjection(grpc::ServerContext& ctx,
                                              const pb::GetProjectionRequest& req,
                                              pb::GetProjectionResponse& resp) {
  SEIMBANG_ASSIGN_OR_RETURN(auto caller, auth::CallerFromContext(ctx));
  if (req.projection_id().empty())
    return InvalidField("projection_id", "projection_id is required");
  SEIMBANG_ASSIGN_OR_RETURN(auto projection, workload::GetProjection(repo_, req.projection_id()));
  SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, projection.summary().agency_code()));
  *resp.mutable_projection() = std::move(projection);
  return absl::OkStatus();
}

absl::Status WorkloadService::DoListProjections(grpc::ServerContext& ctx,
                                                const pb::ListProjectionsRequest& req,
                                                pb::ListProjectionsResponse& resp) {
  SEIMBANG_ASSIGN_OR_RETURN(auto caller, auth::CallerFromContext(ctx));
  SEIMBANG_RETURN_IF_ERROR(CheckListAgency(caller, req.agency_code()));
  paging::PageQuery query = PageQueryOf("ListProjections", caller);
  query.Add("agency_code", req.agency_code());
  SEIMBANG_ASSIGN_OR_RETURN(
      auto page, paging::StartPage(query, req.page().page_size(), req.page().page_token(), 1));
  int64_t before = 0;
  if (!page.after.empty()) {
    SEIMBANG_ASSIGN_OR_RETURN(before, ParseInt(page.after[0]));
  }
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo_.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(auto found, WorkloadRepository::ListProjections(
                                            conn.get(), req.agency_code(), before, page.size + 1));
  const bool more = static_cast<int>(found.size()) > page.size;
  if (more) found.resize(page.size);
  for (StoredProjection& p : found) *resp.add_projections() = std::move(p.summary);
  SEIMBANG_ASSIGN_OR_RETURN(
      auto total, WorkloadRepository::CountOfAgency(conn.get(), "projections", req.agency_code()));
  resp.mutable_page()->set_total_size(total);
  if (more) {
    resp.mutable_page()->set_next_page_token(
        paging::NextPageToken(query, {absl::StrCat(found.back().pk)}));
  }
  return absl::OkStatus();
}

// ------------------------------------------------------------------ analysis

absl::Status WorkloadService::DoRunAnalysis(grpc::ServerContext& ctx,
                                            const pb::RunAnalysisRequest& req,
                                            grpc::ServerWriter<pb::RunAnalysisResponse>& writer) {
  SEIMBANG_ASSIGN_OR_RETURN(auto caller, auth::CallerFromContext(ctx));
  if (Violations v = ValidateRunAnalysis(req); !v.empty()) return Invalid(v);
  SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, req.agency_code()));
  auto send_progress = [&writer](cpb::Progress p) {
    pb::RunAnalysisResponse out;
    *out.mutable_progress() = std::move(p);
    writer.Write(out);
  };
  SEIMBANG_ASSIGN_OR_RETURN(
      AnalysisOutcome outcome,
      workload::RunAnalysis(repo_, *personnel_, CallOf(ctx, std::move(caller)), req,
                            send_progress));
  if (!outcome.replayed) gauges_.Publish(outcome.summary);
  pb::RunAnalysisResponse out;
  *out.mutable_summary() = std::move(outcome.summary);
  writer.Write(out);
  return absl::OkStatus();
}

absl::Status WorkloadService::DoGetAnalysis(grpc::ServerContext& ctx,
                                            const pb::GetAnalysisRequest& req,
                                            pb::GetAnalysisResponse& resp) {
  SEIMBANG_ASSIGN_OR_RETURN(auto caller, auth::CallerFromContext(ctx));
  Violations v;
  if (req.run_id().empty()) v.push_back({"run_id", "run_id is required"});
  if (!pb::Grade_IsValid(req.grade())) v.push_back({"grade", "grade is not a known grade"});
  if (req.gap_sign() < -1 || req.gap_sign() > 1) {
    v.push_back({"gap_sign", absl::StrCat("gap_sign must be -1, 0 or 1, got ", req.gap_sign())});
  }
  if (req.unit_id() < 0) v.push_back({"unit_id", "must be a unit id (positive) or 0 for all"});
  if (!v.empty()) return Invalid(v);
  SEIMBANG_ASSIGN_OR_RETURN(auto size, paging::EffectivePageSize(req.page().page_size()));
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo_.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(auto run, WorkloadRepository::FindRun(conn.get(), req.run_id()));
  if (!run.has_value())
    return absl::NotFoundError(
        absl::StrCat("analysis run ", errors::Echo(req.run_id()), " not found"));
  SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, run->summary.agency_code()));
  SEIMBANG_ASSIGN_OR_RETURN(const int64_t unit_id,
                            UnitIdOf(ctx, caller, run->summary.agency_code(), req.unit_id(),
                                     req.unit_external_id(), "unit_id", "unit_external_id"));
  paging::PageQuery query = PageQueryOf("GetAnalysis", caller);
  query.Add("run_id", req.run_id())
      .Add("unit_id", unit_id)
      .Add("grade", req.grade())
      .Add("gap_sign", req.gap_sign());
  SEIMBANG_ASSIGN_OR_RETURN(auto key,
                            paging::ProcessPageTokens().Decode(query, req.page().page_token(), 2));
  std::optional<WorkloadKey> after;
  if (!key.empty()) {
    SEIMBANG_ASSIGN_OR_RETURN(auto unit, ParseInt(key[0]));
    after = WorkloadKey{unit, key[1]};
  }
  RowFilter filter{unit_id, static_cast<int>(req.grade()), req.gap_sign()};
  SEIMBANG_ASSIGN_OR_RETURN(
      auto rows, WorkloadRepository::ListRunRows(conn.get(), run->pk, filter, after, size + 1));
  const bool more = static_cast<int>(rows.size()) > size;
  if (more) rows.resize(size);
  *resp.mutable_summary() = run->summary;
  for (pb::PositionRow& r : rows) *resp.add_rows() = std::move(r);
  resp.mutable_page()->set_total_size(-1);
  if (more) {
    const pb::PositionRow& last = resp.rows(resp.rows_size() - 1);
    resp.mutable_page()->set_next_page_token(
        paging::NextPageToken(query, {absl::StrCat(last.unit_id()), last.position_code()}));
  }
  if (req.include_units()) {
    SEIMBANG_ASSIGN_OR_RETURN(auto units, WorkloadRepository::ListRunUnits(conn.get(), run->pk));
    for (pb::UnitRow& u : units) *resp.add_units() = std::move(u);
  }
  return absl::OkStatus();
}

absl::Status WorkloadService::DoListAnalyses(grpc::ServerContext& ctx,
                                             const pb::ListAnalysesRequest& req,
                                             pb::ListAnalysesResponse& resp) {
  SEIMBANG_ASSIGN_OR_RETURN(auto caller, auth::CallerFromContext(ctx));
  SEIMBANG_RETURN_IF_ERROR(CheckListAgency(caller, req.agency_code()));
  SEIMBANG_ASSIGN_OR_RETURN(auto size, paging::EffectivePageSize(req.page().page_size()));
  paging::PageQuery query = PageQueryOf("ListAnalyses", caller);
  query.Add("agency_code", req.agency_code());
  SEIMBANG_ASSIGN_OR_RETURN(auto key,
                            paging::ProcessPageTokens().Decode(query, req.page().page_token(), 1));
  int64_t before = 0;
  if (!key.empty()) {
    SEIMBANG_ASSIGN_OR_RETURN(auto pk, ParseInt(key[0]));
    before = pk;
  }
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo_.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(
      auto runs, WorkloadRepository::ListRuns(conn.get(), req.agency_code(), before, size + 1));
  const bool more = static_cast<int>(runs.size()) > size;
  if (more) runs.resize(size);
  for (StoredRun& r : runs) *resp.add_runs() = std::move(r.summary);
  SEIMBANG_ASSIGN_OR_RETURN(auto total, WorkloadRepository::CountOfAgency(
                                            conn.get(), "analysis_runs", req.agency_code()));
  resp.mutable_page()->set_total_size(total);
  if (more) {
    resp.mutable_page()->set_next_page_token(
        paging::NextPageToken(query, {absl::StrCat(runs.back().pk)}));
  }
  return absl::OkStatus();
}

absl::Status WorkloadService::DoCompareAnalyses(grpc::ServerContext& ctx,
                                                const pb::CompareAnalysesRequest& req,
                                                pb::CompareAnalysesResponse& resp) {
  SEIMBANG_ASSIGN_OR_RETURN(auto caller, auth::CallerFromContext(ctx));
  Violations v;
  if (req.base_run_id().empty()) v.push_back({"base_run_id", "base_run_id is required"});
  if (req.other_run_id().empty()) v.push_back({"other_run_id", "other_run_id is required"});
  if (!v.empty()) return Invalid(v);
  SEIMBANG_ASSIGN_OR_RETURN(auto size, paging::EffectivePageSize(req.page().page_size()));
  paging::PageQuery query = PageQueryOf("CompareAnalyses", caller);
  query.Add("base_run_id", req.base_run_id()).Add("other_run_id", req.other_run_id());
  SEIMBANG_ASSIGN_OR_RETURN(auto key,
                            paging::ProcessPageTokens().Decode(query, req.page().page_token(), 2));
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo_.Connect());
  std::optional<StoredRun> runs[2];
  const std::string* ids[2] = {&req.base_run_id(), &req.other_run_id()};
  for (int i = 0; i < 2; ++i) {
    SEIMBANG_ASSIGN_OR_RETURN(auto run, WorkloadRepository::FindRun(conn.get(), *ids[i]));
    if (!run.has_value())
      return absl::NotFoundError(
          absl::StrCat("analysis run ", errors::Echo(*ids[i]), " not found"));
    SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, run->summary.agency_code()));
    runs[i] = std::move(run);
  }
  const pb::AnalysisSummary& b = runs[0]->summary;
  const pb::AnalysisSummary& o = runs[1]->summary;
  *resp.mutable_base() = b;
  *resp.mutable_other() = o;
  resp.set_total_need_delta(o.total_need() - b.total_need());
  resp.set_total_staff_delta(o.total_staff() - b.total_staff());
  resp.set_total_surplus_delta(o.total_surplus() - b.total_surplus());
  resp.set_total_deficit_delta(o.total_deficit() - b.total_deficit());
  resp.set_balanced_share_delta(o.balanced_share() - b.balanced_share());
  resp.set_ej_cv_delta(o.ej_cv() - b.ej_cv());
  resp.set_robin_hood_index_delta(o.robin_hood_index() - b.robin_hood_index());

  std::optional<WorkloadKey> after;
  if (!key.empty()) {
    SEIMBANG_ASSIGN_OR_RETURN(auto unit, ParseInt(key[0]));
    after = WorkloadKey{unit, key[1]};
  }
  SEIMBANG_ASSIGN_OR_RETURN(
      auto base_rows, WorkloadRepository::ListRunRows(conn.get(), runs[0]->pk, {}, after, -1));
  SEIMBANG_ASSIGN_OR_RETURN(
      auto other_rows, WorkloadRepository::ListRunRows(conn.get(), runs[1]->pk, {}, after, -1));
  std::vector<pb::RowDelta> deltas = DiffRows(base_rows, other_rows);
  const bool more = static_cast<int>(deltas.size()) > size;
  if (more) deltas.resize(size);
  for (pb::RowDelta& d : deltas) *resp.add_rows() = std::move(d);
  resp.mutable_page()->set_total_size(-1);
  if (more) {
    const pb::RowDelta& last = resp.rows(resp.rows_size() - 1);
    resp.mutable_page()->set_next_page_token(
        paging::NextPageToken(query, {absl::StrCat(last.unit_id()), last.position_code()}));
  }
  return absl::OkStatus();
}

absl::Status WorkloadService::DoListAuditEvents(grpc::ServerContext& ctx,
                                                const pb::ListAuditEventsRequest& req,
                                                pb::ListAuditEventsResponse& resp) {
  SEIMBANG_ASSIGN_OR_RETURN(auto caller, auth::CallerFromContext(ctx));
  SEIMBANG_ASSIGN_OR_RETURN(auto size, paging::EffectivePageSize(req.page().page_size()));
  paging::PageQuery query = PageQueryOf("ListAuditEvents", caller);
  query.Add("method", req.method());
  SEIMBANG_ASSIGN_OR_RETURN(auto key,
                            paging::ProcessPageTokens().Decode(query, req.page().page_token(), 1));
  int64_t before = 0;
  if (!key.empty()) {
    SEIMBANG_ASSIGN_OR_RETURN(auto id, ParseInt(key[0]));
    before = id;
  }
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo_.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(
      auto rows, WorkloadRepository::ListAudit(conn.get(), req.method(), before, size + 1));
  const bool more = static_cast<int>(rows.size()) > size;
  if (more) rows.resize(size);
  for (const auto& [id, r] : rows) {
    cpb::AuditEvent* e = resp.add_events();
    e->set_id(id);
    e->set_time_ms(r.time_ms);
    e->set_subject(r.subject);
    e->set_role(r.role);
    e->set_method(r.method);
    e->set_resource(r.resource);
    e->set_request_id(r.request_id);
    e->set_agency_code(r.agency_code);
  }
  resp.mutable_page()->set_total_size(-1);
  if (more) {
    resp.mutable_page()->set_next_page_token(
        paging::NextPageToken(query, {absl::StrCat(rows.back().first)}));
  }
  return absl::OkStatus();
}

}  // namespace seimbang::workload
