// The only code of transfer-planning that writes SQL (repository.cc, and repository_moves.cc for
// moves, objections and executions). The object owns the pool and hands out connections and
// transactions (db::Store); every SQL function takes the connection of the caller's transaction so
// a change, its audit row and its idempotency record (common/idempotency) commit together.
// Resources are stored as their protobuf body next to the columns that are filtered or ordered on.
#ifndef SEIMBANG_SERVICES_TRANSFER_REPOSITORY_H_
#define SEIMBANG_SERVICES_TRANSFER_REPOSITORY_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/db/connection.h"
#include "common/db/store.h"
#include "common/paging/page_token.h"
#include "seimbang/common/v1/common.pb.h"
#include "seimbang/transfer/v1/transfer.pb.h"

namespace seimbang::transfer {

namespace tpb = ::seimbang::transfer::v1;
namespace cpb = ::seimbang::common::v1;

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_page_token;  // empty on the last page
  int64_t total_size = -1;      // PageResponse.total_size: rows of every page, -1 when not counted
};

struct PlanRecord {
  tpb::PlanSummary summary;  // state and etag mirror the columns
  int64_t version = 0;
  int64_t submit_time_ms = 0;
};

struct ObjectionRecord {
  tpb::Objection objection;
  std::string agency_code;
};

struct ExecutionRecord {
  std::string plan_id;
  std::string agency_code;
  int64_t start_time_ms = 0;
  int64_t finish_time_ms = 0;
  int batches_done = 0;
  std::string last_error;
};

struct MoveStateCounts {
  int total = 0;
  int pending = 0;
  int applied = 0;
  int stale = 0;
  int failed = 0;
};

struct MoveFilter {
  int64_t unit_id = 0;     // from or to; 0 = any
  std::string job_family;  // empty = any
  bool by_importance = false;
};

class Repository : public db::Store {
 public:
  using db::Store::Store;  // Repository(db::Pool&): the pool must outlive it

  // ---- audit
  [[nodiscard]] static absl::Status InsertAudit(db::Connection& c, const cpb::AuditEvent& e);
  [[nodiscard]] static absl::StatusOr<Page<cpb::AuditEvent>> ListAudit(
      db::Connection& c, const std::string& method, int page_size, const std::string& token,
      paging::PageQuery page_query);

  // ---- policies (id, version) rows; the latest version is the largest
  [[nodiscard]] static absl::Status InsertPolicy(db::Connection& c, const tpb::Policy& p);
  // version 0 = latest. NOT_FOUND "policy X not found" / "policy X has no version N".
  [[nodiscard]] static absl::StatusOr<tpb::Policy> GetPolicy(db::Connection& c,
                                                             const std::string& id,
                                                             int64_t version);
  // Latest version of each policy of the agency (all agencies when empty), by id.
  [[nodiscard]] static absl::StatusOr<Page<tpb::Policy>> ListPolicies(db::Connection& c,
                                                                      const std::string& agency,
                                                                      int page_size,
                                                                      const std::string& token,
                                                                      paging::PageQuery page_query);

  // ---- preferences: one row per NIP, replaced on submit
  [[nodiscard]] static absl::Status UpsertPreference(db::Connection& c, const tpb::Preference& p);
  [[nodiscard]] static absl::StatusOr<Page<tpb::Preference>> ListPreferences(
      db::Connection& c, const std::string& agency, const std::string& nip, int page_size,
      const std::string& token, paging::PageQuery page_query);
  // Preferences of the agency still valid on `date` ('YYYY-MM-DD'), by NIP.
  [[nodiscard]] static absl::StatusOr<std::map<std::string, tpb::Preference>> ValidPreferences(
      db::Connection& c, const std::string& agency, const std::string& date);

  // ---- plans
  [[nodiscard]] static absl::Status InsertPlan(db::Connection& c, const PlanRecord& plan);
  [[nodiscard]] static absl::StatusOr<PlanRecord> GetPlan(db::Connection& c, const std::string& id);
  // GetPlan that also locks the plan's row until the transaction ends (MySQL/MariaDB: FOR
  // UPDATE; SQLite transactions already hold the write lock). Steps that must not interleave
  // with one another on one plan (filing an objection, approving) start with it.
  [[nodiscard]] static absl::StatusOr<PlanRecord> LockPlan(db::Connection& c,
                                                           const std::string& id);
  // Writes `plan` (version = expected + 1) only if the stored version is still
  // `expected_version`; else ABORTED "plan X was changed by someone else; reload it".
  [[nodiscard]] static absl::StatusOr<PlanRecord> UpdatePlan(db::Connection& c, PlanRecord plan,
                                                             int64_t expected_version);
  // Newest first.
  [[nodiscard]] static absl::StatusOr<Page<tpb::PlanSummary>> ListPlans(
      db::Connection& c, const std::string& agency, tpb::PlanState state, int page_size,
      const std::string& token, paging::PageQuery page_query);
  [[nodiscard]] static absl::StatusOr<std::vector<std::string>> PlanIdsInState(
      db::Connection& c, tpb::PlanState state);
  // (agency, state) -> count, for the plans gauge.
  [[nodiscard]] static absl::StatusOr<std::map<std::pair<std::string, int>, int64_t>> CountPlans(
      db::Connection& c);

  // ---- moves (with their stored explanation) and per-move execution outcome
  [[nodiscard]] static absl::Status InsertMoves(db::Connection& c, const std::string& plan_id,
                                                const std::vector<tpb::ExplainMoveResponse>& m);
  [[nodiscard]] static absl::StatusOr<Page<tpb::Move>> ListMoves(
      db::Connection& c, const std::string& plan_id, const MoveFilter& filter, int page_size,
      const std::string& token, paging::PageQuery page_query);
  [[nodiscard]] static absl::StatusOr<tpb::ExplainMoveResponse> GetMove(db::Connection& c,
                                                                        const std::string& plan_id,
                                                                        const std::string& move_id);
  // Moves after `after_move_id` by id (for streams that page through a plan).
  [[nodiscard]] static absl::StatusOr<std::vector<tpb::ExplainMoveResponse>> MovesAfter(
      db::Connection& c, const std::string& plan_id, const std::string& after_move_id, int limit);
  [[nodiscard]] static absl::StatusOr<std::vector<tpb::Move>> PendingMoves(
      db::Connection& c, const std::string& plan_id, int limit);
  [[nodiscard]] static absl::Status SetMoveOutcomes(db::Connection& c, const std::string& plan_id,
                                                    const std::vector<tpb::MoveExecution>& o);
  [[nodiscard]] static absl::StatusOr<MoveStateCounts> CountMoveStates(db::Connection& c,
                                                                       const std::string& plan_id);
  // An employee's moves in every plan (move, execution state and detail; the plan's fields are
  // the caller's to fill), at most `limit`, and the objections about their moves, newest first.
  [[nodiscard]] static absl::StatusOr<std::vector<tpb::MyMove>> MovesOfEmployee(
      db::Connection& c, const std::string& nip, int limit);
  [[nodiscard]] static absl::StatusOr<std::vector<tpb::Objection>> ObjectionsOfEmployee(
      db::Connection& c, const std::string& nip, int limit);
  // The first `limit` moves (by id) the saga did not apply: FAILED or STALE, with the reason.
  [[nodiscard]] static absl::StatusOr<std::vector<tpb::MoveExecution>> NotAppliedMoves(
      db::Connection& c, const std::string& plan_id, int limit);
  [[nodiscard]] static absl::StatusOr<Page<tpb::MoveExecution>> ListMoveExecutions(
      db::Connection& c, const std::string& plan_id, int page_size, const std::string& token,
      paging::PageQuery page_query);

  // ---- unfilled needs
  [[nodiscard]] static absl::Status InsertUnfilled(db::Connection& c, const std::string& plan_id,
                                                   const std::vector<tpb::UnfilledNeed>& u);
  [[nodiscard]] static absl::StatusOr<std::vector<tpb::UnfilledNeed>> ListUnfilled(
      db::Connection& c, const std::string& plan_id);

  // ---- objections
  [[nodiscard]] static absl::Status InsertObjection(db::Connection& c, const ObjectionRecord& o);
  [[nodiscard]] static absl::StatusOr<ObjectionRecord> GetObjection(db::Connection& c,
                                                                    const std::string& id);
  [[nodiscard]] static absl::Status UpdateObjection(db::Connection& c, const tpb::Objection& o);
  [[nodiscard]] static absl::StatusOr<Page<tpb::Objection>> ListObjections(
      db::Connection& c, const std::string& plan_id, tpb::ObjectionState state, int page_size,
      const std::string& token, paging::PageQuery page_query);
  // Ids of the plan's objections in `state`, oldest id first, read as committed now (a locking
  // read on MySQL/MariaDB, not the transaction's snapshot).
  [[nodiscard]] static absl::StatusOr<std::vector<std::string>> ObjectionIdsInState(
      db::Connection& c, const std::string& plan_id, tpb::ObjectionState state);

  // ---- executions (saga state)
  [[nodiscard]] static absl::Status InsertExecution(db::Connection& c, const ExecutionRecord& e);
  [[nodiscard]] static absl::StatusOr<std::optional<ExecutionRecord>> GetExecution(
      db::Connection& c, const std::string& plan_id);
  [[nodiscard]] static absl::Status UpdateExecution(db::Connection& c, const ExecutionRecord& e);
};

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_REPOSITORY_H_
