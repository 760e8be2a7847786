#include "common/auth/audit.h"

#include <utility>

namespace seimbang::auth {

AuditActor AuditActorOf(const Caller& caller, std::string method, std::string_view own_request_id,
                        std::string_view incoming_request_id) {
  AuditActor a;
  a.subject = caller.claims.subject.substr(0, kMaxAuditField);
  a.role = std::string(RoleName(caller.claims.role));
  a.method = std::move(method);
  a.request_id = std::string(
      (own_request_id.empty() ? incoming_request_id : own_request_id).substr(0, kMaxAuditField));
  return a;
}

}  // namespace seimbang::auth
