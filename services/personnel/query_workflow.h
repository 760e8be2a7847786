// The reads of personnel, without gRPC types (as query_workflow is in workload and transfer):
// employees (one, a page, a batch, a stream with the planner's hints, the staffing counts
// workload-analysis asks for), the catalogue (agencies, units, positions), and what happened (an
// employee's placement history, the change feed, the audit log). Each checks the caller's scope
// (auth::ListAgency for lists, CheckAgencyScope or CheckSelf for one record) before it answers.
// The writes are employee_workflow, catalogue_workflow, import_workflow and
// transfer_application.
#ifndef SEIMBANG_SERVICES_PERSONNEL_QUERY_WORKFLOW_H_
#define SEIMBANG_SERVICES_PERSONNEL_QUERY_WORKFLOW_H_

#include "absl/status/status.h"
#include "seimbang/personnel/v1/personnel.pb.h"
#include "services/personnel/repository.h"
#include "services/personnel/workflow_support.h"

namespace seimbang::personnel {

[[nodiscard]] absl::Status GetEmployee(Repository& repo, const Call& call,
                                       const pv1::GetEmployeeRequest& req,
                                       pv1::GetEmployeeResponse* resp);
[[nodiscard]] absl::Status ListEmployees(Repository& repo, const Call& call,
                                         const pv1::ListEmployeesRequest& req,
                                         pv1::ListEmployeesResponse* resp);
[[nodiscard]] absl::Status BatchGetEmployees(Repository& repo, const Call& call,
                                             const pv1::BatchGetEmployeesRequest& req,
                                             pv1::BatchGetEmployeesResponse* resp);
[[nodiscard]] absl::Status GetStaffing(Repository& repo, const Call& call,
                                       const pv1::GetStaffingRequest& req,
                                       pv1::GetStaffingResponse* resp);
// Every employee of the filter in NIP order, with the planner's hints when eligible_as_of is set.
// CANCELLED when the client goes away.
[[nodiscard]] absl::Status StreamEmployees(Repository& repo, const Call& call,
                                           const pv1::StreamEmployeesRequest& req,
                                           const StreamOut<pv1::StreamEmployeesResponse>& out);

[[nodiscard]] absl::Status GetAgency(Repository& repo, const Call& call,
                                     const pv1::GetAgencyRequest& req,
                                     pv1::GetAgencyResponse* resp);
[[nodiscard]] absl::Status ListAgencies(Repository& repo, const Call& call,
                                        const pv1::ListAgenciesRequest& req,
                                        pv1::ListAgenciesResponse* resp);
[[nodiscard]] absl::Status GetUnit(Repository& repo, const Call& call,
                                   const pv1::GetUnitRequest& req, pv1::GetUnitResponse* resp);
[[nodiscard]] absl::Status ListUnits(Repository& repo, const Call& call,
                                     const pv1::ListUnitsRequest& req,
                                     pv1::ListUnitsResponse* resp);
[[nodiscard]] absl::Status GetPosition(Repository& repo, const pv1::GetPositionRequest& req,
                                       pv1::GetPositionResponse* resp);
[[nodiscard]] absl::Status ListPositions(Repository& repo, const Call& call,
                                         const pv1::ListPositionsRequest& req,
                                         pv1::ListPositionsResponse* resp);

[[nodiscard]] absl::Status ListPlacementHistory(Repository& repo, const Call& call,
                                                const pv1::ListPlacementHistoryRequest& req,
                                                pv1::ListPlacementHistoryResponse* resp);
[[nodiscard]] absl::Status ListAuditEvents(Repository& repo, const Call& call,
                                           const pv1::ListAuditEventsRequest& req,
                                           pv1::ListAuditEventsResponse* resp);
// The change feed after a sequence, optionally followed (polled) until the call ends.
[[nodiscard]] absl::Status WatchChanges(Repository& repo, const Call& call,
                                        const pv1::WatchChangesRequest& req,
                                        const StreamOut<pv1::WatchChangesResponse>& out);

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_QUERY_WORKFLOW_H_
