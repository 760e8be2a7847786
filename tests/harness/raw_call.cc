#include "tests/harness/raw_call.h"

#include <grpcpp/generic/generic_stub.h>

#include <chrono>
#include <vector>

#include "absl/strings/str_cat.h"

namespace seimbang::testing {

grpc::Status RawUnary(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                      const std::string& request, const std::string& token, std::string* response,
                      int64_t deadline_ms) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(deadline_ms));
  if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
  grpc::Slice slice(request);
  grpc::ByteBuffer req(&slice, 1);
  grpc::ByteBuffer resp;
  grpc::Status status;
  grpc::CompletionQueue cq;
  auto call = stub.PrepareUnaryCall(&ctx, method, req, &cq);
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

std::string HealthStatus(const std::shared_ptr<grpc::Channel>& channel, int64_t deadline_ms) {
  std::string out;
  grpc::Status st = RawUnary(channel, "/grpc.health.v1.Health/Check", "", "", &out, deadline_ms);
  if (!st.ok()) return absl::StrCat("error: ", st.error_code(), ": ", st.error_message());
  // HealthCheckResponse{status}: field 1 varint; 1 SERVING, 2 NOT_SERVING.
  if (out == std::string("\x08\x01", 2)) return "SERVING";
  if (out == std::string("\x08\x02", 2)) return "NOT_SERVING";
  return "unexpected response";
}

}  // namespace seimbang::testing
