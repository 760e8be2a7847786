#include "common/server/call.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/audit.h"
#include "common/server/channel.h"
#include "common/server/serve.h"

namespace seimbang::server {

paging::PageQuery PageQueryOf(std::string method_path, const auth::Caller& caller) {
  paging::PageQuery q(std::move(method_path));
  q.Scope(auth::RoleName(caller.claims.role), caller.claims.agency, caller.claims.nip,
          caller.claims.subject);
  return q;
}

common::v1::AuditEvent AuditEventOf(const Call& call, std::string method_path, std::string resource,
                                    std::string_view own_request_id, std::string agency) {
  auth::AuditActor who = auth::AuditActorOf(call.caller, std::move(method_path), own_request_id,
                                            call.incoming_request_id);
  common::v1::AuditEvent e;
  e.set_time_ms(absl::ToUnixMillis(absl::Now()));
  e.set_subject(std::move(who.subject));
  e.set_role(std::move(who.role));
  e.set_method(std::move(who.method));
  e.set_resource(std::move(resource));
  e.set_request_id(std::move(who.request_id));
  e.set_agency_code(std::move(agency));
  return e;
}

absl::StatusOr<Call> CallOf(const grpc::ServerContextBase& ctx) {
  absl::StatusOr<auth::Caller> caller = auth::CallerFromContext(ctx);
  if (!caller.ok()) return caller.status();
  Call call{*std::move(caller), std::string(IncomingRequestId(ctx)), ctx.deadline(), ""};
  const auto& md = ctx.client_metadata();
  if (auto it = md.find("authorization"); it != md.end()) {
    std::string value(it->second.data(), it->second.size());
    if (absl::StartsWithIgnoreCase(value, "bearer ")) value.erase(0, 7);
    call.downstream_token = std::move(value);
  }
  return call;
}

}  // namespace seimbang::server
