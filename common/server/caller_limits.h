#ifndef SEIMBANG_COMMON_SERVER_CALLER_LIMITS_H_
#define SEIMBANG_COMMON_SERVER_CALLER_LIMITS_H_

// Per-caller admission: how many calls, and how many of them streaming, one token subject may
// have running in this process at once (limits.h). Wraps the handlers of sync services, since a
// gRPC 1.51 server interceptor cannot fail a call before its handler runs.

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/caller.h"
#include "common/server/limits.h"

namespace seimbang::server {

class CallerLimiter {
 public:
  explicit CallerLimiter(CallerLimits limits) : limits_(limits) {}

  // OK and one more call (and stream) counted for `subject`, or RESOURCE_EXHAUSTED
  // "caller <subject> has N calls in flight (limit N)" / "... N streams open (limit N)".
  // Every OK must be matched by one Release with the same arguments.
  [[nodiscard]] absl::Status Acquire(const std::string& subject, bool service_role, bool stream);
  void Release(const std::string& subject, bool stream);

  // The admission rule every served call goes through, sync or callback: --insecure-dev (every
  // caller the one fake admin, no identity to key by) is not limited: OK(false), nothing
  // counted. Any other caller takes a place under its role's limits (Acquire): OK(true), to be
  // given back with Release(caller.claims.subject, stream), or RESOURCE_EXHAUSTED.
  [[nodiscard]] absl::StatusOr<bool> Admit(const auth::Caller& caller, bool stream);

  // Calls in flight of `subject` (tests).
  int InFlight(const std::string& subject) const;

 private:
  struct Counts {
    int calls = 0;
    int streams = 0;
  };
  const CallerLimits limits_;
  mutable absl::Mutex mu_;
  // Only callers with a call in flight: an entry goes when its last call ends.
  std::map<std::string, Counts> by_subject_ ABSL_GUARDED_BY(mu_);
};

// Makes every call to a sync method of `service` take a place of its caller (the bearer token's
// subject, as auth::CallerFromContext reads it) before the handler and give it back after.
// Beyond the limit the call ends RESOURCE_EXHAUSTED without running the handler. Health and
// reflection are not wrapped; --insecure-dev (everyone the same fake admin) is not limited.
// Call before the service is registered; calling again (a test restarting a server with the
// same service object) only swaps the limiter. A service that is also a CallbackMethods
// (serve.h) is handed the limiter, and its callback methods admit their callers the same way.
void LimitCallers(grpc::Service& service, std::shared_ptr<CallerLimiter> limiter);

}  // namespace seimbang::server

#endif  // SEIMBANG_COMMON_SERVER_CALLER_LIMITS_H_
