#include "common/server/caller_limits.h"

#include <google/protobuf/message.h>
#include <grpcpp/support/method_handler.h>

#include <atomic>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/auth/caller.h"
#include "common/server/serve.h"

namespace seimbang::server {

absl::Status CallerLimiter::Acquire(const std::string& subject, bool service_role, bool stream) {
  const int max_calls = service_role ? limits_.service_max_calls : limits_.max_calls;
  const int max_streams = service_role ? limits_.service_max_streams : limits_.max_streams;
  absl::MutexLock lock(&mu_);
  Counts& c = by_subject_[subject];
  // A refusal implies calls already counted, so the entry just made is never left empty.
  if (max_calls > 0 && c.calls >= max_calls) {
    return absl::ResourceExhaustedError(absl::StrCat("caller ", subject, " has ", c.calls,
                                                     " calls in flight (limit ", max_calls, ")"));
  }
  if (stream && max_streams > 0 && c.streams >= max_streams) {
    return absl::ResourceExhaustedError(absl::StrCat("caller ", subject, " has ", c.streams,
                                                     " streams open (limit ", max_streams, ")"));
  }
  ++c.calls;
  if (stream) ++c.streams;
  return absl::OkStatus();
}

absl::StatusOr<bool> CallerLimiter::Admit(const auth::Caller& caller, bool stream) {
  if (caller.insecure_dev) return false;
  absl::Status acquired =
      Acquire(caller.claims.subject, caller.claims.role == auth::Role::kService, stream);
  if (!acquired.ok()) return acquired;
  return true;
}

void CallerLimiter::Release(const std::string& subject, bool stream) {
  absl::MutexLock lock(&mu_);
  auto it = by_subject_.find(subject);
  if (it == by_subject_.end()) return;
  --it->second.calls;
  if (stream) --it->second.streams;
  if (it->second.calls <= 0) by_subject_.erase(it);
}

int CallerLimiter::InFlight(const std::string& subject) const {
  absl::MutexLock lock(&mu_);
  auto it = by_subject_.find(subject);
  return it == by_subject_.end() ? 0 : it->second.calls;
}

namespace {

using grpc::internal::MethodHandler;
using grpc::internal::RpcMethod;
using grpc::internal::RpcServiceMethod;

// grpc::Service keeps its method table private (only grpc::Server reads it), and its protected
// setters delete the handler they replace. An explicit template instantiation may name a private
// member ([temp.explicit]), which hands us a pointer to it: the one place Seimbang reaches into
// gRPC 1.51's internals. A gRPC that renames the member fails to compile here, never silently.
using MethodTableType = std::vector<std::unique_ptr<RpcServiceMethod>> grpc::Service::*;
struct MethodTableTag {
  friend MethodTableType MethodTableOf(MethodTableTag);
};
template <MethodTableType member>
struct MethodTableAccess {
  friend MethodTableType MethodTableOf(MethodTableTag) { return member; }
};
template struct MethodTableAccess<&grpc::Service::methods_>;

std::vector<std::unique_ptr<RpcServiceMethod>>& MethodsOf(grpc::Service& service) {
  return service.*MethodTableOf(MethodTableTag{});
}

// Owns the generated method (and so its handler) and runs it only for admitted callers.
class LimitedHandler final : public MethodHandler {
 public:
  LimitedHandler(std::unique_ptr<RpcServiceMethod> original, std::shared_ptr<CallerLimiter> limiter)
      : original_(std::move(original)),
        stream_(original_->method_type() != RpcMethod::NORMAL_RPC),
        limiter_(std::move(limiter)) {}

  void set_limiter(std::shared_ptr<CallerLimiter> limiter) { limiter_ = std::move(limiter); }

  void* Deserialize(grpc_call* call, grpc_byte_buffer* req, grpc::Status* status,
                    void** handler_data) override {
    return original_->handler()->Deserialize(call, req, status, handler_data);
  }

  void RunHandler(const HandlerParameter& param) override {
    MethodHandler* inner = original_->handler();
    // The auth processor has already refused calls without a valid token.
    absl::StatusOr<auth::Caller> caller = auth::CallerFromContext(*param.server_context);
    if (!caller.ok() || limiter_ == nullptr) {
      inner->RunHandler(param);
      return;
    }
    absl::StatusOr<bool> admitted = limiter_->Admit(*caller, stream_);
    if (!admitted.ok()) {
      // A unary or server-streaming request was deserialized already, and the generated
      // handler that would destroy it does not run. Every method served here is protobuf.
      if (param.request != nullptr) {
        static_cast<google::protobuf::Message*>(param.request)->~Message();
      }
      grpc::internal::ErrorMethodHandler<grpc::StatusCode::RESOURCE_EXHAUSTED>(
          std::string(admitted.status().message()))
          .RunHandler(param);
      return;
    }
    if (!*admitted) {  // not limited: nothing to give back
      inner->RunHandler(param);
      return;
    }
    const std::string& subject = caller->claims.subject;
    struct Releaser {
      CallerLimiter& limiter;
      const std::string& subject;
      bool stream;
      ~Releaser() { limiter.Release(subject, stream); }
    } release{*limiter_, subject, stream_};
    inner->RunHandler(param);
  }

 private:
  const std::unique_ptr<RpcServiceMethod> original_;
  const bool stream_;
  std::shared_ptr<CallerLimiter> limiter_;
};

}  // namespace

Admitted::~Admitted() {
  if (limiter_ != nullptr) limiter_->Release(call_.caller.claims.subject, /*stream=*/false);
}

void CallbackMethods::set_caller_limiter(std::shared_ptr<CallerLimiter> limiter) {
  std::atomic_store(&limiter_, std::move(limiter));
}

absl::StatusOr<Admitted> CallbackMethods::Admit(const grpc::ServerContextBase& ctx) {
  absl::StatusOr<Call> call = CallOf(ctx);
  if (!call.ok()) return call.status();
  std::shared_ptr<CallerLimiter> limiter = std::atomic_load(&limiter_);
  if (limiter == nullptr) return Admitted(*std::move(call), nullptr);
  absl::StatusOr<bool> counted = limiter->Admit(call->caller, /*stream=*/false);
  if (!counted.ok()) return counted.status();
  return Admitted(*std::move(call), *counted ? std::move(limiter) : nullptr);
}

std::vector<std::string> SelfRecordedMethods(grpc::Service& service) {
  std::vector<std::string> names;
  if (dynamic_cast<CallbackMethods*>(&service) == nullptr) return names;
  for (const std::unique_ptr<RpcServiceMethod>& method : MethodsOf(service)) {
    if (method != nullptr && method->api_type() == RpcServiceMethod::ApiType::RAW_CALL_BACK) {
      names.emplace_back(method->name());
    }
  }
  return names;
}

void LimitCallers(grpc::Service& service, std::shared_ptr<CallerLimiter> limiter) {
  // Methods served with the callback API admit their callers themselves (serve.h).
  if (auto* callback = dynamic_cast<CallbackMethods*>(&service)) {
    callback->set_caller_limiter(limiter);
  }
  for (std::unique_ptr<RpcServiceMethod>& method : MethodsOf(service)) {
    if (method == nullptr || method->handler() == nullptr ||
        method->api_type() != RpcServiceMethod::ApiType::SYNC) {
      continue;
    }
    if (auto* limited = dynamic_cast<LimitedHandler*>(method->handler())) {
      limited->set_limiter(limiter);
      continue;
    }
    const char* name = method->name();
    const RpcMethod::RpcType type = method->method_type();
    method = std::make_unique<RpcServiceMethod>(name, type,
                                                new LimitedHandler(std::move(method), limiter));
  }
}

}  // namespace seimbang::server
