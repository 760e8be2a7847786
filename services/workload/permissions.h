// Who may call which RPC of workload-analysis (enforced by common/auth before handlers).
#ifndef SEIMBANG_SERVICES_WORKLOAD_PERMISSIONS_H_
#define SEIMBANG_SERVICES_WORKLOAD_PERMISSIONS_H_

#include <string>
#include <string_view>

#include "common/auth/permissions.h"

namespace seimbang::workload {

inline constexpr std::string_view kServiceName = "seimbang.workload.v1.WorkloadAnalysisService";

// "/seimbang.workload.v1.WorkloadAnalysisService/<rpc>".
[[nodiscard]] std::string MethodPath(std::string_view rpc);

// admin: everything; operator: reads and writes (workloads, signals, settings, runs);
// approver, viewer, service: reads; employee: nothing. Agency scope is checked per call.
[[nodiscard]] auth::PermissionTable WorkloadPermissions();

}  // namespace seimbang::workload

#endif  // SEIMBANG_SERVICES_WORKLOAD_PERMISSIONS_H_
