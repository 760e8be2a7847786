#include "services/workload/permissions.h"

#include <vector>

#include "absl/strings/str_cat.h"

namespace seimbang::workload {

std::string MethodPath(std::string_view rpc) {
  return absl::StrCat("/", std::string(kServiceName), "/", std::string(rpc));
}

auth::PermissionTable WorkloadPermissions() {
  using auth::Role;
  const std::vector<Role> read = {Role::kAdmin, Role::kOperator, Role::kApprover, Role::kViewer,
                                  Role::kService};
  const std::vector<Role> write = {Role::kAdmin, Role::kOperator};
  std::vector<auth::MethodPermission> entries;
  for (const char* rpc :
       {"GetWorkload", "ListWorkloads", "ListDemandSignals", "GetSettings", "GetAnalysis",
        "ListAnalyses", "CompareAnalyses", "GetProjection", "ListProjections"}) {
    entries.push_back({MethodPath(rpc), read});
  }
  for (const char* rpc : {"UpsertWorkload", "ImportWorkload", "RecordDemandSignals",
                          "UpdateSettings", "RunAnalysis", "ProjectStaffing"}) {
    entries.push_back({MethodPath(rpc), write});
  }
  entries.push_back({MethodPath("ListAuditEvents"), {Role::kAdmin}});
  return auth::PermissionTable(entries);
}

}  // namespace seimbang::workload
