#include "services/personnel/employee_workflow.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/domain/nip.h"
#include "common/errors/errors.h"
#include "common/errors/status_macros.h"
#include "services/personnel/validation.h"

namespace seimbang::personnel {

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

}  // namespace seimbang::personnel
