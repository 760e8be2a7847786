// Part of the repository layer: how personnel's rows map to the contract's messages and back,
// shared by the reads (repository.cc), the transaction's writes (repository_tx.cc) and the
// importer's lane transactions (import_tx.cc). Internal to the repository files.
#ifndef SEIMBANG_SERVICES_PERSONNEL_REPOSITORY_ROWS_H_
#define SEIMBANG_SERVICES_PERSONNEL_REPOSITORY_ROWS_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/db/connection.h"
#include "services/personnel/repository.h"

namespace seimbang::personnel::repository_rows {

using db::Params;
using db::Row;
using db::Value;

inline constexpr char kAgencyCols[] = "code, name, kind, province_code, create_time_ms";
inline constexpr char kUnitCols[] =
    "id, agency_code, parent_id, name, kind, kecamatan, latitude, longitude, active, version, "
    "path, external_id";
inline constexpr char kPositionCols[] =
    "code, name, kind, level, job_family, rank_min, rank_max, min_education, retirement_age, "
    "pelaksana_class";
// Prefixed with e. so the list works in joins too.
inline constexpr char kEmployeeCols[] =
    "e.nip, e.name, e.employment_type, e.rank_text, e.education_level, e.education_field, "
    "e.competency_tags, e.performance_ratings, e.disciplinary_process, e.judicial_process, "
    "e.study_assignment, e.service_bond_until, e.leave_until, e.unit_id, e.position_code, "
    "e.in_post_since, e.home_kecamatan, e.home_latitude, e.home_longitude, e.birth_date, "
    "e.gender, e.appointment, e.agency_code, e.inspectorate_pending, e.employment_status, "
    "e.status_since, e.version";
// What GetStaffing counts with: who, where, which scale, when they retire or stopped
// (StaffingEntry, read by index in this order).
inline constexpr char kStaffingCols[] =
    "e.nip, e.employment_type, e.unit_id, e.position_code, e.birth_date, e.employment_status, "
    "e.status_since";
inline constexpr char kPlacementCols[] =
    "id, nip, from_unit_id, from_position_code, to_unit_id, to_position_code, effective_date, "
    "reason, decree_number, plan_id, move_id, record_time_ms";

Value DateValue(const cv1::Date& d);
void SetDate(const Row& row, std::string_view col, cv1::Date* out);
pv1::Agency AgencyFromRow(const Row& r);
pv1::Unit UnitFromRow(const Row& r);
pv1::Position PositionFromRow(const Row& r);
std::vector<std::string> SplitList(const std::string& s);
pv1::Employee EmployeeFromRow(const Row& r);
pv1::Placement PlacementFromRow(const Row& r);
// The mutable employee columns (all but nip and version), in EmployeeParams order (one table,
// kEmployeeColumns in repository_rows.cc, names each column beside its value): the one
// list the single-row insert and update and the bulk insert are written from.
const std::vector<std::string>& EmployeeMutableColumns();
Params EmployeeParams(const pv1::Employee& e);
// The unit's external id as stored: NULL when empty (the unique key allows many NULLs).
Value ExternalIdValue(const pv1::Unit& u);
// The position's mutable columns after code, in kPositionCols order.
Params PositionParams(const pv1::Position& p);
// The columns of a change-feed row (the sequence is the table's), and one row's values with
// `now` as its change time: the feed's writes (Tx::WriteChanges) and an import's staged rows.
const std::vector<std::string>& ChangeColumns();
Params ChangeParams(const pv1::WatchChangesResponse& c, int64_t now);
std::string Placeholders(size_t n);
absl::Status InsertPlacement(db::Connection& c, const pv1::Placement& p);
std::string ForUpdate(db::Connection& c);

}  // namespace seimbang::personnel::repository_rows

#endif  // SEIMBANG_SERVICES_PERSONNEL_REPOSITORY_ROWS_H_
