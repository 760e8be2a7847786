// The execution saga: sends an EXECUTING plan's pending moves to personnel's
// ApplyTransfers in batches, (plan_id, move_id) as idempotency keys, and
// records each batch's outcomes in this service's database after each batch.
// A crash at any point is recovered by ResumeAll at start-up: pending moves
// are sent again and personnel replays the ones it already applied.
#ifndef SEIMBANG_SERVICES_TRANSFER_EXECUTOR_H_
#define SEIMBANG_SERVICES_TRANSFER_EXECUTOR_H_

#include <functional>
#include <map>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "services/transfer/downstream.h"
#include "services/transfer/repository.h"

namespace seimbang::transfer {

struct ExecutorOptions {
  int batch_size = 200;
  // Test-only: after this many batches of a run, stop sending (so a test can
  // kill -9 the process mid-execution). -1 = never.
  int test_pause_after_batch = -1;
  // Test-only: _exit(9) right after personnel acknowledged batch N (1-based) of
  // a run, before its outcomes are recorded here (the saga's worst crash point). -1 = never.
  int test_crash_after_apply = -1;
  absl::Duration retry_initial = absl::Milliseconds(500);
  absl::Duration retry_max = absl::Seconds(15);
};

class Executor {
 public:
  // on_applied(agency, n) counts applied moves; on_state_change refreshes gauges.
  Executor(Repository& repo, Downstream& downstream, ExecutorOptions options,
           std::function<void(const std::string&, int)> on_applied,
           std::function<void()> on_state_change);
  ~Executor();  // stops and joins every worker

  // Starts a worker for the plan unless one is running (idempotent).
  void Start(const std::string& plan_id);
  // Every plan left EXECUTING (crash recovery).
  [[nodiscard]] absl::Status ResumeAll();

 private:
  void Run(const std::string& plan_id);
  // One batch; false when nothing was pending.
  absl::StatusOr<bool> RunBatch(const std::string& plan_id, int* batches_in_this_run);
  absl::Status Finish(const std::string& plan_id);
  bool SleepUnlessStopping(absl::Duration d);

  Repository& repo_;
  Downstream& downstream_;
  const ExecutorOptions options_;
  std::function<void(const std::string&, int)> on_applied_;
  std::function<void()> on_state_change_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::map<std::string, bool> running_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::thread> threads_ ABSL_GUARDED_BY(mu_);
};

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_EXECUTOR_H_
