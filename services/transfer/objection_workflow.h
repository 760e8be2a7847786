// Objections to a plan's moves, without gRPC types: filing one inside the review window (an
// employee only to a move of their own) and resolving it, each in one idempotent transaction
// with its audit row. An accepted objection forbids its move in the next revision
// (plan_workflow).
#ifndef SEIMBANG_SERVICES_TRANSFER_OBJECTION_WORKFLOW_H_
#define SEIMBANG_SERVICES_TRANSFER_OBJECTION_WORKFLOW_H_

#include "absl/status/status.h"
#include "common/db/pool.h"
#include "seimbang/transfer/v1/transfer.pb.h"
#include "services/transfer/call.h"

namespace seimbang::transfer {

[[nodiscard]] absl::Status FileObjection(db::Pool& pool, const Call& call,
                                         const v1::FileObjectionRequest& req,
                                         v1::FileObjectionResponse* resp);
// FAILED_PRECONDITION when the objection is resolved already.
[[nodiscard]] absl::Status ResolveObjection(db::Pool& pool, const Call& call,
                                            const v1::ResolveObjectionRequest& req,
                                            v1::ResolveObjectionResponse* resp);

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_OBJECTION_WORKFLOW_H_
