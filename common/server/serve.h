// The one shape of a handler in the three services (issue 16): decode the call, run one
// workflow, encode its status.
#ifndef SEIMBANG_COMMON_SERVER_SERVE_H_
#define SEIMBANG_COMMON_SERVER_SERVE_H_

#include <grpcpp/grpcpp.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/errors/errors.h"
#include "common/server/call.h"

namespace seimbang::server {

// The caller (UNAUTHENTICATED when the token does not verify), x-request-id, deadline and
// bearer token of an incoming call.
[[nodiscard]] absl::StatusOr<Call> CallOf(const grpc::ServerContext& ctx);

// Every handler: `workflow(const Call&)` returns an absl::Status, which becomes the call's
// grpc::Status (errors::ToGrpcStatus: bounded message, details kept).
template <typename Fn>
grpc::Status Serve(const grpc::ServerContext& ctx, Fn&& workflow) {
  absl::StatusOr<Call> call = CallOf(ctx);
  if (!call.ok()) return errors::ToGrpcStatus(call.status());
  return errors::ToGrpcStatus(std::forward<Fn>(workflow)(std::as_const(*call)));
}

}  // namespace seimbang::server

#endif  // SEIMBANG_COMMON_SERVER_SERVE_H_
