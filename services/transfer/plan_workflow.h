// The CreatePlan and RevisePlan use case, without gRPC types: read the policy and preferences,
// fetch the analysis run and the staff (downstream), build the planner input (plan_input), solve
// (planner/), describe and store the plan with its moves, unfilled needs and audit row
// (repository) in one idempotent transaction. Progress goes to a sink the handler streams.
#ifndef SEIMBANG_SERVICES_TRANSFER_PLAN_WORKFLOW_H_
#define SEIMBANG_SERVICES_TRANSFER_PLAN_WORKFLOW_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/idempotency/idempotency.h"
#include "seimbang/common/v1/common.pb.h"
#include "seimbang/transfer/v1/transfer.pb.h"
#include "services/transfer/call.h"
#include "services/transfer/downstream.h"
#include "services/transfer/gauges.h"
#include "services/transfer/plan_description.h"
#include "services/transfer/plan_input.h"
#include "services/transfer/repository.h"

namespace seimbang::transfer {

// What to plan: from a CreatePlan request, or from the plan a RevisePlan revises.
struct PlanSpec {
  std::string agency_code;
  std::string analysis_run_id;
  std::string policy_id;
  int64_t policy_version = 0;  // 0 = latest
  common::v1::Date effective_date;
  std::string label;
  int revision = 1;
  std::string parent_plan_id;
  int64_t parent_version = 0;
  RevisionRules revision_rules;
};

using ProgressSink = std::function<void(const common::v1::Progress&)>;

// The spec of a CreatePlan request; INVALID_ARGUMENT naming every missing or bad field.
[[nodiscard]] absl::StatusOr<PlanSpec> PlanSpecOf(const v1::CreatePlanRequest& request);

class PlanWorkflow {
 public:
  PlanWorkflow(Repository& repo, Downstream& downstream, TransferGauges& gauges);

  // CreatePlan of `spec` (PlanSpecOf of `request`, its agency already in the caller's scope).
  [[nodiscard]] absl::StatusOr<v1::PlanSummary> Create(const Call& call,
                                                       const v1::CreatePlanRequest& request,
                                                       const PlanSpec& spec,
                                                       const ProgressSink& progress);
  // RevisePlan: the parent (in the caller's scope, revisable) with its accepted objections
  // forbidden and its other moves pinned; the parent becomes CANCELLED with the new plan.
  [[nodiscard]] absl::StatusOr<v1::PlanSummary> Revise(const Call& call,
                                                       const v1::RevisePlanRequest& request,
                                                       const ProgressSink& progress);

 private:
  struct Sources;
  // CreatePlan's and RevisePlan's common end: the idempotency key of `method` and `request`,
  // ComputeAndStore, and the planner's memory handed back to the system.
  absl::StatusOr<v1::PlanSummary> PlanOnce(const Call& call, const std::string& method,
                                           const google::protobuf::Message& request,
                                           const PlanSpec& spec, const ProgressSink& progress);
  // Fetch, solve, store; a replay of `key` answers with the stored plan and solves nothing.
  absl::StatusOr<v1::PlanSummary> ComputeAndStore(const Call& call, const std::string& method,
                                                  const idempotency::Key& key, const PlanSpec& spec,
                                                  const ProgressSink& progress);
  absl::StatusOr<Sources> ReadSources(const auth::Caller& caller, const idempotency::Key& key,
                                      const PlanSpec& spec);
  absl::StatusOr<PlanningData> FetchRun(const Call& call, const PlanSpec& spec,
                                        const ProgressFn& progress);
  // Personnel's staffing now against the run's (StaffingOfRun), asked on another thread when
  // the fetch starts and awaited before the plan is stored or a later error is answered, so the
  // plan does not wait for it (issue 22 item 1).
  class StalenessCheck {
   public:
    // The call ends by the caller's `deadline` (as the fetch does).
    StalenessCheck(Downstream& downstream, std::string run_id,
                   std::chrono::system_clock::time_point deadline);
    ~StalenessCheck();  // waits for the call
    StalenessCheck(const StalenessCheck&) = delete;
    StalenessCheck& operator=(const StalenessCheck&) = delete;
    // OK when the run's staffing is current; FAILED_PRECONDITION (StaleRunError) when it
    // changed since the run, the call's error when it failed. Blocks until the call is done.
    absl::Status Wait();
    // The call's wall time since construction; 0 until Wait() returned.
    [[nodiscard]] int64_t milliseconds() const { return ms_; }

   private:
    absl::Status Verdict(const absl::StatusOr<RunStaffing>& staffing);
    std::string run_id_;
    absl::Time start_;
    int64_t ms_ = 0;
    absl::Status status_;
    std::future<absl::StatusOr<RunStaffing>> result_;
  };
  absl::Status Store(const Call& call, const std::string& method, const idempotency::Key& key,
                     const PlanSpec& spec, const PlanRecord& record, const DescribedPlan& described,
                     v1::PlanSummary* answer);
  absl::StatusOr<RevisionRules> RulesFromParent(const auth::Caller& caller,
                                                const std::string& parent_id);

  Repository& repo_;
  Downstream& downstream_;
  TransferGauges& gauges_;
};

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_PLAN_WORKFLOW_H_
