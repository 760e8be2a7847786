// A server interceptor that makes the status a caller gets honest and bounded
// (issue 15 item 6), for every service built on common/server:
//  - a request body that does not parse (malformed bytes, or invalid UTF-8 in a
//    proto3 string field, which protobuf rejects at parse time) is
//    INVALID_ARGUMENT "request body is not a valid <message type> (...)";
//    gRPC 1.51 would answer INTERNAL (sync methods) or UNIMPLEMENTED (callback
//    methods) with an empty message;
//  - a status message longer than errors::kMaxMessageBytes is cut (errors::Echo),
//    whatever the handler or library wrote.
// Unary and server-streaming methods only: on a client stream gRPC reports a
// body that does not parse exactly like the end of the stream.
#ifndef SEIMBANG_COMMON_SERVER_STATUS_GUARD_H_
#define SEIMBANG_COMMON_SERVER_STATUS_GUARD_H_

#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <string>
#include <vector>

namespace seimbang::server {

// Register it first, so later interceptors (metrics, logs) see the final status. The
// `self_guarded` methods ("/pkg.Service/Method") are left alone: they parse their own request
// and bound their own status (the raw callback methods of serve.h's CallbackMethods).
[[nodiscard]] std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewStatusGuardInterceptorFactory(std::vector<std::string> self_guarded = {});

// "request body is not a valid seimbang.personnel.v1.GetEmployeeRequest (malformed bytes or
// invalid UTF-8 in a string field)" for "/seimbang.personnel.v1.PersonnelService/GetEmployee";
// "request body" when the method is not in the generated descriptor pool.
[[nodiscard]] std::string UnparsableRequestMessage(const std::string& method);

}  // namespace seimbang::server

#endif  // SEIMBANG_COMMON_SERVER_STATUS_GUARD_H_
