// The use cases of employees: create, read, update (a placement change only as a CORRECTION or
// PROMOTION; transfers go through transfer_application), lists and streams, and the staffing
// counts workload-analysis asks for.
#ifndef SEIMBANG_SERVICES_PERSONNEL_EMPLOYEE_WORKFLOW_H_
#define SEIMBANG_SERVICES_PERSONNEL_EMPLOYEE_WORKFLOW_H_

#include "absl/status/status.h"
#include "common/domain/date.h"
#include "seimbang/personnel/v1/personnel.pb.h"
#include "services/personnel/repository.h"
#include "services/personnel/workflow_support.h"

namespace seimbang::personnel {

[[nodiscard]] absl::Status CreateEmployee(Repository& repo, const Call& call,
                                          const pv1::CreateEmployeeRequest& req,
                                          const domain::Date& today,
                                          pv1::CreateEmployeeResponse* resp);
[[nodiscard]] absl::Status GetEmployee(Repository& repo, const Call& call,
                                       const pv1::GetEmployeeRequest& req,
                                       pv1::GetEmployeeResponse* resp);
[[nodiscard]] absl::Status UpdateEmployee(Repository& repo, const Call& call,
                                          const pv1::UpdateEmployeeRequest& req,
                                          const domain::Date& today,
                                          pv1::UpdateEmployeeResponse* resp);
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

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_EMPLOYEE_WORKFLOW_H_
