#include "services/personnel/transfer_application.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/auth/audit.h"
#include "common/db/connection.h"
#include "common/domain/date.h"
#include "common/domain/nip.h"
#include "common/errors/status_macros.h"
#include "common/proto_convert/date.h"
#include "services/personnel/validation.h"

namespace seimbang::personnel {
namespace {

// The caller's x-request-id joins the row to its logs; without one the move's own key
// (plan/move) stands in. The resource names the move either way.
absl::Status AuditMove(Tx& tx, const AuditContext& audit, const pv1::TransferMove& m,
                       const pv1::Employee& e, const std::string& to_agency) {
  AuditContext a = audit;
  const std::string move_key = absl::StrCat(m.plan_id(), "/", m.move_id());
  if (a.request_id.empty()) a.request_id = move_key.substr(0, auth::kMaxAuditField);
  const std::string resource =
      absl::StrCat(domain::MaskNip(e.nip()), " move ", move_key).substr(0, auth::kMaxAuditField);
  return tx.WriteAudit(a, resource, to_agency);
}

// The placement, its history row, the change-feed row and the audit row of an APPLIED move.
absl::Status ApplyDecidedMove(Tx& tx, const AuditContext& audit, const pv1::TransferMove& m,
                              const pv1::Employee& e, const std::string& to_agency) {
  SEIMBANG_RETURN_IF_ERROR(tx.ApplyMove(e, m, to_agency));
  SEIMBANG_RETURN_IF_ERROR(
      tx.WriteChange(pv1::CHANGE_KIND_EMPLOYEE_TRANSFERRED, to_agency, e.nip(), m.plan_id()));
  return AuditMove(tx, audit, m, e, to_agency);
}

}  // namespace

absl::Status ValidateTransferBatch(const pv1::ApplyTransfersRequest& req) {
  Violations v;
  if (req.moves_size() > kMaxMovesPerBatch) {
    v.push_back({"moves", absl::StrCat("at most 1000 moves per batch, got ", req.moves_size())});
  }
  for (int i = 0; i < req.moves_size(); ++i) {
    const auto& m = req.moves(i);
    std::string p = absl::StrCat("moves[", i, "].");
    if (m.plan_id().empty()) v.push_back({p + "plan_id", "is required"});
    if (m.move_id().empty()) v.push_back({p + "move_id", "is required"});
    if (m.plan_id().size() > 128 || m.move_id().size() > 128) {
      v.push_back({p + "move_id", "plan_id and move_id are at most 128 characters"});
    }
    if (m.has_effective_date()) {
      if (auto err = CheckDate(m.effective_date()); !err.empty()) {
        v.push_back({p + "effective_date", err});
      }
    }
  }
  if (!v.empty()) return Invalid(v);
  return absl::OkStatus();
}

MoveOutcomeRecord DecideMove(const pv1::TransferMove& m, const std::optional<pv1::Employee>& e,
                             const std::optional<pv1::Unit>& unit,
                             const std::optional<pv1::Position>& pos) {
  if (!e) return {pv1::MOVE_OUTCOME_FAILED, "unknown NIP"};
  if (e->employment_status() != pv1::EMPLOYMENT_STATUS_ACTIVE &&
      e->employment_status() != pv1::EMPLOYMENT_STATUS_UNSPECIFIED &&
      (!m.has_effective_date() ||
       proto_convert::ToDomain(e->status_since()) <= proto_convert::ToDomain(m.effective_date()))) {
    return {pv1::MOVE_OUTCOME_FAILED,
            absl::StrCat("employee is no longer active: ",
                         pv1::EmploymentStatus_Name(e->employment_status()), " since ",
                         domain::FormatDate(proto_convert::ToDomain(e->status_since())))};
  }
  if (!unit) {
    return {pv1::MOVE_OUTCOME_FAILED, absl::StrCat("unknown target unit ", m.to_unit_id())};
  }
  if (!unit->active()) {
    return {pv1::MOVE_OUTCOME_FAILED, absl::StrCat("target unit ", m.to_unit_id(), " is inactive")};
  }
  if (!pos) {
    return {pv1::MOVE_OUTCOME_FAILED,
            absl::StrCat("unknown target position ", m.to_position_code())};
  }
  if (e->unit_id() != m.from_unit_id() || e->position_code() != m.from_position_code()) {
    return {pv1::MOVE_OUTCOME_STALE,
            absl::StrCat("employee is at unit ", e->unit_id(), " position ", e->position_code(),
                         ", not unit ", m.from_unit_id(), " position ", m.from_position_code())};
  }
  return {pv1::MOVE_OUTCOME_APPLIED, ""};
}

absl::StatusOr<AppliedMove> ApplyTransferMove(Tx& tx, const AuditContext& audit,
                                              const pv1::TransferMove& m) {
  AppliedMove applied;
  pv1::MoveResult& res = applied.result;
  res.set_plan_id(m.plan_id());
  res.set_move_id(m.move_id());
  SEIMBANG_ASSIGN_OR_RETURN(auto prior, tx.GetMoveOutcome(m.plan_id(), m.move_id()));
  if (prior) {
    res.set_outcome(static_cast<pv1::MoveOutcome>(prior->outcome));
    res.set_detail(prior->detail);
    res.set_replayed(true);
    return applied;
  }
  SEIMBANG_ASSIGN_OR_RETURN(auto e, tx.GetEmployee(m.nip(), /*for_update=*/true));
  SEIMBANG_ASSIGN_OR_RETURN(auto unit, tx.GetUnit(m.to_unit_id()));
  SEIMBANG_ASSIGN_OR_RETURN(auto pos, tx.GetPosition(m.to_position_code()));
  const MoveOutcomeRecord outcome = DecideMove(m, e, unit, pos);
  applied.agency = unit ? unit->agency_code() : e ? e->agency_code() : "";
  if (outcome.outcome == pv1::MOVE_OUTCOME_APPLIED) {
    SEIMBANG_RETURN_IF_ERROR(ApplyDecidedMove(tx, audit, m, *e, unit->agency_code()));
  }
  if (auto st = tx.RecordMoveOutcome(m.plan_id(), m.move_id(), outcome); !st.ok()) {
    // A concurrent replay of the same move committed first: run the batch again, and this time
    // it reads that outcome and reports a replay.
    if (absl::IsAlreadyExists(st)) {
      return db::RetryableAbortedError(
          absl::StrCat("move ", m.plan_id(), "/", m.move_id(), " was applied concurrently"));
    }
    return st;
  }
  res.set_outcome(static_cast<pv1::MoveOutcome>(outcome.outcome));
  res.set_detail(outcome.detail);
  return applied;
}

absl::Status ApplyTransfers(Repository& repo, PersonnelGauges& gauges, const Call& call,
                            const pv1::ApplyTransfersRequest& req,
                            pv1::ApplyTransfersResponse* resp) {
  SEIMBANG_RETURN_IF_ERROR(ValidateTransferBatch(req));
  const AuditContext audit = Audit(call, "ApplyTransfers", "");
  // The agency of each move decided by this call (not replayed), for the outcome counter. A
  // retried transaction starts the list again, so only the attempt that commits is counted.
  std::vector<std::string> agencies;
  std::function<absl::StatusOr<pv1::ApplyTransfersResponse>(Tx&)> fn =
      [&](Tx& tx) -> absl::StatusOr<pv1::ApplyTransfersResponse> {
    agencies.assign(req.moves_size(), "");
    pv1::ApplyTransfersResponse r;
    for (int i = 0; i < req.moves_size(); ++i) {
      SEIMBANG_ASSIGN_OR_RETURN(AppliedMove applied, ApplyTransferMove(tx, audit, req.moves(i)));
      *r.add_results() = std::move(applied.result);
      agencies[i] = std::move(applied.agency);
    }
    return r;
  };
  // No request_id: each move is idempotent by its own (plan_id, move_id) key.
  SEIMBANG_RETURN_IF_ERROR(WriteAndParse(repo, idempotency::Key{}, fn, resp));
  for (int i = 0; i < resp->results_size() && i < static_cast<int>(agencies.size()); ++i) {
    if (!resp->results(i).replayed()) gauges.AddOutcome(agencies[i], resp->results(i).outcome());
  }
  return absl::OkStatus();
}

}  // namespace seimbang::personnel
