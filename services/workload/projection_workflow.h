// The ProjectStaffing use case (issue 21): the need per unit x position from a stored analysis
// run, the people in post with their retirement dates from personnel's StreamEmployees, the
// caller's transfer plan and growth; the projection (projection/) stored with its audit row;
// and reading stored projections back. No gRPC types: the adapter (service.cc) checks scope
// and encodes. workload never calls transfer: the plan comes in the request.
#ifndef SEIMBANG_SERVICES_WORKLOAD_PROJECTION_WORKFLOW_H_
#define SEIMBANG_SERVICES_WORKLOAD_PROJECTION_WORKFLOW_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/errors/errors.h"
#include "seimbang/workload/v1/workload.pb.h"
#include "services/workload/call.h"
#include "services/workload/downstream.h"
#include "services/workload/projection/projection.h"
#include "services/workload/repository.h"

namespace seimbang::workload {

inline constexpr int kMaxProjectionMoves = 100000;
inline constexpr size_t kMaxDiagnosisChars = 500;

// Field violations of a ProjectStaffing request (ranges, required fields); empty when valid.
[[nodiscard]] std::vector<errors::FieldViolation> ValidateProjectStaffing(
    const pb::ProjectStaffingRequest& req);

struct ProjectionOutcome {
  pb::Projection projection;
  bool replayed = false;  // a stored projection answered the same request_id
};

// `req` is valid (ValidateProjectStaffing) and within the caller's scope. NOT_FOUND for an
// unknown run_id; PERMISSION_DENIED for a run outside the caller's scope; INVALID_ARGUMENT for a
// run of another agency; FAILED_PRECONDITION when run_id is empty and the agency has no run;
// UNAVAILABLE when personnel cannot be reached, and nothing is stored.
[[nodiscard]] absl::StatusOr<ProjectionOutcome> ProjectStaffing(
    Repository& repo, PersonnelDirectory& personnel, const Call& call,
    const pb::ProjectStaffingRequest& req);

// The pure computation's result as the contract's message (ids, echo and times not set).
[[nodiscard]] pb::Projection ToProto(const projection::Projection& p);

// The stored projection, NOT_FOUND when there is none; the caller checks its agency.
[[nodiscard]] absl::StatusOr<pb::Projection> GetProjection(Repository& repo,
                                                           const std::string& projection_id);

}  // namespace seimbang::workload

#endif  // SEIMBANG_SERVICES_WORKLOAD_PROJECTION_WORKFLOW_H_
