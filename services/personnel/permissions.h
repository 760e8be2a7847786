// Who may call which RPC of personnel (enforced by common/auth before handlers).
#ifndef SEIMBANG_SERVICES_PERSONNEL_PERMISSIONS_H_
#define SEIMBANG_SERVICES_PERSONNEL_PERMISSIONS_H_

#include <string>
#include <string_view>

#include "common/auth/permissions.h"

namespace seimbang::personnel {

inline constexpr std::string_view kServiceName = "seimbang.personnel.v1.PersonnelService";

// "/seimbang.personnel.v1.PersonnelService/<rpc>".
[[nodiscard]] std::string MethodPath(std::string_view rpc);

// admin: everything; operator: writes of units and employees and imports (CreateAgency and
// CreatePosition are admin only: the catalogue is shared); approver, viewer, service: reads;
// employee: their own record and history. ApplyTransfers: admin and service (transfer-planning).
// Agency scope and self checks are made per call.
[[nodiscard]] auth::PermissionTable PersonnelPermissions();

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_PERMISSIONS_H_
