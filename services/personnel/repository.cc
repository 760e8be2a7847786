#include "services/personnel/repository.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/audit/audit_rows.h"
#include "common/db/time_format.h"
#include "common/errors/status_macros.h"
#include "services/personnel/repository_rows.h"

namespace seimbang::personnel {

using namespace repository_rows;  // NOLINT: the row mapping of the same layer

// ------------------------------------------------------------------ Repository

namespace {

// fn on a Tx over a pooled connection, without a transaction: the single-row reads.
template <typename Fn>
auto ReadOnTx(db::Store& store, Fn fn) -> decltype(fn(std::declval<Tx&>())) {
  SEIMBANG_ASSIGN_OR_RETURN(auto c, store.Connect());
  Tx tx(c.get());
  return fn(tx);
}

}  // namespace

absl::StatusOr<Repository::WriteResult> Repository::Write(
    const idempotency::Key& key, const std::function<absl::StatusOr<std::string>(Tx&)>& fn) {
  return idempotency::Run(pool(), key, [&](db::Connection& c) -> absl::StatusOr<std::string> {
    Tx tx(c);
    return fn(tx);
  });
}

absl::StatusOr<std::optional<pv1::Agency>> Repository::GetAgency(const std::string& code) {
  return ReadOnTx(*this, [&](Tx& tx) { return tx.GetAgency(code); });
}

namespace {

// total_size of a list (common.proto): COUNT(*) over the list's own FROM and WHERE, whose first
// parameter is the page cursor, here `start` (before every key), so every page counts the same.
absl::StatusOr<int64_t> CountRows(db::Connection& c, const std::string& from_where, Params params,
                                  db::Value start) {
  params[0] = std::move(start);
  SEIMBANG_ASSIGN_OR_RETURN(auto row,
                            c.QueryOne(absl::StrCat("SELECT COUNT(*)", from_where), params));
  return row ? (*row).GetInt(0) : 0;
}

// A page of a catalogue list (agencies, units, positions): `cols` of `from_where` in `key` order,
// at most `limit` rows, and their total (CountRows from `start`) when `total` is asked for.
template <typename FromRow>
auto CountedPage(db::Connection& c, const char* cols, const std::string& from_where,
                 const Params& params, db::Value start, const char* key, int limit, int64_t* total,
                 FromRow from_row) -> decltype(db::QueryAll(c, "", params, from_row)) {
  if (total != nullptr) {
    SEIMBANG_ASSIGN_OR_RETURN(*total, CountRows(c, from_where, params, std::move(start)));
  }
  const std::string sql =
      absl::StrCat("SELECT ", cols, from_where, " ORDER BY ", key, " LIMIT ", limit);
  return db::QueryAll(c, sql, params, from_row);
}

// A LIKE pattern (with ESCAPE '!') that matches any text containing `text` literally.
std::string LikeContains(const std::string& text) {
  std::string out = "%";
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '!') out += '!';
    out += ch;
  }
  out += '%';
  return out;
}

}  // namespace

absl::StatusOr<std::vector<pv1::Agency>> Repository::ListAgencies(const std::string& province_code,
                                                                  const std::string& after_code,
                                                                  int limit, int64_t* total) {
  auto c = Connect();
  if (!c.ok()) return c.status();
  std::string from = " FROM agencies WHERE code > ?";
  Params params = {db::Text(after_code)};
  db::AndWhere(!province_code.empty(), "province_code = ?", db::Text(province_code), from, params);
  return CountedPage(**c, kAgencyCols, from, params, db::Text(""), "code", limit, total,
                     AgencyFromRow);
}

absl::StatusOr<std::optional<pv1::Unit>> Repository::GetUnit(int64_t id) {
  return ReadOnTx(*this, [&](Tx& tx) { return tx.GetUnit(id); });
}

absl::StatusOr<std::vector<pv1::Unit>> Repository::ListUnits(const UnitQuery& q, int64_t* total) {
  auto c = Connect();
  if (!c.ok()) return c.status();
  std::string sql = " FROM units WHERE id > ?";  // from here on the FROM and WHERE
  Params params = {db::Int(q.after_id)};
  db::AndWhere(!q.agency_code.empty(), "agency_code = ?", db::Text(q.agency_code), sql, params);
  if (q.subtree_of != 0) {
    auto row = (*c)->QueryOne("SELECT path FROM units WHERE id = ?", {db::Int(q.subtree_of)});
    if (!row.ok()) return row.status();
    if (!*row) {
      if (total != nullptr) *total = 0;
      return std::vector<pv1::Unit>{};
    }
    auto [lo, hi] = SubtreeRange((*row)->GetString(0));
    sql += " AND path >= ? AND path < ?";
    params.push_back(db::Text(lo));
    params.push_back(db::Text(hi));
  }
  db::AndWhere(q.kind != 0, "kind = ?", db::Int(q.kind), sql, params);
  db::AndWhere(!q.external_id.empty(), "external_id = ?", db::Text(q.external_id), sql, params);
  if (!q.include_inactive) sql += " AND active = 1";
  return CountedPage(**c, kUnitCols, sql, params, db::Int(0), "id", q.limit, total, UnitFromRow);
}

absl::StatusOr<std::optional<pv1::Position>> Repository::GetPosition(const std::string& code) {
  return ReadOnTx(*this, [&](Tx& tx) { return tx.GetPosition(code); });
}

absl::StatusOr<std::vector<pv1::Position>> Repository::ListPositions(const std::string& job_family,
                                                                     int kind,
                                                                     const std::string& after_code,
                                                                     int limit, int64_t* total) {
  auto c = Connect();
  if (!c.ok()) return c.status();
  std::string from = " FROM positions WHERE code > ?";
  Params params = {db::Text(after_code)};
  db::AndWhere(!job_family.empty(), "job_family = ?", db::Text(job_family), from, params);
  db::AndWhere(kind != 0, "kind = ?", db::Int(kind), from, params);
  return CountedPage(**c, kPositionCols, from, params, db::Text(""), "code", limit, total,
                     PositionFromRow);
}

absl::StatusOr<std::optional<pv1::Employee>> Repository::GetEmployee(const std::string& nip) {
  return ReadOnTx(*this, [&](Tx& tx) { return tx.GetEmployee(nip); });
}

namespace {

// The position facts of an employee record (kind, level, job family, retirement age), from
// columns p_kind, p_level, p_job_family and p_retirement_age of `r`.
pv1::Position PositionFactsFromRow(const Row& r, const std::string& code) {
  pv1::Position p;
  p.set_code(code);
  p.set_kind(static_cast<pv1::PositionKind>(r.GetInt("p_kind")));
  p.set_level(static_cast<pv1::FunctionalLevel>(r.GetInt("p_level")));
  p.set_job_family(r.GetString("p_job_family"));
  p.set_retirement_age(static_cast<int32_t>(r.GetInt("p_retirement_age")));
  return p;
}

constexpr char kPositionFactCols[] =
    "p.kind AS p_kind, p.level AS p_level, p.job_family AS p_job_family, "
    "p.retirement_age AS p_retirement_age";

// The facts of the given positions (sorted, distinct codes), read once for a staffing page: a
// page names a few dozen positions for thousands of employees, so this replaces a join per row.
// A code with no position row keeps the zero facts, as a LEFT JOIN gives.
absl::StatusOr<absl::flat_hash_map<std::string, pv1::Position>> PositionFacts(
    db::Connection& c, const std::vector<std::string>& codes) {
  absl::flat_hash_map<std::string, pv1::Position> facts;
  if (codes.empty()) return facts;
  Params params;
  for (const std::string& code : codes) params.push_back(db::Text(code));
  SEIMBANG_ASSIGN_OR_RETURN(auto rs, c.Query(absl::StrCat("SELECT p.code, ", kPositionFactCols,
                                                          " FROM positions p WHERE p.code IN (",
                                                          Placeholders(codes.size()), ")"),
                                             params));
  for (const Row& r : rs.rows) {
    std::string code = r.GetString(0);
    facts.emplace(code, PositionFactsFromRow(r, code));
  }
  for (const std::string& code : codes) {
    if (!facts.contains(code)) facts[code].set_code(code);
  }
  return facts;
}

// Appends FROM, WHERE, ORDER BY and LIMIT of an employee page to `sql` ("e" is the employee,
// "p" its position when join_positions); false when q's subtree names no unit (no rows).
absl::StatusOr<bool> AppendEmployeePage(db::Connection& c, const EmployeeQuery& q,
                                        bool join_positions, std::string* sql, Params* params) {
  *sql += join_positions ? " FROM employees e LEFT JOIN positions p ON p.code = e.position_code"
                         : " FROM employees e";
  std::string where = " WHERE e.nip > ?";
  params->push_back(db::Text(q.after_nip));
  if (q.unit_subtree != 0) {
    SEIMBANG_ASSIGN_OR_RETURN(
        auto row, c.QueryOne("SELECT path FROM units WHERE id = ?", {db::Int(q.unit_subtree)}));
    if (!row) return false;
    auto [lo, hi] = SubtreeRange(row->GetString(0));
    *sql += " JOIN units u ON u.id = e.unit_id";
    where += " AND u.path >= ? AND u.path < ?";
    params->push_back(db::Text(lo));
    params->push_back(db::Text(hi));
  }
  const auto text_filter = [&](const std::string& value, const char* condition) {
    if (value.empty()) return;
    where += condition;
    params->push_back(db::Text(value));
  };
  text_filter(q.agency_code, " AND e.agency_code = ?");
  text_filter(q.position_code, " AND e.position_code = ?");
  text_filter(q.job_family, " AND p.job_family = ?");
  if (q.employment_type != 0) {
    where += " AND e.employment_type = ?";
    params->push_back(db::Int(q.employment_type));
  }
  if (!q.active_on.empty()) {
    where += " AND (e.employment_status = ? OR e.status_since > ?)";
    params->push_back(db::Int(pv1::EMPLOYMENT_STATUS_ACTIVE));
    params->push_back(db::Text(q.active_on));
  }
  if (!q.name_contains.empty()) {
    text_filter(LikeContains(absl::AsciiStrToLower(q.name_contains)),
                " AND LOWER(e.name) LIKE ? ESCAPE '!'");
  }
  // Digits only: no LIKE metacharacters to escape.
  if (!q.nip_prefix.empty()) text_filter(q.nip_prefix + "%", " AND e.nip LIKE ?");
  absl::StrAppend(sql, where, " ORDER BY e.nip LIMIT ", q.limit);
  return true;
}

// "YYYY-MM-DD" column i of r as a date; {0, 0, 0} when NULL, empty or not a date.
domain::Date DateColumn(const Row& r, size_t i) {
  if (r.IsNull(i)) return {0, 0, 0};
  absl::StatusOr<domain::Date> d = domain::ParseDate(r.GetString(i));
  return d.ok() ? *d : domain::Date{0, 0, 0};
}

}  // namespace

absl::StatusOr<std::vector<EmployeeRecord>> Repository::ListEmployees(const EmployeeQuery& q) {
  SEIMBANG_ASSIGN_OR_RETURN(auto c, Connect());
  std::string sql = absl::StrCat("SELECT ", kEmployeeCols, ", ", kPositionFactCols);
  Params params;
  SEIMBANG_ASSIGN_OR_RETURN(bool any,
                            AppendEmployeePage(*c, q, /*join_positions=*/true, &sql, &params));
  std::vector<EmployeeRecord> out;
  if (!any) return out;
  SEIMBANG_ASSIGN_OR_RETURN(auto rs, c->Query(sql, params));
  out.reserve(rs.rows.size());
  for (const auto& r : rs.rows) {
    EmployeeRecord rec;
    rec.employee = EmployeeFromRow(r);
    rec.position = PositionFactsFromRow(r, rec.employee.position_code());
    out.push_back(std::move(rec));
  }
  return out;
}

absl::StatusOr<StaffingPage> Repository::ListStaffing(const EmployeeQuery& q) {
  SEIMBANG_ASSIGN_OR_RETURN(auto c, Connect());
  // The positions are read once per page (PositionFacts); only a job family filter joins them.
  std::string sql = absl::StrCat("SELECT ", kStaffingCols);
  Params params;
  SEIMBANG_ASSIGN_OR_RETURN(bool any,
                            AppendEmployeePage(*c, q, !q.job_family.empty(), &sql, &params));
  StaffingPage page;
  if (!any) return page;
  SEIMBANG_ASSIGN_OR_RETURN(auto rs, c->Query(sql, params));
  page.entries.reserve(rs.rows.size());
  std::vector<std::string> codes;
  for (const Row& r : rs.rows) {  // kStaffingCols, by index: this loop runs 6 M times nationally
    StaffingEntry& e = page.entries.emplace_back();
    e.nip = r.GetString(0);
    e.employment_type = static_cast<int>(r.GetInt(1));
    e.unit_id = r.GetInt(2);
    e.position_code = r.GetString(3);
    e.birth_date = DateColumn(r, 4);
    e.employment_status = static_cast<int>(r.GetInt(5));
    e.status_since = DateColumn(r, 6);
    if (codes.empty() || codes.back() != e.position_code) codes.push_back(e.position_code);
  }
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  SEIMBANG_ASSIGN_OR_RETURN(page.positions, PositionFacts(*c, codes));
  return page;
}

absl::StatusOr<std::vector<pv1::Employee>> Repository::EmployeesByNip(
    db::Connection& conn, const std::vector<std::string>& nips) {
  std::vector<pv1::Employee> out;
  // Chunks keep the statement small; the chunk size only varies in the last chunk.
  constexpr size_t kChunk = 500;
  for (size_t i = 0; i < nips.size(); i += kChunk) {
    size_t n = std::min(kChunk, nips.size() - i);
    Params params;
    for (size_t j = 0; j < n; ++j) params.push_back(db::Text(nips[i + j]));
    auto rs = conn.Query(absl::StrCat("SELECT ", kEmployeeCols,
                                      " FROM employees e WHERE e.nip IN (", Placeholders(n), ")"),
                         params);
    if (!rs.ok()) return rs.status();
    for (const auto& r : rs->rows) out.push_back(EmployeeFromRow(r));
  }
  return out;
}

absl::StatusOr<std::map<std::string, pv1::Placement>> Repository::LatestPlacements(
    db::Connection& conn, const std::vector<std::string>& nips) {
  std::map<std::string, pv1::Placement> out;
  constexpr size_t kChunk = 500;
  for (size_t i = 0; i < nips.size(); i += kChunk) {
    size_t n = std::min(kChunk, nips.size() - i);
    Params params;
    for (size_t j = 0; j < n; ++j) params.push_back(db::Text(nips[i + j]));
    auto rs = conn.Query(
        absl::StrCat("SELECT ", kPlacementCols, " FROM placements p WHERE p.nip IN (",
                     Placeholders(n),
                     ") AND p.id = (SELECT MAX(q.id) FROM placements q WHERE q.nip = p.nip)"),
        params);
    if (!rs.ok()) return rs.status();
    for (const auto& r : rs->rows) {
      pv1::Placement p = PlacementFromRow(r);
      out[p.nip()] = std::move(p);
    }
  }
  return out;
}

absl::StatusOr<std::vector<pv1::Employee>> Repository::BatchGetEmployees(
    const std::vector<std::string>& nips) {
  auto c = Connect();
  if (!c.ok()) return c.status();
  return EmployeesByNip(c->get(), nips);
}

absl::StatusOr<std::vector<pv1::Placement>> Repository::ListPlacements(const std::string& nip,
                                                                       int64_t before_id,
                                                                       int limit) {
  auto c = Connect();
  if (!c.ok()) return c.status();
  std::string sql = absl::StrCat("SELECT ", kPlacementCols, " FROM placements WHERE nip = ?");
  Params params = {db::Text(nip)};
  db::AndWhere(before_id > 0, "id < ?", db::Int(before_id), sql, params);
  absl::StrAppend(&sql, " ORDER BY id DESC LIMIT ", limit);
  auto rs = (*c)->Query(sql, params);
  if (!rs.ok()) return rs.status();
  std::vector<pv1::Placement> out;
  for (const auto& r : rs->rows) out.push_back(PlacementFromRow(r));
  return out;
}

absl::StatusOr<std::vector<pv1::WatchChangesResponse>> Repository::ListChanges(
    int64_t after_sequence, const std::string& agency_code, int limit) {
  auto c = Connect();
  if (!c.ok()) return c.status();
  std::string sql =
      "SELECT sequence, kind, agency_code, resource_id, change_time_ms, plan_id FROM changes "
      "WHERE sequence > ?";
  Params params = {db::Int(after_sequence)};
  db::AndWhere(!agency_code.empty(), "agency_code = ?", db::Text(agency_code), sql, params);
  absl::StrAppend(&sql, " ORDER BY sequence LIMIT ", limit);
  auto rs = (*c)->Query(sql, params);
  if (!rs.ok()) return rs.status();
  std::vector<pv1::WatchChangesResponse> out;
  for (const auto& r : rs->rows) {
    pv1::WatchChangesResponse w;
    w.set_sequence(r.GetInt(0));
    w.set_kind(static_cast<pv1::ChangeKind>(r.GetInt(1)));
    w.set_agency_code(r.GetString(2));
    w.set_resource_id(r.GetString(3));
    w.set_change_time_ms(r.GetInt(4));
    w.set_plan_id(r.GetString(5));
    out.push_back(std::move(w));
  }
  return out;
}

absl::StatusOr<std::vector<cv1::AuditEvent>> Repository::ListAuditEvents(const std::string& method,
                                                                         int64_t after_id,
                                                                         int limit) {
  SEIMBANG_ASSIGN_OR_RETURN(auto c, Connect());
  return audit::ListEvents(*c, method, after_id, limit);
}

}  // namespace seimbang::personnel
