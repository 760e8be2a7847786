// The plumbing every transfer workflow derives from the call it serves (server::Call, without
// gRPC types): an idempotent transaction, new ids (the audit row is server::AuditEventOf).
#ifndef SEIMBANG_SERVICES_TRANSFER_CALL_H_
#define SEIMBANG_SERVICES_TRANSFER_CALL_H_

#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/auth/caller.h"
#include "common/idempotency/idempotency.h"
#include "common/server/call.h"
#include "seimbang/common/v1/common.pb.h"
#include "services/transfer/repository.h"

namespace seimbang::transfer {

using Call = server::Call;  // who asks, their x-request-id, the call's deadline

[[nodiscard]] inline bool IsEmployee(const auth::Caller& c) {
  return c.claims.role == auth::Role::kEmployee;
}

// "<prefix><12 hex digits>", random.
[[nodiscard]] std::string NewId(const char* prefix);

// Runs a mutation once per idempotency key (common/idempotency: caller scope, method,
// request_id and request fingerprint); `fn` fills the typed response.
template <typename Resp>
[[nodiscard]] absl::Status Idempotent(
    Repository& repo, const absl::StatusOr<idempotency::Key>& key, Resp* response,
    const std::function<absl::Status(db::Connection&, Resp*)>& fn) {
  if (!key.ok()) return key.status();
  return idempotency::Run(repo.pool(), *key, *response,
                          [&](db::Connection& c) { return fn(c, response); });
}

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_CALL_H_
