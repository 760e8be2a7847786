// A bounded set of threads for the blocking work (database round trips) of the handlers served
// with gRPC's callback API (issue #22 item 2): gRPC's own callback threads must never block, so
// a handler that waits on the database hands its workflow here and returns at once.
#ifndef SEIMBANG_COMMON_SERVER_BLOCKING_POOL_H_
#define SEIMBANG_COMMON_SERVER_BLOCKING_POOL_H_

#include <deque>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace seimbang::server {

class BlockingPool {
 public:
  // At most `max_threads` (>= 1) threads, started on demand: a task queued while every
  // thread is busy starts one more until the bound, then waits its turn in order.
  explicit BlockingPool(int max_threads);
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;
  // Runs every task already queued, then joins the threads.
  ~BlockingPool();

  void Run(absl::AnyInvocable<void() &&> task);

  // Threads started so far, and of those the ones waiting for a task (tests).
  int threads() const;
  int idle_threads() const;

 private:
  void Work();
  bool HasWorkOrStops() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const int max_threads_;
  mutable absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void() &&>> queue_ ABSL_GUARDED_BY(mu_);
  int idle_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_ ABSL_GUARDED_BY(mu_);
};

}  // namespace seimbang::server

#endif  // SEIMBANG_COMMON_SERVER_BLOCKING_POOL_H_
