#include "common/server/status_guard.h"

#include <google/protobuf/descriptor.h>

#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "common/errors/errors.h"

namespace seimbang::server {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

class StatusGuardInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit StatusGuardInterceptor(ServerRpcInfo* info)
      : method_(info->method() == nullptr ? "" : info->method()),
        // The server (sync or callback) deserializes the one request of these before the
        // handler and hands the interceptors a null message when that failed; on streams from the
        // client a null message also means the end of the stream, so nothing can be told apart
        // there.
        single_request_(info->type() == ServerRpcInfo::Type::UNARY ||
                        info->type() == ServerRpcInfo::Type::SERVER_STREAMING) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* m) override {
    if (single_request_ &&
        m->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        m->GetRecvMessage() == nullptr) {
      unparsable_ = true;
    }
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = m->GetSendStatus();
      // gRPC 1.51 ends such a call INTERNAL on a sync method and UNIMPLEMENTED "" on a callback
      // one (its CallbackUnaryHandler makes no reactor for a request that did not parse).
      if (unparsable_ && (status.error_code() == grpc::StatusCode::INTERNAL ||
                          status.error_code() == grpc::StatusCode::UNIMPLEMENTED)) {
        m->ModifySendStatus(
            grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, UnparsableRequestMessage(method_)));
      } else if (status.error_message().size() > errors::kMaxMessageBytes) {
        m->ModifySendStatus(grpc::Status(
            status.error_code(), errors::Echo(status.error_message(), errors::kMaxMessageBytes),
            status.error_details()));
      }
    }
    m->Proceed();
  }

 private:
  std::string method_;
  bool single_request_;
  bool unparsable_ = false;
};

class StatusGuardFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit StatusGuardFactory(const std::vector<std::string>& self_guarded)
      : self_guarded_(self_guarded.begin(), self_guarded.end()) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    if (info->method() != nullptr && self_guarded_.contains(info->method())) return nullptr;
    return new StatusGuardInterceptor(info);
  }

 private:
  const absl::flat_hash_set<std::string> self_guarded_;
};

}  // namespace

std::string UnparsableRequestMessage(const std::string& method) {
  std::string_view m = method;
  if (!m.empty() && m.front() == '/') m.remove_prefix(1);
  std::string name(m);
  if (const size_t slash = name.rfind('/'); slash != std::string::npos) name[slash] = '.';
  std::string type = "request";
  if (const google::protobuf::MethodDescriptor* d =
          google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(name);
      d != nullptr) {
    type = d->input_type()->full_name();
  }
  return "request body is not a valid " + type +
         " (malformed bytes or invalid UTF-8 in a string field)";
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewStatusGuardInterceptorFactory(std::vector<std::string> self_guarded) {
  return std::make_unique<StatusGuardFactory>(self_guarded);
}

}  // namespace seimbang::server
