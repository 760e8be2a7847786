#include "tests/harness/workload_records.h"

#include <algorithm>

namespace seimbang::testing {

namespace wpb = ::seimbang::workload::v1;

wpb::Task WorkloadTask(const std::string& name, double volume, double norm_minutes,
                       wpb::Period period, const std::string& output_unit) {
  wpb::Task t;
  t.set_name(name);
  t.set_output_unit(output_unit);
  t.set_volume(volume);
  t.set_period(period);
  t.set_norm_minutes(norm_minutes);
  return t;
}

wpb::Workload OneTaskWorkload(const std::string& agency, int64_t unit, const std::string& position,
                              const wpb::Task& task) {
  wpb::Workload w;
  w.set_agency_code(agency);
  w.set_unit_id(unit);
  w.set_position_code(position);
  *w.add_tasks() = task;
  return w;
}

wpb::DemandSignal ComplaintsSignal(const std::string& agency, int64_t unit, int year, int month,
                                   int64_t count) {
  wpb::DemandSignal s;
  s.set_agency_code(agency);
  s.set_unit_id(unit);
  s.mutable_month()->set_year(year);
  s.mutable_month()->set_month(month);
  s.set_kind(wpb::SIGNAL_KIND_PUBLIC_COMPLAINTS);
  s.set_count(count);
  return s;
}

workload::v1::ProjectionYear ProjectionYearOf(int year, int64_t staff, int64_t retirements,
                                              int64_t need) {
  workload::v1::ProjectionYear y;
  y.set_year(year);
  y.set_staff_start(staff);
  y.set_retirements(retirements);
  y.set_need(need);
  y.set_gap(staff - retirements - need);
  y.set_shortage(std::max<int64_t>(0, need + retirements - staff));
  return y;
}

}  // namespace seimbang::testing
