// What the personnel workflows share: the decoded call, audit rows, field violations, agency
// scope, idempotent writes and page tokens. No gRPC types: handlers (service.cc) decode a
// ServerContext into a Call and turn the absl::Status a workflow returns into a grpc::Status.
#ifndef SEIMBANG_SERVICES_PERSONNEL_WORKFLOW_SUPPORT_H_
#define SEIMBANG_SERVICES_PERSONNEL_WORKFLOW_SUPPORT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/auth/caller.h"
#include "common/errors/status_macros.h"
#include "common/idempotency/idempotency.h"
#include "common/paging/page_token.h"
#include "services/personnel/call.h"
#include "services/personnel/permissions.h"
#include "services/personnel/repository.h"
#include "services/personnel/validation.h"

namespace seimbang::personnel {

// A server stream as a workflow sees it.
template <typename Message>
struct StreamOut {
  std::function<bool()> cancelled;            // the client cancelled or went away
  std::function<bool()> past_deadline;        // the call's deadline has passed
  std::function<bool(const Message&)> write;  // false when the client went away
};

// The signature of the unary workflows (catalogue_workflow.h, query_workflow.h): the caller's
// request in, its response filled.
template <typename Request, typename Response>
using UnaryWorkflow = absl::Status(Repository& repo, const Call& call, const Request& req,
                                   Response* resp);

// Rows per database page of the streams.
inline constexpr int kStreamPage = 1000;
// Rows per database page of GetStaffing, whose rows are a third as wide.
inline constexpr int kStaffingPage = 5000;

[[nodiscard]] absl::Status Invalid(const Violations& v);
[[nodiscard]] absl::Status Invalid(std::string field, std::string description);

// A unit a request names by id or by its Unit.external_id (issue 20: an external id is accepted
// wherever a unit id is): `id` when `external_id` is empty, else the id of the unit of `agency`
// (already scoped) with that external id. INVALID_ARGUMENT on `external_field` when both are
// set, when `agency` is empty, when it is over 64 characters or names no unit of the agency.
[[nodiscard]] absl::StatusOr<int64_t> UnitIdOf(Repository& repo, const std::string& agency,
                                               int64_t id, const std::string& external_id,
                                               std::string_view id_field,
                                               std::string_view external_field);

// The audit actor of a mutation: the request's own request_id, else the x-request-id the caller
// sent.
[[nodiscard]] AuditContext Audit(const Call& call, std::string_view rpc,
                                 const std::string& request_id);

// The unit or employee an Update request asks to store (AIP-134, common/proto_convert/
// update_mask.h): the request's own without update_mask (or with "*"), else the stored one, read
// by id or NIP in the caller's agency, with the masked fields of the request. INVALID_ARGUMENT on
// update_mask for an unknown or unchangeable path; NOT_FOUND, PERMISSION_DENIED as a read.
[[nodiscard]] absl::StatusOr<pv1::Unit> RequestedUnit(Repository& repo, const auth::Caller& caller,
                                                      const pv1::UpdateUnitRequest& req);
[[nodiscard]] absl::StatusOr<pv1::Employee> RequestedEmployee(
    Repository& repo, const auth::Caller& caller, const pv1::UpdateEmployeeRequest& req);

// "1" -> 1; INVALID_ARGUMENT under `field` when empty or not an etag of this service.
[[nodiscard]] absl::StatusOr<int64_t> ParseEtag(const std::string& etag, std::string_view field);

// Runs a mutation through Repository::Write under `key` and parses the (possibly replayed)
// response.
template <typename Resp>
absl::Status WriteAndParse(Repository& repo, const idempotency::Key& key,
                           const std::function<absl::StatusOr<Resp>(Tx&)>& fn, Resp* out) {
  SEIMBANG_ASSIGN_OR_RETURN(auto result,
                            repo.Write(key, [&](Tx& tx) -> absl::StatusOr<std::string> {
                              SEIMBANG_ASSIGN_OR_RETURN(Resp resp, fn(tx));
                              return resp.SerializeAsString();
                            }));
  if (!out->ParseFromString(result.response)) {
    return absl::InternalError("stored response does not parse");
  }
  return absl::OkStatus();
}

// The same for a unary request: its request_id is idempotent per caller scope, method and body.
template <typename Req, typename Resp>
absl::Status WriteAndParse(Repository& repo, const auth::Caller& caller, std::string_view rpc,
                           const Req& req, const std::function<absl::StatusOr<Resp>(Tx&)>& fn,
                           Resp* out) {
  SEIMBANG_ASSIGN_OR_RETURN(auto key, idempotency::KeyFor(caller, MethodPath(rpc), req));
  return WriteAndParse(repo, key, fn, out);
}

// The page size and the one-part cursor (the last key of the previous page; empty on the first).
[[nodiscard]] absl::Status CheckPage(const cv1::PageRequest& page, const paging::PageQuery& query,
                                     int* size, std::string* after);

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_WORKFLOW_SUPPORT_H_
