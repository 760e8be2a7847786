#include "common/auth/claims.h"

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/domain/enum_names.h"

namespace seimbang::auth {

namespace {

constexpr domain::EnumName<Role> kRoleNames[] = {
    {Role::kAdmin, "admin"},   {Role::kOperator, "operator"}, {Role::kApprover, "approver"},
    {Role::kViewer, "viewer"}, {Role::kEmployee, "employee"}, {Role::kService, "service"},
};
static_assert(domain::CoversEveryValue(kRoleNames, Role::kAdmin, Role::kService));

}  // namespace

std::string_view RoleName(Role role) { return domain::NameOf(kRoleNames, role, "unknown"); }

absl::StatusOr<Role> ParseRole(std::string_view name) {
  if (std::optional<Role> role = domain::FromName(kRoleNames, name)) return *role;
  return absl::UnauthenticatedError(absl::StrCat("unknown role '", std::string(name), "'"));
}

}  // namespace seimbang::auth
