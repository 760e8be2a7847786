#include "services/workload/query_workflow.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/db/time_format.h"
#include "common/errors/errors.h"
#include "common/errors/status_macros.h"
#include "common/paging/page_token.h"
#include "services/workload/convert.h"
#include "services/workload/permissions.h"
#include "services/workload/projection_workflow.h"
#include "services/workload/validation.h"

namespace seimbang::workload {

namespace cpb = ::seimbang::common::v1;

namespace {

// The cursor of the lists ordered by unit and position (workloads, run rows, run deltas).
template <typename Row>
std::vector<std::string> UnitPositionCursor(const Row& row) {
  return {absl::StrCat(row.unit_id()), row.position_code()};
}

// Where such a page resumes: the key its page token carries (nullopt on the first page).
absl::StatusOr<std::optional<WorkloadKey>> UnitPositionAfter(const paging::PageQuery& query,
                                                             const std::string& page_token) {
  SEIMBANG_ASSIGN_OR_RETURN(auto key, paging::ProcessPageTokens().Decode(query, page_token, 2));
  if (key.empty()) return std::nullopt;
  SEIMBANG_ASSIGN_OR_RETURN(auto unit, paging::CursorInt(key[0]));
  return WorkloadKey{unit, key[1]};
}

// ListAnalyses and ListProjections: an agency's stored runs or projections, newest first, paged by
// their pk; total_size counts the agency's rows of `table` (Repository::CountOfAgency).
template <typename Stored, typename Summaries>
absl::Status ListNewestFirst(
    Repository& repo, const auth::Caller& caller, const std::string& agency_code,
    std::string_view method, const cpb::PageRequest& page_request,
    absl::StatusOr<std::vector<Stored>> (*list)(db::Connection&, const std::string&, int64_t, int),
    const std::string& table, cpb::PageResponse& page_response, Summaries& summaries) {
  SEIMBANG_ASSIGN_OR_RETURN(const std::string agency, auth::ListAgency(caller, agency_code));
  paging::PageQuery query = server::PageQueryOf(MethodPath(method), caller);
  query.Add("agency_code", agency);
  SEIMBANG_ASSIGN_OR_RETURN(
      auto page, paging::StartPage(query, page_request.page_size(), page_request.page_token(), 1));
  int64_t before = 0;
  if (!page.after.empty()) {
    SEIMBANG_ASSIGN_OR_RETURN(before, paging::CursorInt(page.after[0]));
  }
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(auto found, list(conn.get(), agency, before, page.size + 1));
  page_response.set_next_page_token(paging::TrimToPage(
      found, page.size, query,
      [](const Stored& s) { return std::vector<std::string>{absl::StrCat(s.pk)}; }));
  for (Stored& s : found) *summaries.Add() = std::move(s.summary);
  SEIMBANG_ASSIGN_OR_RETURN(auto total, Repository::CountOfAgency(conn.get(), table, agency));
  page_response.set_total_size(total);
  return absl::OkStatus();
}

absl::Status Invalid(const Violations& violations) { return errors::InvalidArgument(violations); }

absl::Status InvalidField(std::string field, std::string description) {
  return errors::InvalidArgument({{std::move(field), std::move(description)}});
}

// A unit a read names by id or by its Unit.external_id within `agency` (issue 20): see
// PersonnelCheck::UnitId; personnel is asked only when `external_id` is set.
absl::StatusOr<int64_t> UnitIdOf(PersonnelDirectory& personnel, const Call& call,
                                 const std::string& agency, int64_t unit_id,
                                 const std::string& external_id, const std::string& id_field,
                                 const std::string& external_field) {
  if (external_id.empty()) return unit_id;
  PersonnelCheck check(personnel, call.downstream_token, call.caller);
  return check.UnitId(agency, unit_id, external_id, id_field, external_field);
}

}  // namespace

absl::Status GetWorkload(Repository& repo, PersonnelDirectory& personnel, const Call& call,
                         const pb::GetWorkloadRequest& req, pb::GetWorkloadResponse& resp) {
  const auth::Caller& caller = call.caller;
  SEIMBANG_ASSIGN_OR_RETURN(const int64_t unit_id,
                            UnitIdOf(personnel, call, req.agency_code(), req.unit_id(),
                                     req.unit_external_id(), "unit_id", "unit_external_id"));
  Violations v;
  if (unit_id <= 0) v.push_back({"unit_id", "unit_id must be positive"});
  CheckId(v, "position_code", req.position_code());  // a catalogue code, 1-64 characters
  if (!v.empty()) return Invalid(v);
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(auto stored,
                            Repository::GetWorkload(conn.get(), unit_id, req.position_code()));
  if (!stored.has_value()) {
    return absl::NotFoundError(absl::StrCat("no workload for unit ", unit_id, " position ",
                                            errors::Echo(req.position_code())));
  }
  SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, stored->workload.agency_code()));
  *resp.mutable_workload() = stored->workload;
  return absl::OkStatus();
}

absl::Status ListWorkloads(Repository& repo, PersonnelDirectory& personnel, const Call& call,
                           const pb::ListWorkloadsRequest& req, pb::ListWorkloadsResponse& resp) {
  const auth::Caller& caller = call.caller;
  SEIMBANG_ASSIGN_OR_RETURN(const std::string agency, auth::ListAgency(caller, req.agency_code()));
  if (req.unit_id() < 0) {
    return errors::InvalidArgument({{"unit_id", "must be a unit id (positive) or 0 for all"}});
  }
  SEIMBANG_ASSIGN_OR_RETURN(const int64_t unit_id,
                            UnitIdOf(personnel, call, agency, req.unit_id(), req.unit_external_id(),
                                     "unit_id", "unit_external_id"));
  SEIMBANG_ASSIGN_OR_RETURN(auto size, paging::EffectivePageSize(req.page().page_size()));
  paging::PageQuery query = server::PageQueryOf(MethodPath("ListWorkloads"), caller);
  query.Add("agency_code", agency).Add("unit_id", unit_id);
  SEIMBANG_ASSIGN_OR_RETURN(const std::optional<WorkloadKey> after,
                            UnitPositionAfter(query, req.page().page_token()));
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(
      auto rows, Repository::ListWorkloads(conn.get(), agency, unit_id, after, size + 1));
  resp.mutable_page()->set_next_page_token(paging::TrimToPage(
      rows, size, query, [](const StoredWorkload& w) { return UnitPositionCursor(w.workload); }));
  for (StoredWorkload& w : rows) *resp.add_workloads() = std::move(w.workload);
  resp.mutable_page()->set_total_size(-1);
  return absl::OkStatus();
}

absl::Status ListDemandSignals(Repository& repo, PersonnelDirectory& personnel, const Call& call,
                               const pb::ListDemandSignalsRequest& req,
                               pb::ListDemandSignalsResponse& resp) {
  const auth::Caller& caller = call.caller;
  SEIMBANG_ASSIGN_OR_RETURN(const std::string agency, auth::ListAgency(caller, req.agency_code()));
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
  filter.agency_code = agency;
  SEIMBANG_ASSIGN_OR_RETURN(filter.unit_id,
                            UnitIdOf(personnel, call, agency, req.unit_id(), req.unit_external_id(),
                                     "unit_id", "unit_external_id"));
  filter.kind = req.kind();
  if (req.has_from()) filter.from_month_key = req.from().year() * 100 + req.from().month();
  if (req.has_to()) filter.to_month_key = req.to().year() * 100 + req.to().month();
  paging::PageQuery query = server::PageQueryOf(MethodPath("ListDemandSignals"), caller);
  query.Add("agency_code", filter.agency_code)
      .Add("unit_id", filter.unit_id)
      .Add("kind", filter.kind)
      .Add("from", filter.from_month_key)
      .Add("to", filter.to_month_key);
  SEIMBANG_ASSIGN_OR_RETURN(auto key,
                            paging::ProcessPageTokens().Decode(query, req.page().page_token(), 3));
  std::optional<SignalKey> after;
  if (!key.empty()) {
    SEIMBANG_ASSIGN_OR_RETURN(auto unit, paging::CursorInt(key[0]));
    SEIMBANG_ASSIGN_OR_RETURN(auto kind, paging::CursorInt(key[1]));
    SEIMBANG_ASSIGN_OR_RETURN(auto month, paging::CursorInt(key[2]));
    after = SignalKey{unit, static_cast<int>(kind), static_cast<int>(month)};
  }
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(auto rows,
                            Repository::ListSignals(conn.get(), filter, after, size + 1));
  resp.mutable_page()->set_next_page_token(
      paging::TrimToPage(rows, size, query, [](const pb::DemandSignal& last) {
        return std::vector<std::string>{
            absl::StrCat(last.unit_id()), absl::StrCat(static_cast<int>(last.kind())),
            absl::StrCat(last.month().year() * 100 + last.month().month())};
      }));
  for (pb::DemandSignal& s : rows) *resp.add_signals() = std::move(s);
  resp.mutable_page()->set_total_size(-1);
  return absl::OkStatus();
}

absl::Status GetSettings(Repository& repo, PersonnelDirectory& /*personnel*/, const Call& call,
                         const pb::GetSettingsRequest& req, pb::GetSettingsResponse& resp) {
  const auth::Caller& caller = call.caller;
  if (req.agency_code().empty()) return InvalidField("agency_code", "agency_code is required");
  SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, req.agency_code()));
  SEIMBANG_ASSIGN_OR_RETURN(auto settings, repo.LoadSettings(req.agency_code()));
  *resp.mutable_settings() = settings.first;
  resp.set_defaults(settings.second);
  return absl::OkStatus();
}

absl::Status GetProjection(Repository& repo, PersonnelDirectory& /*personnel*/, const Call& call,
                           const pb::GetProjectionRequest& req, pb::GetProjectionResponse& resp) {
  const auth::Caller& caller = call.caller;
  Violations v;
  CheckId(v, "projection_id", req.projection_id());
  if (!v.empty()) return Invalid(v);
  SEIMBANG_ASSIGN_OR_RETURN(auto projection, workload::GetProjection(repo, req.projection_id()));
  SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, projection.summary().agency_code()));
  *resp.mutable_projection() = std::move(projection);
  return absl::OkStatus();
}

absl::Status ListProjections(Repository& repo, PersonnelDirectory& /*personnel*/, const Call& call,
                             const pb::ListProjectionsRequest& req,
                             pb::ListProjectionsResponse& resp) {
  return ListNewestFirst(repo, call.caller, req.agency_code(), "ListProjections", req.page(),
                         &Repository::ListProjections, "projections", *resp.mutable_page(),
                         *resp.mutable_projections());
}

absl::Status GetAnalysis(Repository& repo, PersonnelDirectory& personnel, const Call& call,
                         const pb::GetAnalysisRequest& req, pb::GetAnalysisResponse& resp) {
  const auth::Caller& caller = call.caller;
  Violations v;
  CheckId(v, "run_id", req.run_id());
  if (!pb::Grade_IsValid(req.grade())) v.push_back({"grade", "grade is not a known grade"});
  if (req.gap_sign() < -1 || req.gap_sign() > 1) {
    v.push_back({"gap_sign", absl::StrCat("gap_sign must be -1, 0 or 1, got ", req.gap_sign())});
  }
  if (req.unit_id() < 0) v.push_back({"unit_id", "must be a unit id (positive) or 0 for all"});
  if (!v.empty()) return Invalid(v);
  SEIMBANG_ASSIGN_OR_RETURN(auto size, paging::EffectivePageSize(req.page().page_size()));
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(auto run, Repository::FindRun(conn.get(), req.run_id()));
  if (!run.has_value())
    return absl::NotFoundError(
        absl::StrCat("analysis run ", errors::Echo(req.run_id()), " not found"));
  SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, run->summary.agency_code()));
  SEIMBANG_ASSIGN_OR_RETURN(const int64_t unit_id,
                            UnitIdOf(personnel, call, run->summary.agency_code(), req.unit_id(),
                                     req.unit_external_id(), "unit_id", "unit_external_id"));
  paging::PageQuery query = server::PageQueryOf(MethodPath("GetAnalysis"), caller);
  query.Add("run_id", req.run_id())
      .Add("unit_id", unit_id)
      .Add("grade", req.grade())
      .Add("gap_sign", req.gap_sign());
  SEIMBANG_ASSIGN_OR_RETURN(const std::optional<WorkloadKey> after,
                            UnitPositionAfter(query, req.page().page_token()));
  RowFilter filter{unit_id, static_cast<int>(req.grade()), req.gap_sign()};
  SEIMBANG_ASSIGN_OR_RETURN(auto rows,
                            Repository::ListRunRows(conn.get(), run->pk, filter, after, size + 1));
  resp.mutable_page()->set_next_page_token(paging::TrimToPage(
      rows, size, query, [](const pb::PositionRow& r) { return UnitPositionCursor(r); }));
  *resp.mutable_summary() = run->summary;
  for (pb::PositionRow& r : rows) *resp.add_rows() = std::move(r);
  resp.mutable_page()->set_total_size(-1);
  if (req.include_units()) {
    SEIMBANG_ASSIGN_OR_RETURN(auto units, Repository::ListRunUnits(conn.get(), run->pk));
    for (pb::UnitRow& u : units) *resp.add_units() = std::move(u);
  }
  return absl::OkStatus();
}

absl::Status ListAnalyses(Repository& repo, PersonnelDirectory& /*personnel*/, const Call& call,
                          const pb::ListAnalysesRequest& req, pb::ListAnalysesResponse& resp) {
  return ListNewestFirst(repo, call.caller, req.agency_code(), "ListAnalyses", req.page(),
                         &Repository::ListRuns, "analysis_runs", *resp.mutable_page(),
                         *resp.mutable_runs());
}

absl::Status CompareAnalyses(Repository& repo, PersonnelDirectory& /*personnel*/, const Call& call,
                             const pb::CompareAnalysesRequest& req,
                             pb::CompareAnalysesResponse& resp) {
  const auth::Caller& caller = call.caller;
  Violations v;
  CheckId(v, "base_run_id", req.base_run_id());
  CheckId(v, "other_run_id", req.other_run_id());
  if (!v.empty()) return Invalid(v);
  SEIMBANG_ASSIGN_OR_RETURN(auto size, paging::EffectivePageSize(req.page().page_size()));
  paging::PageQuery query = server::PageQueryOf(MethodPath("CompareAnalyses"), caller);
  query.Add("base_run_id", req.base_run_id()).Add("other_run_id", req.other_run_id());
  SEIMBANG_ASSIGN_OR_RETURN(const std::optional<WorkloadKey> after,
                            UnitPositionAfter(query, req.page().page_token()));
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  std::optional<StoredRun> runs[2];
  const std::string* ids[2] = {&req.base_run_id(), &req.other_run_id()};
  for (int i = 0; i < 2; ++i) {
    SEIMBANG_ASSIGN_OR_RETURN(auto run, Repository::FindRun(conn.get(), *ids[i]));
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

  SEIMBANG_ASSIGN_OR_RETURN(auto base_rows,
                            Repository::ListRunRows(conn.get(), runs[0]->pk, {}, after, -1));
  SEIMBANG_ASSIGN_OR_RETURN(auto other_rows,
                            Repository::ListRunRows(conn.get(), runs[1]->pk, {}, after, -1));
  std::vector<pb::RowDelta> deltas = DiffRows(base_rows, other_rows);
  resp.mutable_page()->set_next_page_token(paging::TrimToPage(
      deltas, size, query, [](const pb::RowDelta& d) { return UnitPositionCursor(d); }));
  for (pb::RowDelta& d : deltas) *resp.add_rows() = std::move(d);
  resp.mutable_page()->set_total_size(-1);
  return absl::OkStatus();
}

absl::Status ListAuditEvents(Repository& repo, PersonnelDirectory& /*personnel*/, const Call& call,
                             const pb::ListAuditEventsRequest& req,
                             pb::ListAuditEventsResponse& resp) {
  const auth::Caller& caller = call.caller;
  SEIMBANG_ASSIGN_OR_RETURN(auto size, paging::EffectivePageSize(req.page().page_size()));
  paging::PageQuery query = server::PageQueryOf(MethodPath("ListAuditEvents"), caller);
  query.Add("method", req.method());
  SEIMBANG_ASSIGN_OR_RETURN(auto key,
                            paging::ProcessPageTokens().Decode(query, req.page().page_token(), 1));
  int64_t after = 0;
  if (!key.empty()) {
    SEIMBANG_ASSIGN_OR_RETURN(after, paging::CursorInt(key[0]));
  }
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(auto rows,
                            Repository::ListAudit(conn.get(), req.method(), after, size + 1));
  resp.mutable_page()->set_next_page_token(paging::TrimToPage(
      rows, size, query,
      [](const cpb::AuditEvent& e) { return std::vector<std::string>{absl::StrCat(e.id())}; }));
  for (cpb::AuditEvent& e : rows) *resp.add_events() = std::move(e);
  resp.mutable_page()->set_total_size(-1);
  return absl::OkStatus();
}

}  // namespace seimbang::workload
