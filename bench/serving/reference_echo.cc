#include "bench/serving/reference_echo.h"

#include "seimbang/testing/v1/echo.grpc.pb.h"

namespace seimbang::bench {
namespace {

namespace ev1 = ::seimbang::testing::v1;

// Answers on gRPC's own callback thread: no hand-off, no blocking.
class MinimalEcho final : public ev1::EchoService::CallbackService {
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* ctx, const ev1::EchoRequest* req,
                                 ev1::EchoResponse* resp) override {
    resp->set_text(req->text());
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

}  // namespace

absl::StatusOr<std::unique_ptr<ReferenceEchoServer>> ReferenceEchoServer::Start(bool with_health) {
  grpc::EnableDefaultHealthCheckService(with_health);
  std::unique_ptr<ReferenceEchoServer> s(new ReferenceEchoServer());
  s->service_ = std::make_unique<MinimalEcho>();
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &s->port_);
  builder.RegisterService(s->service_.get());
  s->server_ = builder.BuildAndStart();
  if (s->server_ == nullptr || s->port_ == 0) {
    return absl::UnavailableError("reference echo server: cannot listen on 127.0.0.1");
  }
  return s;
}

ReferenceEchoServer::~ReferenceEchoServer() {
  if (server_ != nullptr) {
    server_->Shutdown(std::chrono::system_clock::now());
    server_->Wait();
  }
}

}  // namespace seimbang::bench
