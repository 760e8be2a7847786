// The plan lifecycle: DRAFT -> SUBMITTED -> APPROVED -> EXECUTING -> EXECUTED,
// or REJECTED / CANCELLED. Every refusal names the plan, its state and the
// state the action needs (FAILED_PRECONDITION).
#ifndef SEIMBANG_SERVICES_TRANSFER_PLAN_STATE_H_
#define SEIMBANG_SERVICES_TRANSFER_PLAN_STATE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "seimbang/transfer/v1/transfer.pb.h"

namespace seimbang::transfer {

enum class PlanAction {
  kSubmit,   // DRAFT -> SUBMITTED
  kApprove,  // SUBMITTED -> APPROVED
  kReject,   // SUBMITTED -> REJECTED
  kCancel,   // DRAFT | SUBMITTED | APPROVED -> CANCELLED
  kRevise,   // DRAFT | SUBMITTED -> CANCELLED (the revision replaces it)
  kExecute,  // APPROVED | EXECUTING -> EXECUTING (starts or resumes)
  kFinish,   // EXECUTING -> EXECUTED
};

// "DRAFT", "SUBMITTED", ...
absl::string_view PlanStateName(v1::PlanState state);

// The state after `action`, or FAILED_PRECONDITION, e.g.
// "plan p123 is APPROVED; only a SUBMITTED plan can be approved".
[[nodiscard]] absl::StatusOr<v1::PlanState> NextState(absl::string_view plan_id, v1::PlanState from,
                                                      PlanAction action);

// ABORTED "plan p1 has etag 3, not 2; reload it" when a given etag is stale;
// an empty etag is INVALID_ARGUMENT "etag: is required".
[[nodiscard]] absl::Status CheckEtag(absl::string_view plan_id, absl::string_view stored,
                                     absl::string_view given);

// Objections are filed on a SUBMITTED plan within `window_days` calendar days
// of its submission; else FAILED_PRECONDITION naming why.
[[nodiscard]] absl::Status CheckObjectionWindow(absl::string_view plan_id, v1::PlanState state,
                                                int64_t submit_time_ms, int window_days,
                                                int64_t now_ms);

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_PLAN_STATE_H_
