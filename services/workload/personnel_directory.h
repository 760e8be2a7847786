// What workload-analysis asks personnel: does a unit / position exist (and its agency,
// job family), and the staffing of an agency as of a date. An interface so the service
// is testable without a personnel process.
#ifndef SEIMBANG_SERVICES_WORKLOAD_PERSONNEL_DIRECTORY_H_
#define SEIMBANG_SERVICES_WORKLOAD_PERSONNEL_DIRECTORY_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "seimbang/personnel/v1/personnel.grpc.pb.h"

namespace seimbang::workload {

class PersonnelDirectory {
 public:
  virtual ~PersonnelDirectory() = default;
  // `token` is the bearer token forwarded to personnel (empty: none).
  // NOT_FOUND when the unit does not exist; UNAVAILABLE when personnel cannot be reached.
  [[nodiscard]] virtual absl::StatusOr<seimbang::personnel::v1::Unit> GetUnit(
      int64_t unit_id, const std::string& token) = 0;
  // The ids of every unit of `agency`, active or not (all pages).
  [[nodiscard]] virtual absl::StatusOr<std::vector<int64_t>> ListUnitIds(
      const std::string& agency, const std::string& token) = 0;
  [[nodiscard]] virtual absl::StatusOr<seimbang::personnel::v1::Position> GetPosition(
      const std::string& code, const std::string& token) = 0;
  [[nodiscard]] virtual absl::StatusOr<seimbang::personnel::v1::GetStaffingResponse> GetStaffing(
      const seimbang::personnel::v1::GetStaffingRequest& request, const std::string& token) = 0;
};

// Over a gRPC channel (MakeChannel), each call with `deadline_ms`.
std::unique_ptr<PersonnelDirectory> NewGrpcPersonnelDirectory(
    std::shared_ptr<grpc::Channel> channel, int64_t deadline_ms);

}  // namespace seimbang::workload

#endif  // SEIMBANG_SERVICES_WORKLOAD_PERSONNEL_DIRECTORY_H_
