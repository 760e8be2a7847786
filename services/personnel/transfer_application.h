// ApplyTransfers' use case: the moves of an approved plan, applied by transfer-planning's saga in
// batches. Each move is idempotent by its own (plan_id, move_id) key: a move seen before reports
// its stored outcome (replayed), a new one is decided (APPLIED, FAILED or STALE), applied when
// APPLIED, and its outcome stored, all in the batch's one transaction.
#ifndef SEIMBANG_SERVICES_PERSONNEL_TRANSFER_APPLICATION_H_
#define SEIMBANG_SERVICES_PERSONNEL_TRANSFER_APPLICATION_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "seimbang/personnel/v1/personnel.pb.h"
#include "services/personnel/gauges.h"
#include "services/personnel/repository.h"
#include "services/personnel/workflow_support.h"

namespace seimbang::personnel {

// At most this many moves per ApplyTransfers call.
inline constexpr int kMaxMovesPerBatch = 1000;

// The shape of a batch: its size, each move's ids (required, at most 128 characters) and
// effective date. INVALID_ARGUMENT naming every bad field.
[[nodiscard]] absl::Status ValidateTransferBatch(const pv1::ApplyTransfersRequest& req);

// The decision for one new move, from what the database holds now (nullopt: no such row):
// FAILED when the employee, the target unit or the target position does not exist or the unit is
// inactive; STALE when the employee is no longer where the plan saw them; APPLIED otherwise.
[[nodiscard]] MoveOutcomeRecord DecideMove(const pv1::TransferMove& move,
                                           const std::optional<pv1::Employee>& employee,
                                           const std::optional<pv1::Unit>& to_unit,
                                           const std::optional<pv1::Position>& to_position);

// One move inside the batch's transaction: replays a stored outcome, or decides, applies (the
// placement, its history row, a change-feed row and an audit row) and stores the outcome.
// ABORTED (retryable) when a concurrent replay of the same move committed first.
struct AppliedMove {
  pv1::MoveResult result;
  // The agency the decision counts for (gauges.h): the target unit's, else the employee's;
  // empty for a replay, which is not counted again.
  std::string agency;
};
[[nodiscard]] absl::StatusOr<AppliedMove> ApplyTransferMove(Tx& tx, const AuditContext& audit,
                                                            const pv1::TransferMove& move);

// The whole RPC: validates, then applies every move in one transaction; once it commits, each
// decided (not replayed) move counts in `gauges`.
[[nodiscard]] absl::Status ApplyTransfers(Repository& repo, PersonnelGauges& gauges,
                                          const Call& call, const pv1::ApplyTransfersRequest& req,
                                          pv1::ApplyTransfersResponse* resp);

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_TRANSFER_APPLICATION_H_
