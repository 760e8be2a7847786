// Who may call which RPC of transfer-planning (enforced by common/auth before handlers).
#ifndef SEIMBANG_SERVICES_TRANSFER_PERMISSIONS_H_
#define SEIMBANG_SERVICES_TRANSFER_PERMISSIONS_H_

#include <string>
#include <string_view>

#include "common/auth/permissions.h"

namespace seimbang::transfer {

inline constexpr std::string_view kServiceName = "seimbang.transfer.v1.TransferPlanningService";

// "/seimbang.transfer.v1.TransferPlanningService/<rpc>".
[[nodiscard]] std::string MethodPath(std::string_view rpc);

// admin: everything; operator: policies, preferences, plans, objections, execution; approver:
// approve, reject, resolve objections and reads; viewer, service: reads; employee: their own
// preferences, moves and objections. The audit log is admin's alone. Agency scope is checked
// per call (see common/auth/README.md).
[[nodiscard]] auth::PermissionTable TransferPermissions();

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_PERMISSIONS_H_
