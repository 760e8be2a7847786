#ifndef SEIMBANG_TESTS_INTEGRATION_SECURITY_SUPPORT_H_
#define SEIMBANG_TESTS_INTEGRATION_SECURITY_SUPPORT_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "common/auth/claims.h"
#include "seimbang/testing/v1/echo.pb.h"
#include "tests/harness/raw_call.h"

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

// Echo("halo") with `token` (no authorization header when empty).
grpc::Status CallEcho(const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
                      v1::EchoResponse* response = nullptr, const std::string& text = "halo");

}  // namespace seimbang::testing

#endif  // SEIMBANG_TESTS_INTEGRATION_SECURITY_SUPPORT_H_
