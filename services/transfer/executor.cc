#include "services/transfer/executor.h"

#include <unistd.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/db/time_format.h"
#include "common/log/log.h"
#include "services/transfer/plan_state.h"
#include "services/transfer/repository.h"

namespace seimbang::transfer {
namespace {

v1::MoveExecutionState ToState(ppb::MoveOutcome o) {
  switch (o) {
    case ppb::MOVE_OUTCOME_APPLIED:
      return v1::MOVE_EXECUTION_STATE_APPLIED;
    case ppb::MOVE_OUTCOME_STALE:
      return v1::MOVE_EXECUTION_STATE_STALE;
    default:
      return v1::MOVE_EXECUTION_STATE_FAILED;
  }
}

}  // namespace

Executor::Executor(Repository& repo, Downstream& downstream, ExecutorOptions options,
                   std::function<void(const std::string&, int)> on_applied,
                   std::function<void()> on_state_change)
    : repo_(repo),
      downstream_(downstream),
      options_(options),
      on_applied_(std::move(on_applied)),
      on_state_change_(std::move(on_state_change)) {}

Executor::~Executor() {
  std::map<std::string, std::thread> threads;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
  for (auto& [id, t] : threads) {
    if (t.joinable()) t.join();
  }
}

void Executor::Start(const std::string& plan_id) {
  absl::MutexLock lock(&mu_);
  if (stopping_ || running_[plan_id]) return;
  running_[plan_id] = true;
  auto old = threads_.find(plan_id);
  if (old != threads_.end() && old->second.joinable()) old->second.join();  // finished worker
  threads_[plan_id] = std::thread([this, plan_id] { Run(plan_id); });
}

absl::Status Executor::ResumeAll() {
  auto conn = repo_.Connect();
  if (!conn.ok()) return conn.status();
  auto ids = Repository::PlanIdsInState(conn->get(), v1::PLAN_STATE_EXECUTING);
  if (!ids.ok()) return ids.status();
  for (const auto& id : *ids) {
    log::Info("execution_resume", {{"plan_id", id}});
    Start(id);
  }
  return absl::OkStatus();
}

bool Executor::SleepUnlessStopping(absl::Duration d) {
  absl::MutexLock lock(&mu_);
  auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; };
  mu_.AwaitWithTimeout(absl::Condition(&stopping), d);
  return !stopping_;
}

void Executor::Run(const std::string& plan_id) {
  absl::Duration backoff = options_.retry_initial;
  int batches = 0;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) break;
    }
    if (options_.test_pause_after_batch >= 0 && batches >= options_.test_pause_after_batch) {
      // Test hook: hold here until killed or stopped.
      if (!SleepUnlessStopping(absl::Seconds(1))) break;
      continue;
    }
    absl::StatusOr<bool> more = RunBatch(plan_id, &batches);
    if (more.ok() && !*more) {
      absl::Status s = Finish(plan_id);
      if (s.ok()) break;
      more = s;
    }
    if (!more.ok()) {
      log::Warn("execution_retry", {{"plan_id", plan_id}, {"error", more.status().ToString()}});
      // Record the error for GetExecution; the batch is retried as is.
      (void)repo_.Transaction([&](db::Connection& c) -> absl::Status {
        auto e = Repository::GetExecution(c, plan_id);
        if (!e.ok() || !e->has_value()) return absl::OkStatus();
        ExecutionRecord rec = **e;
        rec.last_error = std::string(more.status().message());
        return Repository::UpdateExecution(c, rec);
      });
      if (!SleepUnlessStopping(backoff)) break;
      backoff = std::min(backoff * 2, options_.retry_max);
      continue;
    }
    backoff = options_.retry_initial;
  }
  absl::MutexLock lock(&mu_);
  running_[plan_id] = false;
}

absl::StatusOr<bool> Executor::RunBatch(const std::string& plan_id, int* batches) {
  std::vector<v1::Move> pending;
  v1::PlanSummary plan;
  {
    auto conn = repo_.Connect();
    if (!conn.ok()) return conn.status();
    auto rec = Repository::GetPlan(conn->get(), plan_id);
    if (!rec.ok()) return rec.status();
    if (rec->summary.state() != v1::PLAN_STATE_EXECUTING) return false;
    plan = rec->summary;
    auto moves = Repository::PendingMoves(conn->get(), plan_id, options_.batch_size);
    if (!moves.ok()) return moves.status();
    pending = *std::move(moves);
  }
  if (pending.empty()) return false;
  std::vector<ppb::TransferMove> batch;
  for (const auto& m : pending) {
    ppb::TransferMove t;
    t.set_plan_id(plan_id);
    t.set_move_id(m.id());
    t.set_nip(m.nip());
    t.set_from_unit_id(m.from_unit_id());
    t.set_from_position_code(m.from_position_code());
    t.set_to_unit_id(m.to_unit_id());
    t.set_to_position_code(m.to_position_code());
    *t.mutable_effective_date() = plan.effective_date();
    t.set_decree_number(absl::StrCat("SK/", plan_id, "/", m.id()));
    batch.push_back(std::move(t));
  }
  auto results = downstream_.ApplyTransfers(batch);
  if (!results.ok()) return results.status();
  if (options_.test_crash_after_apply >= 0 && *batches + 1 >= options_.test_crash_after_apply) {
    log::Warn("test_crash_after_apply", {{"plan_id", plan_id}});
    _exit(9);  // Test hook: a crash between personnel's commit and ours.
  }
  std::vector<v1::MoveExecution> outcomes;
  int applied = 0;
  for (const auto& r : *results) {
    if (r.plan_id() != plan_id) continue;
    v1::MoveExecution o;
    o.set_move_id(r.move_id());
    o.set_state(ToState(r.outcome()));
    o.set_detail(r.detail());
    if (o.state() == v1::MOVE_EXECUTION_STATE_APPLIED) ++applied;
    outcomes.push_back(std::move(o));
  }
  absl::Status s = repo_.Transaction([&](db::Connection& c) -> absl::Status {
    if (absl::Status st = Repository::SetMoveOutcomes(c, plan_id, outcomes); !st.ok()) return st;
    auto e = Repository::GetExecution(c, plan_id);
    if (!e.ok()) return e.status();
    if (!e->has_value()) return absl::OkStatus();
    ExecutionRecord rec = **e;
    ++rec.batches_done;
    rec.last_error.clear();
    return Repository::UpdateExecution(c, rec);
  });
  if (!s.ok()) return s;
  ++*batches;
  if (on_applied_ && applied > 0) on_applied_(plan.agency_code(), applied);
  return true;
}

absl::Status Executor::Finish(const std::string& plan_id) {
  bool finished = false;
  absl::Status s = repo_.Transaction([&](db::Connection& c) -> absl::Status {
    auto rec = Repository::GetPlan(c, plan_id);
    if (!rec.ok()) return rec.status();
    if (rec->summary.state() != v1::PLAN_STATE_EXECUTING) return absl::OkStatus();
    auto counts = Repository::CountMoveStates(c, plan_id);
    if (!counts.ok()) return counts.status();
    if (counts->pending > 0) return absl::OkStatus();
    // Honest about the outcome: a plan with moves not applied does not call itself EXECUTED.
    const bool all_applied = counts->failed == 0 && counts->stale == 0;
    auto next = NextState(plan_id, rec->summary.state(),
                          all_applied ? PlanAction::kFinish : PlanAction::kFinishWithFailures);
    if (!next.ok()) return next.status();
    PlanRecord updated = *rec;
    updated.summary.set_state(*next);
    auto st = Repository::UpdatePlan(c, updated, rec->version);
    if (!st.ok()) return st.status();
    auto e = Repository::GetExecution(c, plan_id);
    if (!e.ok()) return e.status();
    if (e->has_value()) {
      ExecutionRecord er = **e;
      er.finish_time_ms = db::NowUnixMillis();
      if (absl::Status u = Repository::UpdateExecution(c, er); !u.ok()) return u;
    }
    finished = true;
    return absl::OkStatus();
  });
  if (s.ok() && finished) {
    log::Info("execution_finished", {{"plan_id", plan_id}});
    if (on_state_change_) on_state_change_();
  }
  return s;
}

}  // namespace seimbang::transfer
