// Analysis runs: stored once, read back by id, page or filter. Part of the repository
// (repository.h), in its own file because runs are their own concern.
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/domain/date.h"
#include "common/errors/status_macros.h"
#include "common/proto_convert/date.h"
#include "services/workload/repository.h"

namespace seimbang::workload {

namespace {

using db::Bool;
using db::Connection;
using db::Int;
using db::Params;
using db::Real;
using db::Text;

absl::StatusOr<pb::AnalysisSummary> DecodeSummary(const std::string& b64) {
  std::string bytes;
  pb::AnalysisSummary summary;
  if (!absl::Base64Unescape(b64, &bytes) || !summary.ParseFromString(bytes)) {
    return absl::InternalError("stored analysis summary is corrupt");
  }
  return summary;
}

}  // namespace

absl::StatusOr<std::vector<pb::AnalysisSummary>> WorkloadRepository::LatestRunPerAgency() {
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

absl::StatusOr<int64_t> WorkloadRepository::InsertRun(Connection& conn,
                                                      const pb::AnalysisSummary& s,
                                                      const std::vector<pb::PositionRow>& rows,
                                                      const std::vector<pb::UnitRow>& units) {
  const std::string as_of = domain::FormatDate(proto_convert::ToDomain(s.as_of()));
  absl::StatusOr<int64_t> n = conn.Execute(
      "INSERT INTO analysis_runs (run_id, agency_code, as_of, label, create_time_ms, "
      "staffing_digest, input_version, summary) VALUES (?,?,?,?,?,?,?,?)",
      {Text(s.run_id()), Text(s.agency_code()), Text(as_of), Text(s.label()),
       Int(s.create_time_ms()), Text(s.staffing_digest()), Text(s.input_version()),
       Text(absl::Base64Escape(s.SerializeAsString()))});
  if (!n.ok()) return n.status();
  absl::StatusOr<int64_t> pk = conn.LastInsertId();
  if (!pk.ok()) return pk.status();

  std::vector<Params> position_rows;
  position_rows.reserve(rows.size());
  for (const pb::PositionRow& r : rows) {
    position_rows.push_back({Int(*pk), Int(r.unit_id()), Text(r.position_code()),
                             Text(r.job_family()), Real(r.workload_minutes()),
                             Real(r.required_fte()), Int(r.required_headcount()), Int(r.staff()),
                             Int(r.staff_pns()), Int(r.staff_pppk()), Int(r.gap()), Real(r.ej()),
                             Int(r.grade()), Bool(r.vacant()), Bool(r.has_workload())});
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
  std::vector<Params> unit_rows;
  unit_rows.reserve(units.size());
  for (const pb::UnitRow& u : units) {
    unit_rows.push_back({Int(*pk), Int(u.unit_id()), Real(u.workload_minutes()),
                         Real(u.required_fte()), Int(u.required_headcount()), Int(u.staff()),
                         Int(u.surplus()), Int(u.deficit()), Real(u.eu()), Int(u.grade())});
  }
  static const std::vector<std::string> kUnitRowColumns = {
      "run_pk", "unit_id", "workload_minutes", "required_fte", "required_headcount",
      "staff",  "surplus", "deficit",          "eu",           "grade"};
  SEIMBANG_RETURN_IF_ERROR(
      conn.InsertRows("analysis_unit_rows", kUnitRowColumns, unit_rows).status());
  return *pk;
}

absl::StatusOr<std::optional<StoredRun>> WorkloadRepository::FindRun(Connection& conn,
                                                                     const std::string& run_id) {
  absl::StatusOr<std::optional<db::Row>> row =
      conn.QueryOne("SELECT id, summary FROM analysis_runs WHERE run_id = ?", {Text(run_id)});
  if (!row.ok()) return row.status();
  if (!row->has_value()) return std::optional<StoredRun>();
  absl::StatusOr<pb::AnalysisSummary> summary = DecodeSummary((*row)->GetString(1));
  if (!summary.ok()) return summary.status();
  return std::optional<StoredRun>(StoredRun{(*row)->GetInt(0), *std::move(summary)});
}

absl::StatusOr<db::ResultSet> WorkloadRepository::QueryNewestFirst(Connection& conn,
                                                                   const std::string& table,
                                                                   const std::string& agency_code,
                                                                   int64_t before_pk, int limit) {
  std::string sql = absl::StrCat("SELECT id, summary FROM ", table, " WHERE 1=1");
  Params params;
  if (!agency_code.empty()) {
    sql += " AND agency_code = ?";
    params.push_back(Text(agency_code));
  }
  if (before_pk > 0) {
    sql += " AND id < ?";
    params.push_back(Int(before_pk));
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.push_back(Int(limit));
  return conn.Query(sql, params);
}

absl::StatusOr<int64_t> WorkloadRepository::CountOfAgency(Connection& conn,
                                                          const std::string& table,
                                                          const std::string& agency_code) {
  std::string sql = absl::StrCat("SELECT COUNT(*) FROM ", table);
  Params params;
  if (!agency_code.empty()) {
    sql += " WHERE agency_code = ?";
    params.push_back(Text(agency_code));
  }
  absl::StatusOr<std::optional<db::Row>> row = conn.QueryOne(sql, params);
  if (!row.ok()) return row.status();
  return row->has_value() ? (*row)->GetInt(0) : 0;
}

absl::StatusOr<std::vector<StoredRun>> WorkloadRepository::ListRuns(Connection& conn,
                                                                    const std::string& agency_code,
                                                                    int64_t before_pk, int limit) {
  absl::StatusOr<db::ResultSet> rs =
      QueryNewestFirst(conn, "analysis_runs", agency_code, before_pk, limit);
  if (!rs.ok()) return rs.status();
  std::vector<StoredRun> out;
  for (const db::Row& row : rs->rows) {
    absl::StatusOr<pb::AnalysisSummary> summary = DecodeSummary(row.GetString(1));
    if (!summary.ok()) return summary.status();
    out.push_back({row.GetInt(0), *std::move(summary)});
  }
  return out;
}

absl::StatusOr<std::vector<pb::PositionRow>> WorkloadRepository::ListRunRows(
    Connection& conn, int64_t run_pk, const RowFilter& filter,
    const std::optional<WorkloadKey>& after, int limit) {
  std::string sql =
      "SELECT unit_id, position_code, job_family, workload_minutes, required_fte, "
      "required_headcount, staff, staff_pns, staff_pppk, gap, ej, grade, vacant, has_workload "
      "FROM analysis_position_rows WHERE run_pk = ?";
  Params params = {Int(run_pk)};
  if (filter.unit_id != 0) {
    sql += " AND unit_id = ?";
    params.push_back(Int(filter.unit_id));
  }
  if (filter.grade != 0) {
    sql += " AND grade = ?";
    params.push_back(Int(filter.grade));
  }
  if (filter.gap_sign < 0) sql += " AND gap < 0";
  if (filter.gap_sign > 0) sql += " AND gap > 0";
  if (after.has_value()) {
    sql += " AND (unit_id > ? OR (unit_id = ? AND position_code > ?))";
    params.insert(params.end(),
                  {Int(after->unit_id), Int(after->unit_id), Text(after->position_code)});
  }
  sql += " ORDER BY unit_id, position_code";
  if (limit >= 0) {
    sql += " LIMIT ?";
    params.push_back(Int(limit));
  }
  absl::StatusOr<db::ResultSet> rs = conn.Query(sql, params);
  if (!rs.ok()) return rs.status();
  std::vector<pb::PositionRow> out;
  out.reserve(rs->rows.size());
  for (const db::Row& r : rs->rows) {
    pb::PositionRow p;
    p.set_unit_id(r.GetInt(0));
    p.set_position_code(r.GetString(1));
    p.set_job_family(r.GetString(2));
    p.set_workload_minutes(r.GetDouble(3));
    p.set_required_fte(r.GetDouble(4));
    p.set_required_headcount(static_cast<int32_t>(r.GetInt(5)));
    p.set_staff(static_cast<int32_t>(r.GetInt(6)));
    p.set_staff_pns(static_cast<int32_t>(r.GetInt(7)));
    p.set_staff_pppk(static_cast<int32_t>(r.GetInt(8)));
    p.set_gap(static_cast<int32_t>(r.GetInt(9)));
    p.set_ej(r.GetDouble(10));
    p.set_grade(static_cast<pb::Grade>(r.GetInt(11)));
    p.set_vacant(r.GetBool(12));
    p.set_has_workload(r.GetBool(13));
    out.push_back(std::move(p));
  }
  return out;
}

absl::StatusOr<std::vector<pb::UnitRow>> WorkloadRepository::ListRunUnits(Connection& conn,
                                                                          int64_t run_pk) {
  absl::StatusOr<db::ResultSet> rs = conn.Query(
      "SELECT unit_id, workload_minutes, required_fte, required_headcount, staff, surplus, "
      "deficit, eu, grade FROM analysis_unit_rows WHERE run_pk = ? ORDER BY unit_id",
      {Int(run_pk)});
  if (!rs.ok()) return rs.status();
  std::vector<pb::UnitRow> out;
  out.reserve(rs->rows.size());
  for (const db::Row& r : rs->rows) {
    pb::UnitRow u;
    u.set_unit_id(r.GetInt(0));
    u.set_workload_minutes(r.GetDouble(1));
    u.set_required_fte(r.GetDouble(2));
    u.set_required_headcount(static_cast<int32_t>(r.GetInt(3)));
    u.set_staff(static_cast<int32_t>(r.GetInt(4)));
    u.set_surplus(static_cast<int32_t>(r.GetInt(5)));
    u.set_deficit(static_cast<int32_t>(r.GetInt(6)));
    u.set_eu(r.GetDouble(7));
    u.set_grade(static_cast<pb::Grade>(r.GetInt(8)));
    out.push_back(std::move(u));
  }
  return out;
}

}  // namespace seimbang::workload
