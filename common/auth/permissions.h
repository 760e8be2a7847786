#ifndef SEIMBANG_COMMON_AUTH_PERMISSIONS_H_
#define SEIMBANG_COMMON_AUTH_PERMISSIONS_H_

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "common/auth/claims.h"

namespace seimbang::auth {

struct MethodPermission {
  // Full gRPC method path: "/seimbang.personnel.v1.PersonnelService/CreateAgency".
  std::string method;
  std::vector<Role> roles;
};

// The one table mapping every RPC to the roles allowed to call it. A method
// missing from the table is denied: forgetting an entry fails closed.
class PermissionTable {
 public:
  PermissionTable() = default;
  explicit PermissionTable(const std::vector<MethodPermission>& entries);

  // Adds entries (a server hosting several services merges their tables).
  void Add(const std::vector<MethodPermission>& entries);

  // PERMISSION_DENIED "role viewer may not call /pkg.Svc/M", or
  // "method /pkg.Svc/M is not in the permission table".
  [[nodiscard]] absl::Status Check(std::string_view method, Role role) const;

  bool Contains(std::string_view method) const;
  std::vector<std::string> Methods() const;

  // Health checking and reflection need no token (probes, grpcurl).
  static bool IsPublic(std::string_view method);

 private:
  std::map<std::string, std::set<Role>, std::less<>> allowed_;
};

}  // namespace seimbang::auth

#endif  // SEIMBANG_COMMON_AUTH_PERMISSIONS_H_
