// workload-analysis's one downstream service, personnel (named as transfer's downstream.h). What it
// asks: does a unit / position exist (and its agency, job family), and the staffing of an agency as
// of a date. An interface so the service is testable without a personnel process.
#ifndef SEIMBANG_SERVICES_WORKLOAD_DOWNSTREAM_H_
#define SEIMBANG_SERVICES_WORKLOAD_DOWNSTREAM_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/auth/caller.h"
#include "seimbang/personnel/v1/personnel.grpc.pb.h"

namespace seimbang::workload {

class PersonnelDirectory {
 public:
  virtual ~PersonnelDirectory() = default;
  // `token` is the bearer token forwarded to personnel (empty: none).
  // NOT_FOUND when the unit does not exist; UNAVAILABLE when personnel cannot be reached.
  [[nodiscard]] virtual absl::StatusOr<seimbang::personnel::v1::Unit> GetUnit(
      int64_t unit_id, const std::string& token) = 0;
  // The unit of `agency` whose Unit.external_id is `external_id` (issue 20); NOT_FOUND when none.
  [[nodiscard]] virtual absl::StatusOr<seimbang::personnel::v1::Unit> GetUnitByExternalId(
      const std::string& agency, const std::string& external_id, const std::string& token) = 0;
  // The ids of every unit of `agency`, active or not (all pages).
  [[nodiscard]] virtual absl::StatusOr<std::vector<int64_t>> ListUnitIds(
      const std::string& agency, const std::string& token) = 0;
  [[nodiscard]] virtual absl::StatusOr<seimbang::personnel::v1::Position> GetPosition(
      const std::string& code, const std::string& token) = 0;
  [[nodiscard]] virtual absl::StatusOr<seimbang::personnel::v1::GetStaffingResponse> GetStaffing(
      const seimbang::personnel::v1::GetStaffingRequest& request, const std::string& token) = 0;
  // Every employee StreamEmployees returns for `request`, each handed to `each` as it arrives
  // (with the retirement date personnel computes when eligible_as_of is set). UNIMPLEMENTED
  // unless overridden.
  [[nodiscard]] virtual absl::Status StreamEmployees(
      const seimbang::personnel::v1::StreamEmployeesRequest& request, const std::string& token,
      const std::function<void(const seimbang::personnel::v1::StreamEmployeesResponse&)>& each);
};

// Personnel failures as our caller sees them: unreachable (or too slow) is UNAVAILABLE,
// the rest keep their code, each message prefixed "personnel".
[[nodiscard]] absl::Status PersonnelError(const absl::Status& status);

// Checks units and positions against personnel for one call, caching each answer.
class PersonnelCheck {
 public:
  PersonnelCheck(PersonnelDirectory& dir, std::string token, const auth::Caller& caller)
      : dir_(dir), token_(std::move(token)), caller_(caller) {}

  // OK when `unit_id` is a unit of `agency`. A unit of an agency the caller may not act on is
  // PERMISSION_DENIED, as reading it would be (issue 15 item 3); an unknown unit, or one of
  // another agency for a caller spanning agencies, INVALID_ARGUMENT naming `field`.
  [[nodiscard]] absl::Status CheckUnit(const std::string& agency, int64_t unit_id,
                                       const std::string& field);

  // A unit a request names by id or by its Unit.external_id within `agency` (issue 20): `unit_id`
  // when `external_id` is empty, else the id of that unit (each asked once). INVALID_ARGUMENT on
  // `external_field` when both are set, without an agency, over 64 characters or of no unit of
  // the agency; PERMISSION_DENIED for an agency the caller may not act on.
  [[nodiscard]] absl::StatusOr<int64_t> UnitId(const std::string& agency, int64_t unit_id,
                                               const std::string& external_id,
                                               const std::string& id_field,
                                               const std::string& external_field);

  // The job family of the position, or INVALID_ARGUMENT / PERMISSION_DENIED / UNAVAILABLE.
  // `prefix` names the fields ("workload." or "").
  [[nodiscard]] absl::StatusOr<std::string> Check(const std::string& agency, int64_t unit_id,
                                                  const std::string& code,
                                                  const std::string& prefix);

 private:
  PersonnelDirectory& dir_;
  std::string token_;
  const auth::Caller& caller_;
  // What a check needs of each unit and position asked once, not whole messages: an import
  // of the national dataset looks up every unit of the country (issue 22 item 5).
  absl::flat_hash_map<int64_t, absl::StatusOr<std::string>> unit_agencies_;
  std::map<std::pair<std::string, std::string>, absl::StatusOr<int64_t>> external_ids_;
  absl::flat_hash_map<std::string, absl::StatusOr<std::string>> job_families_;
};

// Over a gRPC channel (MakeChannel), each call with `deadline_ms`.
std::unique_ptr<PersonnelDirectory> NewGrpcPersonnelDirectory(
    std::shared_ptr<grpc::Channel> channel, int64_t deadline_ms);

}  // namespace seimbang::workload

#endif  // SEIMBANG_SERVICES_WORKLOAD_DOWNSTREAM_H_
