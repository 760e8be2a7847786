#ifndef SEIMBANG_TOOLS_CSV_COLUMNS_H_
#define SEIMBANG_TOOLS_CSV_COLUMNS_H_

// The header of each file seimbang-datagen writes and `seimbangctl import`
// reads (tools/datagen/README.md), written once for the generator, the
// importer and their tests. The order is the order of the columns in the file.

#include <string>
#include <vector>

namespace seimbang::csv {

// Every header, in one table; the functions below name each.
struct Headers {
  std::vector<std::string> agency, unit, position, employee, workload, signal;
};

inline const Headers& AllHeaders() {
  static const auto* h = new Headers{
      {"code", "name", "kind", "province_code"},
      {"id", "agency_code", "parent_id", "name", "kind", "kecamatan", "latitude", "longitude",
       "active", "external_id"},
      {"code", "name", "kind", "level", "job_family", "rank_min", "rank_max", "min_education",
       "retirement_age", "pelaksana_class"},
      {"nip",
       "name",
       "employment_type",
       "agency_code",
       "unit_id",
       "position_code",
       "rank",
       "education_level",
       "education_field",
       "competency_tags",
       "performance_ratings",
       "in_post_since",
       "home_kecamatan",
       "home_latitude",
       "home_longitude",
       "birth_date",
       "gender",
       "appointment",
       "disciplinary_process",
       "judicial_process",
       "study_assignment",
       "service_bond_until",
       "leave_until",
       "inspectorate_pending",
       "employment_status",
       "status_since"},
      {"agency_code", "unit_id", "position_code", "task_name", "output_unit", "volume", "period",
       "norm_minutes", "driver_kind", "driver_baseline_per_month"},
      {"agency_code", "unit_id", "year", "month", "kind", "count"},
  };
  return *h;
}

inline const std::vector<std::string>& AgencyColumns() { return AllHeaders().agency; }
inline const std::vector<std::string>& UnitColumns() { return AllHeaders().unit; }
inline const std::vector<std::string>& PositionColumns() { return AllHeaders().position; }
inline const std::vector<std::string>& EmployeeColumns() { return AllHeaders().employee; }
inline const std::vector<std::string>& WorkloadColumns() { return AllHeaders().workload; }
inline const std::vector<std::string>& SignalColumns() { return AllHeaders().signal; }

}  // namespace seimbang::csv

#endif  // SEIMBANG_TOOLS_CSV_COLUMNS_H_
