// What a workflow knows of the call it serves, without gRPC types: who calls, the
// caller's x-request-id header (for audit rows) and the token to forward to personnel.
// The gRPC adapter (service.cc) builds it once per call.
#ifndef SEIMBANG_SERVICES_WORKLOAD_CALL_H_
#define SEIMBANG_SERVICES_WORKLOAD_CALL_H_

#include <string>
#include <string_view>

#include "common/auth/caller.h"
#include "services/workload/repository.h"

namespace seimbang::workload {

struct Call {
  auth::Caller caller;
  std::string incoming_request_id;
  std::string personnel_token;
};

// The audit row of a mutation of `rpc` ("RunAnalysis") by `call` on `resource`;
// `own_request_id` is the request's request_id (may be empty).
[[nodiscard]] AuditRecord AuditOf(const Call& call, std::string_view rpc, std::string resource,
                                  const std::string& own_request_id, std::string agency);

}  // namespace seimbang::workload

#endif  // SEIMBANG_SERVICES_WORKLOAD_CALL_H_
