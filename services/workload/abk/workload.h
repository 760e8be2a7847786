// Inputs of the workload analysis: what each unit × position must produce
// (tasks with volume, period and norm time), who is in post, and the demand
// signals that scale task volumes. Plain structs; the service fills them.
#ifndef SEIMBANG_SERVICES_WORKLOAD_ABK_WORKLOAD_H_
#define SEIMBANG_SERVICES_WORKLOAD_ABK_WORKLOAD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "services/workload/abk/settings.h"

namespace seimbang::abk {

// The period a task's volume is counted in; annualised by Settings::period_factors.
enum class Period { kYear, kMonth, kWeek, kDay };

// Demand-driven volume (DOMAIN.md: signals raise or lower task volumes; the link
// and its strength are data). With a driver, a task's annual volume becomes
//   annual volume × (1 + elasticity × (recent / baseline − 1)), floored at 0,
// where recent = Σ counts of signal_kind for the task's unit over the
// Settings::signal_window_months calendar months ending with the month of
// as_of (inclusive; months with no row count as 0), divided by the window length.
// No scaling when baseline_per_month is 0 or when the unit has no signal row of
// that kind inside the window at all (missing data is not zero demand).
// Example: 10 permits a month at 120 minutes, baseline 40 complaints a month,
// 80 a month over the last 12 months, elasticity 1: factor 2, so
// 10 × 12 × 2 × 120 = 28,800 minutes a year instead of 14,400.
// With elasticity 0.5 the factor would be 1.5.
struct Driver {
  std::string signal_kind;        // e.g. "complaint", "permit_request"
  double baseline_per_month = 0;  // signals a month the declared volume was sized for, >= 0
  double elasticity = 1;          // strength of the link, 0 (none) to 10
};

// Uraian tugas: one task of a position.
struct Task {
  std::string name;         // e.g. "Memverifikasi berkas permohonan izin"
  std::string output_unit;  // satuan hasil, e.g. "berkas"
  double volume = 0;        // outputs per period, >= 0
  Period period = Period::kYear;
  double norm_minutes = 0;  // norma waktu: minutes per output, > 0 and <= kMaxNormMinutes
  std::optional<Driver> driver;
};

// The workload definition of one position (jabatan) in one unit (unit kerja).
struct Workload {
  int64_t unit_id = 0;
  std::string position_code;
  std::string job_family;  // job family (rumpun jabatan); moves only fix gaps within a family
  std::vector<Task> tasks;
};

// Staff in post (bezetting) for one unit × position. Rows with the same key are summed.
struct Staffing {
  int64_t unit_id = 0;
  std::string position_code;
  std::string job_family;
  int64_t pns = 0;   // >= 0
  int64_t pppk = 0;  // >= 0
};

// A monthly count of one kind of demand (complaints, service requests) for a unit.
// Rows with the same unit, kind and month are summed.
struct DemandSignal {
  int64_t unit_id = 0;
  std::string kind;
  int year = 0;
  int month = 0;      // 1 to 12
  int64_t count = 0;  // >= 0
};

// Limits that catch unit-of-measure mistakes (hours typed as minutes, a yearly
// volume typed as daily) rather than model real work.
inline constexpr size_t kMaxTasksPerPosition = 200;
// More than a full year's effective time (≈1,670 h) for one output: split it into stages.
inline constexpr double kMaxNormMinutes = 100000;
// One task alone needing more than 10,000 full-time people is a data error.
inline constexpr double kMaxTaskFte = 10000;
inline constexpr double kMaxElasticity = 10;

// Every rule the workload breaks; empty when it is valid. Fields are named as
// in the struct: "unit_id", "position_code", "job_family", "tasks",
// "tasks[2].volume", "tasks[0].driver.signal_kind". The annual-minutes limit
// (kMaxTaskFte × WKE) uses the settings' period factors and WKE.
// Example: {"tasks[0].volume", "tasks[0].volume must be at least 0, got -1"}.
[[nodiscard]] std::vector<FieldViolation> ValidateWorkload(const Workload& workload,
                                                           const Settings& settings = Settings{});

// Annual outputs of a task before demand scaling: volume × the period's factor.
[[nodiscard]] double AnnualVolume(const Task& task, const PeriodFactors& factors);

}  // namespace seimbang::abk

#endif  // SEIMBANG_SERVICES_WORKLOAD_ABK_WORKLOAD_H_
