// The RecordDemandSignals use case: each signal's unit checked against personnel, then
// every signal upserted with one audit row, idempotently. No gRPC types: the adapter
// (service.cc) validates the signals and checks the caller's scope over their agencies.
#ifndef SEIMBANG_SERVICES_WORKLOAD_SIGNALS_WORKFLOW_H_
#define SEIMBANG_SERVICES_WORKLOAD_SIGNALS_WORKFLOW_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "seimbang/workload/v1/workload.pb.h"
#include "services/workload/call.h"
#include "services/workload/downstream.h"
#include "services/workload/repository.h"

namespace seimbang::workload {

// `request`'s signals are valid and `agencies` (their agencies, in first-seen order) are
// within the caller's scope. A signal naming a unit that is not a unit of its agency is
// INVALID_ARGUMENT "signals[i].unit_id" (every such signal is named); nothing is stored.
// The request with each signal that names its unit by external id (issue 20) given that unit's
// id, or nullopt when no signal does (use the request as it is); INVALID_ARGUMENT naming every
// signal whose external id does not resolve.
[[nodiscard]] absl::StatusOr<std::optional<pb::RecordDemandSignalsRequest>> SignalUnitsByExternalId(
    PersonnelDirectory& personnel, const std::string& token, const auth::Caller& caller,
    const pb::RecordDemandSignalsRequest& req);

[[nodiscard]] absl::Status RecordDemandSignals(Repository& repo, PersonnelDirectory& personnel,
                                               const Call& call,
                                               const pb::RecordDemandSignalsRequest& request,
                                               const std::vector<std::string>& agencies,
                                               pb::RecordDemandSignalsResponse& response);

}  // namespace seimbang::workload

#endif  // SEIMBANG_SERVICES_WORKLOAD_SIGNALS_WORKFLOW_H_
