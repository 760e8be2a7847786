#include "tests/integration/security/support.h"

#include <grpcpp/generic/generic_stub.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth/verifier.h"
#include "common/server/channel.h"

namespace seimbang::testing {

std::string MintToken(const TokenSpec& spec) {
  auth::MintOptions m;
  m.key = spec.key;
  m.claims.subject = "security-test";
  m.claims.role = spec.role;
  m.claims.agency = spec.agency;
  m.issuer = spec.issuer;
  m.audience = spec.audience;
  m.issued_at = spec.issued_at;
  m.ttl = spec.ttl;
  absl::StatusOr<std::string> t = auth::Mint(m);
  return t.ok() ? *t : "";
}

grpc::Status CallEcho(const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
                      v1::EchoResponse* response, const std::string& text) {
  v1::EchoRequest req;
  req.set_text(text);
  std::string out;
  grpc::Status st = RawUnary(channel, kEchoMethod, req.SerializeAsString(), token, &out);
  if (st.ok() && response != nullptr) response->ParseFromString(out);
  return st;
}

}  // namespace seimbang::testing
