#include "services/transfer/permissions.h"

#include <initializer_list>
#include <vector>

#include "absl/strings/str_cat.h"

namespace seimbang::transfer {

std::string MethodPath(std::string_view rpc) {
  return absl::StrCat("/", absl::string_view(kServiceName.data(), kServiceName.size()), "/",
                      absl::string_view(rpc.data(), rpc.size()));
}

auth::PermissionTable TransferPermissions() {
  using auth::Role;
  const std::vector<Role> read = {Role::kAdmin, Role::kOperator, Role::kApprover, Role::kViewer,
                                  Role::kService};
  auto with = [](std::vector<Role> roles, std::initializer_list<Role> more) {
    roles.insert(roles.end(), more);
    return roles;
  };
  const std::vector<Role> ops = {Role::kAdmin, Role::kOperator};
  const std::vector<Role> approve = {Role::kAdmin, Role::kApprover};
  auto M = MethodPath;
  return auth::PermissionTable({
      {M("CreatePolicy"), ops},
      {M("GetPolicy"), read},
      {M("ListPolicies"), read},
      {M("UpdatePolicy"), ops},
      {M("SubmitPreferences"), {Role::kAdmin, Role::kOperator, Role::kEmployee}},
      {M("ListPreferences"), with(read, {Role::kEmployee})},
      {M("CreatePlan"), ops},
      {M("GetPlan"), read},
      {M("ListPlans"), read},
      {M("ListMoves"), read},
      {M("ExplainMove"), with(read, {Role::kEmployee})},
      {M("ListMyMoves"), {Role::kEmployee}},
      {M("ComparePlans"), read},
      {M("SubmitPlan"), ops},
      {M("ApprovePlan"), approve},
      {M("RejectPlan"), approve},
      {M("CancelPlan"), ops},
      {M("FileObjection"), {Role::kAdmin, Role::kOperator, Role::kEmployee}},
      {M("ResolveObjection"), approve},
      {M("ListObjections"), read},
      {M("RevisePlan"), ops},
      {M("ExecutePlan"), ops},
      {M("GetExecution"), read},
      {M("ExportPlan"), read},
      {M("ListAuditEvents"), {Role::kAdmin}},
  });
}

}  // namespace seimbang::transfer
