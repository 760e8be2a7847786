// Workload-analysis messages the tests build: a task, a one-task workload, a month of public
// complaints and a projection year.
#ifndef SEIMBANG_TESTS_HARNESS_WORKLOAD_RECORDS_H_
#define SEIMBANG_TESTS_HARNESS_WORKLOAD_RECORDS_H_

#include <cstdint>
#include <string>

#include "seimbang/workload/v1/workload.pb.h"

namespace seimbang::testing {

// A task of `volume` outputs a `period` (counted in `output_unit`), `norm_minutes` each.
workload::v1::Task WorkloadTask(const std::string& name, double volume, double norm_minutes,
                                workload::v1::Period period = workload::v1::PERIOD_YEAR,
                                const std::string& output_unit = "dokumen");

// The workload of `position` in `unit` of `agency`: that one task.
workload::v1::Workload OneTaskWorkload(const std::string& agency, int64_t unit,
                                       const std::string& position, const workload::v1::Task& task);

// `count` public complaints about `unit` of `agency` in one month.
workload::v1::DemandSignal ComplaintsSignal(const std::string& agency, int64_t unit, int year,
                                            int month, int64_t count);

// A projection year of `staff` at its start, `retirements` in it and a `need`, with its gap
// (staff - retirements - need) and shortage (what the need and retirements exceed the staff
// by, at least 0) as the service derives them; its formasi is left to the caller.
workload::v1::ProjectionYear ProjectionYearOf(int year, int64_t staff, int64_t retirements,
                                              int64_t need);

}  // namespace seimbang::testing

#endif  // SEIMBANG_TESTS_HARNESS_WORKLOAD_RECORDS_H_
