#include "tests/harness/nurse_agency.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tests/harness/records.h"

namespace seimbang::testing {
namespace ppb = personnel::v1;

std::string NurseNip(int i) { return absl::StrFormat("1990010120150110%02d", i + 1); }

std::vector<ppb::ImportRecordsRequest> NurseAgencyRecords(int at_a, int at_b) {
  std::vector<ppb::ImportRecordsRequest> rows = {
      CityAgencyRecord(kNurseAgency, "Kota Makassar"),
      UnitRecord(1, kNurseAgency, "Puskesmas A", ppb::UNIT_KIND_HEALTH_CENTRE),
      UnitRecord(2, kNurseAgency, "Puskesmas B", ppb::UNIT_KIND_HEALTH_CENTRE)};
  ppb::ImportRecordsRequest r;
  ppb::Position* p = r.mutable_position();
  p->set_code("JF-PK");
  p->set_name("Perawat Ahli Pertama");
  p->set_kind(ppb::POSITION_KIND_FUNCTIONAL_EXPERTISE);
  p->set_level(ppb::FUNCTIONAL_LEVEL_AHLI_PERTAMA);
  p->set_job_family("health");
  rows.push_back(r);
  for (int i = 0; i < at_a + at_b; ++i) {
    r.Clear();
    ppb::Employee* e = r.mutable_employee();
    e->set_nip(NurseNip(i));
    e->set_name(absl::StrCat("Perawat ", i + 1));
    e->set_employment_type(ppb::EMPLOYMENT_TYPE_PNS);
    e->set_rank("III/a");
    e->set_education_level(ppb::EDUCATION_LEVEL_S1);
    e->add_performance_ratings("baik");
    e->add_performance_ratings("baik");
    e->set_unit_id(i < at_a ? 1 : 2);
    e->set_position_code("JF-PK");
    e->mutable_in_post_since()->set_year(2020);
    e->mutable_in_post_since()->set_month(1);
    e->mutable_in_post_since()->set_day(1);
    rows.push_back(r);
  }
  return rows;
}

}  // namespace seimbang::testing
