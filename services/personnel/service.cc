#include "services/personnel/service.h"

#include <chrono>
#include <thread>
#include <unordered_map>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/auth/audit.h"
#include "common/auth/caller.h"
#include "common/db/connection.h"
#include "common/domain/nip.h"
#include "common/errors/errors.h"
#include "common/idempotency/idempotency.h"
#include "common/paging/page_token.h"
#include "common/proto_convert/date.h"
#include "common/server/channel.h"
#include "services/personnel/importer.h"
#include "services/personnel/permissions.h"
#include "services/personnel/staffing.h"
#include "services/personnel/validation.h"

namespace seimbang::personnel {
namespace {

using auth::Role;

std::string M(std::string_view rpc) { return MethodPath(rpc); }

// Rows per database page of the streams.
constexpr int kStreamPage = 1000;

#define PERSONNEL_RETURN_IF_ERROR(expr)                          \
  do {                                                           \
    absl::Status _st = (expr);                                   \
    if (!_st.ok()) return ::seimbang::errors::ToGrpcStatus(_st); \
  } while (0)

#define PERSONNEL_ASSIGN_OR_RETURN(lhs, expr)                                     \
  auto lhs##_or = (expr);                                                         \
  if (!lhs##_or.ok()) return ::seimbang::errors::ToGrpcStatus(lhs##_or.status()); \
  auto lhs = std::move(*lhs##_or)

absl::Status Invalid(const Violations& v) {
  std::vector<errors::FieldViolation> out;
  for (const auto& x : v) out.push_back({x.field, x.description});
  return errors::InvalidArgument(out);
}

absl::Status Invalid(std::string field, std::string description) {
  return errors::InvalidArgument({{std::move(field), std::move(description)}});
}

bool IsGlobal(const auth::Caller& c) {
  return c.claims.role == Role::kAdmin || c.claims.role == Role::kService;
}

// The agency a read is confined to: admin and service may ask for any (or none); everyone else
// gets their own when they name none, and PERMISSION_DENIED when they name another.
absl::StatusOr<std::string> ScopedAgency(const auth::Caller& c, const std::string& requested) {
  if (IsGlobal(c)) return requested;
  if (requested.empty()) return c.claims.agency;
  if (auto st = auth::CheckAgencyScope(c, requested); !st.ok()) return st;
  return requested;
}

// The request's own request_id, else the x-request-id the caller sent.
AuditContext Audit(const grpc::ServerContextBase& ctx, const auth::Caller& c, std::string_view rpc,
                   const std::string& request_id) {
  auth::AuditActor who = auth::AuditActorOf(c, M(rpc), request_id, server::IncomingRequestId(ctx));
  return AuditContext{std::move(who.subject), std::move(who.role), std::move(who.method),
                      std::move(who.request_id)};
}

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

absl::StatusOr<int64_t> ParseEtag(const std::string& etag, std::string_view field) {
  int64_t v = 0;
  if (etag.empty()) return Invalid(std::string(field), "is required");
  if (!absl::SimpleAtoi(etag, &v) || v < 1)
    return Invalid(std::string(field), "is not an etag of this service");
  return v;
}

// Runs a mutation through Repository::Write under `key` and parses the (possibly replayed)
// response.
template <typename Resp>
absl::Status WriteAndParse(Repository& repo, const idempotency::Key& key,
                           const std::function<absl::StatusOr<Resp>(Tx&)>& fn, Resp* out) {
  auto result = repo.Write(key, [&](Tx& tx) -> absl::StatusOr<std::string> {
    auto resp = fn(tx);
    if (!resp.ok()) return resp.status();
    return resp->SerializeAsString();
  });
  if (!result.ok()) return result.status();
  if (!out->ParseFromString(result->response)) {
    return absl::InternalError("stored response does not parse");
  }
  return absl::OkStatus();
}

// The same for a unary request: its request_id is idempotent per caller scope, method and body.
template <typename Req, typename Resp>
absl::Status WriteAndParse(Repository& repo, const auth::Caller& caller, std::string_view rpc,
                           const Req& req, const std::function<absl::StatusOr<Resp>(Tx&)>& fn,
                           Resp* out) {
  auto key = idempotency::KeyFor(caller, M(rpc), req);
  if (!key.ok()) return key.status();
  return WriteAndParse(repo, *key, fn, out);
}

// ImportRecords is a client stream: its fingerprint covers every message (options.request_id
// left out) and is known only at the end, so whether a response is stored under its request_id
// is asked first, before anything is applied (the upserts of a replay would otherwise run again).
void AddToFingerprint(idempotency::Fingerprint& fingerprint, const pv1::ImportRecordsRequest& msg) {
  if (!msg.has_options() || msg.options().request_id().empty()) return fingerprint.Add(msg);
  pv1::ImportRecordsRequest copy = msg;
  copy.mutable_options()->clear_request_id();
  fingerprint.Add(copy);
}

absl::StatusOr<bool> ImportIsStored(Repository& repo, const auth::Caller& caller,
                                    const pv1::ImportOptions& options) {
  if (options.request_id().empty() || options.dry_run()) return false;
  auto key = idempotency::MakeKey(caller, M("ImportRecords"), options.request_id(), "",
                                  "options.request_id");
  if (!key.ok()) return key.status();
  auto conn = repo.pool().Acquire();
  if (!conn.ok()) return conn.status();
  return idempotency::Stored(conn->get(), *key);
}

// What a page token of `rpc` is bound to: the RPC and who asks; each List RPC adds its filters.
paging::PageQuery PageQueryOf(std::string_view rpc, const auth::Caller& c) {
  paging::PageQuery q(M(rpc));
  q.Scope(auth::RoleName(c.claims.role), c.claims.agency, c.claims.nip, c.claims.subject);
  return q;
}

// The page size and the one-part cursor (the last key of the previous page; empty on the first).
absl::Status CheckPage(const cv1::PageRequest& page, const paging::PageQuery& query, int* size,
                       std::string* after) {
  auto start = paging::StartPage(query, page.page_size(), page.page_token(), 1);
  if (!start.ok()) return start.status();
  *size = start->size;
  *after = start->after.empty() ? std::string() : start->after[0];
  return absl::OkStatus();
}

// A cursor that decrypted but is not a row id: the same answer as any bad token.
absl::Status BadCursor() { return Invalid(paging::kPageTokenField, "is not a valid page token"); }

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

absl::StatusOr<EmployeeQuery> ScopedEmployeeQuery(const auth::Caller& c,
                                                  const pv1::EmployeeFilter& f, Repository& repo) {
  EmployeeQuery q;
  auto agency = ScopedAgency(c, f.agency_code());
  if (!agency.ok()) return agency.status();
  q.agency_code = *agency;
  if (f.unit_subtree() != 0) {
    auto unit = repo.GetUnit(f.unit_subtree());
    if (!unit.ok()) return unit.status();
    if (!*unit) {
      return Invalid("filter.unit_subtree",
                     absl::StrCat("unit ", f.unit_subtree(), " does not exist"));
    }
    if (auto st = auth::CheckAgencyScope(c, (*unit)->agency_code()); !st.ok()) return st;
    q.unit_subtree = f.unit_subtree();
  }
  q.position_code = f.position_code();
  q.job_family = f.job_family();
  if (!pv1::EmploymentType_IsValid(f.employment_type())) {
    return Invalid("filter.employment_type", "unknown employment type");
  }
  q.employment_type = f.employment_type();
  return q;
}

}  // namespace

PersonnelService::PersonnelService(Repository& repo, Clock today)
    : repo_(repo), today_(std::move(today)) {}

// ------------------------------------------------------------------ agencies

grpc::Status PersonnelService::CreateAgency(grpc::ServerContext* ctx,
                                            const pv1::CreateAgencyRequest* req,
                                            pv1::CreateAgencyResponse* resp) {
  PERSONNEL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(*ctx));
  Violations v = ValidateAgency(req->agency(), "agency");
  if (!v.empty()) return errors::ToGrpcStatus(Invalid(v));
  AuditContext audit = Audit(*ctx, caller, "CreateAgency", req->request_id());
  std::function<absl::StatusOr<pv1::CreateAgencyResponse>(Tx&)> fn =
      [&](Tx& tx) -> absl::StatusOr<pv1::CreateAgencyResponse> {
    auto a = tx.InsertAgency(req->agency());
    if (!a.ok()) return a.status();
    const std::string& code = a->code();
    if (auto st = tx.WriteChange(pv1::CHANGE_KIND_AGENCY_CREATED, code, code); !st.ok()) return st;
    if (auto st = tx.WriteAudit(audit, code, code); !st.ok()) return st;
    pv1::CreateAgencyResponse r;
    *r.mutable_agency() = *a;
    return r;
  };
  return errors::ToGrpcStatus(WriteAndParse(repo_, caller, "CreateAgency", *req, fn, resp));
}

grpc::Status PersonnelService::GetAgency(grpc::ServerContext* ctx, const pv1::GetAgencyRequest* req,
                                         pv1::GetAgencyResponse* resp) {
  PERSONNEL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(*ctx));
  PERSONNEL_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, req->code()));
  PERSONNEL_ASSIGN_OR_RETURN(a, repo_.GetAgency(req->code()));
  if (!a)
    return errors::ToGrpcStatus(
        absl::NotFoundError(absl::StrCat("agency ", errors::Echo(req->code()), " not found")));
  *resp->mutable_agency() = *a;
  return grpc::Status::OK;
}

grpc::Status PersonnelService::ListAgencies(grpc::ServerContext* ctx,
                                            const pv1::ListAgenciesRequest* req,
                                            pv1::ListAgenciesResponse* resp) {
  PERSONNEL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(*ctx));
  int size = 0;
  std::string after;
  paging::PageQuery page_query = PageQueryOf("ListAgencies", caller);
  page_query.Add("province_code", req->province_code());
  PERSONNEL_RETURN_IF_ERROR(CheckPage(req->page(), page_query, &size, &after));
  resp->mutable_page()->set_total_size(-1);
  if (!IsGlobal(caller)) {
    // Everyone else sees only their own agency.
    PERSONNEL_ASSIGN_OR_RETURN(a, repo_.GetAgency(caller.claims.agency));
    if (a && after < a->code() &&
        (req->province_code().empty() || a->province_code() == req->province_code())) {
      *resp->add_agencies() = *a;
    }
    return grpc::Status::OK;
  }
  PERSONNEL_ASSIGN_OR_RETURN(rows, repo_.ListAgencies(req->province_code(), after, size + 1));
  for (int i = 0; i < static_cast<int>(rows.size()) && i < size; ++i)
    *resp->add_agencies() = rows[i];
  if (static_cast<int>(rows.size()) > size) {
    resp->mutable_page()->set_next_page_token(
        paging::NextPageToken(page_query, {rows[size - 1].code()}));
  }
  return grpc::Status::OK;
}

// ------------------------------------------------------------------ units

grpc::Status PersonnelService::CreateUnit(grpc::ServerContext* ctx,
                                          const pv1::CreateUnitRequest* req,
                                          pv1::CreateUnitResponse* resp) {
  PERSONNEL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(*ctx));
  Violations v = ValidateUnit(req->unit(), "unit");
  if (!v.empty()) return errors::ToGrpcStatus(Invalid(v));
  PERSONNEL_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, req->unit().agency_code()));
  AuditContext audit = Audit(*ctx, caller, "CreateUnit", req->request_id());
  std::function<absl::StatusOr<pv1::CreateUnitResponse>(Tx&)> fn =
      [&](Tx& tx) -> absl::StatusOr<pv1::CreateUnitResponse> {
    const pv1::Unit& u = req->unit();
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
  return errors::ToGrpcStatus(WriteAndParse(repo_, caller, "CreateUnit", *req, fn, resp));
}

grpc::Status PersonnelService::GetUnit(grpc::ServerContext* ctx, const pv1::GetUnitRequest* req,
                                       pv1::GetUnitResponse* resp) {
  PERSONNEL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(*ctx));
  PERSONNEL_ASSIGN_OR_RETURN(u, repo_.GetUnit(req->id()));
  if (!u)
    return errors::ToGrpcStatus(
        absl::NotFoundError(absl::StrCat("unit ", req->id(), " not found")));
  PERSONNEL_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, u->agency_code()));
  *resp->mutable_unit() = *u;
  return grpc::Status::OK;
}

grpc::Status PersonnelService::UpdateUnit(grpc::ServerContext* ctx,
                                          const pv1::UpdateUnitRequest* req,
                                          pv1::UpdateUnitResponse* resp) {
  PERSONNEL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(*ctx));
  pv1::Unit unit = req->unit();
  if (unit.agency_code().empty()) unit.set_agency_code("-");  // the stored agency wins below
  Violations v = ValidateUnit(unit, "unit");
  if (unit.id() <= 0) v.push_back({"unit.id", "is required"});
  if (!v.empty()) return errors::ToGrpcStatus(Invalid(v));
  PERSONNEL_ASSIGN_OR_RETURN(version, ParseEtag(unit.etag(), "unit.etag"));
  AuditContext audit = Audit(*ctx, caller, "UpdateUnit", req->request_id());
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
  return errors::ToGrpcStatus(WriteAndParse(repo_, caller, "UpdateUnit", *req, fn, resp));
}

grpc::Status PersonnelService::ListUnits(grpc::ServerContext* ctx, const pv1::ListUnitsRequest* req,
                                         pv1::ListUnitsResponse* resp) {
  PERSONNEL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(*ctx));
  int size = 0;
  std::string after;
  paging::PageQuery page_query = PageQueryOf("ListUnits", caller);
  page_query.Add("agency_code", req->agency_code())
      .Add("subtree_of", req->subtree_of())
      .Add("kind", req->kind())
      .Add("include_inactive", req->include_inactive());
  PERSONNEL_RETURN_IF_ERROR(CheckPage(req->page(), page_query, &size, &after));
  PERSONNEL_ASSIGN_OR_RETURN(agency, ScopedAgency(caller, req->agency_code()));
  UnitQuery q;
  q.agency_code = agency;
  q.subtree_of = req->subtree_of();
  q.kind = req->kind();
  q.include_inactive = req->include_inactive();
  q.limit = size + 1;
  if (!after.empty() && !absl::SimpleAtoi(after, &q.after_id)) {
    return errors::ToGrpcStatus(BadCursor());
  }
  PERSONNEL_ASSIGN_OR_RETURN(rows, repo_.ListUnits(q));
  resp->mutable_page()->set_total_size(-1);
  for (int i = 0; i < static_cast<int>(rows.size()) && i < size; ++i) *resp->add_units() = rows[i];
  if (static_cast<int>(rows.size()) > size) {
    resp->mutable_page()->set_next_page_token(
        paging::NextPageToken(page_query, {absl::StrCat(rows[size - 1].id())}));
  }
  return grpc::Status::OK;
}

// ------------------------------------------------------------------ positions

grpc::Status PersonnelService::CreatePosition(grpc::ServerContext* ctx,
                                              const pv1::CreatePositionRequest* req,
                                              pv1::CreatePositionResponse* resp) {
  PERSONNEL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(*ctx));
  Violations v = ValidatePosition(req->position(), "position");
  if (!v.empty()) return errors::ToGrpcStatus(Invalid(v));
  AuditContext audit = Audit(*ctx, caller, "CreatePosition", req->request_id());
  std::function<absl::StatusOr<pv1::CreatePositionResponse>(Tx&)> fn =
      [&](Tx& tx) -> absl::StatusOr<pv1::CreatePositionResponse> {
    const auto& p = req->position();
    if (auto st = tx.InsertPosition(p); !st.ok()) return st;
    if (auto st = tx.WriteChange(pv1::CHANGE_KIND_POSITION_CREATED, "", p.code()); !st.ok()) {
      return st;
    }
    if (auto st = tx.WriteAudit(audit, p.code(), ""); !st.ok()) return st;
    pv1::CreatePositionResponse r;
    *r.mutable_position() = p;
    return r;
  };
  return errors::ToGrpcStatus(WriteAndParse(repo_, caller, "CreatePosition", *req, fn, resp));
}

grpc::Status PersonnelService::GetPosition(grpc::ServerContext* /*ctx*/,
                                           const pv1::GetPositionRequest* req,
                                           pv1::GetPositionResponse* resp) {
  PERSONNEL_ASSIGN_OR_RETURN(p, repo_.GetPosition(req->code()));
  if (!p)
    return errors::ToGrpcStatus(
        absl::NotFoundError(absl::StrCat("position ", errors::Echo(req->code()), " not found")));
  *resp->mutable_position() = *p;
  return grpc::Status::OK;
}

grpc::Status PersonnelService::ListPositions(grpc::ServerContext* ctx,
                                             const pv1::ListPositionsRequest* req,
                                             pv1::ListPositionsResponse* resp) {
  PERSONNEL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(*ctx));
  int size = 0;
  std::string after;
  paging::PageQuery page_query = PageQueryOf("ListPositions", caller);
  page_query.Add("job_family", req->job_family()).Add("kind", req->kind());
  PERSONNEL_RETURN_IF_ERROR(CheckPage(req->page(), page_query, &size, &after));
  PERSONNEL_ASSIGN_OR_RETURN(rows,
                             repo_.ListPositions(req->job_family(), req->kind(), after, size + 1));
  resp->mutable_page()->set_total_size(-1);
  for (int i = 0; i < static_cast<int>(rows.size()) && i < size; ++i)
    *resp->add_positions() = rows[i];
  if (static_cast<int>(rows.size()) > size) {
    resp->mutable_page()->set_next_page_token(
        paging::NextPageToken(page_query, {rows[size - 1].code()}));
  }
  return grpc::Status::OK;
}

// ------------------------------------------------------------------ employees

grpc::Status PersonnelService::CreateEmployee(grpc::ServerContext* ctx,
                                              const pv1::CreateEmployeeRequest* req,
                                              pv1::CreateEmployeeResponse* resp) {
  PERSONNEL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(*ctx));
  pv1::Employee e = req->employee();
  Violations v = ValidateEmployee(&e, "employee", today_());
  if (!v.empty()) return errors::ToGrpcStatus(Invalid(v));
  AuditContext audit = Audit(*ctx, caller, "CreateEmployee", req->request_id());
  std::function<absl::StatusOr<pv1::CreateEmployeeResponse>(Tx&)> fn =
      [&](Tx& tx) -> absl::StatusOr<pv1::CreateEmployeeResponse> {
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
  return errors::ToGrpcStatus(WriteAndParse(repo_, caller, "CreateEmployee", *req, fn, resp));
}

grpc::Status PersonnelService::GetEmployee(grpc::ServerContext* ctx,
                                           const pv1::GetEmployeeRequest* req,
                                           pv1::GetEmployeeResponse* resp) {
  PERSONNEL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(*ctx));
  PERSONNEL_RETURN_IF_ERROR(auth::CheckSelf(caller, req->nip()));
  PERSONNEL_ASSIGN_OR_RETURN(e, repo_.GetEmployee(req->nip()));
  if (!e) {
    return errors::ToGrpcStatus(
        absl::NotFoundError(absl::StrCat("employee ", domain::MaskNip(req->nip()), " not found")));
  }
  if (caller.claims.role != Role::kEmployee) {
    PERSONNEL_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, e->agency_code()));
  }
  *resp->mutable_employee() = *e;
  return grpc::Status::OK;
}

grpc::Status PersonnelService::UpdateEmployee(grpc::ServerContext* ctx,
                                              const pv1::UpdateEmployeeRequest* req,
                                              pv1::UpdateEmployeeResponse* resp) {
  PERSONNEL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(*ctx));
  pv1::Employee e = req->employee();
  Violations v = ValidateEmployee(&e, "employee", today_());
  if (!v.empty()) return errors::ToGrpcStatus(Invalid(v));
  PERSONNEL_ASSIGN_OR_RETURN(version, ParseEtag(e.etag(), "employee.etag"));
  const auto reason = req->placement_reason();
  AuditContext audit = Audit(*ctx, caller, "UpdateEmployee", req->request_id());
  std::function<absl::StatusOr<pv1::UpdateEmployeeResponse>(Tx&)> fn =
      [&](Tx& tx) -> absl::StatusOr<pv1::UpdateEmployeeResponse> {
    auto existing = tx.GetEmployee(e.nip(), /*for_update=*/true);
    if (!existing.ok()) return existing.status();
    if (!*existing) {
      return absl::NotFoundError(absl::StrCat("employee ", domain::MaskNip(e.nip()), " not found"));
    }
    if (auto st = auth::CheckAgencyScope(caller, (*existing)->agency_code()); !st.ok()) return st;
    const bool moved = (*existing)->unit_id() != e.unit_id() ||
                       (*existing)->position_code() != e.position_code() ||
                       DateToText((*existing)->in_post_since()) != DateToText(e.in_post_since());
    if (moved && reason != pv1::PLACEMENT_REASON_CORRECTION &&
        reason != pv1::PLACEMENT_REASON_PROMOTION) {
      return Invalid("placement_reason",
                     "the placement changes only through ApplyTransfers or with a "
                     "placement_reason of CORRECTION or PROMOTION");
    }
    auto placement = CheckPlacement(tx, caller, e,
                                    /*require_active=*/(*existing)->unit_id() != e.unit_id());
    if (!placement.ok()) return placement.status();
    pv1::Employee row = e;
    row.set_agency_code(placement->first.agency_code());
    auto updated = tx.UpdateEmployee(row, version, reason, req->decree_number());
    if (!updated.ok()) return updated.status();
    if (auto st = RecordEmployeeChange(tx, audit, pv1::CHANGE_KIND_EMPLOYEE_UPDATED, row);
        !st.ok()) {
      return st;
    }
    return EmployeeResponse<pv1::UpdateEmployeeResponse>(*updated, placement->second);
  };
  return errors::ToGrpcStatus(WriteAndParse(repo_, caller, "UpdateEmployee", *req, fn, resp));
}

grpc::Status PersonnelService::ListEmployees(grpc::ServerContext* ctx,
                                             const pv1::ListEmployeesRequest* req,
                                             pv1::ListEmployeesResponse* resp) {
  PERSONNEL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(*ctx));
  int size = 0;
  std::string after;
  const pv1::EmployeeFilter& f = req->filter();
  paging::PageQuery page_query = PageQueryOf("ListEmployees", caller);
  page_query.Add("filter.agency_code", f.agency_code())
      .Add("filter.unit_subtree", f.unit_subtree())
      .Add("filter.position_code", f.position_code())
      .Add("filter.job_family", f.job_family())
      .Add("filter.employment_type", f.employment_type());
  PERSONNEL_RETURN_IF_ERROR(CheckPage(req->page(), page_query, &size, &after));
  PERSONNEL_ASSIGN_OR_RETURN(q, ScopedEmployeeQuery(caller, req->filter(), repo_));
  q.after_nip = after;
  q.limit = size + 1;
  PERSONNEL_ASSIGN_OR_RETURN(rows, repo_.ListEmployees(q));
  resp->mutable_page()->set_total_size(-1);
  for (int i = 0; i < static_cast<int>(rows.size()) && i < size; ++i) {
    *resp->add_employees() = rows[i].employee;
  }
  if (static_cast<int>(rows.size()) > size) {
    resp->mutable_page()->set_next_page_token(
        paging::NextPageToken(page_query, {rows[size - 1].employee.nip()}));
  }
  return grpc::Status::OK;
}

grpc::Status PersonnelService::BatchGetEmployees(grpc::ServerContext* ctx,
                                                 const pv1::BatchGetEmployeesRequest* req,
                                                 pv1::BatchGetEmployeesResponse* resp) {
  PERSONNEL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(*ctx));
  if (req->nips_size() > 1000) {
    return errors::ToGrpcStatus(
        Invalid("nips", absl::StrCat("at most 1000 NIPs per call, got ", req->nips_size())));
  }
  std::vector<std::string> nips(req->nips().begin(), req->nips().end());
  PERSONNEL_ASSIGN_OR_RETURN(found, repo_.BatchGetEmployees(nips));
  std::unordered_map<std::string, pv1::Employee*> by_nip;
  for (auto& e : found) {
    if (auth::CheckAgencyScope(caller, e.agency_code()).ok()) by_nip[e.nip()] = &e;
  }
  for (const auto& nip : nips) {
    auto it = by_nip.find(nip);
    if (it == by_nip.end()) {
      resp->add_not_found(nip);
    } else {
      *resp->add_employees() = *it->second;
    }
  }
  return grpc::Status::OK;
}

grpc::Status PersonnelService::StreamEmployees(
    grpc::ServerContext* ctx, const pv1::StreamEmployeesRequest* req,
    grpc::ServerWriter<pv1::StreamEmployeesResponse>* out) {
  PERSONNEL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(*ctx));
  PERSONNEL_ASSIGN_OR_RETURN(q, ScopedEmployeeQuery(caller, req->filter(), repo_));
  const bool hints = req->has_eligible_as_of();
  if (hints) {
    if (auto err = CheckDate(req->eligible_as_of()); !err.empty()) {
      return errors::ToGrpcStatus(Invalid("eligible_as_of", err));
    }
  }
  const domain::Date as_of = proto_convert::ToDomain(req->eligible_as_of());
  q.limit = kStreamPage;
  while (true) {
    if (ctx->IsCancelled()) return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
    PERSONNEL_ASSIGN_OR_RETURN(rows, repo_.ListEmployees(q));
    for (const auto& rec : rows) {
      pv1::StreamEmployeesResponse m;
      *m.mutable_employee() = rec.employee;
      m.set_job_family(rec.position.job_family());
      if (hints) {
        EligibilityHints h = ComputeHints(rec.employee, rec.position, as_of);
        m.set_months_in_post(h.months_in_post);
        m.set_months_to_retirement(h.months_to_retirement);
        *m.mutable_retirement_date() = proto_convert::ToProto(h.retirement_date);
      }
      if (!out->Write(m)) return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
    }
    if (static_cast<int>(rows.size()) < kStreamPage) break;
    q.after_nip = rows.back().employee.nip();
  }
  return grpc::Status::OK;
}

// ------------------------------------------------------------------ import

grpc::Status PersonnelService::ImportRecords(grpc::ServerContext* ctx,
                                             grpc::ServerReader<pv1::ImportRecordsRequest>* in,
                                             pv1::ImportRecordsResponse* resp) {
  PERSONNEL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(*ctx));
  pv1::ImportRecordsRequest msg;
  pv1::ImportOptions options;
  std::unique_ptr<Importer> importer;
  // The stream's idempotency key: options.request_id over the fingerprint of every message.
  idempotency::Fingerprint fingerprint;
  bool replay = false;  // a response is stored under the key: read the stream, apply nothing
  int64_t position = 0;
  while (in->Read(&msg)) {
    if (!importer) {
      if (msg.has_options()) options = msg.options();
      PERSONNEL_ASSIGN_OR_RETURN(stored, ImportIsStored(repo_, caller, options));
      replay = stored;
      importer = std::make_unique<Importer>(
          repo_,
          ImportScope{IsGlobal(caller) ? "" : caller.claims.agency,
                      /*may_write_positions=*/caller.claims.role == Role::kAdmin},
          Audit(*ctx, caller, "ImportRecords", options.request_id()), today_(), options.dry_run());
    }
    AddToFingerprint(fingerprint, msg);
    if (replay) continue;
    if (msg.record_case() == pv1::ImportRecordsRequest::RECORD_NOT_SET) {
      if (position == 0 && msg.has_options()) continue;  // the options-only first message
    }
    ++position;
    const int64_t sequence = msg.sequence() > 0 ? msg.sequence() : position;
    PERSONNEL_RETURN_IF_ERROR(importer->Add(sequence, std::move(msg)));
  }
  if (ctx->IsCancelled()) {
    // Issue 15 item 8: the stream ended without the client's half-close (cancel, deadline, lost
    // connection, server shutdown). The importer's open transactions roll back: nothing applied.
    return grpc::Status(grpc::StatusCode::CANCELLED,
                        "import cancelled before the end of the stream; nothing was applied");
  }
  if (!importer) {
    importer = std::make_unique<Importer>(repo_, ImportScope{},
                                          Audit(*ctx, caller, "ImportRecords", ""), today_(), true);
  }
  const bool keyed = !options.request_id().empty() && !options.dry_run();
  PERSONNEL_ASSIGN_OR_RETURN(
      key, idempotency::MakeKey(caller, M("ImportRecords"), keyed ? options.request_id() : "",
                                fingerprint.Finish(), "options.request_id"));
  if (replay) {
    // The first run's report, or INVALID_ARGUMENT when the key came with another stream.
    std::function<absl::StatusOr<pv1::ImportRecordsResponse>(Tx&)> fn =
        [](Tx&) -> absl::StatusOr<pv1::ImportRecordsResponse> {
      return absl::AbortedError("the stored import report disappeared; send the import again");
    };
    PERSONNEL_RETURN_IF_ERROR(WriteAndParse(repo_, key, fn, resp));
    return grpc::Status::OK;
  }
  PERSONNEL_ASSIGN_OR_RETURN(summary, importer->Finish());
  // Again just before the commit: a cancel may be seen only some time after Read failed.
  if (ctx->IsCancelled()) {
    return grpc::Status(grpc::StatusCode::CANCELLED,
                        "import cancelled before the end of the stream; nothing was applied");
  }
  // Only now does any row of the stream become visible (Importer::Commit).
  PERSONNEL_RETURN_IF_ERROR(importer->Commit());
  *resp->mutable_summary() = summary;
  if (key.enabled()) {
    // Upserts are idempotent by nature; the stored response makes a replay report the first run.
    std::function<absl::StatusOr<pv1::ImportRecordsResponse>(Tx&)> fn =
        [&](Tx&) -> absl::StatusOr<pv1::ImportRecordsResponse> { return *resp; };
    PERSONNEL_RETURN_IF_ERROR(WriteAndParse(repo_, key, fn, resp));
  }
  return grpc::Status::OK;
}

// ------------------------------------------------------------------ staffing

grpc::Status PersonnelService::GetStaffing(grpc::ServerContext* ctx,
                                           const pv1::GetStaffingRequest* req,
                                           pv1::GetStaffingResponse* resp) {
  PERSONNEL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(*ctx));
  Violations v;
  if (req->agency_code().empty()) v.push_back({"agency_code", "is required"});
  if (!req->has_as_of()) {
    v.push_back({"as_of", "is required"});
  } else if (auto err = CheckDate(req->as_of()); !err.empty()) {
    v.push_back({"as_of", err});
  }
  if (!v.empty()) return errors::ToGrpcStatus(Invalid(v));
  pv1::EmployeeFilter f;
  f.set_agency_code(req->agency_code());
  f.set_unit_subtree(req->unit_subtree());
  PERSONNEL_ASSIGN_OR_RETURN(q, ScopedEmployeeQuery(caller, f, repo_));
  StaffingBuilder builder(proto_convert::ToDomain(req->as_of()));
  q.limit = kStreamPage;
  while (true) {
    PERSONNEL_ASSIGN_OR_RETURN(rows, repo_.ListEmployees(q));
    for (const auto& rec : rows) {
      const auto& e = rec.employee;
      builder.Add(e.nip(), e.unit_id(), e.position_code(), rec.position.job_family(),
                  e.employment_type() == pv1::EMPLOYMENT_TYPE_PPPK,
                  RetirementDateFor(e, rec.position));
    }
    if (static_cast<int>(rows.size()) < kStreamPage) break;
    q.after_nip = rows.back().employee.nip();
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
  return grpc::Status::OK;
}

// ------------------------------------------------------------------ transfers

grpc::Status PersonnelService::ApplyTransfers(grpc::ServerContext* ctx,
                                              const pv1::ApplyTransfersRequest* req,
                                              pv1::ApplyTransfersResponse* resp) {
  PERSONNEL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(*ctx));
  Violations v;
  if (req->moves_size() > 1000) {
    v.push_back({"moves", absl::StrCat("at most 1000 moves per batch, got ", req->moves_size())});
  }
  for (int i = 0; i < req->moves_size(); ++i) {
    const auto& m = req->moves(i);
    std::string p = absl::StrCat("moves[", i, "].");
    if (m.plan_id().empty()) v.push_back({p + "plan_id", "is required"});
    if (m.move_id().empty()) v.push_back({p + "move_id", "is required"});
    if (m.plan_id().size() > 128 || m.move_id().size() > 128) {
      v.push_back({p + "move_id", "plan_id and move_id are at most 128 characters"});
    }
    if (m.has_effective_date()) {
      if (auto err = CheckDate(m.effective_date()); !err.empty()) {
        v.push_back({p + "effective_date", err});
      }
    }
  }
  if (!v.empty()) return errors::ToGrpcStatus(Invalid(v));
  AuditContext audit = Audit(*ctx, caller, "ApplyTransfers", "");
  std::function<absl::StatusOr<pv1::ApplyTransfersResponse>(Tx&)> fn =
      [&](Tx& tx) -> absl::StatusOr<pv1::ApplyTransfersResponse> {
    pv1::ApplyTransfersResponse r;
    for (const auto& m : req->moves()) {
      auto* res = r.add_results();
      res->set_plan_id(m.plan_id());
      res->set_move_id(m.move_id());
      auto prior = tx.GetMoveOutcome(m.plan_id(), m.move_id());
      if (!prior.ok()) return prior.status();
      if (*prior) {
        res->set_outcome(static_cast<pv1::MoveOutcome>((*prior)->outcome));
        res->set_detail((*prior)->detail);
        res->set_replayed(true);
        continue;
      }
      MoveOutcomeRecord outcome{pv1::MOVE_OUTCOME_APPLIED, ""};
      auto e = tx.GetEmployee(m.nip(), /*for_update=*/true);
      if (!e.ok()) return e.status();
      auto unit = tx.GetUnit(m.to_unit_id());
      if (!unit.ok()) return unit.status();
      auto pos = tx.GetPosition(m.to_position_code());
      if (!pos.ok()) return pos.status();
      if (!*e) {
        outcome = {pv1::MOVE_OUTCOME_FAILED, "unknown NIP"};
      } else if (!*unit) {
        outcome = {pv1::MOVE_OUTCOME_FAILED, absl::StrCat("unknown target unit ", m.to_unit_id())};
      } else if (!(*unit)->active()) {
        outcome = {pv1::MOVE_OUTCOME_FAILED,
                   absl::StrCat("target unit ", m.to_unit_id(), " is inactive")};
      } else if (!*pos) {
        outcome = {pv1::MOVE_OUTCOME_FAILED,
                   absl::StrCat("unknown target position ", m.to_position_code())};
      } else if ((*e)->unit_id() != m.from_unit_id() ||
                 (*e)->position_code() != m.from_position_code()) {
        outcome = {pv1::MOVE_OUTCOME_STALE,
                   absl::StrCat("employee is at unit ", (*e)->unit_id(), " position ",
                                (*e)->position_code(), ", not unit ", m.from_unit_id(),
                                " position ", m.from_position_code())};
      } else {
        const std::string& to_agency = (*unit)->agency_code();
        if (auto st = tx.ApplyMove(**e, m, to_agency); !st.ok()) return st;
        if (auto st = tx.WriteChange(pv1::CHANGE_KIND_EMPLOYEE_TRANSFERRED, to_agency, (*e)->nip(),
                                     m.plan_id());
            !st.ok()) {
          return st;
        }
        // The caller's x-request-id joins the row to its logs; without one the
        // move's own key (plan/move) stands in. The resource names the move either way.
        AuditContext a = audit;
        const std::string move_key = absl::StrCat(m.plan_id(), "/", m.move_id());
        if (a.request_id.empty()) a.request_id = move_key.substr(0, auth::kMaxAuditField);
        const std::string resource = absl::StrCat(domain::MaskNip((*e)->nip()), " move ", move_key)
                                         .substr(0, auth::kMaxAuditField);
        if (auto st = tx.WriteAudit(a, resource, to_agency); !st.ok()) {
          return st;
        }
      }
      if (auto st = tx.RecordMoveOutcome(m.plan_id(), m.move_id(), outcome); !st.ok()) {
        // A concurrent replay of the same move committed first: run the batch
        // again, and this time it reads that outcome and reports a replay.
        if (absl::IsAlreadyExists(st)) {
          return db::RetryableAbortedError(
              absl::StrCat("move ", m.plan_id(), "/", m.move_id(), " was applied concurrently"));
        }
        return st;
      }
      res->set_outcome(static_cast<pv1::MoveOutcome>(outcome.outcome));
      res->set_detail(outcome.detail);
    }
    return r;
  };
  // No request_id: each move is idempotent by its own (plan_id, move_id) key.
  return errors::ToGrpcStatus(WriteAndParse(repo_, idempotency::Key{}, fn, resp));
}

// ------------------------------------------------------------------ history, feed, audit

grpc::Status PersonnelService::ListPlacementHistory(grpc::ServerContext* ctx,
                                                    const pv1::ListPlacementHistoryRequest* req,
                                                    pv1::ListPlacementHistoryResponse* resp) {
  PERSONNEL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(*ctx));
  PERSONNEL_RETURN_IF_ERROR(auth::CheckSelf(caller, req->nip()));
  int size = 0;
  std::string after;
  paging::PageQuery page_query = PageQueryOf("ListPlacementHistory", caller);
  page_query.Add("nip", req->nip());
  PERSONNEL_RETURN_IF_ERROR(CheckPage(req->page(), page_query, &size, &after));
  int64_t before_id = 0;
  if (!after.empty() && !absl::SimpleAtoi(after, &before_id)) {
    return errors::ToGrpcStatus(BadCursor());
  }
  PERSONNEL_ASSIGN_OR_RETURN(e, repo_.GetEmployee(req->nip()));
  if (!e) {
    return errors::ToGrpcStatus(
        absl::NotFoundError(absl::StrCat("employee ", domain::MaskNip(req->nip()), " not found")));
  }
  if (caller.claims.role != Role::kEmployee) {
    PERSONNEL_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, e->agency_code()));
  }
  PERSONNEL_ASSIGN_OR_RETURN(rows, repo_.ListPlacements(req->nip(), before_id, size + 1));
  resp->mutable_page()->set_total_size(-1);
  for (int i = 0; i < static_cast<int>(rows.size()) && i < size; ++i) {
    *resp->add_placements() = rows[i];
  }
  if (static_cast<int>(rows.size()) > size) {
    resp->mutable_page()->set_next_page_token(
        paging::NextPageToken(page_query, {absl::StrCat(rows[size - 1].id())}));
  }
  return grpc::Status::OK;
}

grpc::Status PersonnelService::WatchChanges(grpc::ServerContext* ctx,
                                            const pv1::WatchChangesRequest* req,
                                            grpc::ServerWriter<pv1::WatchChangesResponse>* out) {
  PERSONNEL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(*ctx));
  PERSONNEL_ASSIGN_OR_RETURN(agency, ScopedAgency(caller, req->agency_code()));
  if (req->after_sequence() < 0) {
    return errors::ToGrpcStatus(Invalid("after_sequence", "must not be negative"));
  }
  int64_t after = req->after_sequence();
  constexpr int kPage = 500;
  while (true) {
    if (ctx->IsCancelled()) return grpc::Status::OK;
    PERSONNEL_ASSIGN_OR_RETURN(rows, repo_.ListChanges(after, agency, kPage));
    for (const auto& c : rows) {
      if (!out->Write(c)) return grpc::Status::OK;  // the client went away
      after = c.sequence();
    }
    if (static_cast<int>(rows.size()) == kPage) continue;
    if (!req->follow()) return grpc::Status::OK;
    // Poll the outbox; the call's deadline or cancellation ends the stream.
    for (int i = 0; i < 4; ++i) {
      if (ctx->IsCancelled() || std::chrono::system_clock::now() >= ctx->deadline()) {
        return grpc::Status::OK;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

grpc::Status PersonnelService::ListAuditEvents(grpc::ServerContext* ctx,
                                               const pv1::ListAuditEventsRequest* req,
                                               pv1::ListAuditEventsResponse* resp) {
  PERSONNEL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(*ctx));
  int size = 0;
  std::string after;
  paging::PageQuery page_query = PageQueryOf("ListAuditEvents", caller);
  page_query.Add("method", req->method());
  PERSONNEL_RETURN_IF_ERROR(CheckPage(req->page(), page_query, &size, &after));
  int64_t after_id = 0;
  if (!after.empty() && !absl::SimpleAtoi(after, &after_id)) {
    return errors::ToGrpcStatus(BadCursor());
  }
  PERSONNEL_ASSIGN_OR_RETURN(rows, repo_.ListAuditEvents(req->method(), after_id, size + 1));
  resp->mutable_page()->set_total_size(-1);
  for (int i = 0; i < static_cast<int>(rows.size()) && i < size; ++i) *resp->add_events() = rows[i];
  if (static_cast<int>(rows.size()) > size) {
    resp->mutable_page()->set_next_page_token(
        paging::NextPageToken(page_query, {absl::StrCat(rows[size - 1].id())}));
  }
  return grpc::Status::OK;
}

}  // namespace seimbang::personnel
