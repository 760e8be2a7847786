// A stored plan's lifecycle, without gRPC types: submit, approve (only while personnel's staffing
// is what the plan was computed from, and nothing in it is contested: objection_workflow.h
// CheckNothingContested), reject, cancel, and the start of its execution (the saga
// itself runs in executor). Each step is one idempotent transaction with its audit row.
#ifndef SEIMBANG_SERVICES_TRANSFER_PLAN_LIFECYCLE_H_
#define SEIMBANG_SERVICES_TRANSFER_PLAN_LIFECYCLE_H_

#include <google/protobuf/message.h>

#include <string>

#include "absl/status/statusor.h"
#include "common/db/connection.h"
#include "seimbang/transfer/v1/transfer.pb.h"
#include "services/transfer/call.h"
#include "services/transfer/downstream.h"
#include "services/transfer/executor.h"
#include "services/transfer/gauges.h"
#include "services/transfer/plan_state.h"
#include "services/transfer/repository.h"

namespace seimbang::transfer {

// What a lifecycle step names: the plan at its etag, and the note that goes with the decision
// (`note_field` is the request's name for it, "" when the step has none).
struct Decision {
  std::string plan_id;
  std::string etag;
  std::string note_field;
  std::string note;
};

class PlanLifecycle {
 public:
  PlanLifecycle(Repository& repo, Downstream& downstream, Executor& executor,
                TransferGauges& gauges);

  // SubmitPlan, ApprovePlan, RejectPlan, CancelPlan: `action` on the decision's plan at its
  // etag, its note kept as PlanSummary.decision_note (validation.h ValidateDecision); `request`
  // keys the idempotent replay.
  [[nodiscard]] absl::StatusOr<v1::PlanSummary> Transition(const Call& call,
                                                           const std::string& method,
                                                           const Decision& decision,
                                                           const google::protobuf::Message& request,
                                                           PlanAction action);
  // ExecutePlan: an APPROVED plan becomes EXECUTING and its saga starts; an EXECUTING one is
  // resumed. Not stored under request_id: a replay must show current progress, and starting or
  // resuming is idempotent by itself.
  [[nodiscard]] absl::StatusOr<v1::Execution> Execute(const Call& call,
                                                      const v1::ExecutePlanRequest& req);

 private:
  Repository& repo_;
  Downstream& downstream_;
  Executor& executor_;
  TransferGauges& gauges_;
};

// The plan's execution progress: move counts by state and the saga's record.
[[nodiscard]] absl::StatusOr<v1::Execution> ExecutionOf(db::Connection& c, const PlanRecord& plan);

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_PLAN_LIFECYCLE_H_
