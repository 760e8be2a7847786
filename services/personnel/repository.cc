#include "services/personnel/repository.h"

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/db/time_format.h"

namespace seimbang::personnel {
namespace {

using db::Params;
using db::Row;
using db::Value;

constexpr char kAgencyCols[] = "code, name, kind, province_code, create_time_ms";
constexpr char kUnitCols[] =
    "id, agency_code, parent_id, name, kind, kecamatan, latitude, longitude, active, version, "
    "path";
constexpr char kPositionCols[] =
    "code, name, kind, level, job_family, rank_min, rank_max, min_education, retirement_age";
// Prefixed with e. so the list works in joins too.
constexpr char kEmployeeCols[] =
    "e.nip, e.name, e.employment_type, e.rank_text, e.education_level, e.education_field, "
    "e.competency_tags, e.performance_ratings, e.disciplinary_process, e.judicial_process, "
    "e.study_assignment, e.service_bond_until, e.leave_until, e.unit_id, e.position_code, "
    "e.in_post_since, e.home_kecamatan, e.home_latitude, e.home_longitude, e.birth_date, "
    "e.gender, e.appointment, e.agency_code, e.version";
constexpr char kPlacementCols[] =
    "id, nip, from_unit_id, from_position_code, to_unit_id, to_position_code, effective_date, "
    "reason, decree_number, plan_id, move_id, record_time_ms";

Value DateValue(const cv1::Date& d) { return IsSetDate(d) ? db::Text(DateToText(d)) : db::Null(); }

void SetDate(const Row& row, std::string_view col, cv1::Date* out) {
  if (auto text = row.GetOptionalString(col); text && !text->empty()) {
    if (auto d = TextToDate(*text)) *out = *d;
  }
}

pv1::Agency AgencyFromRow(const Row& r) {
  pv1::Agency a;
  a.set_code(r.GetString("code"));
  a.set_name(r.GetString("name"));
  a.set_kind(static_cast<pv1::AgencyKind>(r.GetInt("kind")));
  a.set_province_code(r.GetString("province_code"));
  a.set_create_time_ms(r.GetInt("create_time_ms"));
  return a;
}

pv1::Unit UnitFromRow(const Row& r) {
  pv1::Unit u;
  u.set_id(r.GetInt("id"));
  u.set_agency_code(r.GetString("agency_code"));
  u.set_parent_id(r.GetInt("parent_id"));
  u.set_name(r.GetString("name"));
  u.set_kind(static_cast<pv1::UnitKind>(r.GetInt("kind")));
  u.set_kecamatan(r.GetString("kecamatan"));
  double lat = r.GetDouble("latitude"), lng = r.GetDouble("longitude");
  if (lat != 0 || lng != 0) {
    u.mutable_location()->set_latitude(lat);
    u.mutable_location()->set_longitude(lng);
  }
  u.set_active(r.GetBool("active"));
  u.set_etag(absl::StrCat(r.GetInt("version")));
  return u;
}

pv1::Position PositionFromRow(const Row& r) {
  pv1::Position p;
  p.set_code(r.GetString("code"));
  p.set_name(r.GetString("name"));
  p.set_kind(static_cast<pv1::PositionKind>(r.GetInt("kind")));
  p.set_level(static_cast<pv1::FunctionalLevel>(r.GetInt("level")));
  p.set_job_family(r.GetString("job_family"));
  p.set_rank_min(r.GetString("rank_min"));
  p.set_rank_max(r.GetString("rank_max"));
  p.set_min_education(static_cast<pv1::EducationLevel>(r.GetInt("min_education")));
  p.set_retirement_age(static_cast<int32_t>(r.GetInt("retirement_age")));
  return p;
}

std::vector<std::string> SplitList(const std::string& s) {
  if (s.empty()) return {};
  return absl::StrSplit(s, ',');
}

pv1::Employee EmployeeFromRow(const Row& r) {
  pv1::Employee e;
  e.set_nip(r.GetString("nip"));
  e.set_name(r.GetString("name"));
  e.set_employment_type(static_cast<pv1::EmploymentType>(r.GetInt("employment_type")));
  e.set_rank(r.GetString("rank_text"));
  e.set_education_level(static_cast<pv1::EducationLevel>(r.GetInt("education_level")));
  e.set_education_field(r.GetString("education_field"));
  for (auto& t : SplitList(r.GetString("competency_tags"))) e.add_competency_tags(t);
  for (auto& t : SplitList(r.GetString("performance_ratings"))) e.add_performance_ratings(t);
  auto* f = e.mutable_flags();
  f->set_disciplinary_process(r.GetBool("disciplinary_process"));
  f->set_judicial_process(r.GetBool("judicial_process"));
  f->set_study_assignment(r.GetBool("study_assignment"));
  SetDate(r, "service_bond_until", f->mutable_service_bond_until());
  SetDate(r, "leave_until", f->mutable_leave_until());
  if (!f->has_service_bond_until() || !IsSetDate(f->service_bond_until())) {
    f->clear_service_bond_until();
  }
  if (!IsSetDate(f->leave_until())) f->clear_leave_until();
  e.set_unit_id(r.GetInt("unit_id"));
  e.set_position_code(r.GetString("position_code"));
  SetDate(r, "in_post_since", e.mutable_in_post_since());
  if (!IsSetDate(e.in_post_since())) e.clear_in_post_since();
  e.set_home_kecamatan(r.GetString("home_kecamatan"));
  double lat = r.GetDouble("home_latitude"), lng = r.GetDouble("home_longitude");
  if (lat != 0 || lng != 0) {
    e.mutable_home_location()->set_latitude(lat);
    e.mutable_home_location()->set_longitude(lng);
  }
  SetDate(r, "birth_date", e.mutable_birth_date());
  e.set_gender(static_cast<pv1::Gender>(r.GetInt("gender")));
  std::string appointment = r.GetString("appointment");
  int y = 0, m = 0;
  if (appointment.size() == 7 && absl::SimpleAtoi(appointment.substr(0, 4), &y) &&
      absl::SimpleAtoi(appointment.substr(5, 2), &m)) {
    e.mutable_appointment()->set_year(y);
    e.mutable_appointment()->set_month(m);
  }
  e.set_agency_code(r.GetString("agency_code"));
  e.set_version(r.GetInt("version"));
  e.set_etag(absl::StrCat(e.version()));
  return e;
}

pv1::Placement PlacementFromRow(const Row& r) {
  pv1::Placement p;
  p.set_id(r.GetInt("id"));
  p.set_nip(r.GetString("nip"));
  p.set_from_unit_id(r.GetInt("from_unit_id"));
  p.set_from_position_code(r.GetString("from_position_code"));
  p.set_to_unit_id(r.GetInt("to_unit_id"));
  p.set_to_position_code(r.GetString("to_position_code"));
  SetDate(r, "effective_date", p.mutable_effective_date());
  if (!IsSetDate(p.effective_date())) p.clear_effective_date();
  p.set_reason(static_cast<pv1::PlacementReason>(r.GetInt("reason")));
  p.set_decree_number(r.GetString("decree_number"));
  p.set_plan_id(r.GetString("plan_id"));
  p.set_move_id(r.GetString("move_id"));
  p.set_record_time_ms(r.GetInt("record_time_ms"));
  return p;
}

// Parameters of the mutable employee columns, in kEmployeeCols order minus nip/version.
Params EmployeeParams(const pv1::Employee& e) {
  const auto& f = e.flags();
  std::string appointment =
      e.has_appointment() && e.appointment().year() > 0
          ? absl::StrFormat("%04d-%02d", e.appointment().year(), e.appointment().month())
          : "";
  return {db::Text(e.name()),
          db::Int(e.employment_type()),
          db::Text(e.rank()),
          db::Int(e.education_level()),
          db::Text(e.education_field()),
          db::Text(absl::StrJoin(e.competency_tags(), ",")),
          db::Text(absl::StrJoin(e.performance_ratings(), ",")),
          db::Bool(f.disciplinary_process()),
          db::Bool(f.judicial_process()),
          db::Bool(f.study_assignment()),
          DateValue(f.service_bond_until()),
          DateValue(f.leave_until()),
          db::Int(e.unit_id()),
          db::Text(e.position_code()),
          DateValue(e.in_post_since()),
          db::Text(e.home_kecamatan()),
          db::Real(e.home_location().latitude()),
          db::Real(e.home_location().longitude()),
          db::Text(DateToText(e.birth_date())),
          db::Int(e.gender()),
          db::Text(appointment),
          db::Text(e.agency_code())};
}

std::string Placeholders(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) absl::StrAppend(&s, i ? ",?" : "?");
  return s;
}

absl::Status InsertPlacement(db::Connection& c, const pv1::Placement& p) {
  return c
      .Execute(
          "INSERT INTO placements (nip, from_unit_id, from_position_code, to_unit_id, "
          "to_position_code, effective_date, reason, decree_number, plan_id, move_id, "
          "record_time_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
          {db::Text(p.nip()), db::Int(p.from_unit_id()), db::Text(p.from_position_code()),
           db::Int(p.to_unit_id()), db::Text(p.to_position_code()), DateValue(p.effective_date()),
           db::Int(p.reason()), db::Text(p.decree_number()), db::Text(p.plan_id()),
           db::Text(p.move_id()), db::Int(db::NowUnixMillis())})
      .status();
}

std::string ForUpdate(db::Connection& c) {
  // SQLite transactions are BEGIN IMMEDIATE: the whole database is already locked for writes.
  return c.dialect() == db::Dialect::kMysql ? " FOR UPDATE" : "";
}

}  // namespace

bool IsSetDate(const cv1::Date& d) { return d.year() != 0 || d.month() != 0 || d.day() != 0; }

std::string DateToText(const cv1::Date& d) {
  if (!IsSetDate(d)) return "";
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

std::optional<cv1::Date> TextToDate(const std::string& text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || !absl::SimpleAtoi(text.substr(0, 4), &y) ||
      !absl::SimpleAtoi(text.substr(5, 2), &m) || !absl::SimpleAtoi(text.substr(8, 2), &d)) {
    return std::nullopt;
  }
  cv1::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

std::pair<std::string, std::string> SubtreeRange(const std::string& path) {
  // '0' is the character after '/', so [path, path-with-last-'/'-as-'0') is exactly the subtree.
  std::string end = path;
  if (!end.empty()) end.back() = '0';
  return {path, end};
}

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

absl::StatusOr<pv1::Unit> Tx::InsertUnit(pv1::Unit u) {
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
                   db::Bool(u.active())};
  absl::StatusOr<int64_t> n;
  if (u.id() > 0) {
    params.insert(params.begin(), db::Int(u.id()));
    params.push_back(db::Text(absl::StrCat(parent_path, u.id(), "/")));
    n = conn_.Execute(
        "INSERT INTO units (id, agency_code, parent_id, name, kind, kecamatan, latitude, "
        "longitude, active, version, path) VALUES (?,?,?,?,?,?,?,?,?,1,?)",
        params);
  } else {
    n = conn_.Execute(
        "INSERT INTO units (agency_code, parent_id, name, kind, kecamatan, latitude, longitude, "
        "active, version, path) VALUES (?,?,?,?,?,?,?,?,1,'')",
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
      "longitude = ?, active = ?, version = version + 1 WHERE id = ?",
      {db::Int(u.parent_id()), db::Text(u.name()), db::Int(u.kind()), db::Text(u.kecamatan()),
       db::Real(u.location().latitude()), db::Real(u.location().longitude()), db::Bool(u.active()),
       db::Int(u.id())});
  if (!n.ok()) return n.status();
  u.set_etag(absl::StrCat(version + 1));
  return u;
}

absl::Status Tx::InsertPosition(const pv1::Position& p) {
  auto n = conn_.Execute(
      absl::StrCat("INSERT INTO positions (", kPositionCols, ") VALUES (?,?,?,?,?,?,?,?,?)"),
      {db::Text(p.code()), db::Text(p.name()), db::Int(p.kind()), db::Int(p.level()),
       db::Text(p.job_family()), db::Text(p.rank_min()), db::Text(p.rank_max()),
       db::Int(p.min_education()), db::Int(p.retirement_age())});
  if (absl::IsAlreadyExists(n.status())) {
    return absl::AlreadyExistsError(absl::StrCat("position ", p.code(), " already exists"));
  }
  return n.status();
}

absl::Status Tx::UpdatePosition(const pv1::Position& p) {
  return conn_
      .Execute(
          "UPDATE positions SET name = ?, kind = ?, level = ?, job_family = ?, rank_min = ?, "
          "rank_max = ?, min_education = ?, retirement_age = ? WHERE code = ?",
          {db::Text(p.name()), db::Int(p.kind()), db::Int(p.level()), db::Text(p.job_family()),
           db::Text(p.rank_min()), db::Text(p.rank_max()), db::Int(p.min_education()),
           db::Int(p.retirement_age()), db::Text(p.code())})
      .status();
}

absl::StatusOr<pv1::Employee> Tx::InsertEmployee(pv1::Employee e) {
  Params params = EmployeeParams(e);
  params.insert(params.begin(), db::Text(e.nip()));
  auto n = conn_.Execute(
      "INSERT INTO employees (nip, name, employment_type, rank_text, education_level, "
      "education_field, competency_tags, performance_ratings, disciplinary_process, "
      "judicial_process, study_assignment, service_bond_until, leave_until, unit_id, "
      "position_code, in_post_since, home_kecamatan, home_latitude, home_longitude, birth_date, "
      "gender, appointment, agency_code, version) VALUES "
      "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)",
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

absl::Status Tx::InsertEmployees(const std::vector<pv1::Employee>& employees) {
  // Bulk rows (db::Connection::InsertRows): LOAD DATA on MySQL/MariaDB, multi-row INSERTs on
  // SQLite. Each employee gets its INITIAL placement in the same transaction.
  static const std::vector<std::string> kEmployeeColumns = {"nip",
                                                            "name",
                                                            "employment_type",
                                                            "rank_text",
                                                            "education_level",
                                                            "education_field",
                                                            "competency_tags",
                                                            "performance_ratings",
                                                            "disciplinary_process",
                                                            "judicial_process",
                                                            "study_assignment",
                                                            "service_bond_until",
                                                            "leave_until",
                                                            "unit_id",
                                                            "position_code",
                                                            "in_post_since",
                                                            "home_kecamatan",
                                                            "home_latitude",
                                                            "home_longitude",
                                                            "birth_date",
                                                            "gender",
                                                            "appointment",
                                                            "agency_code",
                                                            "version"};
  static const std::vector<std::string> kPlacementColumns = {
      "nip",        "from_unit_id",     "from_position_code",
      "to_unit_id", "to_position_code", "effective_date",
      "reason",     "decree_number",    "plan_id",
      "move_id",    "record_time_ms"};
  if (employees.empty()) return absl::OkStatus();
  const int64_t now = db::NowUnixMillis();
  std::vector<Params> rows, placements;
  rows.reserve(employees.size());
  placements.reserve(employees.size());
  for (const pv1::Employee& e : employees) {
    Params row;
    row.reserve(kEmployeeColumns.size());
    row.push_back(db::Text(e.nip()));
    for (auto& v : EmployeeParams(e)) row.push_back(std::move(v));
    row.push_back(db::Int(1));
    rows.push_back(std::move(row));
    placements.push_back({db::Text(e.nip()), db::Int(0), db::Text(""), db::Int(e.unit_id()),
                          db::Text(e.position_code()), DateValue(e.in_post_since()),
                          db::Int(pv1::PLACEMENT_REASON_INITIAL), db::Text(""), db::Text(""),
                          db::Text(""), db::Int(now)});
  }
  if (auto r = conn_.InsertRows("employees", kEmployeeColumns, rows); !r.ok()) return r.status();
  if (auto r = conn_.InsertRows("placements", kPlacementColumns, placements); !r.ok()) {
    return r.status();
  }
  return absl::OkStatus();
}

absl::Status Tx::WriteChanges(const std::vector<pv1::WatchChangesResponse>& changes) {
  static const std::vector<std::string> kColumns = {"kind", "agency_code", "resource_id",
                                                    "change_time_ms", "plan_id"};
  if (changes.empty()) return absl::OkStatus();
  if (auto st = LockChangeFeed(); !st.ok()) return st;
  const int64_t now = db::NowUnixMillis();
  std::vector<Params> rows;
  rows.reserve(changes.size());
  for (const auto& c : changes) {
    rows.push_back({db::Int(c.kind()), db::Text(c.agency_code()), db::Text(c.resource_id()),
                    db::Int(now), db::Text(c.plan_id())});
  }
  return conn_.InsertRows("changes", kColumns, rows).status();
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
      "UPDATE employees SET name = ?, employment_type = ?, rank_text = ?, education_level = ?, "
      "education_field = ?, competency_tags = ?, performance_ratings = ?, "
      "disciplinary_process = ?, judicial_process = ?, study_assignment = ?, "
      "service_bond_until = ?, leave_until = ?, unit_id = ?, position_code = ?, "
      "in_post_since = ?, home_kecamatan = ?, home_latitude = ?, home_longitude = ?, "
      "birth_date = ?, gender = ?, appointment = ?, agency_code = ?, version = version + 1 "
      "WHERE nip = ?",
      params);
  if (!n.ok()) return n.status();
  if (old.unit_id() != e.unit_id() || old.position_code() != e.position_code()) {
    pv1::Placement p;
    p.set_nip(e.nip());
    p.set_from_unit_id(old.unit_id());
    p.set_from_position_code(old.position_code());
    p.set_to_unit_id(e.unit_id());
    p.set_to_position_code(e.position_code());
    *p.mutable_effective_date() = e.in_post_since();
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
  pv1::Placement p;
  p.set_nip(current.nip());
  p.set_from_unit_id(current.unit_id());
  p.set_from_position_code(current.position_code());
  p.set_to_unit_id(move.to_unit_id());
  p.set_to_position_code(move.to_position_code());
  *p.mutable_effective_date() = move.effective_date();
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
  return conn_
      .Execute(
          "INSERT INTO audit_events (time_ms, subject, role, method, resource, request_id, "
          "agency_code) VALUES (?,?,?,?,?,?,?)",
          {db::Int(db::NowUnixMillis()), db::Text(a.subject), db::Text(a.role), db::Text(a.method),
           db::Text(resource), db::Text(a.request_id), db::Text(agency_code)})
      .status();
}

// ------------------------------------------------------------------ Repository

absl::StatusOr<Repository::WriteResult> Repository::Write(
    const idempotency::Key& key, const std::function<absl::StatusOr<std::string>(Tx&)>& fn) {
  return idempotency::Run(pool_, key, [&](db::Connection& c) -> absl::StatusOr<std::string> {
    Tx tx(c);
    return fn(tx);
  });
}

absl::StatusOr<std::optional<pv1::Agency>> Repository::GetAgency(const std::string& code) {
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  Tx tx(c->get());
  return tx.GetAgency(code);
}

absl::StatusOr<std::vector<pv1::Agency>> Repository::ListAgencies(const std::string& province_code,
                                                                  const std::string& after_code,
                                                                  int limit) {
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  std::string sql = absl::StrCat("SELECT ", kAgencyCols, " FROM agencies WHERE code > ?");
  Params params = {db::Text(after_code)};
  if (!province_code.empty()) {
    sql += " AND province_code = ?";
    params.push_back(db::Text(province_code));
  }
  absl::StrAppend(&sql, " ORDER BY code LIMIT ", limit);
  auto rs = (*c)->Query(sql, params);
  if (!rs.ok()) return rs.status();
  std::vector<pv1::Agency> out;
  for (const auto& r : rs->rows) out.push_back(AgencyFromRow(r));
  return out;
}

absl::StatusOr<std::optional<pv1::Unit>> Repository::GetUnit(int64_t id) {
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  Tx tx(c->get());
  return tx.GetUnit(id);
}

absl::StatusOr<std::vector<pv1::Unit>> Repository::ListUnits(const UnitQuery& q) {
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  std::string sql = absl::StrCat("SELECT ", kUnitCols, " FROM units WHERE id > ?");
  Params params = {db::Int(q.after_id)};
  if (!q.agency_code.empty()) {
    sql += " AND agency_code = ?";
    params.push_back(db::Text(q.agency_code));
  }
  if (q.subtree_of != 0) {
    auto row = (*c)->QueryOne("SELECT path FROM units WHERE id = ?", {db::Int(q.subtree_of)});
    if (!row.ok()) return row.status();
    if (!*row) return std::vector<pv1::Unit>{};
    auto [lo, hi] = SubtreeRange((*row)->GetString(0));
    sql += " AND path >= ? AND path < ?";
    params.push_back(db::Text(lo));
    params.push_back(db::Text(hi));
  }
  if (q.kind != 0) {
    sql += " AND kind = ?";
    params.push_back(db::Int(q.kind));
  }
  if (!q.include_inactive) sql += " AND active = 1";
  absl::StrAppend(&sql, " ORDER BY id LIMIT ", q.limit);
  auto rs = (*c)->Query(sql, params);
  if (!rs.ok()) return rs.status();
  std::vector<pv1::Unit> out;
  for (const auto& r : rs->rows) out.push_back(UnitFromRow(r));
  return out;
}

absl::StatusOr<std::optional<pv1::Position>> Repository::GetPosition(const std::string& code) {
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  Tx tx(c->get());
  return tx.GetPosition(code);
}

absl::StatusOr<std::vector<pv1::Position>> Repository::ListPositions(const std::string& job_family,
                                                                     int kind,
                                                                     const std::string& after_code,
                                                                     int limit) {
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  std::string sql = absl::StrCat("SELECT ", kPositionCols, " FROM positions WHERE code > ?");
  Params params = {db::Text(after_code)};
  if (!job_family.empty()) {
    sql += " AND job_family = ?";
    params.push_back(db::Text(job_family));
  }
  if (kind != 0) {
    sql += " AND kind = ?";
    params.push_back(db::Int(kind));
  }
  absl::StrAppend(&sql, " ORDER BY code LIMIT ", limit);
  auto rs = (*c)->Query(sql, params);
  if (!rs.ok()) return rs.status();
  std::vector<pv1::Position> out;
  for (const auto& r : rs->rows) out.push_back(PositionFromRow(r));
  return out;
}

absl::StatusOr<std::optional<pv1::Employee>> Repository::GetEmployee(const std::string& nip) {
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  Tx tx(c->get());
  return tx.GetEmployee(nip);
}

absl::StatusOr<std::vector<EmployeeRecord>> Repository::ListEmployees(const EmployeeQuery& q) {
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  std::string sql =
      absl::StrCat("SELECT ", kEmployeeCols,
                   ", p.kind AS p_kind, p.level AS p_level, p.job_family AS p_job_family, "
                   "p.retirement_age AS p_retirement_age FROM employees e "
                   "LEFT JOIN positions p ON p.code = e.position_code");
  std::string where = " WHERE e.nip > ?";
  Params params = {db::Text(q.after_nip)};
  if (q.unit_subtree != 0) {
    auto row = (*c)->QueryOne("SELECT path FROM units WHERE id = ?", {db::Int(q.unit_subtree)});
    if (!row.ok()) return row.status();
    if (!*row) return std::vector<EmployeeRecord>{};
    auto [lo, hi] = SubtreeRange((*row)->GetString(0));
    sql += " JOIN units u ON u.id = e.unit_id";
    where += " AND u.path >= ? AND u.path < ?";
    params.push_back(db::Text(lo));
    params.push_back(db::Text(hi));
  }
  if (!q.agency_code.empty()) {
    where += " AND e.agency_code = ?";
    params.push_back(db::Text(q.agency_code));
  }
  if (!q.position_code.empty()) {
    where += " AND e.position_code = ?";
    params.push_back(db::Text(q.position_code));
  }
  if (!q.job_family.empty()) {
    where += " AND p.job_family = ?";
    params.push_back(db::Text(q.job_family));
  }
  if (q.employment_type != 0) {
    where += " AND e.employment_type = ?";
    params.push_back(db::Int(q.employment_type));
  }
  absl::StrAppend(&sql, where, " ORDER BY e.nip LIMIT ", q.limit);
  auto rs = (*c)->Query(sql, params);
  if (!rs.ok()) return rs.status();
  std::vector<EmployeeRecord> out;
  out.reserve(rs->rows.size());
  for (const auto& r : rs->rows) {
    EmployeeRecord rec;
    rec.employee = EmployeeFromRow(r);
    rec.position.set_code(rec.employee.position_code());
    rec.position.set_kind(static_cast<pv1::PositionKind>(r.GetInt("p_kind")));
    rec.position.set_level(static_cast<pv1::FunctionalLevel>(r.GetInt("p_level")));
    rec.position.set_job_family(r.GetString("p_job_family"));
    rec.position.set_retirement_age(static_cast<int32_t>(r.GetInt("p_retirement_age")));
    out.push_back(std::move(rec));
  }
  return out;
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

absl::StatusOr<std::vector<pv1::Employee>> Repository::BatchGetEmployees(
    const std::vector<std::string>& nips) {
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  return EmployeesByNip(c->get(), nips);
}

absl::StatusOr<std::vector<pv1::Placement>> Repository::ListPlacements(const std::string& nip,
                                                                       int64_t before_id,
                                                                       int limit) {
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  std::string sql = absl::StrCat("SELECT ", kPlacementCols, " FROM placements WHERE nip = ?");
  Params params = {db::Text(nip)};
  if (before_id > 0) {
    sql += " AND id < ?";
    params.push_back(db::Int(before_id));
  }
  absl::StrAppend(&sql, " ORDER BY id DESC LIMIT ", limit);
  auto rs = (*c)->Query(sql, params);
  if (!rs.ok()) return rs.status();
  std::vector<pv1::Placement> out;
  for (const auto& r : rs->rows) out.push_back(PlacementFromRow(r));
  return out;
}

absl::StatusOr<std::vector<pv1::WatchChangesResponse>> Repository::ListChanges(
    int64_t after_sequence, const std::string& agency_code, int limit) {
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  std::string sql =
      "SELECT sequence, kind, agency_code, resource_id, change_time_ms, plan_id FROM changes "
      "WHERE sequence > ?";
  Params params = {db::Int(after_sequence)};
  if (!agency_code.empty()) {
    sql += " AND agency_code = ?";
    params.push_back(db::Text(agency_code));
  }
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
  auto c = pool_.Acquire();
  if (!c.ok()) return c.status();
  std::string sql =
      "SELECT id, time_ms, subject, role, method, resource, request_id, agency_code "
      "FROM audit_events WHERE id > ?";
  Params params = {db::Int(after_id)};
  if (!method.empty()) {
    sql += " AND method = ?";
    params.push_back(db::Text(method));
  }
  absl::StrAppend(&sql, " ORDER BY id LIMIT ", limit);
  auto rs = (*c)->Query(sql, params);
  if (!rs.ok()) return rs.status();
  std::vector<cv1::AuditEvent> out;
  for (const auto& r : rs->rows) {
    cv1::AuditEvent a;
    a.set_id(r.GetInt(0));
    a.set_time_ms(r.GetInt(1));
    a.set_subject(r.GetString(2));
    a.set_role(r.GetString(3));
    a.set_method(r.GetString(4));
    a.set_resource(r.GetString(5));
    a.set_request_id(r.GetString(6));
    a.set_agency_code(r.GetString(7));
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace seimbang::personnel
