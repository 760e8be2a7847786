#include "tools/seimbangctl/import_rows.h"

#include <initializer_list>
#include <map>
#include <type_traits>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/domain/date.h"
#include "common/proto_convert/date.h"

namespace seimbang::ctl {
namespace pv1 = seimbang::personnel::v1;
namespace wv1 = seimbang::workload::v1;
namespace cv1 = seimbang::common::v1;

std::string CsvRow::Get(std::string_view column) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == column) return i < fields_.size() ? fields_[i] : std::string();
  }
  return std::string();
}

namespace {

// Well-formed UTF-8 (RFC 3629): no overlong forms, surrogates or code points past U+10FFFF.
bool IsUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + len >= s.size()) return false;  // truncated sequence
    for (int k = 1; k <= len; ++k) {
      const unsigned char b = static_cast<unsigned char>(s[i + k]);
      if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return false;
    }
    i += len + 1;
  }
  return true;
}

}  // namespace

std::vector<RowProblem> CsvRow::ShapeProblems() const {
  std::vector<RowProblem> out;
  if (fields_.size() != header_.size()) {
    out.push_back({"", absl::StrCat("the record has ", fields_.size(), " fields, the header ",
                                    header_.size())});
  }
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (!IsUtf8(fields_[i])) {
      out.push_back({i < header_.size() ? header_[i] : absl::StrCat("field ", i + 1),
                     "is not valid UTF-8 (save the file as UTF-8)"});
    }
  }
  return out;
}

namespace {

// Reads typed columns and collects what is wrong with them; a record of the
// wrong shape is refused as a whole first.
class Fields {
 public:
  Fields(const CsvRow& row, std::vector<RowProblem>& problems) : row_(row), problems_(problems) {
    for (RowProblem& p : row.ShapeProblems()) problems_.push_back(std::move(p));
  }

  std::string Text(std::string_view c) { return row_.Get(c); }

  // Text columns into the message's string fields of the same names.
  void Texts(google::protobuf::Message& m, std::initializer_list<const char*> columns) {
    const google::protobuf::Descriptor* d = m.GetDescriptor();
    for (const char* c : columns) m.GetReflection()->SetString(&m, d->FindFieldByName(c), Text(c));
  }

  int64_t Int(std::string_view c, bool required = true) {
    return Number<int64_t>(c, required, "' is not a whole number");
  }

  double Double(std::string_view c, bool required = true) {
    return Number<double>(c, required, "' is not a number");
  }

  bool Bool(std::string_view c) {
    std::string v = absl::AsciiStrToLower(row_.Get(c));
    if (v.empty() || v == "0" || v == "false" || v == "no") return false;
    if (v == "1" || v == "true" || v == "yes") return true;
    Problem(c, absl::StrCat("'", v, "' is not 0 or 1"));
    return false;
  }

  // Optional date: false when empty.
  bool Date(std::string_view c, cv1::Date* out) {
    std::string v = row_.Get(c);
    if (v.empty()) return false;
    auto d = domain::ParseDate(v);
    if (!d.ok()) {
      Problem(c, absl::StrCat("'", v, "' is not a date YYYY-MM-DD"));
      return false;
    }
    *out = proto_convert::ToProto(*d);
    return true;
  }

  // An enum by the lower-case suffix of its proto name: "city" -> AGENCY_KIND_CITY.
  template <typename E, typename ParseFn>
  E Enum(std::string_view c, std::string_view prefix, ParseFn parse, bool required = true) {
    std::string v = row_.Get(c);
    E out{};
    if (v.empty()) {
      if (required) Problem(c, "is required");
      return out;
    }
    std::string name = std::string(prefix) + absl::AsciiStrToUpper(v);
    if (!parse(name, &out)) Problem(c, absl::StrCat("unknown value '", v, "'"));
    return out;
  }

  void Problem(std::string_view c, std::string reason) {
    problems_.push_back({std::string(c), std::move(reason)});
  }

 private:
  // A number column; `what` follows the quoted value in the problem.
  template <typename N>
  N Number(std::string_view c, bool required, const char* what) {
    std::string v = row_.Get(c);
    N out = 0;
    if (v.empty() && !required) return 0;
    bool ok = false;
    if constexpr (std::is_same_v<N, double>) {
      ok = absl::SimpleAtod(v, &out);
    } else {
      ok = absl::SimpleAtoi(v, &out);
    }
    if (!ok) Problem(c, absl::StrCat("'", v, what));
    return out;
  }

  const CsvRow& row_;
  std::vector<RowProblem>& problems_;
};

std::vector<std::string> List(const std::string& v) {
  if (v.empty()) return {};
  return absl::StrSplit(v, ';', absl::SkipEmpty());
}

}  // namespace

Converted<pv1::Agency> AgencyFromCsv(const CsvRow& row) {
  Converted<pv1::Agency> out;
  Fields f(row, out.problems);
  f.Texts(out.message, {"code", "name", "province_code"});
  out.message.set_kind(f.Enum<pv1::AgencyKind>("kind", "AGENCY_KIND_", pv1::AgencyKind_Parse));
  return out;
}

Converted<pv1::Unit> UnitFromCsv(const CsvRow& row) {
  Converted<pv1::Unit> out;
  Fields f(row, out.problems);
  auto& u = out.message;
  f.Texts(u, {"agency_code", "name", "kecamatan", "external_id"});
  u.set_id(f.Int("id"));
  u.set_parent_id(f.Int("parent_id", false));
  u.set_kind(f.Enum<pv1::UnitKind>("kind", "UNIT_KIND_", pv1::UnitKind_Parse));
  u.mutable_location()->set_latitude(f.Double("latitude", false));
  u.mutable_location()->set_longitude(f.Double("longitude", false));
  u.set_active(row.Get("active").empty() ? true : f.Bool("active"));
  return out;
}

Converted<pv1::Position> PositionFromCsv(const CsvRow& row) {
  Converted<pv1::Position> out;
  Fields f(row, out.problems);
  auto& p = out.message;
  f.Texts(p, {"code", "name", "job_family", "rank_min", "rank_max"});
  p.set_kind(f.Enum<pv1::PositionKind>("kind", "POSITION_KIND_", pv1::PositionKind_Parse));
  p.set_level(f.Enum<pv1::FunctionalLevel>("level", "FUNCTIONAL_LEVEL_", pv1::FunctionalLevel_Parse,
                                           false));
  if (p.level() == pv1::FUNCTIONAL_LEVEL_UNSPECIFIED) p.set_level(pv1::FUNCTIONAL_LEVEL_NONE);
  p.set_min_education(f.Enum<pv1::EducationLevel>("min_education", "EDUCATION_LEVEL_",
                                                  pv1::EducationLevel_Parse, false));
  p.set_retirement_age(static_cast<int32_t>(f.Int("retirement_age", false)));
  p.set_pelaksana_class(f.Enum<pv1::PelaksanaClass>("pelaksana_class", "PELAKSANA_CLASS_",
                                                    pv1::PelaksanaClass_Parse, false));
  return out;
}

Converted<pv1::Employee> EmployeeFromCsv(const CsvRow& row) {
  Converted<pv1::Employee> out;
  Fields f(row, out.problems);
  auto& e = out.message;
  f.Texts(e, {"nip", "name", "rank", "education_field", "position_code", "home_kecamatan"});
  e.set_employment_type(f.Enum<pv1::EmploymentType>("employment_type", "EMPLOYMENT_TYPE_",
                                                    pv1::EmploymentType_Parse));
  e.set_education_level(f.Enum<pv1::EducationLevel>("education_level", "EDUCATION_LEVEL_",
                                                    pv1::EducationLevel_Parse, false));
  for (auto& t : List(f.Text("competency_tags"))) e.add_competency_tags(t);
  for (auto& r : List(f.Text("performance_ratings"))) e.add_performance_ratings(r);
  auto* flags = e.mutable_flags();
  flags->set_disciplinary_process(f.Bool("disciplinary_process"));
  flags->set_judicial_process(f.Bool("judicial_process"));
  flags->set_study_assignment(f.Bool("study_assignment"));
  flags->set_inspectorate_pending(f.Bool("inspectorate_pending"));
  if (!f.Date("service_bond_until", flags->mutable_service_bond_until()))
    flags->clear_service_bond_until();
  if (!f.Date("leave_until", flags->mutable_leave_until())) flags->clear_leave_until();
  e.set_unit_id(f.Int("unit_id"));
  if (!f.Date("in_post_since", e.mutable_in_post_since())) e.clear_in_post_since();
  if (!row.Get("home_latitude").empty()) {
    e.mutable_home_location()->set_latitude(f.Double("home_latitude"));
    e.mutable_home_location()->set_longitude(f.Double("home_longitude"));
  }
  if (!f.Date("birth_date", e.mutable_birth_date())) e.clear_birth_date();
  e.set_employment_status(f.Enum<pv1::EmploymentStatus>("employment_status", "EMPLOYMENT_STATUS_",
                                                        pv1::EmploymentStatus_Parse, false));
  if (!f.Date("status_since", e.mutable_status_since())) e.clear_status_since();
  e.set_gender(f.Enum<pv1::Gender>("gender", "GENDER_", pv1::Gender_Parse, false));
  std::string ym = f.Text("appointment");
  if (!ym.empty()) {
    std::vector<std::string> parts = absl::StrSplit(ym, '-');
    int y = 0, m = 0;
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &y) || !absl::SimpleAtoi(parts[1], &m)) {
      f.Problem("appointment", absl::StrCat("'", ym, "' is not a month YYYY-MM"));
    } else {
      e.mutable_appointment()->set_year(y);
      e.mutable_appointment()->set_month(m);
    }
  }
  return out;
}

Converted<wv1::ImportWorkloadRequest> WorkloadFromCsv(const CsvRow& row) {
  Converted<wv1::ImportWorkloadRequest> out;
  Fields f(row, out.problems);
  auto& w = out.message;
  f.Texts(w, {"agency_code", "position_code"});
  w.set_unit_id(f.Int("unit_id"));
  auto* t = w.mutable_task();
  t->set_name(f.Text("task_name"));
  f.Texts(*t, {"output_unit"});
  t->set_volume(f.Double("volume"));
  t->set_period(f.Enum<wv1::Period>("period", "PERIOD_", wv1::Period_Parse));
  t->set_norm_minutes(f.Double("norm_minutes"));
  if (!row.Get("driver_kind").empty()) {
    t->mutable_driver()->set_signal_kind(
        f.Enum<wv1::SignalKind>("driver_kind", "SIGNAL_KIND_", wv1::SignalKind_Parse));
    t->mutable_driver()->set_baseline_per_month(f.Double("driver_baseline_per_month"));
  }
  return out;
}

Converted<wv1::DemandSignal> SignalFromCsv(const CsvRow& row) {
  Converted<wv1::DemandSignal> out;
  Fields f(row, out.problems);
  auto& s = out.message;
  f.Texts(s, {"agency_code"});
  s.set_unit_id(f.Int("unit_id"));
  s.mutable_month()->set_year(static_cast<int32_t>(f.Int("year")));
  s.mutable_month()->set_month(static_cast<int32_t>(f.Int("month")));
  s.set_kind(f.Enum<wv1::SignalKind>("kind", "SIGNAL_KIND_", wv1::SignalKind_Parse));
  s.set_count(f.Int("count"));
  return out;
}

const std::vector<std::string>& RequiredColumns(const std::string& file) {
  static const auto* columns = new std::map<std::string, std::vector<std::string>>{
      {"agencies", {"code", "name", "kind"}},
      {"units", {"id", "agency_code", "name", "kind"}},
      {"positions", {"code", "name", "kind", "job_family"}},
      {"employees", {"nip", "name", "employment_type", "unit_id", "position_code"}},
      {"workloads",
       {"agency_code", "unit_id", "position_code", "task_name", "volume", "period",
        "norm_minutes"}},
      {"signals", {"agency_code", "unit_id", "year", "month", "kind", "count"}}};
  return columns->at(file);
}

}  // namespace seimbang::ctl
