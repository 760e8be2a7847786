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

[[nodiscard]] UnaryWorkflow<pv1::GetEmployeeRequest, pv1::GetEmployeeResponse> GetEmployee;
[[nodiscard]] UnaryWorkflow<pv1::ListEmployeesRequest, pv1::ListEmployeesResponse> ListEmployees;
[[nodiscard]] UnaryWorkflow<pv1::BatchGetEmployeesRequest, pv1::BatchGetEmployeesResponse>
    BatchGetEmployees;
[[nodiscard]] UnaryWorkflow<pv1::GetStaffingRequest, pv1::GetStaffingResponse> GetStaffing;
// Every employee of the filter in NIP order, with the planner's hints when eligible_as_of is set.
// CANCELLED when the client goes away.
[[nodiscard]] absl::Status StreamEmployees(Repository& repo, const Call& call,
                                           const pv1::StreamEmployeesRequest& req,
                                           const StreamOut<pv1::StreamEmployeesResponse>& out);

[[nodiscard]] UnaryWorkflow<pv1::GetAgencyRequest, pv1::GetAgencyResponse> GetAgency;
[[nodiscard]] UnaryWorkflow<pv1::ListAgenciesRequest, pv1::ListAgenciesResponse> ListAgencies;
[[nodiscard]] UnaryWorkflow<pv1::GetUnitRequest, pv1::GetUnitResponse> GetUnit;
[[nodiscard]] UnaryWorkflow<pv1::ListUnitsRequest, pv1::ListUnitsResponse> ListUnits;
[[nodiscard]] absl::Status GetPosition(Repository& repo, const pv1::GetPositionRequest& req,
                                       pv1::GetPositionResponse* resp);
[[nodiscard]] UnaryWorkflow<pv1::ListPositionsRequest, pv1::ListPositionsResponse> ListPositions;

[[nodiscard]] UnaryWorkflow<pv1::ListPlacementHistoryRequest, pv1::ListPlacementHistoryResponse>
    ListPlacementHistory;
[[nodiscard]] UnaryWorkflow<pv1::ListAuditEventsRequest, pv1::ListAuditEventsResponse>
    ListAuditEvents;
// The change feed after a sequence, optionally followed (polled) until the call ends.
[[nodiscard]] absl::Status WatchChanges(Repository& repo, const Call& call,
                                        const pv1::WatchChangesRequest& req,
                                        const StreamOut<pv1::WatchChangesResponse>& out);

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_QUERY_WORKFLOW_H_
