// The one shape of a handler in the three services (issue 16): decode the call, run one
// workflow, encode its status. Sync methods use Serve; methods gRPC's callback API serves
// (issue 22 item 2) use CallbackMethods::ServeBlocking / ServeInline, with the same steps.
#ifndef SEIMBANG_COMMON_SERVER_SERVE_H_
#define SEIMBANG_COMMON_SERVER_SERVE_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/errors/errors.h"
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

// The part of a service that serves unary methods with gRPC's callback API: a handler returns
// to gRPC at once, and its workflow runs inline (work that never blocks) or on a bounded pool of
// this service's own (work that waits on the database), so gRPC's threads never block and no
// thread is handed a call that does not need one. The steps are those of Serve, plus the
// per-caller admission LimitCallers gives sync methods (RESOURCE_EXHAUSTED beyond the limit,
// the workflow not run). A service derives from its generated WithCallbackMethod_* bases and
// from this; LimitCallers hands it the limiter.
class CallbackMethods {
 public:
  explicit CallbackMethods(int blocking_threads) : pool_(blocking_threads) {}
  virtual ~CallbackMethods() = default;

  void set_caller_limiter(std::shared_ptr<CallerLimiter> limiter);

 protected:
  // `workflow(const Call&)` runs on the pool; its status finishes the call. A call whose
  // deadline passed while it waited for a thread is DEADLINE_EXCEEDED without running: its
  // caller has given up, and an overloaded service should not do the work anyway.
  template <typename Fn>
  grpc::ServerUnaryReactor* ServeBlocking(grpc::CallbackServerContext* ctx, Fn workflow) {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    absl::StatusOr<Admitted> admitted = Admit(*ctx);
    if (!admitted.ok()) {
      reactor->Finish(errors::ToGrpcStatus(admitted.status()));
      return reactor;
    }
    pool_.Run([reactor, a = *std::move(admitted), workflow = std::move(workflow)]() mutable {
      const grpc::Status status =
          std::chrono::system_clock::now() >= a.call().deadline
              ? grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                             "deadline passed while the call waited for a thread")
              : errors::ToGrpcStatus(workflow(a.call()));
      { Admitted done = std::move(a); }  // the caller's place back before the answer reaches them
      reactor->Finish(status);
    });
    return reactor;
  }

  // The same on gRPC's callback thread: only for workflows that never block.
  template <typename Fn>
  grpc::ServerUnaryReactor* ServeInline(grpc::CallbackServerContext* ctx, Fn&& workflow) {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    grpc::Status status;
    {
      absl::StatusOr<Admitted> admitted = Admit(*ctx);
      status = errors::ToGrpcStatus(admitted.ok() ? std::forward<Fn>(workflow)(admitted->call())
                                                  : admitted.status());
    }  // the caller's place back before the answer reaches them
    reactor->Finish(status);
    return reactor;
  }

 private:
  // CallOf, then a place for the caller: UNAUTHENTICATED or RESOURCE_EXHAUSTED otherwise.
  absl::StatusOr<Admitted> Admit(const grpc::ServerContextBase& ctx);

  std::shared_ptr<CallerLimiter> limiter_;  // set before the server starts
  BlockingPool pool_;
};

}  // namespace seimbang::server

#endif  // SEIMBANG_COMMON_SERVER_SERVE_H_
