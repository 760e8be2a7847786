#include "services/personnel/catalogue_workflow.h"

#include <string>

#include "absl/strings/numbers.h"
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
  resp->mutable_page()->set_total_size(total);
  resp->mutable_page()->set_next_page_token(
      paging::TrimToPage(rows, size, page_query,
                         [](const pv1::Agency& a) { return std::vector<std::string>{a.code()}; }));
  for (pv1::Agency& a : rows) *resp->add_agencies() = std::move(a);
  return absl::OkStatus();
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

namespace {

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
  resp->mutable_page()->set_total_size(total);
  resp->mutable_page()->set_next_page_token(paging::TrimToPage(
      rows, size, page_query,
      [](const pv1::Unit& u) { return std::vector<std::string>{absl::StrCat(u.id())}; }));
  for (pv1::Unit& u : rows) *resp->add_units() = std::move(u);
  return absl::OkStatus();
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
  resp->mutable_page()->set_total_size(total);
  resp->mutable_page()->set_next_page_token(paging::TrimToPage(
      rows, size, page_query,
      [](const pv1::Position& p) { return std::vector<std::string>{p.code()}; }));
  for (pv1::Position& p : rows) *resp->add_positions() = std::move(p);
  return absl::OkStatus();
}

}  // namespace seimbang::personnel
