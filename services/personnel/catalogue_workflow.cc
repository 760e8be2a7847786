#include "services/personnel/catalogue_workflow.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "common/errors/status_macros.h"

namespace seimbang::personnel {

absl::Status CreateAgency(Repository& repo, const Call& call, const pv1::CreateAgencyRequest& req,
                          pv1::CreateAgencyResponse* resp) {
  const auth::Caller& caller = call.caller;
  Violations v = ValidateAgency(req.agency(), "agency");
  if (!v.empty()) return Invalid(v);
  AuditContext audit = Audit(call, "CreateAgency", req.request_id());
  std::function<absl::StatusOr<pv1::CreateAgencyResponse>(Tx&)> fn =
      [&](Tx& tx) -> absl::StatusOr<pv1::CreateAgencyResponse> {
    auto a = tx.InsertAgency(req.agency());
    if (!a.ok()) return a.status();
    const std::string& code = a->code();
    if (auto st = tx.WriteChange(pv1::CHANGE_KIND_AGENCY_CREATED, code, code); !st.ok()) return st;
    if (auto st = tx.WriteAudit(audit, code, code); !st.ok()) return st;
    pv1::CreateAgencyResponse r;
    *r.mutable_agency() = *a;
    return r;
  };
  return WriteAndParse(repo, caller, "CreateAgency", req, fn, resp);
}

absl::Status CreateUnit(Repository& repo, const Call& call, const pv1::CreateUnitRequest& req,
                        pv1::CreateUnitResponse* resp) {
  const auth::Caller& caller = call.caller;
  Violations v = ValidateUnit(req.unit(), "unit");
  if (!v.empty()) return Invalid(v);
  SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, req.unit().agency_code()));
  AuditContext audit = Audit(call, "CreateUnit", req.request_id());
  std::function<absl::StatusOr<pv1::CreateUnitResponse>(Tx&)> fn =
      [&](Tx& tx) -> absl::StatusOr<pv1::CreateUnitResponse> {
    const pv1::Unit& u = req.unit();
    auto agency = tx.GetAgency(u.agency_code());
    if (!agency.ok()) return agency.status();
    if (!*agency) {
      return Invalid("unit.agency_code",
                     absl::StrCat("agency ", u.agency_code(), " does not exist"));
    }
    if (u.parent_id() != 0) {
      auto parent = tx.GetUnit(u.parent_id());
      if (!parent.ok()) return parent.status();
      if (*parent) {
        // A parent of an agency the caller may not act on is refused as a read of it would be.
        if (auto st = auth::CheckAgencyScope(caller, (*parent)->agency_code()); !st.ok()) return st;
      }
      if (!*parent || (*parent)->agency_code() != u.agency_code()) {
        return Invalid(
            "unit.parent_id",
            absl::StrCat("unit ", u.parent_id(), " is not a unit of agency ", u.agency_code()));
      }
    }
    auto created = tx.InsertUnit(u);
    if (!created.ok()) return created.status();
    std::string id = absl::StrCat(created->id());
    if (auto st = tx.WriteChange(pv1::CHANGE_KIND_UNIT_CREATED, u.agency_code(), id); !st.ok()) {
      return st;
    }
    if (auto st = tx.WriteAudit(audit, id, u.agency_code()); !st.ok()) return st;
    pv1::CreateUnitResponse r;
    *r.mutable_unit() = *created;
    return r;
  };
  return WriteAndParse(repo, caller, "CreateUnit", req, fn, resp);
}

absl::Status UpdateUnit(Repository& repo, const Call& call, const pv1::UpdateUnitRequest& req,
                        pv1::UpdateUnitResponse* resp) {
  const auth::Caller& caller = call.caller;
  SEIMBANG_ASSIGN_OR_RETURN(pv1::Unit unit, RequestedUnit(repo, caller, req));
  if (unit.agency_code().empty()) unit.set_agency_code("-");  // the stored agency wins below
  Violations v = ValidateUnit(unit, "unit");
  if (unit.id() <= 0) v.push_back({"unit.id", "is required"});
  if (!v.empty()) return Invalid(v);
  SEIMBANG_ASSIGN_OR_RETURN(auto version, ParseEtag(unit.etag(), "unit.etag"));
  AuditContext audit = Audit(call, "UpdateUnit", req.request_id());
  std::function<absl::StatusOr<pv1::UpdateUnitResponse>(Tx&)> fn =
      [&](Tx& tx) -> absl::StatusOr<pv1::UpdateUnitResponse> {
    auto existing = tx.GetUnit(unit.id());
    if (!existing.ok()) return existing.status();
    if (!*existing) return absl::NotFoundError(absl::StrCat("unit ", unit.id(), " not found"));
    const std::string agency = (*existing)->agency_code();
    if (auto st = auth::CheckAgencyScope(caller, agency); !st.ok()) return st;
    if (unit.parent_id() != 0) {
      auto parent = tx.GetUnit(unit.parent_id());
      if (!parent.ok()) return parent.status();
      if (*parent) {
        if (auto st = auth::CheckAgencyScope(caller, (*parent)->agency_code()); !st.ok()) return st;
      }
      if (!*parent || (*parent)->agency_code() != agency) {
        return Invalid("unit.parent_id", absl::StrCat("unit ", unit.parent_id(),
                                                      " is not a unit of agency ", agency));
      }
    }
    auto updated = tx.UpdateUnit(unit, version);
    if (absl::IsFailedPrecondition(updated.status())) {
      return Invalid("unit.parent_id", std::string(updated.status().message()));
    }
    if (!updated.ok()) return updated.status();
    std::string id = absl::StrCat(unit.id());
    if (auto st = tx.WriteChange(pv1::CHANGE_KIND_UNIT_UPDATED, agency, id); !st.ok()) return st;
    if (auto st = tx.WriteAudit(audit, id, agency); !st.ok()) return st;
    pv1::UpdateUnitResponse r;
    *r.mutable_unit() = *updated;
    return r;
  };
  return WriteAndParse(repo, caller, "UpdateUnit", req, fn, resp);
}

absl::Status CreatePosition(Repository& repo, const Call& call,
                            const pv1::CreatePositionRequest& req,
                            pv1::CreatePositionResponse* resp) {
  const auth::Caller& caller = call.caller;
  Violations v = ValidatePosition(req.position(), "position");
  if (!v.empty()) return Invalid(v);
  AuditContext audit = Audit(call, "CreatePosition", req.request_id());
  std::function<absl::StatusOr<pv1::CreatePositionResponse>(Tx&)> fn =
      [&](Tx& tx) -> absl::StatusOr<pv1::CreatePositionResponse> {
    const auto& p = req.position();
    if (auto st = tx.InsertPosition(p); !st.ok()) return st;
    if (auto st = tx.WriteChange(pv1::CHANGE_KIND_POSITION_CREATED, "", p.code()); !st.ok()) {
      return st;
    }
    if (auto st = tx.WriteAudit(audit, p.code(), ""); !st.ok()) return st;
    pv1::CreatePositionResponse r;
    *r.mutable_position() = p;
    return r;
  };
  return WriteAndParse(repo, caller, "CreatePosition", req, fn, resp);
}

}  // namespace seimbang::personnel
