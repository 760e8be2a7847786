#ifndef SEIMBANG_TESTS_INTEGRATION_SECURITY_SUPPORT_H_
#define SEIMBANG_TESTS_INTEGRATION_SECURITY_SUPPORT_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "common/auth/claims.h"
#include "seimbang/testing/v1/echo.pb.h"

namespace seimbang::testing {

// The HS256 secret every test server is started with (>= 32 bytes).
inline const std::string kSecret = "security-test-secret-0123456789abcdef";
inline const std::string kEchoMethod = "/seimbang.testing.v1.EchoService/Echo";

struct TokenSpec {
  auth::Role role = auth::Role::kAdmin;
  std::string agency;
  std::string issuer;
  std::string audience;
  absl::Time issued_at = absl::Now();
  absl::Duration ttl = absl::Hours(1);
  std::string key = kSecret;
};

// An HS256 token minted by common/auth (the same code as `seimbangctl token`).
std::string MintToken(const TokenSpec& spec);

// One unary call with a raw (possibly invalid) request body. Fills `response`
// with the raw response bytes when the call succeeds.
grpc::Status RawUnary(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                      const std::string& request, const std::string& token,
                      std::string* response = nullptr, int64_t deadline_ms = 5000);

// Echo("halo") with `token` (no authorization header when empty).
grpc::Status CallEcho(const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
                      v1::EchoResponse* response = nullptr, const std::string& text = "halo");

// "SERVING", "NOT_SERVING" or "error: <code>: <message>", asked without a token.
std::string OverallHealth(const std::shared_ptr<grpc::Channel>& channel);

}  // namespace seimbang::testing

#endif  // SEIMBANG_TESTS_INTEGRATION_SECURITY_SUPPORT_H_
