#include "services/workload/call.h"

#include <utility>

#include "common/auth/audit.h"
#include "common/db/time_format.h"
#include "services/workload/permissions.h"

namespace seimbang::workload {

AuditRecord AuditOf(const Call& call, std::string_view rpc, std::string resource,
                    const std::string& own_request_id, std::string agency) {
  auth::AuditActor who =
      auth::AuditActorOf(call.caller, MethodPath(rpc), own_request_id, call.incoming_request_id);
  AuditRecord r;
  r.time_ms = db::NowUnixMillis();
  r.subject = std::move(who.subject);
  r.role = std::move(who.role);
  r.method = std::move(who.method);
  r.resource = std::move(resource);
  r.request_id = std::move(who.request_id);
  r.agency_code = std::move(agency);
  return r;
}

}  // namespace seimbang::workload
