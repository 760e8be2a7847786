// Pure mapping from the services' data to the planner: the planner input from an analysis run,
// units, positions, employees and preferences (plan_description maps the result back).
#ifndef SEIMBANG_SERVICES_TRANSFER_PLAN_INPUT_H_
#define SEIMBANG_SERVICES_TRANSFER_PLAN_INPUT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/domain/date.h"
#include "common/errors/errors.h"
#include "seimbang/personnel/v1/personnel.pb.h"
#include "seimbang/transfer/v1/transfer.pb.h"
#include "seimbang/workload/v1/workload.pb.h"
#include "services/transfer/planner/types.h"

namespace seimbang::transfer {

namespace ppb = ::seimbang::personnel::v1;
namespace wpb = ::seimbang::workload::v1;

// How long Downstream::FetchPlanningData's two halves took (they run concurrently), ms.
struct FetchTimings {
  int64_t staffing_ms = 0;  // personnel: units, positions and the agency's employees
  int64_t analysis_ms = 0;  // workload-analysis: every page of the run's rows
};

// Everything fetched from personnel and workload-analysis for one plan.
struct PlanningData {
  std::string agency_code;
  domain::Date effective_date;
  double wke = 75000;  // effective minutes per year of the run (for EJ after the plan)
  std::vector<wpb::PositionRow> rows;
  std::map<int64_t, ppb::Unit> units;
  std::map<std::string, ppb::Position> positions;
  std::vector<ppb::StreamEmployeesResponse> employees;
  std::map<std::string, v1::Preference> preferences;  // by NIP, still valid
  std::string run_agency;                             // the analysis run's agency
  std::string staffing_digest;                        // of the run (personnel's GetStaffing)
  FetchTimings timings;                               // for the plan_created log line
};

using SlotKey = std::pair<int64_t, std::string>;  // (unit id, position code)

struct BuiltInput {
  planner::PlanInput input;
  std::map<SlotKey, int> index;         // slot -> destination index
  std::vector<double> workload;         // per destination, annual minutes
  std::vector<std::string> unit_names;  // per destination
  int skipped_outside_run = 0;          // employees whose slot is not a row of the run
  int skipped_retired = 0;              // retired by the effective date
  // Where each input.policy.pinned / .forbidden entry came from: its index in the
  // policy's rules.pinned / rules.forbidden, or -1 for a revision's own rules.
  std::vector<int> pinned_origin;
  std::vector<int> forbidden_origin;
};

// Extra rules of a revision: accepted objections forbid, the parent's other
// moves are pinned (when still eligible).
struct RevisionRules {
  std::vector<v1::ForbiddenMove> forbidden;
  std::vector<v1::PinnedMove> pinned;
};

// Golongan "III/a" -> 9 (1..17), 0 for empty or unparseable.
int RankOrdinal(const std::string& rank);
// Education scale where D-IV and S-1 are equal (both 8), as minimums require.
int EducationOrdinal(int education_level);
// The scale of a golongan ("III/a": PNS) or grade ("IX": PPPK); none for empty or unparseable.
std::optional<planner::RankScale> RankScaleOf(const std::string& rank);
// planner::Destination::level of a position: the FunctionalLevel of a functional
// position (0 when it has none), kNonFunctionalLevel + kind for managerial posts (a move never
// turns one kind into another), and for pelaksana posts also + kPelaksanaClassStep x class
// (klerek, operator, teknisi never turn into each other; PermenPANRB 45/2022; a post without a
// recorded class matches only another without), 0 when the kind is unknown.
inline constexpr int kNonFunctionalLevel = 100;
inline constexpr int kPelaksanaClassStep = 10;
int PositionLevel(const ppb::Position& position);
// A performance rating (predikat kinerja) below "baik" in either of the last two years (the
// first two of Employee.performance_ratings, newest first): Peraturan BKN 5/2019. No rating
// recorded is not a poor one.
bool PoorPerformance(const ppb::Employee& employee);

// `policy` must be the effective policy (defaults applied). Pinned or forbidden
// moves naming a slot outside the run are INVALID_ARGUMENT on the policy field.
[[nodiscard]] absl::StatusOr<BuiltInput> BuildPlanInput(const PlanningData& data,
                                                        const v1::Policy& policy,
                                                        const RevisionRules& revision = {});

// The planner's violations under the names of the contract (issue 15 item 5): the planner
// names its own structs ("policy.weights.under_base", "policy.pinned[3].destination"), the
// caller sent "policy.weights.under_need_penalty", "policy.rules.pinned[3]". Entries of a
// revision's own rules are named "plan_id" (they come from the plan being revised).
[[nodiscard]] std::vector<errors::FieldViolation> RequestViolations(
    const std::vector<planner::FieldViolation>& violations, const BuiltInput& built);

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_PLAN_INPUT_H_
