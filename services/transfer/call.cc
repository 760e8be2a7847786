#include "services/transfer/call.h"

#include <cstdint>
#include <random>
#include <utility>

#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/auth/audit.h"
#include "common/db/time_format.h"
#include "services/transfer/permissions.h"

namespace seimbang::transfer {

common::v1::AuditEvent Audit(const auth::Caller& caller, const std::string& method,
                             const std::string& resource, const std::string& request_id,
                             std::string_view incoming_request_id, const std::string& agency) {
  auth::AuditActor who = auth::AuditActorOf(caller, method, request_id, incoming_request_id);
  common::v1::AuditEvent e;
  e.set_time_ms(db::NowUnixMillis());
  e.set_subject(std::move(who.subject));
  e.set_role(std::move(who.role));
  e.set_method(std::move(who.method));
  e.set_resource(resource);
  e.set_request_id(std::move(who.request_id));
  e.set_agency_code(agency);
  return e;
}

paging::PageQuery PageQueryOf(std::string_view rpc, const auth::Caller& c) {
  paging::PageQuery q(MethodPath(rpc));
  q.Scope(auth::RoleName(c.claims.role), c.claims.agency, c.claims.nip, c.claims.subject);
  return q;
}

std::string NewId(const char* prefix) {
  static std::mt19937_64 rng(std::random_device{}() ^
                             static_cast<uint64_t>(absl::ToUnixNanos(absl::Now())));
  static absl::Mutex mu;
  absl::MutexLock lock(&mu);
  return absl::StrFormat("%s%012x", prefix, rng() & 0xffffffffffffULL);
}

}  // namespace seimbang::transfer
