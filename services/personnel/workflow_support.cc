#include "services/personnel/workflow_support.h"

#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/auth/audit.h"
#include "common/domain/nip.h"
#include "common/errors/errors.h"
#include "common/proto_convert/update_mask.h"

namespace seimbang::personnel {

absl::Status Invalid(const Violations& v) { return errors::InvalidArgument(v); }

absl::Status Invalid(std::string field, std::string description) {
  return errors::InvalidArgument({{std::move(field), std::move(description)}});
}

absl::StatusOr<int64_t> UnitIdOf(Repository& repo, const std::string& agency, int64_t id,
                                 const std::string& external_id, std::string_view id_field,
                                 std::string_view external_field) {
  if (external_id.empty()) return id;
  std::string field(external_field);
  if (id != 0)
    return Invalid(field, absl::StrCat("set either ", std::string(id_field), " or this, not both"));
  if (agency.empty()) return Invalid(field, "needs agency_code: external ids are per agency");
  if (external_id.size() > 64) return Invalid(field, "at most 64 characters");
  UnitQuery q;
  q.agency_code = agency;
  q.external_id = external_id;
  q.include_inactive = true;
  q.limit = 1;
  SEIMBANG_ASSIGN_OR_RETURN(auto rows, repo.ListUnits(q));
  if (rows.empty()) {
    return Invalid(field, absl::StrCat("no unit of agency ", errors::Echo(agency),
                                       " has external_id ", errors::Echo(external_id)));
  }
  return rows.front().id();
}

AuditContext Audit(const Call& call, std::string_view rpc, const std::string& request_id) {
  return auth::AuditActorOf(call.caller, MethodPath(rpc), request_id, call.incoming_request_id);
}

absl::StatusOr<pv1::Unit> RequestedUnit(Repository& repo, const auth::Caller& caller,
                                        const pv1::UpdateUnitRequest& req) {
  const int64_t id = req.unit().id();
  return proto_convert::ApplyUpdateMask(
      req.update_mask(), req.unit(), {"id", "agency_code", "etag"},
      [&]() -> absl::StatusOr<pv1::Unit> {
        if (id <= 0) return Invalid("unit.id", "is required");
        SEIMBANG_ASSIGN_OR_RETURN(auto stored, repo.GetUnit(id));
        if (!stored) return absl::NotFoundError(absl::StrCat("unit ", id, " not found"));
        SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, stored->agency_code()));
        return *std::move(stored);
      });
}

absl::StatusOr<pv1::Employee> RequestedEmployee(Repository& repo, const auth::Caller& caller,
                                                const pv1::UpdateEmployeeRequest& req) {
  const std::string& nip = req.employee().nip();
  return proto_convert::ApplyUpdateMask(
      req.update_mask(), req.employee(), {"nip", "agency_code", "etag", "version"},
      [&]() -> absl::StatusOr<pv1::Employee> {
        if (nip.empty()) return Invalid("employee.nip", "is required");
        SEIMBANG_ASSIGN_OR_RETURN(auto stored, repo.GetEmployee(nip));
        if (!stored) {
          return absl::NotFoundError(absl::StrCat("employee ", domain::MaskNip(nip), " not found"));
        }
        SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, stored->agency_code()));
        return *std::move(stored);
      });
}

absl::StatusOr<int64_t> ParseEtag(const std::string& etag, std::string_view field) {
  int64_t v = 0;
  if (etag.empty()) return Invalid(std::string(field), "is required");
  if (!absl::SimpleAtoi(etag, &v) || v < 1)
    return Invalid(std::string(field), "is not an etag of this service");
  return v;
}

absl::Status CheckPage(const cv1::PageRequest& page, const paging::PageQuery& query, int* size,
                       std::string* after) {
  SEIMBANG_ASSIGN_OR_RETURN(auto start,
                            paging::StartPage(query, page.page_size(), page.page_token(), 1));
  *size = start.size;
  *after = start.after.empty() ? std::string() : start.after[0];
  return absl::OkStatus();
}

}  // namespace seimbang::personnel
