// What a workflow knows of the RPC it serves, without gRPC types: the one Call of the three
// services (issue 16). The handler builds it once per call with server::Serve (serve.h).
#ifndef SEIMBANG_COMMON_SERVER_CALL_H_
#define SEIMBANG_COMMON_SERVER_CALL_H_

#include <chrono>
#include <string>
#include <string_view>

#include "common/auth/caller.h"
#include "common/paging/page_token.h"
#include "seimbang/common/v1/common.pb.h"

namespace seimbang::server {

struct Call {
  auth::Caller caller;              // who calls, verified
  std::string incoming_request_id;  // the call's x-request-id, audited when a message has none
  std::chrono::system_clock::time_point deadline = std::chrono::system_clock::time_point::max();
  // The token this call presents to the services it calls: the caller's own bearer token
  // (without "Bearer "), or "" without one; a service given its own token puts that here.
  std::string downstream_token;
};

// What a page token of the method at `method_path` ("/seimbang.x.v1.XService/ListY") is bound
// to: the method and who asks (role, agency, NIP, subject); each List RPC adds its filters.
[[nodiscard]] paging::PageQuery PageQueryOf(std::string method_path, const auth::Caller& caller);

// The audit row of a mutation, the same in every service (issue 16): now, who (auth::AuditActorOf:
// the message's own request_id, else the call's x-request-id), the method at `method_path`, the
// `resource` it changed and the agency it belongs to. The repository writes it in the
// mutation's own transaction.
[[nodiscard]] common::v1::AuditEvent AuditEventOf(const Call& call, std::string method_path,
                                                  std::string resource,
                                                  std::string_view own_request_id,
                                                  std::string agency);

}  // namespace seimbang::server

#endif  // SEIMBANG_COMMON_SERVER_CALL_H_
