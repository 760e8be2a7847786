#include "common/auth/claims.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace seimbang::auth {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kOperator:
      return "operator";
    case Role::kApprover:
      return "approver";
    case Role::kViewer:
      return "viewer";
    case Role::kEmployee:
      return "employee";
    case Role::kService:
      return "service";
  }
  return "unknown";
}

absl::StatusOr<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kAdmin, Role::kOperator, Role::kApprover, Role::kViewer, Role::kEmployee,
                 Role::kService}) {
    if (RoleName(r) == name) return r;
  }
  return absl::UnauthenticatedError(absl::StrCat("unknown role '", std::string(name), "'"));
}

}  // namespace seimbang::auth
