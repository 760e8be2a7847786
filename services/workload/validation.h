// Request rules of the workload contract (field comments of workload.proto) on
// top of the ABK library's own checks. Pure functions; every violation names
// the request field path so clients can point at it.
#ifndef SEIMBANG_SERVICES_WORKLOAD_VALIDATION_H_
#define SEIMBANG_SERVICES_WORKLOAD_VALIDATION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/errors/errors.h"
#include "seimbang/common/v1/common.pb.h"
#include "seimbang/workload/v1/workload.pb.h"

namespace seimbang::workload {

using Violations = std::vector<errors::FieldViolation>;

inline constexpr int kMaxTasks = 200;
inline constexpr double kMaxVolume = 10000000;
inline constexpr int kMaxSignalsPerBatch = 10000;
inline constexpr int kMaxSignalWindowMonths = 60;
inline constexpr size_t kMaxLabelChars = 200;
// Issue 15 item 5: every numeric input has a documented range (workload.proto), checked here.
// Unit ids: 1 to 2^53-1 (exact as a JSON number), as in personnel.
inline constexpr int64_t kMaxUnitId = 9007199254740991;
// One unit's signals of one kind in one month. The busiest service counters of the
// country count in the hundreds of thousands a month; 10^9 leaves room and keeps
// a window's sum (at most 60 months) far inside int64.
inline constexpr int64_t kMaxSignalCount = 1000000000;
// Signals a month a task's volume was sized for: from 0.001 (one in 83 years) to 10^9.
inline constexpr double kMinBaselinePerMonth = 0.001;
inline constexpr double kMaxBaselinePerMonth = 1e9;
// Grade band edges and balanced band edges are EJ values: at most 10 (ten times the
// work of a full-time person).
inline constexpr double kMaxEjEdge = 10;

// One task; fields are "<prefix>name", "<prefix>volume", ... (prefix e.g. "workload.tasks[2].").
[[nodiscard]] Violations ValidateTask(const seimbang::workload::v1::Task& task,
                                      const std::string& prefix,
                                      const seimbang::workload::v1::Settings& settings);

// A whole workload under "workload." (agency, unit, position, up to 200 tasks).
[[nodiscard]] Violations ValidateWorkload(const seimbang::workload::v1::Workload& workload,
                                          const seimbang::workload::v1::Settings& settings);

// One signal under `prefix` (e.g. "signals[3].").
[[nodiscard]] Violations ValidateSignal(const seimbang::workload::v1::DemandSignal& signal,
                                        const std::string& prefix);

// Every field of the settings (zero values are invalid, not defaults), under "settings.".
[[nodiscard]] Violations ValidateSettings(const seimbang::workload::v1::Settings& settings);

// A RunAnalysis request: agency_code, a valid as_of, a label of at most 200 characters.
[[nodiscard]] Violations ValidateRunAnalysis(const seimbang::workload::v1::RunAnalysisRequest& req);

// Ids the service issued (an analysis run's, a projection's) fit their VARCHAR(64) columns.
inline constexpr size_t kMaxIdChars = 64;

// A required id of at most kMaxIdChars: "<field> is required", "<field> is at most 64
// characters". An oversized id is a bad request, not a lookup.
void CheckId(Violations& out, const std::string& field, const std::string& id);

// A required civil date: "<field> is required" or "<field> is not a valid date".
[[nodiscard]] Violations ValidateDate(const seimbang::common::v1::Date& date,
                                      const std::string& field, bool required);
[[nodiscard]] Violations ValidateYearMonth(const seimbang::common::v1::YearMonth& month,
                                           const std::string& field);

}  // namespace seimbang::workload

#endif  // SEIMBANG_SERVICES_WORKLOAD_VALIDATION_H_
