#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/audit/audit_rows.h"
#include "common/db/time_format.h"
#include "services/personnel/repository.h"
#include "services/personnel/repository_rows.h"

namespace seimbang::personnel {

using namespace repository_rows;  // NOLINT: the row mapping of the same layer

namespace {

// The placement-history row of `nip` leaving `from`'s post for (to_unit_id, to_position_code) on
// `effective_date`; the caller adds why (reason, decree, plan).
pv1::Placement PlacementOf(const std::string& nip, const pv1::Employee& from, int64_t to_unit_id,
                           const std::string& to_position_code, const cv1::Date& effective_date) {
  pv1::Placement p;
  p.set_nip(nip);
  p.set_from_unit_id(from.unit_id());
  p.set_from_position_code(from.position_code());
  p.set_to_unit_id(to_unit_id);
  p.set_to_position_code(to_position_code);
  *p.mutable_effective_date() = effective_date;
  return p;
}

// ALREADY_EXISTS when another unit of the agency has u's external id (the unique key would
// also refuse it, with a message that names no unit).
absl::Status CheckExternalIdFree(Tx& tx, const pv1::Unit& u) {
  if (u.external_id().empty()) return absl::OkStatus();
  auto taken = tx.UnitIdByExternalId(u.agency_code(), u.external_id());
  if (!taken.ok()) return taken.status();
  if (*taken && **taken != u.id()) {
    return absl::AlreadyExistsError(absl::StrCat("external_id ", u.external_id(),
                                                 " is already unit ", **taken, " of agency ",
                                                 u.agency_code()));
  }
  return absl::OkStatus();
}

const std::vector<std::string>& NewEmployeeColumns() {
  static const auto* columns = [] {
    auto* c = new std::vector<std::string>{"nip"};
    for (const std::string& m : EmployeeMutableColumns()) c->push_back(m);
    c->push_back("version");
    return c;
  }();
  return *columns;
}

const std::vector<std::string>& PlacementColumns() {
  static const auto* columns =
      new std::vector<std::string>{"nip",        "from_unit_id",     "from_position_code",
                                   "to_unit_id", "to_position_code", "effective_date",
                                   "reason",     "decree_number",    "plan_id",
                                   "move_id",    "record_time_ms"};
  return *columns;
}

}  // namespace

// ------------------------------------------------------------------ Tx

absl::StatusOr<std::optional<pv1::Agency>> Tx::GetAgency(const std::string& code) {
  auto row = conn_.QueryOne(absl::StrCat("SELECT ", kAgencyCols, " FROM agencies WHERE code = ?"),
                            {db::Text(code)});
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  return AgencyFromRow(**row);
}

absl::StatusOr<std::optional<pv1::Unit>> Tx::GetUnit(int64_t id) {
  auto row =
      conn_.QueryOne(absl::StrCat("SELECT ", kUnitCols, " FROM units WHERE id = ?"), {db::Int(id)});
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  return UnitFromRow(**row);
}

absl::StatusOr<std::vector<pv1::Unit>> Tx::GetUnits(const std::vector<int64_t>& ids) {
  std::vector<pv1::Unit> out;
  constexpr size_t kChunk = 500;
  for (size_t i = 0; i < ids.size(); i += kChunk) {
    const size_t n = std::min(kChunk, ids.size() - i);
    Params params;
    params.reserve(n);
    for (size_t j = 0; j < n; ++j) params.push_back(db::Int(ids[i + j]));
    auto rs = conn_.Query(
        absl::StrCat("SELECT ", kUnitCols, " FROM units WHERE id IN (", Placeholders(n), ")"),
        params);
    if (!rs.ok()) return rs.status();
    for (const auto& r : rs->rows) out.push_back(UnitFromRow(r));
  }
  return out;
}

absl::StatusOr<std::optional<pv1::Position>> Tx::GetPosition(const std::string& code) {
  auto row = conn_.QueryOne(
      absl::StrCat("SELECT ", kPositionCols, " FROM positions WHERE code = ?"), {db::Text(code)});
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  return PositionFromRow(**row);
}

absl::StatusOr<std::optional<pv1::Employee>> Tx::GetEmployee(const std::string& nip,
                                                             bool for_update) {
  auto row =
      conn_.QueryOne(absl::StrCat("SELECT ", kEmployeeCols, " FROM employees e WHERE e.nip = ?",
                                  for_update ? ForUpdate(conn_) : ""),
                     {db::Text(nip)});
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  return EmployeeFromRow(**row);
}

absl::StatusOr<pv1::Agency> Tx::InsertAgency(pv1::Agency a) {
  a.set_create_time_ms(db::NowUnixMillis());
  auto n = conn_.Execute(
      "INSERT INTO agencies (code, name, kind, province_code, create_time_ms) VALUES (?,?,?,?,?)",
      {db::Text(a.code()), db::Text(a.name()), db::Int(a.kind()), db::Text(a.province_code()),
       db::Int(a.create_time_ms())});
  if (absl::IsAlreadyExists(n.status())) {
    return absl::AlreadyExistsError(absl::StrCat("agency ", a.code(), " already exists"));
  }
  if (!n.ok()) return n.status();
  return a;
}

absl::Status Tx::UpdateAgency(const pv1::Agency& a) {
  return conn_
      .Execute(
          "UPDATE agencies SET name = ?, kind = ?, province_code = ? WHERE code = ?",
          {db::Text(a.name()), db::Int(a.kind()), db::Text(a.province_code()), db::Text(a.code())})
      .status();
}

absl::StatusOr<std::optional<int64_t>> Tx::UnitIdByExternalId(const std::string& agency_code,
                                                              const std::string& external_id) {
  auto row = conn_.QueryOne("SELECT id FROM units WHERE agency_code = ? AND external_id = ?",
                            {db::Text(agency_code), db::Text(external_id)});
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>((*row)->GetInt(0));
}

absl::StatusOr<pv1::Unit> Tx::InsertUnit(pv1::Unit u) {
  if (auto st = CheckExternalIdFree(*this, u); !st.ok()) return st;
  std::string parent_path = "/";
  if (u.parent_id() != 0) {
    auto parent = GetUnit(u.parent_id());
    if (!parent.ok()) return parent.status();
    if (!*parent) {
      return absl::FailedPreconditionError(
          absl::StrCat("parent unit ", u.parent_id(), " does not exist"));
    }
    auto row = conn_.QueryOne("SELECT path FROM units WHERE id = ?", {db::Int(u.parent_id())});
    if (!row.ok()) return row.status();
    parent_path = (*row)->GetString(0);
  }
  Params params = {db::Text(u.agency_code()),
                   db::Int(u.parent_id()),
                   db::Text(u.name()),
                   db::Int(u.kind()),
                   db::Text(u.kecamatan()),
                   db::Real(u.location().latitude()),
                   db::Real(u.location().longitude()),
                   db::Bool(u.active()),
                   ExternalIdValue(u)};
  absl::StatusOr<int64_t> n;
  if (u.id() > 0) {
    params.insert(params.begin(), db::Int(u.id()));
    params.push_back(db::Text(absl::StrCat(parent_path, u.id(), "/")));
    n = conn_.Execute(
        "INSERT INTO units (id, agency_code, parent_id, name, kind, kecamatan, latitude, "
        "longitude, active, external_id, version, path) VALUES (?,?,?,?,?,?,?,?,?,?,1,?)",
        params);
  } else {
    n = conn_.Execute(
        "INSERT INTO units (agency_code, parent_id, name, kind, kecamatan, latitude, longitude, "
        "active, external_id, version, path) VALUES (?,?,?,?,?,?,?,?,?,1,'')",
        params);
    if (n.ok()) {
      auto id = conn_.LastInsertId();
      if (!id.ok()) return id.status();
      u.set_id(*id);
      n = conn_.Execute("UPDATE units SET path = ? WHERE id = ?",
                        {db::Text(absl::StrCat(parent_path, u.id(), "/")), db::Int(u.id())});
    }
  }
  if (absl::IsAlreadyExists(n.status())) {
    return absl::AlreadyExistsError(absl::StrCat("unit ", u.id(), " already exists"));
  }
  if (!n.ok()) return n.status();
  u.set_etag("1");
  return u;
}

absl::StatusOr<pv1::Unit> Tx::UpdateUnit(pv1::Unit u, int64_t expected_version) {
  auto row = conn_.QueryOne(
      absl::StrCat("SELECT version, path, parent_id, agency_code FROM units WHERE id = ?",
                   ForUpdate(conn_)),
      {db::Int(u.id())});
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError(absl::StrCat("unit ", u.id(), " not found"));
  int64_t version = (*row)->GetInt("version");
  if (expected_version >= 0 && version != expected_version) {
    return absl::AbortedError(absl::StrCat("unit ", u.id(), " was changed by someone else (etag ",
                                           version, ", given ", expected_version, ")"));
  }
  std::string old_path = (*row)->GetString("path");
  u.set_agency_code((*row)->GetString("agency_code"));  // a unit never changes agency
  if (auto st = CheckExternalIdFree(*this, u); !st.ok()) return st;
  if (u.parent_id() != (*row)->GetInt("parent_id")) {
    std::string new_parent_path = "/";
    if (u.parent_id() != 0) {
      auto prow = conn_.QueryOne("SELECT path, agency_code FROM units WHERE id = ?",
                                 {db::Int(u.parent_id())});
      if (!prow.ok()) return prow.status();
      if (!*prow) {
        return absl::FailedPreconditionError(
            absl::StrCat("parent unit ", u.parent_id(), " does not exist"));
      }
      new_parent_path = (*prow)->GetString("path");
      if (new_parent_path.rfind(old_path, 0) == 0) {
        return absl::FailedPreconditionError(
            absl::StrCat("unit ", u.parent_id(), " is inside the subtree of unit ", u.id()));
      }
    }
    std::string new_path = absl::StrCat(new_parent_path, u.id(), "/");
    auto [lo, hi] = SubtreeRange(old_path);
    auto rows = conn_.Query("SELECT id, path FROM units WHERE path >= ? AND path < ?",
                            {db::Text(lo), db::Text(hi)});
    if (!rows.ok()) return rows.status();
    for (const auto& r : rows->rows) {
      std::string p = r.GetString(1);
      auto st = conn_.Execute("UPDATE units SET path = ? WHERE id = ?",
                              {db::Text(new_path + p.substr(old_path.size())), r.at(0)});
      if (!st.ok()) return st.status();
    }
  }
  auto n = conn_.Execute(
      "UPDATE units SET parent_id = ?, name = ?, kind = ?, kecamatan = ?, latitude = ?, "
      "longitude = ?, active = ?, external_id = ?, version = version + 1 WHERE id = ?",
      {db::Int(u.parent_id()), db::Text(u.name()), db::Int(u.kind()), db::Text(u.kecamatan()),
       db::Real(u.location().latitude()), db::Real(u.location().longitude()), db::Bool(u.active()),
       ExternalIdValue(u), db::Int(u.id())});
  if (!n.ok()) return n.status();
  u.set_etag(absl::StrCat(version + 1));
  return u;
}

absl::Status Tx::InsertPosition(const pv1::Position& p) {
  Params params = PositionParams(p);
  params.insert(params.begin(), db::Text(p.code()));
  auto n = conn_.Execute(absl::StrCat("INSERT INTO positions (", kPositionCols, ") VALUES (",
                                      Placeholders(params.size()), ")"),
                         params);
  if (absl::IsAlreadyExists(n.status())) {
    return absl::AlreadyExistsError(absl::StrCat("position ", p.code(), " already exists"));
  }
  return n.status();
}

absl::Status Tx::UpdatePosition(const pv1::Position& p) {
  return conn_
      .Execute(
          "UPDATE positions SET name = ?, kind = ?, level = ?, job_family = ?, rank_min = ?, "
          "rank_max = ?, min_education = ?, retirement_age = ?, pelaksana_class = ? "
          "WHERE code = ?",
          [&] {
            Params params = PositionParams(p);
            params.push_back(db::Text(p.code()));
            return params;
          }())
      .status();
}

absl::StatusOr<pv1::Employee> Tx::InsertEmployee(pv1::Employee e) {
  Params params = EmployeeParams(e);
  params.insert(params.begin(), db::Text(e.nip()));
  auto n = conn_.Execute(
      absl::StrCat("INSERT INTO employees (nip, ", absl::StrJoin(EmployeeMutableColumns(), ", "),
                   ", version) VALUES (?,", Placeholders(EmployeeMutableColumns().size()), ",1)"),
      params);
  if (absl::IsAlreadyExists(n.status())) {
    return absl::AlreadyExistsError(absl::StrCat("employee ", e.nip(), " already exists"));
  }
  if (!n.ok()) return n.status();
  pv1::Placement p;
  p.set_nip(e.nip());
  p.set_to_unit_id(e.unit_id());
  p.set_to_position_code(e.position_code());
  *p.mutable_effective_date() = e.in_post_since();
  p.set_reason(pv1::PLACEMENT_REASON_INITIAL);
  if (auto st = InsertPlacement(conn_, p); !st.ok()) return st;
  e.set_version(1);
  e.set_etag("1");
  return e;
}

Tx::NewEmployeeRows Tx::PrepareNewEmployees(const std::vector<pv1::Employee>& employees,
                                            bool load_data) {
  const int64_t now = db::NowUnixMillis();
  std::vector<Params> rows, placements;
  rows.reserve(employees.size());
  placements.reserve(employees.size());
  for (const pv1::Employee& e : employees) {
    Params row;
    row.reserve(NewEmployeeColumns().size());
    row.push_back(db::Text(e.nip()));
    for (auto& v : EmployeeParams(e)) row.push_back(std::move(v));
    row.push_back(db::Int(1));
    rows.push_back(std::move(row));
    placements.push_back({db::Text(e.nip()), db::Int(0), db::Text(""), db::Int(e.unit_id()),
                          db::Text(e.position_code()), DateValue(e.in_post_since()),
                          db::Int(pv1::PLACEMENT_REASON_INITIAL), db::Text(""), db::Text(""),
                          db::Text(""), db::Int(now)});
  }
  return {db::PrepareBulkRows(std::move(rows), load_data),
          db::PrepareBulkRows(std::move(placements), load_data)};
}

absl::Status Tx::InsertEmployees(const NewEmployeeRows& rows) {
  // LOAD DATA on MySQL/MariaDB, multi-row INSERTs on SQLite; each employee gets its INITIAL
  // placement in the same transaction.
  if (rows.employees.rows.empty()) return absl::OkStatus();
  if (auto r = conn_.InsertBulkRows("employees", NewEmployeeColumns(), rows.employees); !r.ok()) {
    return r.status();
  }
  return conn_.InsertBulkRows("placements", PlacementColumns(), rows.placements).status();
}

absl::Status Tx::WriteChanges(const std::vector<pv1::WatchChangesResponse>& changes) {
  if (changes.empty()) return absl::OkStatus();
  if (auto st = LockChangeFeed(); !st.ok()) return st;
  const int64_t now = db::NowUnixMillis();
  std::vector<Params> rows;
  rows.reserve(changes.size());
  for (const auto& c : changes) rows.push_back(ChangeParams(c, now));
  return conn_.InsertRows("changes", ChangeColumns(), rows).status();
}

absl::StatusOr<pv1::Employee> Tx::UpdateEmployee(pv1::Employee e, int64_t expected_version,
                                                 pv1::PlacementReason reason,
                                                 const std::string& decree_number) {
  auto current = GetEmployee(e.nip(), /*for_update=*/true);
  if (!current.ok()) return current.status();
  if (!*current) return absl::NotFoundError(absl::StrCat("employee ", e.nip(), " not found"));
  const pv1::Employee& old = **current;
  if (expected_version >= 0 && old.version() != expected_version) {
    return absl::AbortedError(absl::StrCat("employee was changed by someone else (etag ",
                                           old.version(), ", given ", expected_version, ")"));
  }
  Params params = EmployeeParams(e);
  params.push_back(db::Text(e.nip()));
  auto n = conn_.Execute(
      absl::StrCat("UPDATE employees SET ", absl::StrJoin(EmployeeMutableColumns(), " = ?, "),
                   " = ?, version = version + 1 WHERE nip = ?"),
      params);
  if (!n.ok()) return n.status();
  if (old.unit_id() != e.unit_id() || old.position_code() != e.position_code()) {
    pv1::Placement p = PlacementOf(e.nip(), old, e.unit_id(), e.position_code(), e.in_post_since());
    p.set_reason(reason);
    p.set_decree_number(decree_number);
    if (auto st = InsertPlacement(conn_, p); !st.ok()) return st;
  }
  e.set_version(old.version() + 1);
  e.set_etag(absl::StrCat(e.version()));
  return e;
}

absl::Status Tx::ApplyMove(const pv1::Employee& current, const pv1::TransferMove& move,
                           const std::string& to_agency) {
  auto n = conn_.Execute(
      "UPDATE employees SET unit_id = ?, position_code = ?, in_post_since = ?, agency_code = ?, "
      "version = version + 1 WHERE nip = ?",
      {db::Int(move.to_unit_id()), db::Text(move.to_position_code()),
       DateValue(move.effective_date()), db::Text(to_agency), db::Text(current.nip())});
  if (!n.ok()) return n.status();
  pv1::Placement p = PlacementOf(current.nip(), current, move.to_unit_id(), move.to_position_code(),
                                 move.effective_date());
  p.set_reason(pv1::PLACEMENT_REASON_TRANSFER);
  p.set_decree_number(move.decree_number());
  p.set_plan_id(move.plan_id());
  p.set_move_id(move.move_id());
  return InsertPlacement(conn_, p);
}

absl::StatusOr<std::optional<MoveOutcomeRecord>> Tx::GetMoveOutcome(const std::string& plan_id,
                                                                    const std::string& move_id) {
  auto row = conn_.QueryOne(
      "SELECT outcome, detail FROM transfer_outcomes WHERE plan_id = ? AND move_id = ?",
      {db::Text(plan_id), db::Text(move_id)});
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  return MoveOutcomeRecord{static_cast<int>((*row)->GetInt(0)), (*row)->GetString(1)};
}

absl::Status Tx::RecordMoveOutcome(const std::string& plan_id, const std::string& move_id,
                                   const MoveOutcomeRecord& outcome) {
  return conn_
      .Execute(
          "INSERT INTO transfer_outcomes (plan_id, move_id, outcome, detail, record_time_ms) "
          "VALUES (?,?,?,?,?)",
          {db::Text(plan_id), db::Text(move_id), db::Int(outcome.outcome), db::Text(outcome.detail),
           db::Int(db::NowUnixMillis())})
      .status();
}

absl::Status Tx::LockChangeFeed() {
  if (feed_locked_ || conn_.dialect() == db::Dialect::kSqlite) return absl::OkStatus();
  auto locked = conn_.Query("SELECT id FROM change_feed_lock WHERE id = 1 FOR UPDATE");
  if (!locked.ok()) return locked.status();
  feed_locked_ = true;
  return absl::OkStatus();
}

absl::Status Tx::WriteChange(pv1::ChangeKind kind, const std::string& agency_code,
                             const std::string& resource_id, const std::string& plan_id) {
  if (auto st = LockChangeFeed(); !st.ok()) return st;
  return conn_
      .Execute(
          "INSERT INTO changes (kind, agency_code, resource_id, change_time_ms, plan_id) "
          "VALUES (?,?,?,?,?)",
          {db::Int(kind), db::Text(agency_code), db::Text(resource_id),
           db::Int(db::NowUnixMillis()), db::Text(plan_id)})
      .status();
}

absl::Status Tx::WriteAudit(const AuditContext& a, const std::string& resource,
                            const std::string& agency_code) {
  cv1::AuditEvent e;  // time 0: now
  e.set_subject(a.subject);
  e.set_role(a.role);
  e.set_method(a.method);
  e.set_resource(resource);
  e.set_request_id(a.request_id);
  e.set_agency_code(agency_code);
  return audit::InsertEvent(conn_, e);
}

}  // namespace seimbang::personnel
