// Repository: a plan's moves (with their explanations and execution outcomes), unfilled needs,
// objections and execution record. repository.cc has audit, policies, preferences and plans.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/errors/errors.h"
#include "common/errors/status_macros.h"
#include "common/proto_convert/row.h"
#include "common/proto_convert/stored_body.h"
#include "services/transfer/repository.h"
#include "services/transfer/repository_internal.h"

namespace seimbang::transfer {
namespace {

using repository_internal::BadCursor;
using repository_internal::DecodeBodies;
using repository_internal::MakePage;

tpb::Objection ObjectionFromRow(const db::Row& r) {
  return proto_convert::MessageFromRow<tpb::Objection>(r);
}

}  // namespace

// ---------------------------------------------------------------- moves

// Every move in one bulk step of the caller's transaction (Connection::InsertRows: LOAD DATA on
// MariaDB, multi-row INSERTs on SQLite) instead of a statement per move (issue 22 item 1).
absl::Status Repository::InsertMoves(db::Connection& c, const std::string& plan_id,
                                     const std::vector<tpb::ExplainMoveResponse>& moves) {
  static const auto* kColumns = new std::vector<std::string>{
      "plan_id",    "move_id",    "nip",        "from_unit_id", "to_unit_id",
      "job_family", "importance", "exec_state", "exec_detail",  "body"};
  std::vector<db::Params> rows;
  rows.reserve(moves.size());
  for (const auto& e : moves) {
    const auto& m = e.move();
    rows.push_back({db::Text(plan_id), db::Text(m.id()), db::Text(m.nip()),
                    db::Int(m.from_unit_id()), db::Int(m.to_unit_id()), db::Text(m.job_family()),
                    db::Real(m.importance()), db::Int(tpb::MOVE_EXECUTION_STATE_PENDING),
                    db::Text(""), db::Text(proto_convert::EncodeBody(e))});
  }
  if (rows.empty()) return absl::OkStatus();
  return c.InsertRows("moves", *kColumns, rows).status();
}

absl::StatusOr<Page<tpb::Move>> Repository::ListMoves(db::Connection& c, const std::string& plan_id,
                                                      const MoveFilter& f, int page_size,
                                                      const std::string& token,
                                                      paging::PageQuery page_query) {
  page_query.Add("plan_id", plan_id)
      .Add("unit_id", f.unit_id)
      .Add("job_family", f.job_family)
      .Add("by_importance", f.by_importance);
  SEIMBANG_ASSIGN_OR_RETURN(
      std::vector<std::string> key,
      paging::ProcessPageTokens().Decode(page_query, token, f.by_importance ? 2 : 1));
  std::string sql = "SELECT move_id, importance, body FROM moves WHERE plan_id = ?";
  db::Params params = {db::Text(plan_id)};
  if (f.unit_id != 0) {
    sql += " AND (from_unit_id = ? OR to_unit_id = ?)";
    params.push_back(db::Int(f.unit_id));
    params.push_back(db::Int(f.unit_id));
  }
  db::AndWhere(!f.job_family.empty(), "job_family = ?", db::Text(f.job_family), sql, params);
  if (!key.empty()) {
    if (f.by_importance) {
      double imp = 0;
      if (!absl::SimpleAtod(key[0], &imp)) {
        return BadCursor();
      }
      sql += " AND (importance < ? OR (importance = ? AND move_id > ?))";
      params.push_back(db::Real(imp));
      params.push_back(db::Real(imp));
      params.push_back(db::Text(key[1]));
    } else {
      sql += " AND move_id > ?";
      params.push_back(db::Text(key[0]));
    }
  }
  sql +=
      f.by_importance ? " ORDER BY importance DESC, move_id LIMIT ?" : " ORDER BY move_id LIMIT ?";
  params.push_back(db::Int(page_size + 1));
  SEIMBANG_ASSIGN_OR_RETURN(db::ResultSet rs, c.Query(sql, params));
  std::vector<tpb::Move> out;
  for (const auto& r : rs.rows) {
    SEIMBANG_ASSIGN_OR_RETURN(
        tpb::ExplainMoveResponse e,
        proto_convert::DecodeBody<tpb::ExplainMoveResponse>(r.GetString("body")));
    out.push_back(e.move());
  }
  const bool by_imp = f.by_importance;
  return MakePage(std::move(out), page_size, page_query, [by_imp](const tpb::Move& m) {
    if (by_imp) {
      // %.17g round-trips a double exactly, so the keyset comparison is exact.
      return std::vector<std::string>{absl::StrFormat("%.17g", m.importance()), m.id()};
    }
    return std::vector<std::string>{m.id()};
  });
}

absl::StatusOr<tpb::ExplainMoveResponse> Repository::GetMove(db::Connection& c,
                                                             const std::string& plan_id,
                                                             const std::string& move_id) {
  SEIMBANG_ASSIGN_OR_RETURN(std::optional<db::Row> row,
                            c.QueryOne("SELECT body FROM moves WHERE plan_id = ? AND move_id = ?",
                                       {db::Text(plan_id), db::Text(move_id)}));
  if (!row.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("move ", errors::Echo(move_id), " not found in plan ", errors::Echo(plan_id)));
  }
  return proto_convert::DecodeBody<tpb::ExplainMoveResponse>(row->GetString(0));
}

absl::StatusOr<std::vector<tpb::ExplainMoveResponse>> Repository::MovesAfter(
    db::Connection& c, const std::string& plan_id, const std::string& after_move_id, int limit) {
  SEIMBANG_ASSIGN_OR_RETURN(
      db::ResultSet rs,
      c.Query("SELECT body FROM moves WHERE plan_id = ? AND move_id > ? ORDER BY move_id LIMIT ?",
              {db::Text(plan_id), db::Text(after_move_id), db::Int(limit)}));
  SEIMBANG_ASSIGN_OR_RETURN(std::vector<tpb::ExplainMoveResponse> out,
                            DecodeBodies<tpb::ExplainMoveResponse>(rs));
  return out;
}

absl::StatusOr<std::vector<tpb::Move>> Repository::PendingMoves(db::Connection& c,
                                                                const std::string& plan_id,
                                                                int limit) {
  SEIMBANG_ASSIGN_OR_RETURN(
      db::ResultSet rs,
      c.Query(
          "SELECT body FROM moves WHERE plan_id = ? AND exec_state = ? ORDER BY move_id LIMIT ?",
          {db::Text(plan_id), db::Int(tpb::MOVE_EXECUTION_STATE_PENDING), db::Int(limit)}));
  std::vector<tpb::Move> out;
  for (const auto& r : rs.rows) {
    SEIMBANG_ASSIGN_OR_RETURN(tpb::ExplainMoveResponse e,
                              proto_convert::DecodeBody<tpb::ExplainMoveResponse>(r.GetString(0)));
    out.push_back(e.move());
  }
  return out;
}

absl::Status Repository::SetMoveOutcomes(db::Connection& c, const std::string& plan_id,
                                         const std::vector<tpb::MoveExecution>& outcomes) {
  std::vector<db::Params> batch;
  for (const auto& o : outcomes) {
    batch.push_back(
        {db::Int(o.state()), db::Text(o.detail()), db::Text(plan_id), db::Text(o.move_id())});
  }
  if (batch.empty()) return absl::OkStatus();
  return c
      .ExecuteBatch(
          "UPDATE moves SET exec_state = ?, exec_detail = ? WHERE plan_id = ? AND move_id = ?",
          batch)
      .status();
}

absl::StatusOr<MoveStateCounts> Repository::CountMoveStates(db::Connection& c,
                                                            const std::string& plan_id) {
  SEIMBANG_ASSIGN_OR_RETURN(
      db::ResultSet rs,
      c.Query("SELECT exec_state, COUNT(*) AS n FROM moves WHERE plan_id = ? GROUP BY exec_state",
              {db::Text(plan_id)}));
  MoveStateCounts counts;
  for (const auto& r : rs.rows) {
    const int n = static_cast<int>(r.GetInt(1));
    counts.total += n;
    switch (r.GetInt(0)) {
      case tpb::MOVE_EXECUTION_STATE_PENDING:
        counts.pending += n;
        break;
      case tpb::MOVE_EXECUTION_STATE_APPLIED:
        counts.applied += n;
        break;
      case tpb::MOVE_EXECUTION_STATE_STALE:
        counts.stale += n;
        break;
      case tpb::MOVE_EXECUTION_STATE_FAILED:
        counts.failed += n;
        break;
      default:
        break;
    }
  }
  return counts;
}

namespace {
// Rows of (move_id, nip, exec_state, exec_detail).
std::vector<tpb::MoveExecution> MoveExecutionsFrom(const db::ResultSet& rs) {
  std::vector<tpb::MoveExecution> out;
  for (const auto& r : rs.rows) {
    tpb::MoveExecution m;
    m.set_move_id(r.GetString(0));
    m.set_nip(r.GetString(1));
    m.set_state(static_cast<tpb::MoveExecutionState>(r.GetInt(2)));
    m.set_detail(r.GetString(3));
    out.push_back(std::move(m));
  }
  return out;
}
}  // namespace

absl::StatusOr<std::vector<tpb::MyMove>> Repository::MovesOfEmployee(db::Connection& c,
                                                                     const std::string& nip,
                                                                     int limit) {
  SEIMBANG_ASSIGN_OR_RETURN(
      db::ResultSet rs,
      c.Query("SELECT body, exec_state, exec_detail FROM moves WHERE nip = ? ORDER BY plan_id, "
              "move_id LIMIT ?",
              {db::Text(nip), db::Int(limit)}));
  std::vector<tpb::MyMove> out;
  for (const auto& r : rs.rows) {
    SEIMBANG_ASSIGN_OR_RETURN(tpb::ExplainMoveResponse e,
                              proto_convert::DecodeBody<tpb::ExplainMoveResponse>(r.GetString(0)));
    tpb::MyMove m;
    *m.mutable_move() = e.move();
    m.set_execution_state(static_cast<tpb::MoveExecutionState>(r.GetInt(1)));
    m.set_execution_detail(r.GetString(2));
    out.push_back(std::move(m));
  }
  return out;
}

absl::StatusOr<std::vector<tpb::Objection>> Repository::ObjectionsOfEmployee(db::Connection& c,
                                                                             const std::string& nip,
                                                                             int limit) {
  SEIMBANG_ASSIGN_OR_RETURN(
      db::ResultSet rs,
      c.Query("SELECT * FROM objections WHERE nip = ? ORDER BY file_time_ms DESC, id LIMIT ?",
              {db::Text(nip), db::Int(limit)}));
  std::vector<tpb::Objection> out;
  for (const auto& r : rs.rows) out.push_back(ObjectionFromRow(r));
  return out;
}

absl::StatusOr<std::vector<tpb::MoveExecution>> Repository::NotAppliedMoves(
    db::Connection& c, const std::string& plan_id, int limit) {
  SEIMBANG_ASSIGN_OR_RETURN(
      db::ResultSet rs,
      c.Query("SELECT move_id, nip, exec_state, exec_detail FROM moves WHERE plan_id = ? AND "
              "exec_state IN (?, ?) ORDER BY move_id LIMIT ?",
              {db::Text(plan_id), db::Int(tpb::MOVE_EXECUTION_STATE_FAILED),
               db::Int(tpb::MOVE_EXECUTION_STATE_STALE), db::Int(limit)}));
  return MoveExecutionsFrom(rs);
}

absl::StatusOr<Page<tpb::MoveExecution>> Repository::ListMoveExecutions(
    db::Connection& c, const std::string& plan_id, int page_size, const std::string& token,
    paging::PageQuery page_query) {
  page_query.Add("plan_id", plan_id);
  SEIMBANG_ASSIGN_OR_RETURN(std::vector<std::string> key,
                            paging::ProcessPageTokens().Decode(page_query, token, 1));
  SEIMBANG_ASSIGN_OR_RETURN(
      db::ResultSet rs,
      c.Query("SELECT move_id, nip, exec_state, exec_detail FROM moves WHERE plan_id = ? AND "
              "move_id > ? ORDER BY move_id LIMIT ?",
              {db::Text(plan_id), db::Text(key.empty() ? "" : key[0]), db::Int(page_size + 1)}));
  std::vector<tpb::MoveExecution> out = MoveExecutionsFrom(rs);
  return MakePage(std::move(out), page_size, page_query, [](const tpb::MoveExecution& m) {
    return std::vector<std::string>{m.move_id()};
  });
}

// ---------------------------------------------------------------- unfilled

absl::Status Repository::InsertUnfilled(db::Connection& c, const std::string& plan_id,
                                        const std::vector<tpb::UnfilledNeed>& needs) {
  static const auto* kColumns = new std::vector<std::string>{"plan_id", "seq", "body"};
  std::vector<db::Params> rows;
  rows.reserve(needs.size());
  for (size_t i = 0; i < needs.size(); ++i) {
    rows.push_back({db::Text(plan_id), db::Int(static_cast<int64_t>(i)),
                    db::Text(proto_convert::EncodeBody(needs[i]))});
  }
  if (rows.empty()) return absl::OkStatus();
  return c.InsertRows("unfilled_needs", *kColumns, rows).status();  // as InsertMoves
}

absl::StatusOr<std::vector<tpb::UnfilledNeed>> Repository::ListUnfilled(
    db::Connection& c, const std::string& plan_id) {
  SEIMBANG_ASSIGN_OR_RETURN(
      db::ResultSet rs, c.Query("SELECT body FROM unfilled_needs WHERE plan_id = ? ORDER BY seq",
                                {db::Text(plan_id)}));
  SEIMBANG_ASSIGN_OR_RETURN(std::vector<tpb::UnfilledNeed> out,
                            DecodeBodies<tpb::UnfilledNeed>(rs));
  return out;
}

// ---------------------------------------------------------------- objections

absl::Status Repository::InsertObjection(db::Connection& c, const ObjectionRecord& rec) {
  const auto& o = rec.objection;
  return c
      .Execute(
          "INSERT INTO objections (id, plan_id, move_id, nip, agency_code, state, reason, "
          "resolution_note, filed_by, resolved_by, file_time_ms, resolve_time_ms) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {db::Text(o.id()), db::Text(o.plan_id()), db::Text(o.move_id()), db::Text(o.nip()),
           db::Text(rec.agency_code), db::Int(o.state()), db::Text(o.reason()),
           db::Text(o.resolution_note()), db::Text(o.filed_by()), db::Text(o.resolved_by()),
           db::Int(o.file_time_ms()), db::Int(o.resolve_time_ms())})
      .status();
}

absl::StatusOr<ObjectionRecord> Repository::GetObjection(db::Connection& c, const std::string& id) {
  SEIMBANG_ASSIGN_OR_RETURN(std::optional<db::Row> row,
                            c.QueryOne("SELECT * FROM objections WHERE id = ?", {db::Text(id)}));
  if (!row.has_value())
    return absl::NotFoundError(absl::StrCat("objection ", errors::Echo(id), " not found"));
  ObjectionRecord rec;
  rec.objection = ObjectionFromRow(*row);
  rec.agency_code = row->GetString("agency_code");
  return rec;
}

absl::Status Repository::UpdateObjection(db::Connection& c, const tpb::Objection& o) {
  auto n = c.Execute(
      "UPDATE objections SET state = ?, resolution_note = ?, resolved_by = ?, "
      "resolve_time_ms = ? WHERE id = ?",
      {db::Int(o.state()), db::Text(o.resolution_note()), db::Text(o.resolved_by()),
       db::Int(o.resolve_time_ms()), db::Text(o.id())});
  if (!n.ok()) return n.status();
  if (*n == 0)
    return absl::NotFoundError(absl::StrCat("objection ", errors::Echo(o.id()), " not found"));
  return absl::OkStatus();
}

absl::StatusOr<Page<tpb::Objection>> Repository::ListObjections(
    db::Connection& c, const std::string& plan_id, tpb::ObjectionState state, int page_size,
    const std::string& token, paging::PageQuery page_query) {
  page_query.Add("plan_id", plan_id).Add("state", state);
  SEIMBANG_ASSIGN_OR_RETURN(std::vector<std::string> key,
                            paging::ProcessPageTokens().Decode(page_query, token, 1));
  std::string sql = "SELECT * FROM objections WHERE plan_id = ? AND id > ?";
  db::Params params = {db::Text(plan_id), db::Text(key.empty() ? "" : key[0])};
  db::AndWhere(state != tpb::OBJECTION_STATE_UNSPECIFIED, "state = ?", db::Int(state), sql, params);
  sql += " ORDER BY id LIMIT ?";
  params.push_back(db::Int(page_size + 1));
  SEIMBANG_ASSIGN_OR_RETURN(db::ResultSet rs, c.Query(sql, params));
  std::vector<tpb::Objection> out;
  for (const auto& r : rs.rows) out.push_back(ObjectionFromRow(r));
  return MakePage(std::move(out), page_size, page_query,
                  [](const tpb::Objection& o) { return std::vector<std::string>{o.id()}; });
}

absl::StatusOr<std::vector<std::string>> Repository::ObjectionIdsInState(
    db::Connection& c, const std::string& plan_id, tpb::ObjectionState state) {
  const char* lock = c.dialect() == db::Dialect::kMysql ? " LOCK IN SHARE MODE" : "";
  SEIMBANG_ASSIGN_OR_RETURN(
      db::ResultSet rs,
      c.Query(absl::StrCat("SELECT id FROM objections WHERE plan_id = ? AND state = ? ORDER BY id",
                           lock),
              {db::Text(plan_id), db::Int(state)}));
  std::vector<std::string> out;
  for (const auto& r : rs.rows) out.push_back(r.GetString("id"));
  return out;
}

// ---------------------------------------------------------------- executions

absl::Status Repository::InsertExecution(db::Connection& c, const ExecutionRecord& e) {
  return c
      .Execute(
          "INSERT INTO executions (plan_id, agency_code, start_time_ms, finish_time_ms, "
          "batches_done, last_error) VALUES (?, ?, ?, ?, ?, ?)",
          {db::Text(e.plan_id), db::Text(e.agency_code), db::Int(e.start_time_ms),
           db::Int(e.finish_time_ms), db::Int(e.batches_done), db::Text(e.last_error)})
      .status();
}

absl::StatusOr<std::optional<ExecutionRecord>> Repository::GetExecution(
    db::Connection& c, const std::string& plan_id) {
  SEIMBANG_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      c.QueryOne("SELECT * FROM executions WHERE plan_id = ?", {db::Text(plan_id)}));
  if (!row.has_value()) return std::optional<ExecutionRecord>();
  const db::Row& r = *row;
  ExecutionRecord e;
  e.plan_id = r.GetString("plan_id");
  e.agency_code = r.GetString("agency_code");
  e.start_time_ms = r.GetInt("start_time_ms");
  e.finish_time_ms = r.GetInt("finish_time_ms");
  e.batches_done = static_cast<int>(r.GetInt("batches_done"));
  e.last_error = r.GetString("last_error");
  return std::optional<ExecutionRecord>(std::move(e));
}

absl::Status Repository::UpdateExecution(db::Connection& c, const ExecutionRecord& e) {
  return c
      .Execute(
          "UPDATE executions SET finish_time_ms = ?, batches_done = ?, last_error = ? "
          "WHERE plan_id = ?",
          {db::Int(e.finish_time_ms), db::Int(e.batches_done), db::Text(e.last_error),
           db::Text(e.plan_id)})
      .status();
}

}  // namespace seimbang::transfer
