#ifndef SEIMBANG_TOOLS_SEIMBANGCTL_REPORT_H_
#define SEIMBANG_TOOLS_SEIMBANGCTL_REPORT_H_

// The plan report: one self-contained, printable HTML page (inline CSS and SVG,
// nothing fetched from the network), rendered by a pure function.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "seimbang/transfer/v1/transfer.pb.h"
#include "seimbang/workload/v1/workload.pb.h"

namespace seimbang::ctl {

// One unit x position before and after the plan.
struct ReportSlot {
  int64_t unit_id = 0;
  std::string unit_name;
  std::string position_code;
  std::string job_family;
  double workload_minutes = 0;  // Annual minutes (from the analysis run).
  int need = 0;                 // Required headcount.
  int staff_before = 0;
  int staff_after = 0;
};

struct ReportInput {
  std::string agency_name;
  seimbang::transfer::v1::PlanSummary plan;
  seimbang::transfer::v1::Policy policy;
  std::vector<seimbang::transfer::v1::Move> moves;  // In the order to show (most important first).
  std::vector<seimbang::transfer::v1::UnfilledNeed> unfilled;
  std::vector<ReportSlot> slots;
  double effective_minutes_per_year = 75000;  // WKE of the analysis run.
  std::string generated_at;                   // Shown in the footer; passed in to stay pure.
  // The staffing projection shown in its section (report_projection.cc); without one, the
  // section says how to make one when projection_wanted, and is left out otherwise.
  std::optional<seimbang::workload::v1::Projection> projection;
  bool projection_wanted = true;
  std::map<int64_t, std::string> unit_names;  // Unit names by id, for the formasi lines.
  // The open objections against the plan and when its objection window closes (0: not
  // submitted yet).
  int open_objections = 0;
  int64_t objection_window_close_ms = 0;
  // Display names of the audit trail's subjects (created_by, submitted_by, approved_by) that are
  // NIPs, from personnel; other subjects are printed as they are.
  std::map<std::string, std::string> people;
};

// The analysis rows with each move applied: staff_after = staff - moves out + moves in.
[[nodiscard]] std::vector<ReportSlot> BuildSlots(
    const std::vector<seimbang::workload::v1::PositionRow>& rows,
    const std::vector<seimbang::transfer::v1::Move>& moves,
    const std::map<int64_t, std::string>& unit_names);

// EJ of a slot: workload / (staff x WKE); 0 when nobody is in post.
[[nodiscard]] double SlotEj(double workload_minutes, int staff, double wke);

[[nodiscard]] std::string RenderPlanReport(const ReportInput& input);

// The projection section of the report: the method with its sources, a chart per job family
// (staff against need per year), the retirement wave and the formasi per year; "" when there is
// no projection and none was wanted.
[[nodiscard]] std::string RenderProjectionSection(const ReportInput& input);

// A whole number in Indonesian notation: 1.234.567, -12.
[[nodiscard]] std::string FormatCount(int64_t v);
// A number with `decimals` decimals in Indonesian notation: 1.234,5; -0,25.
[[nodiscard]] std::string FormatDecimal(double v, int decimals);
// A share (0.565) as an Indonesian percentage: "56,5%".
[[nodiscard]] std::string FormatPercent(double share);
// A unix-millis instant as the day in words in WITA (UTC+8): "3 Desember 2026"; "" for 0.
[[nodiscard]] std::string DayInWords(int64_t unix_ms);

// One unit before and after the plan (its positions summed).
struct ReportUnit {
  int64_t id = 0;
  std::string name;
  int need = 0, before = 0, after = 0;
  // How much closer to need the unit gets: sum over its positions of |before-need| - |after-need|.
  int helped = 0;
};
// The units of the slots, in the order of their ids.
[[nodiscard]] std::vector<ReportUnit> UnitsOf(const std::vector<ReportSlot>& slots);

// The first page: the summary a head of BKPSDM reads (report_summary.cc), ending in the
// approval block.
[[nodiscard]] std::string RenderLeaderSummary(const ReportInput& input);
// A rule id of the planner ("min_tenure", "max_leave_fraction/allow_below_need") in words.
[[nodiscard]] std::string RuleWords(const std::string& rule);
// The reason of an unfilled need in words, with its rule when it has one.
[[nodiscard]] std::string UnfilledWords(const seimbang::transfer::v1::UnfilledNeed& u);

// Escapes &, <, >, " and ' for HTML text and attributes.
[[nodiscard]] std::string HtmlEscape(const std::string& text);

}  // namespace seimbang::ctl

#endif  // SEIMBANG_TOOLS_SEIMBANGCTL_REPORT_H_
