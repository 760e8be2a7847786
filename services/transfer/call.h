// What a workflow knows of the RPC it serves, without gRPC types (the handler fills it from the
// grpc::ServerContext), and the plumbing every workflow derives from it: the audit row, the
// page-token scope, an idempotent transaction, new ids.
#ifndef SEIMBANG_SERVICES_TRANSFER_CALL_H_
#define SEIMBANG_SERVICES_TRANSFER_CALL_H_

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/auth/caller.h"
#include "common/db/pool.h"
#include "common/idempotency/idempotency.h"
#include "common/paging/page_token.h"
#include "seimbang/common/v1/common.pb.h"

namespace seimbang::transfer {

struct Call {
  auth::Caller caller;
  std::string incoming_request_id;  // the call's x-request-id, audited when a message has none
  std::chrono::system_clock::time_point deadline = std::chrono::system_clock::time_point::max();
};

[[nodiscard]] inline bool IsEmployee(const auth::Caller& c) {
  return c.claims.role == auth::Role::kEmployee;
}

// The audit row of a mutation: `request_id` is the message's, `incoming_request_id` the call's
// x-request-id (used when the message has none).
[[nodiscard]] common::v1::AuditEvent Audit(const auth::Caller& caller, const std::string& method,
                                           const std::string& resource,
                                           const std::string& request_id,
                                           std::string_view incoming_request_id,
                                           const std::string& agency);

// What a page token of `rpc` is bound to: the RPC and who asks; the repository adds the filters.
[[nodiscard]] paging::PageQuery PageQueryOf(std::string_view rpc, const auth::Caller& c);

// "<prefix><12 hex digits>", random.
[[nodiscard]] std::string NewId(const char* prefix);

// Runs a mutation once per idempotency key (common/idempotency: caller scope, method,
// request_id and request fingerprint); `fn` fills the typed response.
template <typename Resp>
[[nodiscard]] absl::Status Idempotent(
    db::Pool& pool, const absl::StatusOr<idempotency::Key>& key, Resp* response,
    const std::function<absl::Status(db::Connection&, Resp*)>& fn) {
  if (!key.ok()) return key.status();
  return idempotency::Run(pool, *key, *response,
                          [&](db::Connection& c) { return fn(c, response); });
}

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_CALL_H_
