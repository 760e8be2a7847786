// Analysis runs: stored once, read back by id, page or filter. Part of the repository
// (repository.h), in its own file because runs are their own concern.
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/domain/date.h"
#include "common/errors/status_macros.h"
#include "common/proto_convert/date.h"
#include "common/proto_convert/row.h"
#include "common/proto_convert/stored_body.h"
#include "services/workload/repository.h"

namespace seimbang::workload {

absl::StatusOr<std::vector<pb::AnalysisSummary>> Repository::LatestRunPerAgency() {
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, Connect());
  int64_t before = 0;
  std::vector<pb::AnalysisSummary> latest;
  std::set<std::string> seen;
  while (true) {
    absl::StatusOr<std::vector<StoredRun>> runs = ListRuns(conn.get(), "", before, 1000);
    if (!runs.ok() || runs->empty()) break;
    for (const StoredRun& run : *runs) {
      if (seen.insert(run.summary.agency_code()).second) latest.push_back(run.summary);
    }
    before = runs->back().pk;
  }
  return latest;
}

// ------------------------------------------------------------------ runs

absl::StatusOr<int64_t> Repository::InsertRun(db::Connection& conn, const pb::AnalysisSummary& s,
                                              const std::vector<pb::PositionRow>& rows,
                                              const std::vector<pb::UnitRow>& units) {
  const std::string as_of = domain::FormatDate(proto_convert::ToDomain(s.as_of()));
  absl::StatusOr<int64_t> pk = InsertReturningId(
      conn,
      "INSERT INTO analysis_runs (run_id, agency_code, as_of, label, create_time_ms, "
      "staffing_digest, input_version, summary) VALUES (?,?,?,?,?,?,?,?)",
      {db::Text(s.run_id()), db::Text(s.agency_code()), db::Text(as_of), db::Text(s.label()),
       db::Int(s.create_time_ms()), db::Text(s.staffing_digest()), db::Text(s.input_version()),
       db::Text(proto_convert::EncodeBody(s))});
  if (!pk.ok()) return pk.status();

  std::vector<db::Params> position_rows;
  position_rows.reserve(rows.size());
  for (const pb::PositionRow& r : rows) {
    position_rows.push_back({db::Int(*pk), db::Int(r.unit_id()), db::Text(r.position_code()),
                             db::Text(r.job_family()), db::Real(r.workload_minutes()),
                             db::Real(r.required_fte()), db::Int(r.required_headcount()),
                             db::Int(r.staff()), db::Int(r.staff_pns()), db::Int(r.staff_pppk()),
                             db::Int(r.gap()), db::Real(r.ej()), db::Int(r.grade()),
                             db::Bool(r.vacant()), db::Bool(r.has_workload())});
  }
  // The bulk path (LOAD DATA on MariaDB): a national run stores ~1,300 rows per agency, and
  // multi-row INSERTs of thousands of bound parameters cost the server more to parse than to
  // store.
  static const std::vector<std::string> kPositionRowColumns = {"run_pk",
                                                               "unit_id",
                                                               "position_code",
                                                               "job_family",
                                                               "workload_minutes",
                                                               "required_fte",
                                                               "required_headcount",
                                                               "staff",
                                                               "staff_pns",
                                                               "staff_pppk",
                                                               "gap",
                                                               "ej",
                                                               "grade",
                                                               "vacant",
                                                               "has_workload"};
  SEIMBANG_RETURN_IF_ERROR(
      conn.InsertRows("analysis_position_rows", kPositionRowColumns, position_rows).status());
  std::vector<db::Params> unit_rows;
  unit_rows.reserve(units.size());
  for (const pb::UnitRow& u : units) {
    unit_rows.push_back({db::Int(*pk), db::Int(u.unit_id()), db::Real(u.workload_minutes()),
                         db::Real(u.required_fte()), db::Int(u.required_headcount()),
                         db::Int(u.staff()), db::Int(u.surplus()), db::Int(u.deficit()),
                         db::Real(u.eu()), db::Int(u.grade())});
  }
  static const std::vector<std::string> kUnitRowColumns = {
      "run_pk", "unit_id", "workload_minutes", "required_fte", "required_headcount",
      "staff",  "surplus", "deficit",          "eu",           "grade"};
  SEIMBANG_RETURN_IF_ERROR(
      conn.InsertRows("analysis_unit_rows", kUnitRowColumns, unit_rows).status());
  return *pk;
}

absl::StatusOr<std::optional<StoredRun>> Repository::FindRun(db::Connection& conn,
                                                             const std::string& run_id) {
  absl::StatusOr<std::optional<db::Row>> row =
      conn.QueryOne("SELECT id, summary FROM analysis_runs WHERE run_id = ?", {db::Text(run_id)});
  if (!row.ok()) return row.status();
  if (!row->has_value()) return std::optional<StoredRun>();
  absl::StatusOr<pb::AnalysisSummary> summary =
      proto_convert::DecodeBody<pb::AnalysisSummary>((*row)->GetString(1));
  if (!summary.ok()) return summary.status();
  return std::optional<StoredRun>(StoredRun{(*row)->GetInt(0), *std::move(summary)});
}

absl::StatusOr<int64_t> Repository::InsertReturningId(db::Connection& conn, std::string_view sql,
                                                      const db::Params& params) {
  absl::StatusOr<int64_t> n = conn.Execute(sql, params);
  if (!n.ok()) return n.status();
  return conn.LastInsertId();
}

absl::StatusOr<db::ResultSet> Repository::QueryNewestFirst(db::Connection& conn,
                                                           const std::string& table,
                                                           const std::string& agency_code,
                                                           int64_t before_pk, int limit) {
  std::string sql = absl::StrCat("SELECT id, summary FROM ", table, " WHERE 1=1");
  db::Params params;
  db::AndWhere(!agency_code.empty(), "agency_code = ?", db::Text(agency_code), sql, params);
  db::AndWhere(before_pk > 0, "id < ?", db::Int(before_pk), sql, params);
  sql += " ORDER BY id DESC LIMIT ?";
  params.push_back(db::Int(limit));
  return conn.Query(sql, params);
}

absl::StatusOr<int64_t> Repository::CountOfAgency(db::Connection& conn, const std::string& table,
                                                  const std::string& agency_code) {
  std::string sql = absl::StrCat("SELECT COUNT(*) FROM ", table);
  db::Params params;
  if (!agency_code.empty()) {
    sql += " WHERE agency_code = ?";
    params.push_back(db::Text(agency_code));
  }
  absl::StatusOr<std::optional<db::Row>> row = conn.QueryOne(sql, params);
  if (!row.ok()) return row.status();
  return row->has_value() ? (*row)->GetInt(0) : 0;
}

absl::StatusOr<std::vector<StoredRun>> Repository::ListRuns(db::Connection& conn,
                                                            const std::string& agency_code,
                                                            int64_t before_pk, int limit) {
  absl::StatusOr<db::ResultSet> rs =
      QueryNewestFirst(conn, "analysis_runs", agency_code, before_pk, limit);
  if (!rs.ok()) return rs.status();
  std::vector<StoredRun> out;
  for (const db::Row& row : rs->rows) {
    absl::StatusOr<pb::AnalysisSummary> summary =
        proto_convert::DecodeBody<pb::AnalysisSummary>(row.GetString(1));
    if (!summary.ok()) return summary.status();
    out.push_back({row.GetInt(0), *std::move(summary)});
  }
  return out;
}

absl::StatusOr<std::vector<pb::PositionRow>> Repository::ListRunRows(
    db::Connection& conn, int64_t run_pk, const RowFilter& filter,
    const std::optional<WorkloadKey>& after, int limit) {
  std::string sql =
      "SELECT unit_id, position_code, job_family, workload_minutes, required_fte, "
      "required_headcount, staff, staff_pns, staff_pppk, gap, ej, grade, vacant, has_workload "
      "FROM analysis_position_rows WHERE run_pk = ?";
  db::Params params = {db::Int(run_pk)};
  db::AndWhere(filter.unit_id != 0, "unit_id = ?", db::Int(filter.unit_id), sql, params);
  db::AndWhere(filter.grade != 0, "grade = ?", db::Int(filter.grade), sql, params);
  if (filter.gap_sign < 0) sql += " AND gap < 0";
  if (filter.gap_sign > 0) sql += " AND gap > 0";
  if (after.has_value()) {
    sql += " AND (unit_id > ? OR (unit_id = ? AND position_code > ?))";
    params.insert(params.end(), {db::Int(after->unit_id), db::Int(after->unit_id),
                                 db::Text(after->position_code)});
  }
  sql += " ORDER BY unit_id, position_code";
  db::AppendLimit(limit, sql, params);
  return db::QueryAll(conn, sql, params, proto_convert::MessageFromRow<pb::PositionRow>);
}

absl::StatusOr<std::vector<pb::UnitRow>> Repository::ListRunUnits(db::Connection& conn,
                                                                  int64_t run_pk) {
  return db::QueryAll(
      conn,
      "SELECT unit_id, workload_minutes, required_fte, required_headcount, staff, surplus, "
      "deficit, eu, grade FROM analysis_unit_rows WHERE run_pk = ? ORDER BY unit_id",
      {db::Int(run_pk)}, proto_convert::MessageFromRow<pb::UnitRow>);
}

}  // namespace seimbang::workload
