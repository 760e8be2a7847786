#include "services/personnel/query_workflow.h"

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/auth/caller.h"
#include "common/domain/nip.h"
#include "common/domain/text.h"
#include "common/errors/errors.h"
#include "common/errors/status_macros.h"
#include "common/proto_convert/date.h"
#include "common/proto_convert/position.h"
#include "services/personnel/staffing.h"
#include "services/personnel/validation.h"

namespace seimbang::personnel {

using auth::Role;

namespace {

// The day a status other than ACTIVE took or takes effect; nullopt for ACTIVE people.
std::optional<domain::Date> InactiveSince(int employment_status, const domain::Date& since) {
  if (employment_status == pv1::EMPLOYMENT_STATUS_ACTIVE ||
      employment_status == pv1::EMPLOYMENT_STATUS_UNSPECIFIED) {
    return std::nullopt;
  }
  return since;
}

// The end of a List: the page's total_size (-1: not counted), the next page's token (the rows past
// `size` dropped, `cursor_of` the last one kept) and the rows, moved into the response.
template <typename Row, typename CursorOf>
void FillPage(std::vector<Row>& rows, int size, const paging::PageQuery& query, int64_t total,
              CursorOf&& cursor_of, cv1::PageResponse& page,
              google::protobuf::RepeatedPtrField<Row>& out) {
  page.set_total_size(total);
  page.set_next_page_token(paging::TrimToPage(rows, size, query, cursor_of));
  for (Row& row : rows) *out.Add() = std::move(row);
}

absl::StatusOr<EmployeeQuery> ScopedEmployeeQuery(const auth::Caller& c,
                                                  const pv1::EmployeeFilter& f, Repository& repo) {
  EmployeeQuery q;
  auto agency = auth::ListAgency(c, f.agency_code());
  if (!agency.ok()) return agency.status();
  q.agency_code = *agency;
  SEIMBANG_ASSIGN_OR_RETURN(
      int64_t subtree, UnitIdOf(repo, q.agency_code, f.unit_subtree(), f.unit_subtree_external_id(),
                                "filter.unit_subtree", "filter.unit_subtree_external_id"));
  // A unit found by its external id is one of q.agency_code's, already scope-checked; a
  // numeric id is looked up for its existence and agency.
  if (subtree != 0 && !f.unit_subtree_external_id().empty()) {
    q.unit_subtree = subtree;
  } else if (subtree != 0) {
    auto unit = repo.GetUnit(subtree);
    if (!unit.ok()) return unit.status();
    if (!*unit) {
      return Invalid("filter.unit_subtree", absl::StrCat("unit ", subtree, " does not exist"));
    }
    if (auto st = auth::CheckAgencyScope(c, (*unit)->agency_code()); !st.ok()) return st;
    q.unit_subtree = subtree;
  }
  // As Position.code and Position.job_family are bounded (validation.cc).
  if (domain::Utf8Length(f.position_code()) > 64) {
    return Invalid("filter.position_code", "at most 64 characters");
  }
  if (domain::Utf8Length(f.job_family()) > 64) {
    return Invalid("filter.job_family", "at most 64 characters");
  }
  q.position_code = f.position_code();
  q.job_family = f.job_family();
  if (!pv1::EmploymentType_IsValid(f.employment_type())) {
    return Invalid("filter.employment_type", "unknown employment type");
  }
  q.employment_type = f.employment_type();
  if (f.name_contains().size() > 200) {
    return Invalid("filter.name_contains",
                   absl::StrCat("must be 1-200 bytes, got ", f.name_contains().size()));
  }
  q.name_contains = f.name_contains();
  if (f.nip_prefix().size() > 18 || !absl::c_all_of(f.nip_prefix(), absl::ascii_isdigit)) {
    return Invalid("filter.nip_prefix", "must be 1-18 digits");
  }
  q.nip_prefix = f.nip_prefix();
  if (!f.include_inactive()) q.active_on = domain::FormatDate(domain::Today());
  return q;
}

// GetUnit by (agency_code, external_id): the agency must be in the caller's scope.
absl::Status GetUnitByExternalId(Repository& repo, const Call& call, const pv1::GetUnitRequest& req,
                                 pv1::GetUnitResponse* resp) {
  Violations v;
  if (req.agency_code().empty()) v.push_back({"agency_code", "is required with external_id"});
  if (req.external_id().size() > 64) v.push_back({"external_id", "at most 64 characters"});
  if (!v.empty()) return Invalid(v);
  SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(call.caller, req.agency_code()));
  UnitQuery q;
  q.agency_code = req.agency_code();
  q.external_id = req.external_id();
  q.include_inactive = true;
  q.limit = 1;
  SEIMBANG_ASSIGN_OR_RETURN(auto rows, repo.ListUnits(q));
  if (rows.empty()) {
    return absl::NotFoundError(absl::StrCat("no unit of agency ", errors::Echo(req.agency_code()),
                                            " has external_id ", errors::Echo(req.external_id())));
  }
  *resp->mutable_unit() = rows.front();
  return absl::OkStatus();
}

}  // namespace

// ---------------------------------------------------------------- employees

absl::Status GetEmployee(Repository& repo, const Call& call, const pv1::GetEmployeeRequest& req,
                         pv1::GetEmployeeResponse* resp) {
  const auth::Caller& caller = call.caller;
  SEIMBANG_RETURN_IF_ERROR(auth::CheckSelf(caller, req.nip()));
  SEIMBANG_ASSIGN_OR_RETURN(auto e, repo.GetEmployee(req.nip()));
  if (!e) {
    return absl::NotFoundError(absl::StrCat("employee ", domain::MaskNip(req.nip()), " not found"));
  }
  if (caller.claims.role != Role::kEmployee) {
    SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, e->agency_code()));
  }
  *resp->mutable_employee() = *std::move(e);
  return absl::OkStatus();
}

absl::Status ListEmployees(Repository& repo, const Call& call, const pv1::ListEmployeesRequest& req,
                           pv1::ListEmployeesResponse* resp) {
  const auth::Caller& caller = call.caller;
  int size = 0;
  std::string after;
  const pv1::EmployeeFilter& f = req.filter();
  paging::PageQuery page_query = server::PageQueryOf(MethodPath("ListEmployees"), caller);
  page_query.Add("filter.agency_code", f.agency_code())
      .Add("filter.unit_subtree", f.unit_subtree())
      .Add("filter.position_code", f.position_code())
      .Add("filter.job_family", f.job_family())
      .Add("filter.employment_type", f.employment_type())
      .Add("filter.include_inactive", f.include_inactive())
      .Add("filter.name_contains", f.name_contains())
      .Add("filter.nip_prefix", f.nip_prefix())
      .Add("filter.unit_subtree_external_id", f.unit_subtree_external_id());
  SEIMBANG_RETURN_IF_ERROR(CheckPage(req.page(), page_query, &size, &after));
  SEIMBANG_ASSIGN_OR_RETURN(auto q, ScopedEmployeeQuery(caller, req.filter(), repo));
  q.after_nip = after;
  q.limit = size + 1;
  SEIMBANG_ASSIGN_OR_RETURN(auto rows, repo.ListEmployees(q));
  resp->mutable_page()->set_total_size(-1);
  resp->mutable_page()->set_next_page_token(paging::TrimToPage(
      rows, size, page_query,
      [](const EmployeeRecord& r) { return std::vector<std::string>{r.employee.nip()}; }));
  for (EmployeeRecord& r : rows) *resp->add_employees() = std::move(r.employee);
  return absl::OkStatus();
}

absl::Status BatchGetEmployees(Repository& repo, const Call& call,
                               const pv1::BatchGetEmployeesRequest& req,
                               pv1::BatchGetEmployeesResponse* resp) {
  const auth::Caller& caller = call.caller;
  if (req.nips_size() > 1000) {
    return Invalid("nips", absl::StrCat("at most 1000 NIPs per call, got ", req.nips_size()));
  }
  std::vector<std::string> nips(req.nips().begin(), req.nips().end());
  SEIMBANG_ASSIGN_OR_RETURN(auto found, repo.BatchGetEmployees(nips));
  // Each NIP's employee and how many more times the request names it, so that the last
  // answer for a NIP moves the employee into the response and only repeats copy.
  std::unordered_map<std::string, std::pair<pv1::Employee*, int>> by_nip;
  for (auto& e : found) {
    if (auth::CheckAgencyScope(caller, e.agency_code()).ok()) by_nip[e.nip()] = {&e, 0};
  }
  for (const auto& nip : nips) {
    if (auto it = by_nip.find(nip); it != by_nip.end()) ++it->second.second;
  }
  for (const auto& nip : nips) {
    auto it = by_nip.find(nip);
    if (it == by_nip.end()) {
      resp->add_not_found(nip);
    } else if (--it->second.second == 0) {
      *resp->add_employees() = std::move(*it->second.first);
    } else {
      *resp->add_employees() = *it->second.first;
    }
  }
  return absl::OkStatus();
}

absl::Status GetStaffing(Repository& repo, const Call& call, const pv1::GetStaffingRequest& req,
                         pv1::GetStaffingResponse* resp) {
  const auth::Caller& caller = call.caller;
  Violations v;
  if (req.agency_code().empty()) v.push_back({"agency_code", "is required"});
  if (!req.has_as_of()) {
    v.push_back({"as_of", "is required"});
  } else if (auto err = CheckDate(req.as_of()); !err.empty()) {
    v.push_back({"as_of", err});
  }
  if (!v.empty()) return Invalid(v);
  pv1::EmployeeFilter f;
  f.set_agency_code(req.agency_code());
  f.set_unit_subtree(req.unit_subtree());
  f.set_unit_subtree_external_id(req.unit_subtree_external_id());
  SEIMBANG_ASSIGN_OR_RETURN(auto q, ScopedEmployeeQuery(caller, f, repo));
  q.active_on.clear();  // the builder counts who was not active on as_of
  StaffingBuilder builder(proto_convert::ToDomain(req.as_of()));
  q.limit = kStaffingPage;
  while (true) {
    SEIMBANG_ASSIGN_OR_RETURN(StaffingPage page, repo.ListStaffing(q));
    for (const StaffingEntry& e : page.entries) {
      const pv1::Position& position = page.positions[e.position_code];
      builder.Add(e.nip, e.unit_id, e.position_code, position.job_family(),
                  e.employment_type == pv1::EMPLOYMENT_TYPE_PPPK,
                  domain::RetirementDate(e.birth_date, proto_convert::RetirementAge(position)),
                  InactiveSince(e.employment_status, e.status_since));
    }
    if (static_cast<int>(page.entries.size()) < q.limit) break;
    q.after_nip = page.entries.back().nip;
  }
  StaffingSnapshot snap = builder.Finish();
  for (const auto& [key, count] : snap.rows) {
    auto* row = resp->add_rows();
    row->set_unit_id(key.first);
    row->set_position_code(key.second);
    row->set_job_family(count.job_family);
    row->set_pns(count.pns);
    row->set_pppk(count.pppk);
  }
  resp->set_digest(snap.digest);
  resp->set_employees_counted(snap.counted);
  resp->set_employees_retired_excluded(snap.retired_excluded);
  resp->set_employees_inactive_excluded(snap.inactive_excluded);
  return absl::OkStatus();
}

absl::Status StreamEmployees(Repository& repo, const Call& call,
                             const pv1::StreamEmployeesRequest& req,
                             const StreamOut<pv1::StreamEmployeesResponse>& out) {
  SEIMBANG_ASSIGN_OR_RETURN(auto q, ScopedEmployeeQuery(call.caller, req.filter(), repo));
  const bool hints = req.has_eligible_as_of();
  if (hints) {
    if (auto err = CheckDate(req.eligible_as_of()); !err.empty()) {
      return Invalid("eligible_as_of", err);
    }
  }
  const domain::Date as_of = proto_convert::ToDomain(req.eligible_as_of());
  if (hints && !req.filter().include_inactive()) q.active_on = domain::FormatDate(as_of);
  q.limit = kStreamPage;
  while (true) {
    if (out.cancelled()) return absl::CancelledError("cancelled");
    SEIMBANG_ASSIGN_OR_RETURN(auto rows, repo.ListEmployees(q));
    if (!rows.empty()) q.after_nip = rows.back().employee.nip();
    const bool last_page = static_cast<int>(rows.size()) < kStreamPage;
    for (auto& rec : rows) {
      pv1::StreamEmployeesResponse m;
      m.set_job_family(rec.position.job_family());
      if (hints) {
        EligibilityHints h = ComputeHints(rec.employee, rec.position, as_of);
        m.set_months_in_post(h.months_in_post);
        m.set_months_to_retirement(h.months_to_retirement);
        *m.mutable_retirement_date() = proto_convert::ToProto(h.retirement_date);
      }
      *m.mutable_employee() = std::move(rec.employee);
      if (!out.write(m)) return absl::CancelledError("client went away");
    }
    if (last_page) break;
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------- the catalogue

absl::Status GetAgency(Repository& repo, const Call& call, const pv1::GetAgencyRequest& req,
                       pv1::GetAgencyResponse* resp) {
  const auth::Caller& caller = call.caller;
  SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, req.code()));
  SEIMBANG_ASSIGN_OR_RETURN(auto a, repo.GetAgency(req.code()));
  if (!a)
    return absl::NotFoundError(absl::StrCat("agency ", errors::Echo(req.code()), " not found"));
  *resp->mutable_agency() = *a;
  return absl::OkStatus();
}

absl::Status ListAgencies(Repository& repo, const Call& call, const pv1::ListAgenciesRequest& req,
                          pv1::ListAgenciesResponse* resp) {
  const auth::Caller& caller = call.caller;
  int size = 0;
  std::string after;
  paging::PageQuery page_query = server::PageQueryOf(MethodPath("ListAgencies"), caller);
  page_query.Add("province_code", req.province_code());
  SEIMBANG_RETURN_IF_ERROR(CheckPage(req.page(), page_query, &size, &after));
  if (!auth::SpansAllAgencies(caller)) {
    // Everyone else sees only their own agency.
    SEIMBANG_ASSIGN_OR_RETURN(auto a, repo.GetAgency(caller.claims.agency));
    const bool match =
        a && (req.province_code().empty() || a->province_code() == req.province_code());
    resp->mutable_page()->set_total_size(match ? 1 : 0);
    if (match && after < a->code()) *resp->add_agencies() = *a;
    return absl::OkStatus();
  }
  int64_t total = 0;
  SEIMBANG_ASSIGN_OR_RETURN(auto rows,
                            repo.ListAgencies(req.province_code(), after, size + 1, &total));
  FillPage(
      rows, size, page_query, total,
      [](const pv1::Agency& a) { return std::vector<std::string>{a.code()}; },
      *resp->mutable_page(), *resp->mutable_agencies());
  return absl::OkStatus();
}

absl::Status GetUnit(Repository& repo, const Call& call, const pv1::GetUnitRequest& req,
                     pv1::GetUnitResponse* resp) {
  const auth::Caller& caller = call.caller;
  if (req.id() == 0 && !req.external_id().empty())
    return GetUnitByExternalId(repo, call, req, resp);
  if (req.id() <= 0 || req.id() > kMaxId) {
    return Invalid("id", absl::StrCat("must be a unit id 1-", kMaxId, ", or 0 with external_id"));
  }
  SEIMBANG_ASSIGN_OR_RETURN(auto u, repo.GetUnit(req.id()));
  if (!u) return absl::NotFoundError(absl::StrCat("unit ", req.id(), " not found"));
  SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, u->agency_code()));
  *resp->mutable_unit() = *u;
  return absl::OkStatus();
}

absl::Status ListUnits(Repository& repo, const Call& call, const pv1::ListUnitsRequest& req,
                       pv1::ListUnitsResponse* resp) {
  const auth::Caller& caller = call.caller;
  // Unit ids are 1..2^53-1 (personnel.proto); 0 means no filter.
  if (req.subtree_of() < 0) {
    return errors::InvalidArgument({{"subtree_of", "must be a unit id (positive) or 0 for all"}});
  }
  int size = 0;
  std::string after;
  paging::PageQuery page_query = server::PageQueryOf(MethodPath("ListUnits"), caller);
  page_query.Add("agency_code", req.agency_code())
      .Add("subtree_of", req.subtree_of())
      .Add("kind", req.kind())
      .Add("include_inactive", req.include_inactive())
      .Add("external_id", req.external_id())
      .Add("subtree_of_external_id", req.subtree_of_external_id());
  SEIMBANG_RETURN_IF_ERROR(CheckPage(req.page(), page_query, &size, &after));
  SEIMBANG_ASSIGN_OR_RETURN(auto agency, auth::ListAgency(caller, req.agency_code()));
  UnitQuery q;
  q.agency_code = agency;
  SEIMBANG_ASSIGN_OR_RETURN(q.subtree_of,
                            UnitIdOf(repo, agency, req.subtree_of(), req.subtree_of_external_id(),
                                     "subtree_of", "subtree_of_external_id"));
  q.kind = req.kind();
  q.include_inactive = req.include_inactive();
  q.external_id = req.external_id();
  if (q.external_id.size() > 64) return Invalid("external_id", "at most 64 characters");
  q.limit = size + 1;
  if (!after.empty()) {
    SEIMBANG_ASSIGN_OR_RETURN(q.after_id, paging::CursorInt(after));
  }
  int64_t total = 0;
  SEIMBANG_ASSIGN_OR_RETURN(auto rows, repo.ListUnits(q, &total));
  FillPage(
      rows, size, page_query, total,
      [](const pv1::Unit& u) { return std::vector<std::string>{absl::StrCat(u.id())}; },
      *resp->mutable_page(), *resp->mutable_units());
  return absl::OkStatus();
}

absl::Status GetPosition(Repository& repo, const pv1::GetPositionRequest& req,
                         pv1::GetPositionResponse* resp) {
  SEIMBANG_ASSIGN_OR_RETURN(auto p, repo.GetPosition(req.code()));
  if (!p)
    return absl::NotFoundError(absl::StrCat("position ", errors::Echo(req.code()), " not found"));
  *resp->mutable_position() = *p;
  return absl::OkStatus();
}

absl::Status ListPositions(Repository& repo, const Call& call, const pv1::ListPositionsRequest& req,
                           pv1::ListPositionsResponse* resp) {
  const auth::Caller& caller = call.caller;
  int size = 0;
  std::string after;
  paging::PageQuery page_query = server::PageQueryOf(MethodPath("ListPositions"), caller);
  page_query.Add("job_family", req.job_family()).Add("kind", req.kind());
  SEIMBANG_RETURN_IF_ERROR(CheckPage(req.page(), page_query, &size, &after));
  int64_t total = 0;
  SEIMBANG_ASSIGN_OR_RETURN(
      auto rows, repo.ListPositions(req.job_family(), req.kind(), after, size + 1, &total));
  FillPage(
      rows, size, page_query, total,
      [](const pv1::Position& p) { return std::vector<std::string>{p.code()}; },
      *resp->mutable_page(), *resp->mutable_positions());
  return absl::OkStatus();
}

// ---------------------------------------------------------------- history, changes, audit

absl::Status ListPlacementHistory(Repository& repo, const Call& call,
                                  const pv1::ListPlacementHistoryRequest& req,
                                  pv1::ListPlacementHistoryResponse* resp) {
  const auth::Caller& caller = call.caller;
  SEIMBANG_RETURN_IF_ERROR(auth::CheckSelf(caller, req.nip()));
  int size = 0;
  std::string after;
  paging::PageQuery page_query = server::PageQueryOf(MethodPath("ListPlacementHistory"), caller);
  page_query.Add("nip", req.nip());
  SEIMBANG_RETURN_IF_ERROR(CheckPage(req.page(), page_query, &size, &after));
  int64_t before_id = 0;
  if (!after.empty()) {
    SEIMBANG_ASSIGN_OR_RETURN(before_id, paging::CursorInt(after));
  }
  SEIMBANG_ASSIGN_OR_RETURN(auto e, repo.GetEmployee(req.nip()));
  if (!e) {
    return absl::NotFoundError(absl::StrCat("employee ", domain::MaskNip(req.nip()), " not found"));
  }
  if (caller.claims.role != Role::kEmployee) {
    SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, e->agency_code()));
  }
  SEIMBANG_ASSIGN_OR_RETURN(auto rows, repo.ListPlacements(req.nip(), before_id, size + 1));
  FillPage(
      rows, size, page_query, /*total=*/-1,
      [](const pv1::Placement& p) { return std::vector<std::string>{absl::StrCat(p.id())}; },
      *resp->mutable_page(), *resp->mutable_placements());
  return absl::OkStatus();
}

absl::Status ListAuditEvents(Repository& repo, const Call& call,
                             const pv1::ListAuditEventsRequest& req,
                             pv1::ListAuditEventsResponse* resp) {
  const auth::Caller& caller = call.caller;
  int size = 0;
  std::string after;
  paging::PageQuery page_query = server::PageQueryOf(MethodPath("ListAuditEvents"), caller);
  page_query.Add("method", req.method());
  SEIMBANG_RETURN_IF_ERROR(CheckPage(req.page(), page_query, &size, &after));
  int64_t after_id = 0;
  if (!after.empty()) {
    SEIMBANG_ASSIGN_OR_RETURN(after_id, paging::CursorInt(after));
  }
  SEIMBANG_ASSIGN_OR_RETURN(auto rows, repo.ListAuditEvents(req.method(), after_id, size + 1));
  FillPage(
      rows, size, page_query, /*total=*/-1,
      [](const cv1::AuditEvent& e) { return std::vector<std::string>{absl::StrCat(e.id())}; },
      *resp->mutable_page(), *resp->mutable_events());
  return absl::OkStatus();
}

absl::Status WatchChanges(Repository& repo, const Call& call, const pv1::WatchChangesRequest& req,
                          const StreamOut<pv1::WatchChangesResponse>& out) {
  SEIMBANG_ASSIGN_OR_RETURN(auto agency, auth::ListAgency(call.caller, req.agency_code()));
  if (req.after_sequence() < 0) return Invalid("after_sequence", "must not be negative");
  int64_t after = req.after_sequence();
  constexpr int kPage = 500;
  while (true) {
    if (out.cancelled()) return absl::OkStatus();
    SEIMBANG_ASSIGN_OR_RETURN(auto rows, repo.ListChanges(after, agency, kPage));
    for (const auto& c : rows) {
      if (!out.write(c)) return absl::OkStatus();  // the client went away
      after = c.sequence();
    }
    if (static_cast<int>(rows.size()) == kPage) continue;
    if (!req.follow()) return absl::OkStatus();
    // Poll the outbox; the call's deadline or cancellation ends the stream.
    for (int i = 0; i < 4; ++i) {
      if (out.cancelled() || out.past_deadline()) return absl::OkStatus();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

}  // namespace seimbang::personnel
