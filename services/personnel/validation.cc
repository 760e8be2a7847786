#include "services/personnel/validation.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/domain/education.h"
#include "common/domain/nip.h"
#include "common/domain/rank.h"
#include "common/domain/retirement.h"
#include "common/domain/text.h"
#include "common/errors/errors.h"
#include "common/proto_convert/date.h"
#include "common/proto_convert/position.h"

namespace seimbang::personnel {
namespace {

absl::string_view A(std::string_view s) { return absl::string_view(s.data(), s.size()); }

std::string F(std::string_view prefix, std::string_view field) {
  return absl::StrCat(A(prefix), ".", A(field));
}

// In characters, as personnel.proto states the bounds (common/domain/text.h).
void CheckLength(Violations& v, std::string_view prefix, std::string_view field,
                 const std::string& value, size_t min, size_t max) {
  const size_t chars = domain::Utf8Length(value);
  if (chars < min || chars > max) {
    if (min > 0 && value.empty()) {
      v.push_back({F(prefix, field), "is required"});
    } else {
      v.push_back(
          {F(prefix, field), absl::StrCat("must be ", min, "-", max, " characters, got ", chars)});
    }
  }
}

bool AllOf(const std::string& s, bool (*ok)(char)) { return std::all_of(s.begin(), s.end(), ok); }

// Written so that NaN fails too (every comparison with NaN is false), as do the infinities.
void CheckLatLng(Violations& v, std::string_view prefix, std::string_view field,
                 const cv1::LatLng& p) {
  if (!(p.latitude() >= -90 && p.latitude() <= 90)) {
    v.push_back({F(prefix, absl::StrCat(A(field), ".latitude")),
                 "must be a number of degrees from -90 to 90"});
  }
  if (!(p.longitude() >= -180 && p.longitude() <= 180)) {
    v.push_back({F(prefix, absl::StrCat(A(field), ".longitude")),
                 "must be a number of degrees from -180 to 180"});
  }
}

// Unit ids are at most kMaxId (exact in a JSON number); `zero_ok` for "none" (parent 0).
void CheckId(Violations& v, std::string_view prefix, std::string_view field, int64_t id,
             bool zero_ok, const char* required_message) {
  if (id == 0 && !zero_ok) {
    v.push_back({F(prefix, field), required_message});
  } else if (id < 0 || id > kMaxId) {
    v.push_back({F(prefix, field), absl::StrCat("must be ", zero_ok ? 0 : 1, "-", kMaxId)});
  }
}

void CheckOptionalDate(Violations& v, std::string_view prefix, std::string_view field, bool has,
                       const cv1::Date& d) {
  if (!has) return;
  if (auto err = CheckDate(d); !err.empty()) v.push_back({F(prefix, field), err});
}

bool IsFunctional(pv1::PositionKind k) {
  return k == pv1::POSITION_KIND_FUNCTIONAL_EXPERTISE || k == pv1::POSITION_KIND_FUNCTIONAL_SKILL;
}

constexpr const char* kRatings[] = {"sangat_baik", "baik", "butuh_perbaikan", "kurang",
                                    "sangat_kurang"};

}  // namespace

std::string CheckDate(const cv1::Date& d) {
  if (d.year() < 1900 || d.year() > 2200) {
    return absl::StrCat("year ", d.year(), " out of range 1900-2200");
  }
  if (!domain::IsValidDate(proto_convert::ToDomain(d))) {
    return absl::StrCat(d.year(), "-", d.month(), "-", d.day(), " is not a real date");
  }
  return "";
}

Violations ValidateAgency(const pv1::Agency& a, std::string_view prefix) {
  Violations v;
  CheckLength(v, prefix, "code", a.code(), 1, 32);
  if (!a.code().empty() && !AllOf(a.code(), [](char c) {
        return (c >= '0' && c <= '9') || c == '.' || (c >= 'A' && c <= 'Z');
      })) {
    v.push_back({F(prefix, "code"), "must contain only digits, dots and upper-case letters"});
  }
  CheckLength(v, prefix, "name", a.name(), 1, 200);
  if (a.kind() == pv1::AGENCY_KIND_UNSPECIFIED || !pv1::AgencyKind_IsValid(a.kind())) {
    v.push_back({F(prefix, "kind"), "is required"});
  }
  if (!a.province_code().empty() &&
      (a.province_code().size() != 2 ||
       !AllOf(a.province_code(), [](char c) { return c >= '0' && c <= '9'; }))) {
    v.push_back({F(prefix, "province_code"), "must be two digits"});
  }
  return v;
}

Violations ValidateUnit(const pv1::Unit& u, std::string_view prefix) {
  Violations v;
  if (u.id() < 0 || u.id() > kMaxId) {
    v.push_back({F(prefix, "id"), absl::StrCat("must be 0 (assign one) or 1-", kMaxId)});
  }
  CheckLength(v, prefix, "agency_code", u.agency_code(), 1, 32);
  CheckId(v, prefix, "parent_id", u.parent_id(), /*zero_ok=*/true, "");
  if (u.parent_id() != 0 && u.parent_id() == u.id()) {
    v.push_back({F(prefix, "parent_id"), "a unit cannot be its own parent"});
  }
  CheckLength(v, prefix, "name", u.name(), 1, 200);
  if (u.kind() == pv1::UNIT_KIND_UNSPECIFIED || !pv1::UnitKind_IsValid(u.kind())) {
    v.push_back({F(prefix, "kind"), "is required"});
  }
  CheckLength(v, prefix, "kecamatan", u.kecamatan(), 0, 200);
  CheckLatLng(v, prefix, "location", u.location());
  CheckLength(v, prefix, "external_id", u.external_id(), 0, 64);
  if (!AllOf(u.external_id(), [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
               c == ':' || c == '/' || c == '-';
      })) {
    v.push_back(
        {F(prefix, "external_id"), "must contain only A-Z, a-z, 0-9, '.', '_', ':', '/' and '-'"});
  }
  return v;
}

Violations ValidatePosition(const pv1::Position& p, std::string_view prefix) {
  Violations v;
  CheckLength(v, prefix, "code", p.code(), 1, 64);
  if (!p.code().empty() && !AllOf(p.code(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == '-';
      })) {
    v.push_back({F(prefix, "code"), "must contain only A-Z, 0-9, '.', '_' and '-'"});
  }
  CheckLength(v, prefix, "name", p.name(), 1, 200);
  if (p.kind() == pv1::POSITION_KIND_UNSPECIFIED || !pv1::PositionKind_IsValid(p.kind())) {
    v.push_back({F(prefix, "kind"), "is required"});
  } else if (IsFunctional(p.kind()) || p.level() > pv1::FUNCTIONAL_LEVEL_NONE) {
    if (!domain::DefaultRetirementAge(proto_convert::ToDomain(p.kind()),
                                      proto_convert::ToDomain(p.level()))
             .ok()) {
      v.push_back({F(prefix, "level"), "does not fit the position kind"});
    }
  }
  if (!pv1::PelaksanaClass_IsValid(p.pelaksana_class())) {
    v.push_back({F(prefix, "pelaksana_class"), "unknown pelaksana class"});
  } else if (p.pelaksana_class() != pv1::PELAKSANA_CLASS_UNSPECIFIED &&
             p.kind() != pv1::POSITION_KIND_PELAKSANA) {
    v.push_back({F(prefix, "pelaksana_class"), "only a PELAKSANA position has a class"});
  }
  CheckLength(v, prefix, "job_family", p.job_family(), 1, 64);
  if (!AllOf(p.job_family(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; })) {
    v.push_back({F(prefix, "job_family"), "must contain only a-z and '_'"});
  }
  std::optional<domain::Rank> lo, hi;
  for (auto [field, text, out] : {std::make_tuple("rank_min", &p.rank_min(), &lo),
                                  std::make_tuple("rank_max", &p.rank_max(), &hi)}) {
    if (text->empty()) continue;
    auto r = domain::ParseRank(*text);
    if (!r.ok() || r->kind != domain::RankKind::kPns) {
      v.push_back({F(prefix, field),
                   absl::StrCat("'", errors::Echo(*text), "' is not a golongan I/a-IV/e")});
    } else {
      *out = *r;
    }
  }
  if (lo && hi && lo->ordinal > hi->ordinal) {
    v.push_back({F(prefix, "rank_max"), "must not be below rank_min"});
  }
  if (!pv1::EducationLevel_IsValid(p.min_education())) {
    v.push_back({F(prefix, "min_education"), "unknown education level"});
  }
  if (p.retirement_age() != 0 && (p.retirement_age() < 50 || p.retirement_age() > 70)) {
    v.push_back({F(prefix, "retirement_age"), "must be 0 or 50-70 years"});
  }
  return v;
}

namespace {

// A PNS NIP carries birth date, gender and appointment: they are filled from it, and a given
// value that disagrees is a violation naming that field.
void CheckPnsIdentity(Violations& v, pv1::Employee* e, std::string_view prefix,
                      const domain::Date& today) {
  auto info = domain::ParseNip(e->nip(), today);
  if (!info.ok()) {
    v.push_back({F(prefix, "nip"), std::string(info.status().message())});
  } else {
    e->set_nip(info->nip);
    cv1::Date birth = proto_convert::ToProto(info->birth_date);
    if (e->has_birth_date() &&
        (e->birth_date().year() != birth.year() || e->birth_date().month() != birth.month() ||
         e->birth_date().day() != birth.day())) {
      v.push_back({F(prefix, "birth_date"), absl::StrCat("does not match the NIP, which says ",
                                                         domain::FormatDate(info->birth_date))});
    }
    int g = static_cast<int>(info->gender);
    if (e->gender() != pv1::GENDER_UNSPECIFIED && e->gender() != g) {
      v.push_back({F(prefix, "gender"), absl::StrCat("does not match the NIP, which says ",
                                                     A(domain::GenderName(info->gender)))});
    }
    if (e->has_appointment() && (e->appointment().year() != info->appointment_year ||
                                 e->appointment().month() != info->appointment_month)) {
      v.push_back({F(prefix, "appointment"),
                   absl::StrFormat("does not match the NIP, which says %04d-%02d",
                                   info->appointment_year, info->appointment_month)});
    }
    *e->mutable_birth_date() = birth;
    e->set_gender(static_cast<pv1::Gender>(g));
    e->mutable_appointment()->set_year(info->appointment_year);
    e->mutable_appointment()->set_month(info->appointment_month);
  }
}

// A PPPK number says nothing: birth date and gender are required.
void CheckPppkIdentity(Violations& v, pv1::Employee* e, std::string_view prefix) {
  auto number = domain::ValidateEmployeeNumber(domain::EmploymentType::kPppk, e->nip());
  if (!number.ok()) {
    v.push_back({F(prefix, "nip"), std::string(number.status().message())});
  } else {
    e->set_nip(*number);
  }
  if (!e->has_birth_date()) {
    v.push_back({F(prefix, "birth_date"), "is required for PPPK"});
  } else if (auto err = CheckDate(e->birth_date()); !err.empty()) {
    v.push_back({F(prefix, "birth_date"), err});
  }
  if (e->gender() != pv1::GENDER_MALE && e->gender() != pv1::GENDER_FEMALE) {
    v.push_back({F(prefix, "gender"), "is required for PPPK"});
  }
  if (e->has_appointment() && (e->appointment().month() < 1 || e->appointment().month() > 12)) {
    v.push_back({F(prefix, "appointment"), "month must be 1-12"});
  }
  if (e->has_appointment() && (e->appointment().year() < 1900 || e->appointment().year() > 2200)) {
    v.push_back({F(prefix, "appointment.year"), "must be 1900-2200"});
  }
}

}  // namespace

// UNSPECIFIED becomes ACTIVE, which clears status_since; any other status needs its day.
void CheckEmploymentStatus(Violations& v, pv1::Employee* e, std::string_view prefix) {
  if (!pv1::EmploymentStatus_IsValid(e->employment_status())) {
    v.push_back({F(prefix, "employment_status"), "unknown employment status"});
    return;
  }
  if (e->employment_status() == pv1::EMPLOYMENT_STATUS_UNSPECIFIED) {
    e->set_employment_status(pv1::EMPLOYMENT_STATUS_ACTIVE);
  }
  if (e->employment_status() == pv1::EMPLOYMENT_STATUS_ACTIVE) {
    e->clear_status_since();
  } else if (!e->has_status_since()) {
    v.push_back({F(prefix, "status_since"), "is required when employment_status is not ACTIVE"});
  } else {
    CheckOptionalDate(v, prefix, "status_since", true, e->status_since());
  }
}

Violations ValidateEmployee(pv1::Employee* e, std::string_view prefix, const domain::Date& today) {
  Violations v;
  const bool pns = e->employment_type() == pv1::EMPLOYMENT_TYPE_PNS;
  const bool pppk = e->employment_type() == pv1::EMPLOYMENT_TYPE_PPPK;
  if (!pns && !pppk) v.push_back({F(prefix, "employment_type"), "is required"});

  if (pns) {
    CheckPnsIdentity(v, e, prefix, today);
  } else if (pppk) {
    CheckPppkIdentity(v, e, prefix);
  }

  CheckLength(v, prefix, "name", e->name(), 1, 200);
  if (!e->rank().empty()) {
    auto r = domain::ParseRank(e->rank());
    if (!r.ok() || (pns && r->kind != domain::RankKind::kPns) ||
        (pppk && r->kind != domain::RankKind::kPppk)) {
      v.push_back(
          {F(prefix, "rank"),
           pppk ? absl::StrCat("'", errors::Echo(e->rank()), "' is not a PPPK grade I-XVII")
                : absl::StrCat("'", errors::Echo(e->rank()), "' is not a golongan I/a-IV/e")});
    } else {
      e->set_rank(domain::FormatRank(*r));
    }
  }
  if (!pv1::EducationLevel_IsValid(e->education_level())) {
    v.push_back({F(prefix, "education_level"), "unknown education level"});
  }
  CheckLength(v, prefix, "education_field", e->education_field(), 0, 200);
  if (e->competency_tags_size() > 32) {
    v.push_back({F(prefix, "competency_tags"), "at most 32 tags"});
  }
  for (const auto& t : e->competency_tags()) {
    if (t.empty() || t.size() > 64 || !AllOf(t, [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        })) {
      v.push_back({F(prefix, "competency_tags"),
                   absl::StrCat("'", errors::Echo(t),
                                "' must be 1-64 characters of a-z, 0-9, '_' or '-'")});
      break;
    }
  }
  if (e->performance_ratings_size() > 2) {
    v.push_back({F(prefix, "performance_ratings"), "at most the last two years"});
  }
  for (const auto& r : e->performance_ratings()) {
    if (std::find(std::begin(kRatings), std::end(kRatings), r) == std::end(kRatings)) {
      v.push_back({F(prefix, "performance_ratings"),
                   absl::StrCat("unknown rating '", errors::Echo(r), "'")});
      break;
    }
  }
  const auto& fl = e->flags();
  CheckOptionalDate(v, prefix, "flags.service_bond_until", fl.has_service_bond_until(),
                    fl.service_bond_until());
  CheckOptionalDate(v, prefix, "flags.leave_until", fl.has_leave_until(), fl.leave_until());
  CheckId(v, prefix, "unit_id", e->unit_id(), /*zero_ok=*/!e->unit_external_id().empty(),
          "is required (or unit_external_id with agency_code)");
  if (!e->unit_external_id().empty()) {
    CheckLength(v, prefix, "unit_external_id", e->unit_external_id(), 1, 64);
    if (e->agency_code().empty()) {
      v.push_back({F(prefix, "agency_code"), "is required with unit_external_id"});
    }
  }
  CheckLength(v, prefix, "position_code", e->position_code(), 1, 64);
  CheckOptionalDate(v, prefix, "in_post_since", e->has_in_post_since(), e->in_post_since());
  CheckLength(v, prefix, "home_kecamatan", e->home_kecamatan(), 0, 200);
  CheckLatLng(v, prefix, "home_location", e->home_location());
  CheckEmploymentStatus(v, e, prefix);
  return v;
}

std::vector<cv1::Warning> PlacementWarnings(const pv1::Employee& e, const pv1::Position& p,
                                            std::string_view prefix) {
  std::vector<cv1::Warning> out;
  if (e.employment_type() == pv1::EMPLOYMENT_TYPE_PNS && !e.rank().empty()) {
    auto rank = domain::ParseRank(e.rank());
    auto lo = domain::ParseRank(p.rank_min().empty() ? "I/a" : p.rank_min());
    auto hi = domain::ParseRank(p.rank_max().empty() ? "IV/e" : p.rank_max());
    if (rank.ok() && lo.ok() && hi.ok() && !domain::InBand(*rank, *lo, *hi)) {
      cv1::Warning w;
      w.set_field(F(prefix, "rank"));
      w.set_message(absl::StrCat("rank ", e.rank(), " is outside the band ",
                                 domain::FormatRank(*lo), "-", domain::FormatRank(*hi),
                                 " of position ", p.code()));
      out.push_back(std::move(w));
    }
  }
  if (p.min_education() != pv1::EDUCATION_LEVEL_UNSPECIFIED &&
      e.education_level() != pv1::EDUCATION_LEVEL_UNSPECIFIED &&
      !domain::MeetsMinimum(static_cast<domain::EducationLevel>(e.education_level()),
                            static_cast<domain::EducationLevel>(p.min_education()))) {
    cv1::Warning w;
    w.set_field(F(prefix, "education_level"));
    w.set_message(absl::StrCat(
        "education ",
        A(domain::FormatEducation(static_cast<domain::EducationLevel>(e.education_level()))),
        " is below the minimum ",
        A(domain::FormatEducation(static_cast<domain::EducationLevel>(p.min_education()))),
        " of position ", p.code()));
    out.push_back(std::move(w));
  }
  return out;
}

domain::Date RetirementDateFor(const pv1::Employee& e, const pv1::Position& p) {
  return domain::RetirementDate(proto_convert::ToDomain(e.birth_date()),
                                proto_convert::RetirementAge(p));
}

EligibilityHints ComputeHints(const pv1::Employee& e, const pv1::Position& p,
                              const domain::Date& as_of) {
  EligibilityHints h;
  h.retirement_date = RetirementDateFor(e, p);
  h.months_to_retirement = domain::MonthsBetween(as_of, h.retirement_date);
  if (e.has_in_post_since()) {
    h.months_in_post =
        std::max(0, domain::MonthsBetween(proto_convert::ToDomain(e.in_post_since()), as_of));
  }
  return h;
}

}  // namespace seimbang::personnel
