#include "services/personnel/permissions.h"

#include <vector>

#include "absl/strings/str_cat.h"

namespace seimbang::personnel {

std::string MethodPath(std::string_view rpc) {
  return absl::StrCat("/", std::string(kServiceName), "/", std::string(rpc));
}

auth::PermissionTable PersonnelPermissions() {
  using auth::Role;
  const std::vector<Role> all_readers = {Role::kAdmin, Role::kService, Role::kOperator,
                                         Role::kApprover, Role::kViewer};
  const std::vector<Role> writers = {Role::kAdmin, Role::kOperator};
  std::vector<Role> with_employee = all_readers;
  with_employee.push_back(Role::kEmployee);
  const auto M = MethodPath;
  return auth::PermissionTable({
      {M("CreateAgency"), {Role::kAdmin}},
      {M("GetAgency"), all_readers},
      {M("ListAgencies"), all_readers},
      {M("CreateUnit"), writers},
      {M("GetUnit"), all_readers},
      {M("UpdateUnit"), writers},
      {M("ListUnits"), all_readers},
      // The position catalogue is shared by every agency (a position's retirement age counts in
      // every agency's staffing): only an admin changes it (issue 15 item 4).
      {M("CreatePosition"), {Role::kAdmin}},
      {M("GetPosition"), all_readers},
      {M("ListPositions"), all_readers},
      {M("CreateEmployee"), writers},
      {M("GetEmployee"), with_employee},
      {M("UpdateEmployee"), writers},
      {M("ListEmployees"), all_readers},
      {M("BatchGetEmployees"), all_readers},
      {M("StreamEmployees"), all_readers},
      {M("ImportRecords"), writers},
      {M("GetStaffing"), all_readers},
      {M("ApplyTransfers"), {Role::kAdmin, Role::kService}},
      {M("ListPlacementHistory"), with_employee},
      {M("WatchChanges"), all_readers},
      {M("ListAuditEvents"), {Role::kAdmin}},
  });
}

}  // namespace seimbang::personnel
