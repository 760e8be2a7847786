#ifndef SEIMBANG_COMMON_AUTH_CLAIMS_H_
#define SEIMBANG_COMMON_AUTH_CLAIMS_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace seimbang::auth {

// The roles of ARCHITECTURE.md "Security"; a token names exactly one.
enum class Role { kAdmin, kOperator, kApprover, kViewer, kEmployee, kService };

// "admin", "operator", ... as written in tokens and logs.
std::string_view RoleName(Role role);

// UNAUTHENTICATED "unknown role 'boss'" for anything else.
[[nodiscard]] absl::StatusOr<Role> ParseRole(std::string_view name);

struct Claims {
  std::string subject;
  Role role = Role::kViewer;
  // Kemendagri code of the caller's agency ("73.71"); empty for admin and
  // service, whose scope spans all agencies.
  std::string agency;
  // 18-digit NIP, set for the employee role only.
  std::string nip;
};

}  // namespace seimbang::auth

#endif  // SEIMBANG_COMMON_AUTH_CLAIMS_H_
