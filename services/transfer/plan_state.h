// The plan lifecycle: DRAFT -> SUBMITTED -> APPROVED -> EXECUTING -> EXECUTED,
// or REJECTED / CANCELLED. Every refusal names the plan, its state and the
// state the action needs (FAILED_PRECONDITION).
#ifndef SEIMBANG_SERVICES_TRANSFER_PLAN_STATE_H_
#define SEIMBANG_SERVICES_TRANSFER_PLAN_STATE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/domain/date.h"
#include "seimbang/transfer/v1/transfer.pb.h"

namespace seimbang::transfer {

enum class PlanAction {
  kSubmit,              // DRAFT -> SUBMITTED
  kApprove,             // SUBMITTED -> APPROVED
  kReject,              // SUBMITTED -> REJECTED
  kCancel,              // DRAFT | SUBMITTED | APPROVED -> CANCELLED
  kRevise,              // DRAFT | SUBMITTED -> CANCELLED (the revision replaces it)
  kExecute,             // APPROVED | EXECUTING -> EXECUTING (starts or resumes)
  kFinish,              // EXECUTING -> EXECUTED (every move applied)
  kFinishWithFailures,  // EXECUTING -> EXECUTED_WITH_FAILURES (some moves failed or stale)
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

// The review window (HardRules.objection_window_days, issue 18): the employees concerned may
// object from submission until 24:00 WITA (UTC+8) of the `working_days`-th working day after the
// day of submission (Monday to Friday, not one of `holidays`); 0 working days closes it at
// submission. Returns when it closes (Unix ms).
[[nodiscard]] int64_t ObjectionWindowCloseMs(int64_t submit_time_ms, int working_days,
                                             const std::vector<domain::Date>& holidays);
// "2026-12-16 24:00 WITA": a close time as the people concerned read it.
[[nodiscard]] std::string WitaTime(int64_t ms);

// Objections are filed on a SUBMITTED plan before its window closes (`closes_ms`); else
// FAILED_PRECONDITION naming why.
[[nodiscard]] absl::Status CheckObjectionWindow(absl::string_view plan_id, v1::PlanState state,
                                                int64_t closes_ms, int64_t now_ms);

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_PLAN_STATE_H_
