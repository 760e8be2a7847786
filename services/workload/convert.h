// Translation between the workload contract (protobuf) and the pure ABK library:
// settings, workloads, signals in; analysis rows and summary out. No I/O.
#ifndef SEIMBANG_SERVICES_WORKLOAD_CONVERT_H_
#define SEIMBANG_SERVICES_WORKLOAD_CONVERT_H_

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "seimbang/personnel/v1/personnel.pb.h"
#include "seimbang/workload/v1/workload.pb.h"
#include "services/workload/abk/abk.h"
#include "services/workload/repository.h"

namespace seimbang::workload {

// The settings an agency has until it changes them (DOMAIN.md defaults).
[[nodiscard]] pb::Settings DefaultSettings(const std::string& agency_code);

[[nodiscard]] abk::Settings ToAbk(const pb::Settings& settings);
[[nodiscard]] abk::Rounding ToAbk(pb::Rounding rounding);
[[nodiscard]] abk::Period ToAbk(pb::Period period);
[[nodiscard]] pb::Grade FromAbk(abk::Grade grade);

// "public_complaints", "service_requests", "infrastructure_projects", "other"; "" otherwise.
[[nodiscard]] std::string SignalKindName(pb::SignalKind kind);

// A stored workload as the ABK library's input (elasticity 1: the contract has none).
[[nodiscard]] abk::Workload ToAbk(const StoredWorkload& workload);
[[nodiscard]] abk::DemandSignal ToAbk(const pb::DemandSignal& signal);
[[nodiscard]] abk::Staffing ToAbk(const seimbang::personnel::v1::StaffingRow& row);

// The first and last month_key (year*100+month) of the signal window ending with as_of.
[[nodiscard]] std::pair<int, int> SignalWindow(absl::CivilDay as_of, int window_months);

struct RunRows {
  std::vector<pb::PositionRow> positions;
  std::vector<pb::UnitRow> units;
};

// An int64 count of the analysis in an int32 field of the contract: saturates at the int32
// limits instead of wrapping (issue 15 item 5: a huge need once came back negative).
[[nodiscard]] int32_t Clamp32(int64_t value);

// Position and unit rows of an analysis; has_workload marks keys present in `workloads`.
[[nodiscard]] RunRows ToRows(const abk::AnalysisResult& result,
                             const std::vector<StoredWorkload>& workloads);

// Fills the computed figures of `summary` (totals, counts, dispersion).
void FillSummary(const abk::AnalysisResult& result, pb::AnalysisSummary& summary);

// Per-row differences of two runs, keyed by (unit_id, position_code); rows present in
// only one run compare against an empty row. Only rows that differ are returned.
[[nodiscard]] std::vector<pb::RowDelta> DiffRows(const std::vector<pb::PositionRow>& base,
                                                 const std::vector<pb::PositionRow>& other);

}  // namespace seimbang::workload

#endif  // SEIMBANG_SERVICES_WORKLOAD_CONVERT_H_
