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

grpc::Status RawUnary(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                      const std::string& request, const std::string& token, std::string* response,
                      int64_t deadline_ms) {
  grpc::GenericStub stub(channel);
  std::unique_ptr<grpc::ClientContext> ctx = server::ClientContextWithDeadline(deadline_ms, token);
  grpc::Slice slice(request);
  grpc::ByteBuffer req(&slice, 1);
  grpc::ByteBuffer resp;
  grpc::Status status;
  grpc::CompletionQueue cq;
  auto call = stub.PrepareUnaryCall(ctx.get(), method, req, &cq);
  call->StartCall();
  call->Finish(&resp, &status, reinterpret_cast<void*>(1));
  void* tag = nullptr;
  bool ok = false;
  cq.Next(&tag, &ok);
  if (status.ok() && response != nullptr) {
    response->clear();
    std::vector<grpc::Slice> slices;
    (void)resp.Dump(&slices);
    for (const grpc::Slice& s : slices) {
      response->append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return status;
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

std::string OverallHealth(const std::shared_ptr<grpc::Channel>& channel) {
  std::string out;
  grpc::Status st = RawUnary(channel, "/grpc.health.v1.Health/Check", "", "", &out);
  if (!st.ok()) return absl::StrCat("error: ", st.error_code(), ": ", st.error_message());
  // HealthCheckResponse{status}: field 1 varint; 1 SERVING, 2 NOT_SERVING.
  if (out == std::string("\x08\x01", 2)) return "SERVING";
  if (out == std::string("\x08\x02", 2)) return "NOT_SERVING";
  return "unexpected response";
}

}  // namespace seimbang::testing
