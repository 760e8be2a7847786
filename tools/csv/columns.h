#ifndef SEIMBANG_TOOLS_CSV_COLUMNS_H_
#define SEIMBANG_TOOLS_CSV_COLUMNS_H_

// The header of each file seimbang-datagen writes and `seimbangctl import`
// reads (tools/datagen/README.md), written once for the generator, the
// importer and their tests. The order is the order of the columns in the file.

#include <string>
#include <vector>

namespace seimbang::csv {

inline const std::vector<std::string>& AgencyColumns() {
  static const auto* c = new std::vector<std::string>{"code", "name", "kind", "province_code"};
  return *c;
}

inline const std::vector<std::string>& UnitColumns() {
  static const auto* c = new std::vector<std::string>{
      "id",        "agency_code", "parent_id", "name",   "kind",
      "kecamatan", "latitude",    "longitude", "active", "external_id"};
  return *c;
}

inline const std::vector<std::string>& PositionColumns() {
  static const auto* c = new std::vector<std::string>{
      "code",     "name",     "kind",          "level",          "job_family",
      "rank_min", "rank_max", "min_education", "retirement_age", "pelaksana_class"};
  return *c;
}

inline const std::vector<std::string>& EmployeeColumns() {
  static const auto* c = new std::vector<std::string>{"nip",
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
                                                      "status_since"};
  return *c;
}

inline const std::vector<std::string>& WorkloadColumns() {
  static const auto* c = new std::vector<std::string>{
      "agency_code", "unit_id", "position_code", "task_name",   "output_unit",
      "volume",      "period",  "norm_minutes",  "driver_kind", "driver_baseline_per_month"};
  return *c;
}

inline const std::vector<std::string>& SignalColumns() {
  static const auto* c =
      new std::vector<std::string>{"agency_code", "unit_id", "year", "month", "kind", "count"};
  return *c;
}

}  // namespace seimbang::csv

#endif  // SEIMBANG_TOOLS_CSV_COLUMNS_H_
