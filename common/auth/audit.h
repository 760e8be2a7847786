#ifndef SEIMBANG_COMMON_AUTH_AUDIT_H_
#define SEIMBANG_COMMON_AUTH_AUDIT_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "common/auth/caller.h"

namespace seimbang::auth {

// Who did what under which request id: the part of an audit row that every
// service fills alike (each adds its resource, agency and time, and writes the
// row in the mutation's own transaction).
inline constexpr size_t kMaxAuditField = 200;

struct AuditActor {
  std::string subject;     // the token's `sub` ("insecure-dev" without tokens)
  std::string role;        // "operator", "service", ...
  std::string method;      // full gRPC path, "/seimbang.transfer.v1.TransferPlanningService/..."
  std::string request_id;  // see AuditActorOf
};

// The request id is the message's own request_id (the idempotency key) when it
// has one, else the caller's x-request-id header (server::IncomingRequestId),
// so an audit row can always be joined with the caller's logs. Subject and
// request id are cut to kMaxAuditField characters: they come from callers, and
// the audit columns are VARCHAR(200) (a longer value would fail the mutation).
[[nodiscard]] AuditActor AuditActorOf(const Caller& caller, std::string method,
                                      std::string_view own_request_id,
                                      std::string_view incoming_request_id);

}  // namespace seimbang::auth

#endif  // SEIMBANG_COMMON_AUTH_AUDIT_H_
