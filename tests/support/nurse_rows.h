// The nurses (position JF-PK, job family health) of the transfer tests' small worlds: the
// staffing row personnel streams for one employee, and the analysis row workload sends for one
// unit. Shared by the planner-input unit tests and transfer-service's integration tests.
#ifndef SEIMBANG_TESTS_SUPPORT_NURSE_ROWS_H_
#define SEIMBANG_TESTS_SUPPORT_NURSE_ROWS_H_

#include <cstdint>
#include <string>

#include "seimbang/personnel/v1/personnel.pb.h"
#include "seimbang/workload/v1/workload.pb.h"

namespace seimbang::testsupport {

// A III/b nurse with an S1, 36 months in post and 200 to retirement, named after the last four
// digits of the NIP; `agency` empty leaves the employee's agency unset.
inline personnel::v1::StreamEmployeesResponse NurseStaffing(const std::string& nip, int64_t unit,
                                                            const std::string& agency = "") {
  personnel::v1::StreamEmployeesResponse s;
  personnel::v1::Employee* e = s.mutable_employee();
  e->set_nip(nip);
  e->set_name("Pegawai " + nip.substr(nip.size() >= 4 ? nip.size() - 4 : 0));
  e->set_unit_id(unit);
  e->set_position_code("JF-PK");
  e->set_rank("III/b");
  e->set_education_level(personnel::v1::EDUCATION_LEVEL_S1);
  e->set_agency_code(agency);
  s.set_months_in_post(36);
  s.set_months_to_retirement(200);
  s.set_job_family("health");
  return s;
}

// The nurses of `unit`: `staff` of them for a need of `need` (75,000 minutes of work each).
inline workload::v1::PositionRow NurseRow(int64_t unit, int staff, int need) {
  workload::v1::PositionRow r;
  r.set_unit_id(unit);
  r.set_position_code("JF-PK");
  r.set_job_family("health");
  r.set_staff(staff);
  r.set_required_headcount(need);
  r.set_workload_minutes(need * 75000.0);
  r.set_ej(staff > 0 ? static_cast<double>(need) / staff : 0);
  return r;
}

}  // namespace seimbang::testsupport

#endif  // SEIMBANG_TESTS_SUPPORT_NURSE_ROWS_H_
