#include "common/auth/permissions.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace seimbang::auth {

PermissionTable::PermissionTable(const std::vector<MethodPermission>& entries) { Add(entries); }

void PermissionTable::Add(const std::vector<MethodPermission>& entries) {
  for (const MethodPermission& e : entries) {
    allowed_[e.method].insert(e.roles.begin(), e.roles.end());
  }
}

absl::Status PermissionTable::Check(std::string_view method, Role role) const {
  auto it = allowed_.find(method);
  if (it == allowed_.end()) {
    return absl::PermissionDeniedError(
        absl::StrCat("method ", std::string(method), " is not in the permission table"));
  }
  if (it->second.count(role) == 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("role ", std::string(RoleName(role)), " may not call ", std::string(method)));
  }
  return absl::OkStatus();
}

bool PermissionTable::Contains(std::string_view method) const {
  return allowed_.find(method) != allowed_.end();
}

std::vector<std::string> PermissionTable::Methods() const {
  std::vector<std::string> out;
  for (const auto& [m, roles] : allowed_) out.push_back(m);
  return out;
}

bool PermissionTable::IsPublic(std::string_view m) {
  const absl::string_view method(m.data(), m.size());
  return absl::StartsWith(method, "/grpc.health.v1.Health/") ||
         absl::StartsWith(method, "/grpc.reflection.v1alpha.ServerReflection/") ||
         absl::StartsWith(method, "/grpc.reflection.v1.ServerReflection/");
}

}  // namespace seimbang::auth
