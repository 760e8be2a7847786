// Staffing projections (issue 21): stored once, read back by id or page. Part of the repository
// (repository.h), in its own file as runs are in repository_runs.cc. The stored shape is the
// contract's: the summary and the totals as base64 of their messages, one row per position.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/errors/status_macros.h"
#include "common/proto_convert/stored_body.h"
#include "services/workload/repository.h"

namespace seimbang::workload {

absl::Status Repository::InsertProjection(db::Connection& conn, const pb::Projection& p) {
  const pb::ProjectionSummary& s = p.summary();
  pb::Projection totals = p;
  totals.clear_summary();
  totals.clear_positions();
  absl::StatusOr<int64_t> pk = InsertReturningId(
      conn,
      "INSERT INTO projections (projection_id, agency_code, run_id, plan_id, create_time_ms, "
      "summary, totals) VALUES (?,?,?,?,?,?,?)",
      {db::Text(s.projection_id()), db::Text(s.agency_code()), db::Text(s.run_id()),
       db::Text(s.plan_id()), db::Int(s.create_time_ms()), db::Text(proto_convert::EncodeBody(s)),
       db::Text(proto_convert::EncodeBody(totals))});
  if (!pk.ok()) return pk.status();
  std::vector<db::Params> rows;
  rows.reserve(p.positions_size());
  for (const pb::PositionProjection& pos : p.positions()) {
    rows.push_back({db::Int(*pk), db::Int(pos.unit_id()), db::Text(pos.position_code()),
                    db::Text(proto_convert::EncodeBody(pos))});
  }
  static const std::vector<std::string> kColumns = {"projection_pk", "unit_id", "position_code",
                                                    "body"};
  return conn.InsertRows("projection_positions", kColumns, rows).status();
}

absl::StatusOr<std::optional<pb::Projection>> Repository::FindProjection(
    db::Connection& conn, const std::string& projection_id) {
  SEIMBANG_ASSIGN_OR_RETURN(
      auto row, conn.QueryOne("SELECT id, summary, totals FROM projections WHERE projection_id = ?",
                              {db::Text(projection_id)}));
  if (!row.has_value()) return std::optional<pb::Projection>();
  pb::Projection p;
  SEIMBANG_RETURN_IF_ERROR(proto_convert::DecodeBodyInto(row->GetString(2), p));
  SEIMBANG_RETURN_IF_ERROR(proto_convert::DecodeBodyInto(row->GetString(1), *p.mutable_summary()));
  SEIMBANG_ASSIGN_OR_RETURN(
      auto rs, conn.Query("SELECT body FROM projection_positions WHERE projection_pk = ? "
                          "ORDER BY unit_id, position_code",
                          {db::Int(row->GetInt(0))}));
  p.mutable_positions()->Reserve(static_cast<int>(rs.rows.size()));
  for (const db::Row& r : rs.rows)
    SEIMBANG_RETURN_IF_ERROR(proto_convert::DecodeBodyInto(r.GetString(0), *p.add_positions()));
  return std::optional<pb::Projection>(std::move(p));
}

absl::StatusOr<std::vector<StoredProjection>> Repository::ListProjections(
    db::Connection& conn, const std::string& agency_code, int64_t before_pk, int limit) {
  SEIMBANG_ASSIGN_OR_RETURN(auto rs,
                            QueryNewestFirst(conn, "projections", agency_code, before_pk, limit));
  std::vector<StoredProjection> out;
  out.reserve(rs.rows.size());
  for (const db::Row& row : rs.rows) {
    StoredProjection p;
    p.pk = row.GetInt(0);
    SEIMBANG_RETURN_IF_ERROR(proto_convert::DecodeBodyInto(row.GetString(1), p.summary));
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace seimbang::workload
