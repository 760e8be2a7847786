#include "tests/integration/server/echo_service.h"

#include "common/auth/caller.h"
#include "common/server/strict_read.h"

SEIMBANG_STRICT_READS(::seimbang::testing::v1::EchoRequest);

namespace seimbang::testing {
namespace {

std::string Role(grpc::ServerContext* ctx) {
  absl::StatusOr<auth::Caller> c = auth::CallerFromContext(*ctx);
  return c.ok() ? std::string(auth::RoleName(c->claims.role)) : "";
}

constexpr std::string_view kEchoMethod = "/seimbang.testing.v1.EchoService/Echo";

}  // namespace

grpc::ServerUnaryReactor* EchoService::Echo(grpc::CallbackServerContext* ctx,
                                            const grpc::ByteBuffer* in, grpc::ByteBuffer* out) {
  return ServeInline<v1::EchoRequest, v1::EchoResponse>(
      ctx, kEchoMethod, in, out,
      [&](const server::Call& call, const v1::EchoRequest& req, v1::EchoResponse* resp) {
        ++handled;
        if (req.fail_with_code() > 0 && req.fail_with_code() <= 16) {
          return absl::Status(static_cast<absl::StatusCode>(req.fail_with_code()), "asked to fail");
        }
        resp->set_text(req.text());
        resp->set_caller_role(std::string(auth::RoleName(call.caller.claims.role)));
        return absl::OkStatus();
      });
}

grpc::Status EchoService::Expand(grpc::ServerContext* ctx, const v1::ExpandRequest* req,
                                 grpc::ServerWriter<v1::EchoResponse>* writer) {
  ++handled;
  if (req->repeat() < 0 || req->repeat() > 1000) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "repeat must be 0..1000");
  }
  v1::EchoResponse r;
  r.set_text(req->text());
  r.set_caller_role(Role(ctx));
  for (int i = 0; i < req->repeat(); ++i) writer->Write(r);
  return grpc::Status::OK;
}

grpc::Status EchoService::Collect(grpc::ServerContext* ctx,
                                  grpc::ServerReader<v1::EchoRequest>* reader,
                                  v1::EchoResponse* resp) {
  ++handled;
  v1::EchoRequest req;
  std::string all;
  // Read like the imports do (common/server/strict_read.h): a message that
  // does not parse is the caller's error, not the end of the stream.
  for (;;) {
    const server::StreamRead r = server::ReadStrict(reader, ctx, &req);
    if (r == server::StreamRead::kEnd) break;
    if (r == server::StreamRead::kCancelled) return grpc::Status::CANCELLED;
    if (r == server::StreamRead::kMalformed) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "a streamed message is not a valid seimbang.testing.v1.EchoRequest");
    }
    all += req.text();
  }
  resp->set_text(all);
  resp->set_caller_role(Role(ctx));
  return grpc::Status::OK;
}

grpc::Status EchoService::Chat(
    grpc::ServerContext* ctx, grpc::ServerReaderWriter<v1::EchoResponse, v1::EchoRequest>* stream) {
  ++handled;
  v1::EchoRequest req;
  while (stream->Read(&req)) {
    v1::EchoResponse r;
    r.set_text(req.text());
    r.set_caller_role(Role(ctx));
    stream->Write(r);
  }
  return grpc::Status::OK;
}

auth::PermissionTable EchoPermissions() {
  using auth::Role;
  const std::string p = "/seimbang.testing.v1.EchoService/";
  return auth::PermissionTable({{p + "Echo",
                                 {Role::kAdmin, Role::kOperator, Role::kApprover, Role::kViewer,
                                  Role::kEmployee, Role::kService}},
                                {p + "Expand", {Role::kAdmin, Role::kViewer}},
                                {p + "Collect", {Role::kAdmin}},
                                {p + "Chat", {Role::kAdmin}}});
}

server::ServerConfig LocalEchoConfig() {
  server::ServerConfig c;
  c.service = "echo";
  c.listen = "127.0.0.1:0";
  c.metrics_listen = "127.0.0.1:0";
  return c;
}

absl::StatusOr<std::unique_ptr<server::RunningServer>> StartEchoServer(
    const server::ServerConfig& config, EchoService* echo, server::ServerHooks hooks) {
  hooks.permissions = EchoPermissions();
  return server::RunningServer::Start(config, {echo}, std::move(hooks));
}

}  // namespace seimbang::testing
