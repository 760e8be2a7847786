#include "services/workload/repository.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/audit/audit_rows.h"
#include "common/errors/status_macros.h"
#include "services/workload/convert.h"

namespace seimbang::workload {

namespace {

// Rows per multi-row INSERT: a fixed size keeps one prepared statement per shape, and
// 250 rows × 15 columns stays well below SQLite's and MySQL's placeholder limits.
constexpr size_t kInsertChunk = 250;

std::string Etag(int64_t version) { return absl::StrCat(version); }

std::string Placeholders(size_t columns, size_t rows) {
  std::string one =
      absl::StrCat("(", absl::StrJoin(std::vector<std::string>(columns, "?"), ","), ")");
  return absl::StrJoin(std::vector<std::string>(rows, one), ",");
}

pb::Task TaskFromRow(const db::Row& row, size_t first) {
  pb::Task task;
  task.set_name(row.GetString(first));
  task.set_output_unit(row.GetString(first + 1));
  task.set_volume(row.GetDouble(first + 2));
  task.set_period(static_cast<pb::Period>(row.GetInt(first + 3)));
  task.set_norm_minutes(row.GetDouble(first + 4));
  const int kind = static_cast<int>(row.GetInt(first + 5));
  if (kind != 0) {
    task.mutable_driver()->set_signal_kind(static_cast<pb::SignalKind>(kind));
    task.mutable_driver()->set_baseline_per_month(row.GetDouble(first + 6));
  }
  return task;
}

db::Params TaskParams(int64_t unit_id, const std::string& position_code, int seq,
                      const pb::Task& t) {
  return {db::Int(unit_id),
          db::Text(position_code),
          db::Int(seq),
          db::Text(t.name()),
          db::Text(t.output_unit()),
          db::Real(t.volume()),
          db::Int(t.period()),
          db::Real(t.norm_minutes()),
          db::Int(t.has_driver() ? t.driver().signal_kind() : 0),
          db::Real(t.has_driver() ? t.driver().baseline_per_month() : 0.0)};
}

// Workload heads (no tasks) from SELECT unit_id, position_code, agency_code, job_family,
// version, update_time_ms.
StoredWorkload HeadFromRow(const db::Row& row) {
  StoredWorkload w;
  w.workload.set_unit_id(row.GetInt(0));
  w.workload.set_position_code(row.GetString(1));
  w.workload.set_agency_code(row.GetString(2));
  w.job_family = row.GetString(3);
  w.workload.set_etag(Etag(row.GetInt(4)));
  w.workload.set_update_time_ms(row.GetInt(5));
  return w;
}

// The columns a task row is read with: its workload's key and its place, then TaskFromRow's.
constexpr char kTaskReadCols[] =
    "t.unit_id, t.position_code, t.seq, t.name, t.output_unit, t.volume, t.task_period, "
    "t.norm_minutes, t.driver_kind, t.driver_baseline";

// Gives each of `heads` its tasks from `rs` (kTaskReadCols rows in any order), in seq order.
// The queries do not ORDER BY: across the workloads join that costs the server a temporary table
// and a filesort, several times the read itself; sorting the few thousand keys here is cheap.
void AttachTaskRows(const db::ResultSet& rs, std::vector<StoredWorkload>& heads) {
  absl::flat_hash_map<std::pair<int64_t, std::string>, size_t> index;
  index.reserve(heads.size());
  for (size_t i = 0; i < heads.size(); ++i) {
    index.emplace(std::make_pair(heads[i].workload.unit_id(), heads[i].workload.position_code()),
                  i);
  }
  struct Place {
    size_t head;
    int64_t seq;
    size_t row;
  };
  std::vector<Place> places;
  places.reserve(rs.rows.size());
  for (size_t r = 0; r < rs.rows.size(); ++r) {
    const db::Row& row = rs.rows[r];
    auto it = index.find(std::make_pair(row.GetInt(0), row.GetString(1)));
    if (it != index.end()) places.push_back({it->second, row.GetInt(2), r});
  }
  std::sort(places.begin(), places.end(), [](const Place& a, const Place& b) {
    return std::tie(a.head, a.seq) < std::tie(b.head, b.seq);
  });
  for (const Place& p : places) {
    *heads[p.head].workload.add_tasks() = TaskFromRow(rs.rows[p.row], 3);
  }
}

// Fills the tasks of `heads` with one query over their keys.
// The parameters of "(unit_id, position_code) IN (" + Placeholders(2, n) + ")" for the
// workloads' keys: the one way a batch of workloads is looked up.
db::Params KeyParams(const std::vector<StoredWorkload>& workloads) {
  db::Params params;
  params.reserve(workloads.size() * 2);
  for (const StoredWorkload& w : workloads) {
    params.push_back(db::Int(w.workload.unit_id()));
    params.push_back(db::Text(w.workload.position_code()));
  }
  return params;
}

absl::Status AttachTasks(db::Connection& conn, std::vector<StoredWorkload>& heads) {
  if (heads.empty()) return absl::OkStatus();
  const std::string sql = absl::StrCat("SELECT ", kTaskReadCols,
                                       " FROM workload_tasks t WHERE (unit_id, position_code) IN (",
                                       Placeholders(2, heads.size()), ")");
  SEIMBANG_ASSIGN_OR_RETURN(db::ResultSet rs, conn.Query(sql, KeyParams(heads)));
  AttachTaskRows(rs, heads);
  return absl::OkStatus();
}

bool SameTasks(const pb::Workload& a, const pb::Workload& b) {
  if (a.tasks_size() != b.tasks_size()) return false;
  for (int i = 0; i < a.tasks_size(); ++i) {
    if (a.tasks(i).SerializeAsString() != b.tasks(i).SerializeAsString()) return false;
  }
  return true;
}

// Whether `w` under `job_family` is what `old` already stores (PutWorkload's kUnchanged).
bool SameDefinition(const StoredWorkload& old, const pb::Workload& w,
                    const std::string& job_family) {
  return SameTasks(old.workload, w) && old.workload.agency_code() == w.agency_code() &&
         old.job_family == job_family;
}

// The rows of new workloads and of every written workload's tasks, inserted in bulk at the end.
struct StagedWrites {
  std::vector<db::Params> heads;
  std::vector<db::Params> tasks;

  absl::Status Insert(db::Connection& conn) const {
    static const std::vector<std::string> kHeadColumns = {
        "unit_id", "position_code", "agency_code", "job_family", "version", "update_time_ms"};
    static const std::vector<std::string> kTaskColumns = {
        "unit_id", "position_code", "seq",          "name",        "output_unit",
        "volume",  "task_period",   "norm_minutes", "driver_kind", "driver_baseline"};
    SEIMBANG_RETURN_IF_ERROR(conn.InsertRows("workloads", kHeadColumns, heads).status());
    return conn.InsertRows("workload_tasks", kTaskColumns, tasks).status();
  }
};

// One changed workload's writes: an existing one's head is updated and its tasks deleted at
// once; a new head and every task row are staged for StagedWrites::Insert.
absl::Status StageWrite(db::Connection& conn, const pb::Workload& w, const std::string& job_family,
                        bool existed, int64_t version, int64_t now_ms, StagedWrites& staged) {
  if (existed) {
    SEIMBANG_RETURN_IF_ERROR(
        conn.Execute("UPDATE workloads SET agency_code = ?, job_family = ?, version = ?, "
                     "update_time_ms = ? WHERE unit_id = ? AND position_code = ?",
                     {db::Text(w.agency_code()), db::Text(job_family), db::Int(version),
                      db::Int(now_ms), db::Int(w.unit_id()), db::Text(w.position_code())})
            .status());
    SEIMBANG_RETURN_IF_ERROR(
        conn.Execute("DELETE FROM workload_tasks WHERE unit_id = ? AND position_code = ?",
                     {db::Int(w.unit_id()), db::Text(w.position_code())})
            .status());
  } else {
    staged.heads.push_back({db::Int(w.unit_id()), db::Text(w.position_code()),
                            db::Text(w.agency_code()), db::Text(job_family), db::Int(version),
                            db::Int(now_ms)});
  }
  for (int i = 0; i < w.tasks_size(); ++i) {
    staged.tasks.push_back(TaskParams(w.unit_id(), w.position_code(), i, w.tasks(i)));
  }
  return absl::OkStatus();
}

pb::DemandSignal SignalFromRow(const db::Row& row) {
  pb::DemandSignal s;
  s.set_unit_id(row.GetInt(0));
  s.set_kind(static_cast<pb::SignalKind>(row.GetInt(1)));
  const int64_t key = row.GetInt(2);
  s.mutable_month()->set_year(static_cast<int32_t>(key / 100));
  s.mutable_month()->set_month(static_cast<int32_t>(key % 100));
  s.set_agency_code(row.GetString(3));
  s.set_count(row.GetInt(4));
  return s;
}

}  // namespace

// ------------------------------------------------------------------ the object

absl::StatusOr<std::pair<pb::Settings, bool>> Repository::LoadSettings(
    const std::string& agency_code) {
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, Connect());
  SEIMBANG_ASSIGN_OR_RETURN(auto stored, GetSettings(conn.get(), agency_code));
  if (stored.has_value()) return std::make_pair(*std::move(stored), false);
  return std::make_pair(DefaultSettings(agency_code), true);
}

// Runs `prefix VALUES (...),(...) suffix` over `rows` in chunks of kInsertChunk.
absl::Status Repository::InsertChunked(db::Connection& conn, const std::string& prefix,
                                       const std::string& suffix, size_t columns,
                                       const std::vector<db::Params>& rows) {
  for (size_t start = 0; start < rows.size(); start += kInsertChunk) {
    const size_t n = std::min(kInsertChunk, rows.size() - start);
    db::Params params;
    params.reserve(n * columns);
    for (size_t i = start; i < start + n; ++i) {
      params.insert(params.end(), rows[i].begin(), rows[i].end());
    }
    const std::string sql = absl::StrCat(prefix, " VALUES ", Placeholders(columns, n), suffix);
    absl::StatusOr<int64_t> done = conn.Execute(sql, params);
    if (!done.ok()) return done.status();
  }
  return absl::OkStatus();
}

// ------------------------------------------------------------------ audit

absl::Status Repository::InsertAudit(db::Connection& conn, const cpb::AuditEvent& e) {
  return audit::InsertEvent(conn, e, audit::kWorkloadRoleColumn);
}

absl::StatusOr<std::vector<cpb::AuditEvent>> Repository::ListAudit(db::Connection& conn,
                                                                   const std::string& method,
                                                                   int64_t after_id, int limit) {
  return audit::ListEvents(conn, method, after_id, limit, audit::kWorkloadRoleColumn);
}

// ------------------------------------------------------------------ workloads

absl::StatusOr<std::optional<StoredWorkload>> Repository::GetWorkload(
    db::Connection& conn, int64_t unit_id, const std::string& position_code) {
  absl::StatusOr<std::optional<db::Row>> row = conn.QueryOne(
      "SELECT unit_id, position_code, agency_code, job_family, version, update_time_ms "
      "FROM workloads WHERE unit_id = ? AND position_code = ?",
      {db::Int(unit_id), db::Text(position_code)});
  if (!row.ok()) return row.status();
  if (!row->has_value()) return std::optional<StoredWorkload>();
  std::vector<StoredWorkload> heads{HeadFromRow(**row)};
  SEIMBANG_RETURN_IF_ERROR(AttachTasks(conn, heads));
  return std::optional<StoredWorkload>(std::move(heads.front()));
}

absl::StatusOr<std::pair<StoredWorkload, WriteOutcome>> Repository::PutWorkload(
    db::Connection& conn, const pb::Workload& workload, const std::string& job_family,
    const std::optional<std::string>& expected_etag, int64_t now_ms, bool dry_run) {
  const int64_t unit_id = workload.unit_id();
  const std::string& code = workload.position_code();
  absl::StatusOr<std::optional<StoredWorkload>> current = GetWorkload(conn, unit_id, code);
  if (!current.ok()) return current.status();

  if (current->has_value()) {
    const StoredWorkload& old = **current;
    if (expected_etag.has_value()) {
      if (expected_etag->empty()) {
        return absl::AlreadyExistsError(
            absl::StrCat("workload of unit ", unit_id, " position ", code,
                         " already exists; send its etag to replace it"));
      }
      if (*expected_etag != old.workload.etag()) {
        return absl::AbortedError(absl::StrCat("workload of unit ", unit_id, " position ", code,
                                               " has changed (etag ", old.workload.etag(),
                                               ", request has ", *expected_etag, ")"));
      }
    }
    if (SameDefinition(old, workload, job_family)) {
      return std::make_pair(old, WriteOutcome::kUnchanged);
    }
  } else if (expected_etag.has_value() && !expected_etag->empty()) {
    return absl::NotFoundError(
        absl::StrCat("workload of unit ", unit_id, " position ", code, " does not exist"));
  }

  const bool existed = current->has_value();
  const int64_t version = existed ? std::stoll((*current)->workload.etag()) + 1 : 1;
  StoredWorkload stored;
  stored.workload = workload;
  stored.workload.set_etag(Etag(version));
  stored.workload.set_update_time_ms(now_ms);
  stored.job_family = job_family;
  const WriteOutcome outcome = existed ? WriteOutcome::kUpdated : WriteOutcome::kInserted;
  if (dry_run) return std::make_pair(std::move(stored), outcome);

  StagedWrites staged;
  SEIMBANG_RETURN_IF_ERROR(
      StageWrite(conn, workload, job_family, existed, version, now_ms, staged));
  SEIMBANG_RETURN_IF_ERROR(staged.Insert(conn));
  return std::make_pair(std::move(stored), outcome);
}

namespace {

// The stored workloads (with their tasks) of `keys`, by key.
absl::StatusOr<absl::flat_hash_map<std::pair<int64_t, std::string>, StoredWorkload>> StoredByKey(
    db::Connection& conn, const std::vector<StoredWorkload>& keys) {
  absl::flat_hash_map<std::pair<int64_t, std::string>, StoredWorkload> out;
  if (keys.empty()) return out;
  SEIMBANG_ASSIGN_OR_RETURN(
      db::ResultSet rs,
      conn.Query(absl::StrCat("SELECT unit_id, position_code, agency_code, job_family, version, "
                              "update_time_ms FROM workloads WHERE (unit_id, position_code) IN (",
                              Placeholders(2, keys.size()), ")"),
                 KeyParams(keys)));
  std::vector<StoredWorkload> heads;
  heads.reserve(rs.rows.size());
  for (const db::Row& row : rs.rows) heads.push_back(HeadFromRow(row));
  SEIMBANG_RETURN_IF_ERROR(AttachTasks(conn, heads));
  for (StoredWorkload& w : heads) {
    auto key = std::make_pair(w.workload.unit_id(), w.workload.position_code());
    out.emplace(std::move(key), std::move(w));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<WriteOutcome>> Repository::PutWorkloads(
    db::Connection& conn, const std::vector<StoredWorkload>& workloads, int64_t now_ms,
    bool dry_run) {
  SEIMBANG_ASSIGN_OR_RETURN(auto stored, StoredByKey(conn, workloads));
  std::vector<WriteOutcome> outcomes;
  outcomes.reserve(workloads.size());
  StagedWrites staged;
  for (const StoredWorkload& put : workloads) {
    const pb::Workload& w = put.workload;
    auto it = stored.find(std::make_pair(w.unit_id(), w.position_code()));
    if (it != stored.end() && SameDefinition(it->second, w, put.job_family)) {
      outcomes.push_back(WriteOutcome::kUnchanged);
      continue;
    }
    const bool existed = it != stored.end();
    outcomes.push_back(existed ? WriteOutcome::kUpdated : WriteOutcome::kInserted);
    if (dry_run) continue;
    const int64_t version = existed ? std::stoll(it->second.workload.etag()) + 1 : 1;
    SEIMBANG_RETURN_IF_ERROR(StageWrite(conn, w, put.job_family, existed, version, now_ms, staged));
  }
  SEIMBANG_RETURN_IF_ERROR(staged.Insert(conn));
  return outcomes;
}

absl::StatusOr<std::vector<StoredWorkload>> Repository::ListWorkloads(
    db::Connection& conn, const std::string& agency_code, int64_t unit_id,
    const std::optional<WorkloadKey>& after, int limit) {
  std::string sql =
      "SELECT unit_id, position_code, agency_code, job_family, version, update_time_ms "
      "FROM workloads WHERE 1=1";
  db::Params params;
  db::AndWhere(!agency_code.empty(), "agency_code = ?", db::Text(agency_code), sql, params);
  db::AndWhere(unit_id != 0, "unit_id = ?", db::Int(unit_id), sql, params);
  if (after.has_value()) {
    sql += " AND (unit_id > ? OR (unit_id = ? AND position_code > ?))";
    params.push_back(db::Int(after->unit_id));
    params.push_back(db::Int(after->unit_id));
    params.push_back(db::Text(after->position_code));
  }
  sql += " ORDER BY unit_id, position_code LIMIT ?";
  params.push_back(db::Int(limit));
  SEIMBANG_ASSIGN_OR_RETURN(std::vector<StoredWorkload> out,
                            db::QueryAll(conn, sql, params, HeadFromRow));
  SEIMBANG_RETURN_IF_ERROR(AttachTasks(conn, out));
  return out;
}

absl::StatusOr<std::vector<StoredWorkload>> Repository::LoadWorkloads(
    db::Connection& conn, const std::string& agency_code) {
  SEIMBANG_ASSIGN_OR_RETURN(
      std::vector<StoredWorkload> out,
      db::QueryAll(conn,
                   "SELECT unit_id, position_code, agency_code, job_family, version, "
                   "update_time_ms FROM workloads WHERE agency_code = ? "
                   "ORDER BY unit_id, position_code",
                   {db::Text(agency_code)}, HeadFromRow));
  SEIMBANG_ASSIGN_OR_RETURN(
      db::ResultSet tasks,
      conn.Query(absl::StrCat("SELECT ", kTaskReadCols,
                              " FROM workloads w JOIN workload_tasks t ON t.unit_id = w.unit_id "
                              "AND t.position_code = w.position_code WHERE w.agency_code = ?"),
                 {db::Text(agency_code)}));
  AttachTaskRows(tasks, out);
  return out;
}

// ------------------------------------------------------------------ signals

absl::StatusOr<int64_t> Repository::UpsertSignals(db::Connection& conn,
                                                  const std::vector<pb::DemandSignal>& signals,
                                                  int64_t now_ms) {
  std::vector<db::Params> rows;
  rows.reserve(signals.size());
  for (const pb::DemandSignal& s : signals) {
    rows.push_back({db::Int(s.unit_id()), db::Int(s.kind()),
                    db::Int(int64_t{s.month().year()} * 100 + s.month().month()),
                    db::Text(s.agency_code()), db::Int(s.count()), db::Int(now_ms)});
  }
  const std::string suffix =
      conn.dialect() == db::Dialect::kSqlite
          ? " ON CONFLICT (unit_id, kind, month_key) DO UPDATE SET agency_code = "
            "excluded.agency_code, signal_count = excluded.signal_count, update_time_ms = "
            "excluded.update_time_ms"
          : " ON DUPLICATE KEY UPDATE agency_code = VALUES(agency_code), signal_count = "
            "VALUES(signal_count), update_time_ms = VALUES(update_time_ms)";
  SEIMBANG_RETURN_IF_ERROR(InsertChunked(conn,
                                         "INSERT INTO demand_signals (unit_id, kind, month_key, "
                                         "agency_code, signal_count, update_time_ms)",
                                         suffix, 6, rows));
  return static_cast<int64_t>(signals.size());
}

absl::StatusOr<std::vector<pb::DemandSignal>> Repository::ListSignals(
    db::Connection& conn, const SignalFilter& f, const std::optional<SignalKey>& after, int limit) {
  std::string sql =
      "SELECT unit_id, kind, month_key, agency_code, signal_count FROM demand_signals WHERE 1=1";
  db::Params params;
  db::AndWhere(!f.agency_code.empty(), "agency_code = ?", db::Text(f.agency_code), sql, params);
  db::AndWhere(f.unit_id != 0, "unit_id = ?", db::Int(f.unit_id), sql, params);
  db::AndWhere(f.kind != 0, "kind = ?", db::Int(f.kind), sql, params);
  db::AndWhere(f.from_month_key != 0, "month_key >= ?", db::Int(f.from_month_key), sql, params);
  db::AndWhere(f.to_month_key != 0, "month_key <= ?", db::Int(f.to_month_key), sql, params);
  if (after.has_value()) {
    sql +=
        " AND (unit_id > ? OR (unit_id = ? AND kind > ?) OR (unit_id = ? AND kind = ? AND "
        "month_key > ?))";
    params.insert(params.end(),
                  {db::Int(after->unit_id), db::Int(after->unit_id), db::Int(after->kind),
                   db::Int(after->unit_id), db::Int(after->kind), db::Int(after->month_key)});
  }
  sql += " ORDER BY unit_id, kind, month_key";
  db::AppendLimit(limit, sql, params);
  return db::QueryAll(conn, sql, params, SignalFromRow);
}

// ------------------------------------------------------------------ settings

absl::StatusOr<std::optional<pb::Settings>> Repository::GetSettings(
    db::Connection& conn, const std::string& agency_code) {
  absl::StatusOr<std::optional<db::Row>> row = conn.QueryOne(
      "SELECT effective_minutes_per_year, factor_year, factor_month, factor_week, factor_day, "
      "rounding, band_a_above, band_b_from, band_c_from, band_d_from, balanced_min, "
      "balanced_max, signal_window_months, version FROM agency_settings WHERE agency_code = ?",
      {db::Text(agency_code)});
  if (!row.ok()) return row.status();
  if (!row->has_value()) return std::optional<pb::Settings>();
  const db::Row& r = **row;
  pb::Settings s;
  s.set_agency_code(agency_code);
  s.set_effective_minutes_per_year(r.GetDouble(0));
  s.mutable_period_factors()->set_year(r.GetDouble(1));
  s.mutable_period_factors()->set_month(r.GetDouble(2));
  s.mutable_period_factors()->set_week(r.GetDouble(3));
  s.mutable_period_factors()->set_day(r.GetDouble(4));
  s.set_rounding(static_cast<pb::Rounding>(r.GetInt(5)));
  s.mutable_grade_bands()->set_a_above(r.GetDouble(6));
  s.mutable_grade_bands()->set_b_from(r.GetDouble(7));
  s.mutable_grade_bands()->set_c_from(r.GetDouble(8));
  s.mutable_grade_bands()->set_d_from(r.GetDouble(9));
  s.set_balanced_min(r.GetDouble(10));
  s.set_balanced_max(r.GetDouble(11));
  s.set_signal_window_months(static_cast<int32_t>(r.GetInt(12)));
  s.set_etag(Etag(r.GetInt(13)));
  return std::optional<pb::Settings>(std::move(s));
}

absl::StatusOr<pb::Settings> Repository::PutSettings(db::Connection& conn, const pb::Settings& s,
                                                     const std::string& expected_etag,
                                                     int64_t now_ms) {
  absl::StatusOr<std::optional<pb::Settings>> current = GetSettings(conn, s.agency_code());
  if (!current.ok()) return current.status();
  if (!expected_etag.empty() && (!current->has_value() || (*current)->etag() != expected_etag)) {
    return absl::AbortedError(
        absl::StrCat("settings of agency ", s.agency_code(), " have changed (etag ",
                     current->has_value() ? (*current)->etag() : std::string("none"),
                     ", request has ", expected_etag, ")"));
  }
  const int64_t version = current->has_value() ? std::stoll((*current)->etag()) + 1 : 1;
  db::Params values = {db::Real(s.effective_minutes_per_year()),
                       db::Real(s.period_factors().year()),
                       db::Real(s.period_factors().month()),
                       db::Real(s.period_factors().week()),
                       db::Real(s.period_factors().day()),
                       db::Int(s.rounding()),
                       db::Real(s.grade_bands().a_above()),
                       db::Real(s.grade_bands().b_from()),
                       db::Real(s.grade_bands().c_from()),
                       db::Real(s.grade_bands().d_from()),
                       db::Real(s.balanced_min()),
                       db::Real(s.balanced_max()),
                       db::Int(s.signal_window_months()),
                       db::Int(version),
                       db::Int(now_ms),
                       db::Text(s.agency_code())};
  absl::StatusOr<int64_t> n =
      current->has_value()
          ? conn.Execute(
                "UPDATE agency_settings SET effective_minutes_per_year = ?, factor_year = ?, "
                "factor_month = ?, factor_week = ?, factor_day = ?, rounding = ?, band_a_above = "
                "?, band_b_from = ?, band_c_from = ?, band_d_from = ?, balanced_min = ?, "
                "balanced_max = ?, signal_window_months = ?, version = ?, update_time_ms = ? "
                "WHERE agency_code = ?",
                values)
          : conn.Execute(
                "INSERT INTO agency_settings (effective_minutes_per_year, factor_year, "
                "factor_month, factor_week, factor_day, rounding, band_a_above, band_b_from, "
                "band_c_from, band_d_from, balanced_min, balanced_max, signal_window_months, "
                "version, update_time_ms, agency_code) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                values);
  if (!n.ok()) return n.status();
  pb::Settings out = s;
  out.set_etag(Etag(version));
  return out;
}

}  // namespace seimbang::workload
