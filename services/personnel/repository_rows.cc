#include "services/personnel/repository_rows.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/db/time_format.h"
#include "common/domain/date.h"
#include "common/proto_convert/date.h"
#include "common/proto_convert/row.h"

namespace seimbang::personnel {
namespace repository_rows {

Value DateValue(const cv1::Date& d) { return IsSetDate(d) ? db::Text(DateToText(d)) : db::Null(); }

void SetDate(const Row& row, std::string_view col, cv1::Date* out) {
  if (auto text = row.GetOptionalString(col); text && !text->empty()) {
    if (auto d = TextToDate(*text)) *out = *d;
  }
}

pv1::Agency AgencyFromRow(const Row& r) { return proto_convert::MessageFromRow<pv1::Agency>(r); }

// Every column of the unit but its location (two columns) and etag (its version).
pv1::Unit UnitFromRow(const Row& r) {
  auto u = proto_convert::MessageFromRow<pv1::Unit>(r);
  double lat = r.GetDouble("latitude"), lng = r.GetDouble("longitude");
  if (lat != 0 || lng != 0) {
    u.mutable_location()->set_latitude(lat);
    u.mutable_location()->set_longitude(lng);
  }
  u.set_etag(absl::StrCat(r.GetInt("version")));
  return u;
}

pv1::Position PositionFromRow(const Row& r) {
  return proto_convert::MessageFromRow<pv1::Position>(r);
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
  f->set_inspectorate_pending(r.GetBool("inspectorate_pending"));
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
  e.set_employment_status(static_cast<pv1::EmploymentStatus>(r.GetInt("employment_status")));
  SetDate(r, "status_since", e.mutable_status_since());
  if (!IsSetDate(e.status_since())) e.clear_status_since();
  e.set_version(r.GetInt("version"));
  e.set_etag(absl::StrCat(e.version()));
  return e;
}

pv1::Placement PlacementFromRow(const Row& r) {
  auto p = proto_convert::MessageFromRow<pv1::Placement>(r);
  SetDate(r, "effective_date", p.mutable_effective_date());
  if (!IsSetDate(p.effective_date())) p.clear_effective_date();
  return p;
}

namespace {

// The employees table's columns an insert or update writes (all but nip and version), each
// beside the value it stores, so that the names and the parameters cannot drift apart.
struct EmployeeColumn {
  const char* name;
  Value (*value)(const pv1::Employee&);
};

Value AppointmentValue(const pv1::Employee& e) {
  return db::Text(
      e.has_appointment() && e.appointment().year() > 0
          ? absl::StrFormat("%04d-%02d", e.appointment().year(), e.appointment().month())
          : "");
}

// An UNSPECIFIED status is stored as ACTIVE (the contract's default).
Value StatusValue(const pv1::Employee& e) {
  return db::Int(e.employment_status() == pv1::EMPLOYMENT_STATUS_UNSPECIFIED
                     ? pv1::EMPLOYMENT_STATUS_ACTIVE
                     : e.employment_status());
}

using E = const pv1::Employee&;
constexpr EmployeeColumn kEmployeeColumns[] = {
    {"name", [](E e) { return db::Text(e.name()); }},
    {"employment_type", [](E e) { return db::Int(e.employment_type()); }},
    {"rank_text", [](E e) { return db::Text(e.rank()); }},
    {"education_level", [](E e) { return db::Int(e.education_level()); }},
    {"education_field", [](E e) { return db::Text(e.education_field()); }},
    {"competency_tags", [](E e) { return db::Text(absl::StrJoin(e.competency_tags(), ",")); }},
    {"performance_ratings",
     [](E e) { return db::Text(absl::StrJoin(e.performance_ratings(), ",")); }},
    {"disciplinary_process", [](E e) { return db::Bool(e.flags().disciplinary_process()); }},
    {"judicial_process", [](E e) { return db::Bool(e.flags().judicial_process()); }},
    {"study_assignment", [](E e) { return db::Bool(e.flags().study_assignment()); }},
    {"service_bond_until", [](E e) { return DateValue(e.flags().service_bond_until()); }},
    {"leave_until", [](E e) { return DateValue(e.flags().leave_until()); }},
    {"unit_id", [](E e) { return db::Int(e.unit_id()); }},
    {"position_code", [](E e) { return db::Text(e.position_code()); }},
    {"in_post_since", [](E e) { return DateValue(e.in_post_since()); }},
    {"home_kecamatan", [](E e) { return db::Text(e.home_kecamatan()); }},
    {"home_latitude", [](E e) { return db::Real(e.home_location().latitude()); }},
    {"home_longitude", [](E e) { return db::Real(e.home_location().longitude()); }},
    {"birth_date", [](E e) { return db::Text(DateToText(e.birth_date())); }},
    {"gender", [](E e) { return db::Int(e.gender()); }},
    {"appointment", AppointmentValue},
    {"agency_code", [](E e) { return db::Text(e.agency_code()); }},
    {"inspectorate_pending", [](E e) { return db::Bool(e.flags().inspectorate_pending()); }},
    {"employment_status", StatusValue},
    {"status_since", [](E e) { return DateValue(e.status_since()); }},
};

}  // namespace

const std::vector<std::string>& EmployeeMutableColumns() {
  static const auto* columns = [] {
    auto* names = new std::vector<std::string>;
    for (const EmployeeColumn& c : kEmployeeColumns) names->push_back(c.name);
    return names;
  }();
  return *columns;
}

Value ExternalIdValue(const pv1::Unit& u) {
  return u.external_id().empty() ? db::Null() : db::Text(u.external_id());
}

Params PositionParams(const pv1::Position& p) {
  return {db::Text(p.name()),         db::Int(p.kind()),           db::Int(p.level()),
          db::Text(p.job_family()),   db::Text(p.rank_min()),      db::Text(p.rank_max()),
          db::Int(p.min_education()), db::Int(p.retirement_age()), db::Int(p.pelaksana_class())};
}

Params EmployeeParams(const pv1::Employee& e) {
  Params params;
  params.reserve(std::size(kEmployeeColumns));
  for (const EmployeeColumn& c : kEmployeeColumns) params.push_back(c.value(e));
  return params;
}

const std::vector<std::string>& ChangeColumns() {
  static const auto* columns = new std::vector<std::string>{"kind", "agency_code", "resource_id",
                                                            "change_time_ms", "plan_id"};
  return *columns;
}

Params ChangeParams(const pv1::WatchChangesResponse& c, int64_t now) {
  return {db::Int(c.kind()), db::Text(c.agency_code()), db::Text(c.resource_id()), db::Int(now),
          db::Text(c.plan_id())};
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

}  // namespace repository_rows

bool IsSetDate(const cv1::Date& d) { return d.year() != 0 || d.month() != 0 || d.day() != 0; }

// The stored form of a date is domain::FormatDate's; the conversions are common/proto_convert's.
std::string DateToText(const cv1::Date& d) {
  return IsSetDate(d) ? domain::FormatDate(proto_convert::ToDomain(d)) : "";
}

std::optional<cv1::Date> TextToDate(const std::string& text) {
  absl::StatusOr<domain::Date> d = domain::ParseDate(text);
  if (!d.ok()) return std::nullopt;
  return proto_convert::ToProto(*d);
}

std::pair<std::string, std::string> SubtreeRange(const std::string& path) {
  // '0' is the character after '/', so [path, path-with-last-'/'-as-'0') is exactly the subtree.
  std::string end = path;
  if (!end.empty()) end.back() = '0';
  return {path, end};
}

}  // namespace seimbang::personnel
