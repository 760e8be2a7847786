#include "common/server/serve.h"

#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/support/proto_buffer_reader.h>
#include <grpcpp/support/proto_buffer_writer.h>

#include <string>

#include "common/auth/caller.h"
#include "common/server/channel.h"
#include "common/server/status_guard.h"

namespace seimbang::server {

UnaryExchange::UnaryExchange(grpc::CallbackServerContext* ctx, metrics::Metrics* metrics,
                             std::string_view method, google::protobuf::MessageLite& request,
                             const google::protobuf::MessageLite& response)
    : ctx_(ctx),
      reactor_(ctx->DefaultReactor()),
      method_(method),
      request_(request),
      response_(response) {
  if (metrics != nullptr) {
    record_ = std::make_unique<metrics::RpcRecord>(*metrics, method, "unary");
    record_->Started(IncomingRequestId(*ctx));
  }
}

UnaryExchange::~UnaryExchange() = default;

absl::Status UnaryExchange::Parse(const grpc::ByteBuffer& in) {
  grpc::ByteBuffer bytes(in);  // the slices shared, not copied
  grpc::ProtoBufferReader reader(&bytes);
  if (!reader.status().ok() || !request_.ParseFromZeroCopyStream(&reader)) {
    return absl::InvalidArgumentError(UnparsableRequestMessage(std::string(method_)));
  }
  if (record_ != nullptr) record_->Received();
  return absl::OkStatus();
}

void UnaryExchange::Finish(const grpc::Status& status, std::optional<auth::Role> role,
                           grpc::ByteBuffer* out) {
  grpc::Status final_status = status;
  if (status.ok()) {
    bool own_buffer = false;
    final_status = grpc::SerializationTraits<google::protobuf::MessageLite>::Serialize(
        response_, out, &own_buffer);
  }
  if (record_ != nullptr) {
    if (final_status.ok()) record_->Sent();
    record_->Finish(final_status.error_code(),
                    role.has_value() ? auth::RoleName(*role) : auth::CallerRoleName(*ctx_));
  }
  reactor_->Finish(final_status);
}

absl::StatusOr<Admitted> CallbackMethods::Begin(UnaryExchange& call, const grpc::ByteBuffer& in) {
  if (absl::Status parsed = call.Parse(in); !parsed.ok()) return parsed;
  return Admit(*call.ctx());
}

}  // namespace seimbang::server
