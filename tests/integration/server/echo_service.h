#ifndef SEIMBANG_TESTS_INTEGRATION_SERVER_ECHO_SERVICE_H_
#define SEIMBANG_TESTS_INTEGRATION_SERVER_ECHO_SERVICE_H_

#include <atomic>
#include <memory>

#include "absl/status/statusor.h"
#include "common/auth/permissions.h"
#include "common/server/serve.h"
#include "common/server/server.h"
#include "seimbang/testing/v1/echo.grpc.pb.h"

namespace seimbang::testing {

// The test service: echoes, and reports the caller the server saw. Echo is served with the
// callback API the services' unary reads use (common/server/serve.h), inline since it never
// blocks; the streams are sync.
class EchoService final
    : public v1::EchoService::WithRawCallbackMethod_Echo<v1::EchoService::Service>,
      public server::CallbackMethods {
 public:
  EchoService() : server::CallbackMethods(1) {}
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* in,
                                 grpc::ByteBuffer* out) override;
  grpc::Status Expand(grpc::ServerContext* ctx, const v1::ExpandRequest* req,
                      grpc::ServerWriter<v1::EchoResponse>* writer) override;
  grpc::Status Collect(grpc::ServerContext* ctx, grpc::ServerReader<v1::EchoRequest>* reader,
                       v1::EchoResponse* resp) override;
  grpc::Status Chat(grpc::ServerContext* ctx,
                    grpc::ServerReaderWriter<v1::EchoResponse, v1::EchoRequest>* stream) override;

  // How many handlers ran: proves denied calls never reach one.
  std::atomic<int> handled{0};
};

// Echo for everyone, Expand for admin and viewer, the rest admin only.
auth::PermissionTable EchoPermissions();

// An echo server's config: service "echo", gRPC and metrics on 127.0.0.1 at ports the OS picks.
server::ServerConfig LocalEchoConfig();

// Starts `echo` under `config` with EchoPermissions() (and `hooks`' other members).
absl::StatusOr<std::unique_ptr<server::RunningServer>> StartEchoServer(
    const server::ServerConfig& config, EchoService* echo, server::ServerHooks hooks = {});

}  // namespace seimbang::testing

#endif  // SEIMBANG_TESTS_INTEGRATION_SERVER_ECHO_SERVICE_H_
