#include "services/personnel/employee_workflow.h"

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/domain/nip.h"
#include "common/errors/errors.h"
#include "common/errors/status_macros.h"
#include "common/proto_convert/date.h"
#include "services/personnel/staffing.h"
#include "services/personnel/validation.h"

namespace seimbang::personnel {

using auth::Role;
namespace {

// Every employee write leaves a change-feed row and an audit row in its own transaction.
absl::Status RecordEmployeeChange(Tx& tx, const AuditContext& audit, pv1::ChangeKind kind,
                                  const pv1::Employee& row) {
  if (auto st = tx.WriteChange(kind, row.agency_code(), row.nip()); !st.ok()) return st;
  return tx.WriteAudit(audit, domain::MaskNip(row.nip()), row.agency_code());
}

// Create and Update answer alike: the stored employee and its placement warnings.
template <typename Response>
Response EmployeeResponse(const pv1::Employee& stored, const pv1::Position& position) {
  Response r;
  *r.mutable_employee() = stored;
  for (auto& w : PlacementWarnings(stored, position, "employee")) *r.add_warnings() = std::move(w);
  return r;
}

// Employee.unit_external_id, when given, names the unit (of agency_code, in the caller's scope)
// and replaces unit_id; it is not stored.
absl::Status ResolveUnitExternalId(Tx& tx, const auth::Caller& c, pv1::Employee& e) {
  if (e.unit_external_id().empty()) return absl::OkStatus();
  SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(c, e.agency_code()));
  SEIMBANG_ASSIGN_OR_RETURN(auto id, tx.UnitIdByExternalId(e.agency_code(), e.unit_external_id()));
  if (!id) {
    return Invalid("employee.unit_external_id",
                   absl::StrCat("no unit of agency ", errors::Echo(e.agency_code()),
                                " has external_id ", errors::Echo(e.unit_external_id())));
  }
  e.set_unit_id(*id);
  e.clear_unit_external_id();
  return absl::OkStatus();
}

// Unit and position references of an employee: the unit must exist (and be active when the
// employee is placed there) and lie in the caller's scope; the position must exist.
absl::StatusOr<std::pair<pv1::Unit, pv1::Position>> CheckPlacement(Tx& tx, const auth::Caller& c,
                                                                   const pv1::Employee& e,
                                                                   bool require_active) {
  auto unit = tx.GetUnit(e.unit_id());
  if (!unit.ok()) return unit.status();
  if (!*unit)
    return Invalid("employee.unit_id", absl::StrCat("unit ", e.unit_id(), " does not exist"));
  if (auto st = auth::CheckAgencyScope(c, (*unit)->agency_code()); !st.ok()) return st;
  if (require_active && !(*unit)->active()) {
    return Invalid("employee.unit_id", absl::StrCat("unit ", e.unit_id(), " is inactive"));
  }
  auto pos = tx.GetPosition(e.position_code());
  if (!pos.ok()) return pos.status();
  if (!*pos) {
    return Invalid("employee.position_code",
                   absl::StrCat("position ", e.position_code(), " does not exist"));
  }
  return std::make_pair(**unit, **pos);
}

// The day a status other than ACTIVE took or takes effect; nullopt for ACTIVE people.
std::optional<domain::Date> InactiveSince(int employment_status, const domain::Date& since) {
  if (employment_status == pv1::EMPLOYMENT_STATUS_ACTIVE ||
      employment_status == pv1::EMPLOYMENT_STATUS_UNSPECIFIED) {
    return std::nullopt;
  }
  return since;
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

}  // namespace

absl::Status CreateEmployee(Repository& repo, const Call& call,
                            const pv1::CreateEmployeeRequest& req, const domain::Date& today,
                            pv1::CreateEmployeeResponse* resp) {
  const auth::Caller& caller = call.caller;
  pv1::Employee e = req.employee();
  Violations v = ValidateEmployee(&e, "employee", today);
  if (!v.empty()) return Invalid(v);
  AuditContext audit = Audit(call, "CreateEmployee", req.request_id());
  std::function<absl::StatusOr<pv1::CreateEmployeeResponse>(Tx&)> fn =
      [&](Tx& tx) -> absl::StatusOr<pv1::CreateEmployeeResponse> {
    SEIMBANG_RETURN_IF_ERROR(ResolveUnitExternalId(tx, caller, e));
    auto placement = CheckPlacement(tx, caller, e, /*require_active=*/true);
    if (!placement.ok()) return placement.status();
    // The NIP of another agency's employee is refused as a read of it would be, not reported
    // as ALREADY_EXISTS.
    auto existing = tx.GetEmployee(e.nip(), /*for_update=*/false);
    if (!existing.ok()) return existing.status();
    if (*existing) {
      if (auto st = auth::CheckAgencyScope(caller, (*existing)->agency_code()); !st.ok()) return st;
    }
    pv1::Employee row = e;
    row.set_agency_code(placement->first.agency_code());
    auto created = tx.InsertEmployee(row);
    if (!created.ok()) return created.status();
    if (auto st = RecordEmployeeChange(tx, audit, pv1::CHANGE_KIND_EMPLOYEE_CREATED, row);
        !st.ok()) {
      return st;
    }
    return EmployeeResponse<pv1::CreateEmployeeResponse>(*created, placement->second);
  };
  return WriteAndParse(repo, caller, "CreateEmployee", req, fn, resp);
}

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

absl::Status UpdateEmployee(Repository& repo, const Call& call,
                            const pv1::UpdateEmployeeRequest& req, const domain::Date& today,
                            pv1::UpdateEmployeeResponse* resp) {
  const auth::Caller& caller = call.caller;
  SEIMBANG_ASSIGN_OR_RETURN(pv1::Employee e, RequestedEmployee(repo, caller, req));
  Violations v = ValidateEmployee(&e, "employee", today);
  if (!v.empty()) return Invalid(v);
  SEIMBANG_ASSIGN_OR_RETURN(auto version, ParseEtag(e.etag(), "employee.etag"));
  const auto reason = req.placement_reason();
  AuditContext audit = Audit(call, "UpdateEmployee", req.request_id());
  std::function<absl::StatusOr<pv1::UpdateEmployeeResponse>(Tx&)> fn =
      [&](Tx& tx) -> absl::StatusOr<pv1::UpdateEmployeeResponse> {
    auto existing = tx.GetEmployee(e.nip(), /*for_update=*/true);
    if (!existing.ok()) return existing.status();
    if (!*existing) {
      return absl::NotFoundError(absl::StrCat("employee ", domain::MaskNip(e.nip()), " not found"));
    }
    if (auto st = auth::CheckAgencyScope(caller, (*existing)->agency_code()); !st.ok()) return st;
    SEIMBANG_RETURN_IF_ERROR(ResolveUnitExternalId(tx, caller, e));
    const bool moved = (*existing)->unit_id() != e.unit_id() ||
                       (*existing)->position_code() != e.position_code() ||
                       DateToText((*existing)->in_post_since()) != DateToText(e.in_post_since());
    if (moved && reason != pv1::PLACEMENT_REASON_CORRECTION &&
        reason != pv1::PLACEMENT_REASON_PROMOTION) {
      return Invalid("placement_reason",
                     "the placement changes only through ApplyTransfers or with a "
                     "placement_reason of CORRECTION or PROMOTION");
    }
    auto placement =
        CheckPlacement(tx, caller, e, /*require_active=*/(*existing)->unit_id() != e.unit_id());
    if (!placement.ok()) return placement.status();
    pv1::Employee row = e;
    row.set_agency_code(placement->first.agency_code());
    auto updated = tx.UpdateEmployee(row, version, reason, req.decree_number());
    if (!updated.ok()) return updated.status();
    if (auto st = RecordEmployeeChange(tx, audit, pv1::CHANGE_KIND_EMPLOYEE_UPDATED, row);
        !st.ok()) {
      return st;
    }
    return EmployeeResponse<pv1::UpdateEmployeeResponse>(*updated, placement->second);
  };
  return WriteAndParse(repo, caller, "UpdateEmployee", req, fn, resp);
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
                  domain::RetirementDate(e.birth_date, RetirementAgeFor(position)),
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

}  // namespace seimbang::personnel
