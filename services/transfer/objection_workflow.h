// Objections to a plan's moves, without gRPC types: filing one inside the review window (an
// employee only to a move of their own) and resolving it, each in one idempotent transaction
// with its audit row. An accepted objection forbids its move in the next revision
// (plan_workflow).
#ifndef SEIMBANG_SERVICES_TRANSFER_OBJECTION_WORKFLOW_H_
#define SEIMBANG_SERVICES_TRANSFER_OBJECTION_WORKFLOW_H_

#include <cstdint>

#include "absl/status/status.h"
#include "seimbang/transfer/v1/transfer.pb.h"
#include "services/transfer/call.h"
#include "services/transfer/repository.h"

namespace seimbang::transfer {

[[nodiscard]] absl::Status FileObjection(Repository& repo, const Call& call,
                                         const v1::FileObjectionRequest& req,
                                         v1::FileObjectionResponse* resp);
// FAILED_PRECONDITION when the objection is resolved already.
[[nodiscard]] absl::Status ResolveObjection(Repository& repo, const Call& call,
                                            const v1::ResolveObjectionRequest& req,
                                            v1::ResolveObjectionResponse* resp);

// ListMyMoves (issue 18 item 5): the calling employee's moves across plans with each plan's
// state and objection window, and the objections about them; the NIP is the token's.
[[nodiscard]] absl::Status ListMyMoves(Repository& repo, const Call& call,
                                       v1::ListMyMovesResponse* resp);

// When the plan's review window closes (Unix ms), from its stored policy (plan_state.h).
[[nodiscard]] int64_t ObjectionWindowCloses(const PlanRecord& plan, const v1::Policy& policy);

// Objections suspend what they contest (issue 18): a plan may be approved only once its review
// window has closed, with no objection OPEN and none ACCEPTED (an accepted objection's move must
// go, by a revision). Else FAILED_PRECONDITION saying what to do. Call inside the approving
// transaction after Repository::LockPlan, which FileObjection takes too, so an objection filed
// at the same moment is either seen here or refused there.
[[nodiscard]] absl::Status CheckNothingContested(db::Connection& c, const PlanRecord& plan,
                                                 int64_t now_ms);

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_OBJECTION_WORKFLOW_H_
