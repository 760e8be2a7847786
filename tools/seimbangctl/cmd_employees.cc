// seimbangctl employees get | list, units list.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/seimbangctl/cli_internal.h"

namespace seimbang::ctl {
namespace pv1 = seimbang::personnel::v1;

namespace {

// A unit's name from UnitNamesToShow; "" when it is not known (or not shown).
std::string NameOf(const std::map<int64_t, std::string>& names, int64_t id) {
  auto it = names.find(id);
  return it == names.end() ? "" : it->second;
}

}  // namespace

// An employee's status in words; an unset one is active (personnel.proto).
std::string Cli::StatusWord(const personnel::v1::Employee& e) const {
  const auto status = e.employment_status() == pv1::EMPLOYMENT_STATUS_UNSPECIFIED
                          ? pv1::EMPLOYMENT_STATUS_ACTIVE
                          : e.employment_status();
  return Word_(pv1::EmploymentStatus_Name(status), "EMPLOYMENT_STATUS_");
}

int Cli::Employees() {
  const std::string& sub = args_.words[1];
  if (sub == "get") {
    pv1::GetEmployeeRequest req;
    req.set_nip(Word(2, "NIP"));
    const auto resp = CallOrExit("GetEmployee", &Cli::Personnel, &PersonnelStub::GetEmployee, req);
    const auto& e = resp.employee();
    std::map<int64_t, std::string> names;
    if (output_ == "table" || output_ == "csv") names = UnitNames(e.agency_code());
    Table t{
        {"field", "value"},
        {{"nip", e.nip()},
         {"name", e.name()},
         {"employment_type",
          Word_(pv1::EmploymentType_Name(e.employment_type()), "EMPLOYMENT_TYPE_")},
         {"agency", e.agency_code()},
         {"unit_id", absl::StrCat(e.unit_id())},
         {"unit_name", names[e.unit_id()]},
         {"position", e.position_code()},
         {"rank", e.rank()},
         {"education",
          absl::StrCat(Word_(pv1::EducationLevel_Name(e.education_level()), "EDUCATION_LEVEL_"),
                       " ", e.education_field())},
         {"in_post_since", DateText(e.in_post_since())},
         {"birth_date", DateText(e.birth_date())},
         {"home_kecamatan", e.home_kecamatan()},
         {"competencies", absl::StrJoin(e.competency_tags(), ", ")},
         {"employment_status", StatusWord(e)},
         {"status_since", DateText(e.status_since())},
         {"inspectorate_pending", e.flags().inspectorate_pending() ? T("word.yes") : T("word.no")},
         {"version", absl::StrCat(e.version())}}};
    Emit(resp, t);
    return kExitOk;
  }
  // list
  pv1::ListEmployeesRequest req;
  auto& filter = *req.mutable_filter();
  filter.set_agency_code(Flag("agency"));
  filter.set_unit_subtree(ResolveUnit(filter.agency_code(), Flag("unit")));
  filter.set_job_family(FamilyFlag());
  filter.set_position_code(Flag("position"));
  filter.set_include_inactive(Switch("include-inactive"));
  filter.set_name_contains(Flag("name"));
  filter.set_nip_prefix(Flag("nip"));
  std::map<int64_t, std::string> names = UnitNamesToShow(filter.agency_code());
  return ListRpc("ListEmployees",
                 Table{{"nip", "name", "unit_id", "unit_name", "position", "rank",
                        "employment_type", "employment_status"},
                       {}},
                 &Cli::Personnel, &PersonnelStub::ListEmployees, req,
                 [&](const pv1::ListEmployeesResponse& resp, Table& t) {
                   for (const auto& e : resp.employees()) {
                     t.rows.push_back(
                         {e.nip(), e.name(), absl::StrCat(e.unit_id()), NameOf(names, e.unit_id()),
                          e.position_code(), e.rank(),
                          Word_(pv1::EmploymentType_Name(e.employment_type()), "EMPLOYMENT_TYPE_"),
                          StatusWord(e)});
                   }
                 });
}

// units list: the agency's units with their kind and parent, by name and id.
int Cli::Units() {
  pv1::ListUnitsRequest req;
  req.set_agency_code(Flag("agency"));
  req.set_subtree_of(ResolveUnit(req.agency_code(), Flag("under")));
  req.set_include_inactive(Switch("include-inactive"));
  std::map<int64_t, std::string> names = UnitNamesToShow(req.agency_code());
  return ListRpc("ListUnits",
                 Table{{"unit_id", "unit_name", "kind", "parent_id", "parent_name", "agency",
                        "active", "external_id"},
                       {}},
                 &Cli::Personnel, &PersonnelStub::ListUnits, req,
                 [&](const pv1::ListUnitsResponse& resp, Table& t) {
                   for (const auto& u : resp.units()) {
                     t.rows.push_back({absl::StrCat(u.id()), u.name(),
                                       Word_(pv1::UnitKind_Name(u.kind()), "UNIT_KIND_"),
                                       u.parent_id() == 0 ? "" : absl::StrCat(u.parent_id()),
                                       NameOf(names, u.parent_id()), u.agency_code(),
                                       u.active() ? T("word.yes") : T("word.no"), u.external_id()});
                   }
                 });
}

}  // namespace seimbang::ctl
