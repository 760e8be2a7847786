// The one shape of a handler in the three services (issue 16): decode the call, run one
// workflow, encode its status. Sync methods use Serve; methods gRPC's callback API serves
// (issue 22 item 2) use CallbackMethods::ServeBlocking / ServeInline, with the same steps.
#ifndef SEIMBANG_COMMON_SERVER_SERVE_H_
#define SEIMBANG_COMMON_SERVER_SERVE_H_

#include <google/protobuf/message_lite.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/errors/errors.h"
#include "common/metrics/metrics.h"
#include "common/server/blocking_pool.h"
#include "common/server/call.h"

namespace seimbang::server {

class CallerLimiter;

// The caller (UNAUTHENTICATED when the token does not verify), x-request-id, deadline and
// bearer token of an incoming call.
[[nodiscard]] absl::StatusOr<Call> CallOf(const grpc::ServerContextBase& ctx);

// Every sync handler: `workflow(const Call&)` returns an absl::Status, which becomes the call's
// grpc::Status (errors::ToGrpcStatus: bounded message, details kept).
template <typename Fn>
grpc::Status Serve(const grpc::ServerContextBase& ctx, Fn&& workflow) {
  absl::StatusOr<Call> call = CallOf(ctx);
  if (!call.ok()) return errors::ToGrpcStatus(call.status());
  return errors::ToGrpcStatus(std::forward<Fn>(workflow)(std::as_const(*call)));
}

// An admitted call: its Call, and its caller's place (LimitCallers), given back on destruction.
class Admitted {
 public:
  Admitted(Call call, std::shared_ptr<CallerLimiter> limiter)
      : call_(std::move(call)), limiter_(std::move(limiter)) {}
  Admitted(Admitted&&) = default;
  Admitted& operator=(Admitted&&) = delete;
  ~Admitted();
  const Call& call() const { return call_; }

 private:
  Call call_;
  std::shared_ptr<CallerLimiter> limiter_;  // null: nothing to give back
};

// One unary call of a raw callback method (below): its request parsed from the bytes gRPC hands
// over, its metrics and log line (metrics::RpcRecord), its answer serialised and sent. No
// interceptor sees these calls (issue 22 item 2: gRPC's interceptor machinery was about a fifth
// of an echo's CPU), so this does what the status guard and the metrics interceptor do for the
// other methods, with the same results: a body that does not parse is INVALID_ARGUMENT
// (UnparsableRequestMessage), every status bounded (errors::ToGrpcStatus), the same series and
// the same log line.
class UnaryExchange {
 public:
  UnaryExchange(grpc::CallbackServerContext* ctx, metrics::Metrics* metrics,
                std::string_view method, google::protobuf::MessageLite& request,
                const google::protobuf::MessageLite& response);
  UnaryExchange(const UnaryExchange&) = delete;
  UnaryExchange& operator=(const UnaryExchange&) = delete;
  virtual ~UnaryExchange();

  // The request from `in`; INVALID_ARGUMENT when it does not parse.
  [[nodiscard]] absl::Status Parse(const grpc::ByteBuffer& in);
  // Ends the call: the response into `out` when `status` is OK, the record, the reactor.
  // `role` is the admitted caller's; without it the log line takes it from the call's token.
  void Finish(const grpc::Status& status, std::optional<auth::Role> role, grpc::ByteBuffer* out);
  grpc::ServerUnaryReactor* reactor() const { return reactor_; }
  grpc::CallbackServerContext* ctx() const { return ctx_; }

 private:
  grpc::CallbackServerContext* ctx_;
  grpc::ServerUnaryReactor* reactor_;
  std::string_view method_;
  google::protobuf::MessageLite& request_;
  const google::protobuf::MessageLite& response_;
  std::unique_ptr<metrics::RpcRecord> record_;  // null without metrics (a service built alone)
};

template <typename Req, typename Resp>
struct UnaryMessages {
  Req request;
  Resp response;
};

// A unary call's exchange and its two messages, in one allocation.
template <typename Req, typename Resp>
class UnaryCall final : private UnaryMessages<Req, Resp>, public UnaryExchange {
 public:
  UnaryCall(grpc::CallbackServerContext* ctx, metrics::Metrics* metrics, std::string_view method)
      : UnaryExchange(ctx, metrics, method, this->request, this->response) {}
  using UnaryMessages<Req, Resp>::request;
  using UnaryMessages<Req, Resp>::response;
};

// The part of a service that serves unary methods with gRPC's callback API: a handler returns
// to gRPC at once, and its workflow runs inline (work that never blocks) or on a bounded pool of
// this service's own (work that waits on the database), so gRPC's threads never block and no
// thread is handed a call that does not need one. The steps are those of Serve, plus the
// per-caller admission LimitCallers gives sync methods (RESOURCE_EXHAUSTED beyond the limit,
// the workflow not run).
//
// The methods are raw ones (the generated WithRawCallbackMethod_* bases: the request arrives as
// bytes): each handler names its method ("/pkg.Service/Method", a string that outlives every
// call) and message types, and ServeBlocking / ServeInline parse
// the request, record the call and answer (UnaryExchange). RunningServer leaves the raw callback
// methods of a CallbackMethods service out of its interceptors (SelfRecordedMethods) and hands
// it the metrics; LimitCallers hands it the limiter.
class CallbackMethods {
 public:
  explicit CallbackMethods(int blocking_threads) : pool_(blocking_threads) {}
  virtual ~CallbackMethods() = default;

  void set_caller_limiter(std::shared_ptr<CallerLimiter> limiter);
  // Must outlive the server; null (the default) records nothing.
  void set_metrics(metrics::Metrics* metrics) { metrics_ = metrics; }

 protected:
  // `workflow(const Call&, const Req&, Resp*)` runs on the pool; its status finishes the call.
  // A call whose deadline passed while it waited for a thread is DEADLINE_EXCEEDED without
  // running: its caller has given up, and an overloaded service should not do the work anyway.
  template <typename Req, typename Resp, typename Fn>
  grpc::ServerUnaryReactor* ServeBlocking(grpc::CallbackServerContext* ctx, std::string_view method,
                                          const grpc::ByteBuffer* in, grpc::ByteBuffer* out,
                                          Fn workflow) {
    auto call = std::make_unique<UnaryCall<Req, Resp>>(ctx, metrics_, method);
    grpc::ServerUnaryReactor* reactor = call->reactor();
    absl::StatusOr<Admitted> admitted = Begin(*call, *in);
    if (!admitted.ok()) {
      call->Finish(errors::ToGrpcStatus(admitted.status()), std::nullopt, out);
      return reactor;
    }
    pool_.Run([call = std::move(call), a = *std::move(admitted), out,
               workflow = std::move(workflow)]() mutable {
      const grpc::Status status =
          std::chrono::system_clock::now() >= a.call().deadline
              ? grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                             "deadline passed while the call waited for a thread")
              : errors::ToGrpcStatus(workflow(a.call(), call->request, &call->response));
      const auth::Role role = a.call().caller.claims.role;
      { Admitted done = std::move(a); }  // the caller's place back before the answer reaches them
      call->Finish(status, role, out);
    });
    return reactor;
  }

  // The same on gRPC's callback thread: only for workflows that never block.
  template <typename Req, typename Resp, typename Fn>
  grpc::ServerUnaryReactor* ServeInline(grpc::CallbackServerContext* ctx, std::string_view method,
                                        const grpc::ByteBuffer* in, grpc::ByteBuffer* out,
                                        Fn&& workflow) {
    UnaryCall<Req, Resp> call(ctx, metrics_, method);
    grpc::Status status;
    std::optional<auth::Role> role;
    {
      absl::StatusOr<Admitted> admitted = Begin(call, *in);
      if (admitted.ok()) {
        role = admitted->call().caller.claims.role;
        status = errors::ToGrpcStatus(
            std::forward<Fn>(workflow)(admitted->call(), call.request, &call.response));
      } else {
        status = errors::ToGrpcStatus(admitted.status());
      }
    }  // the caller's place back before the answer reaches them
    call.Finish(status, role, out);
    return call.reactor();
  }

 private:
  // The request parsed (INVALID_ARGUMENT otherwise), then Admit.
  absl::StatusOr<Admitted> Begin(UnaryExchange& call, const grpc::ByteBuffer& in);
  // CallOf, then a place for the caller: UNAUTHENTICATED or RESOURCE_EXHAUSTED otherwise.
  absl::StatusOr<Admitted> Admit(const grpc::ServerContextBase& ctx);

  std::shared_ptr<CallerLimiter> limiter_;  // set before the server starts
  metrics::Metrics* metrics_ = nullptr;     // likewise
  BlockingPool pool_;
};

// The methods of `service` that record their own calls: the raw callback methods of a
// CallbackMethods service ("/pkg.Service/Method"); none for any other service.
[[nodiscard]] std::vector<std::string> SelfRecordedMethods(grpc::Service& service);

}  // namespace seimbang::server

#endif  // SEIMBANG_COMMON_SERVER_SERVE_H_
