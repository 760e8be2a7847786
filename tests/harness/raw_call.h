// Calls for methods with no generated stub in this build (grpc.health.v1) or with request
// bodies a stub would refuse to send: raw bytes over a GenericStub.
#ifndef SEIMBANG_TESTS_HARNESS_RAW_CALL_H_
#define SEIMBANG_TESTS_HARNESS_RAW_CALL_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <string>

namespace seimbang::testing {

// One unary call of `method` with `request` as its raw body, `token` as bearer token (none
// when empty). Fills `response` with the raw response bytes when the call succeeds.
grpc::Status RawUnary(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                      const std::string& request, const std::string& token,
                      std::string* response = nullptr, int64_t deadline_ms = 5000);

// grpc.health.v1.Health/Check for the whole server, asked without a token: "SERVING",
// "NOT_SERVING", "error: <code>: <message>" or "unexpected response".
std::string HealthStatus(const std::shared_ptr<grpc::Channel>& channel, int64_t deadline_ms = 5000);

}  // namespace seimbang::testing

#endif  // SEIMBANG_TESTS_HARNESS_RAW_CALL_H_
