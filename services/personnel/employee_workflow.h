// The writes of employees: create and update (a placement change only as a CORRECTION or
// PROMOTION; transfers go through transfer_application). Their reads are query_workflow.
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
[[nodiscard]] absl::Status UpdateEmployee(Repository& repo, const Call& call,
                                          const pv1::UpdateEmployeeRequest& req,
                                          const domain::Date& today,
                                          pv1::UpdateEmployeeResponse* resp);

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_EMPLOYEE_WORKFLOW_H_
