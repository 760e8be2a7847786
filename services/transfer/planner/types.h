// Plain input and output structs of the transfer planner (no gRPC, no SQL).
//
// Costs: every weight in Policy is in "points" (a double). Internally the
// planner scales points by 100 and rounds to int64 so that LEMON's min-cost
// flow is exact; results report points again (scaled / 100).
#ifndef SEIMBANG_SERVICES_TRANSFER_PLANNER_TYPES_H_
#define SEIMBANG_SERVICES_TRANSFER_PLANNER_TYPES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/domain/field_violation.h"

namespace seimbang::planner {

// Which scale a rank ordinal is on (common/domain/rank.h): PNS golongan/ruang
// (I/a = 1 .. IV/e = 17) or PPPK grade (I = 1 .. XVII = 17). The scales are
// distinct: a PPPK grade never satisfies a golongan band, nor the reverse.
enum class RankScale { kPns, kPppk };

// One unit × position slot (unit kerja × jabatan) that people can occupy.
struct Destination {
  int64_t unit_id = 0;
  std::string position_code;
  std::string agency_code;  // instansi
  std::string job_family;   // job family (rumpun jabatan) of the position
  int min_rank = 0;         // ordinal 1..17 on rank_scale (I/a = 1 ... IV/e = 17); 0 = any
  int max_rank = 0;         // 0 = any
  RankScale rank_scale = RankScale::kPns;  // scale of min_rank / max_rank
  // Level of the position (jenjang of a functional position, or the kind of a
  // non-functional one), caller's codes; 0 = unknown. A move never changes it.
  int level = 0;
  bool active = true;      // unit is active; an inactive unit is never a target
  int min_education = 0;   // education ordinal (caller's scale); 0 = any
  int staff_before = 0;    // bezetting: everyone in post, movable or not
  int need = 0;            // required headcount from ABK
  double ej_before = 0.0;  // efficiency of the position (EJ), for explanations only
  std::optional<double> lat;
  std::optional<double> lon;
  std::string kecamatan;
  std::string display_name;  // e.g. "Dinas Pekerjaan Umum - Analis Teknik"; for letters
};

struct CandidateFlags {
  bool disciplinary = false;  // in a disciplinary process (hukuman disiplin)
  bool judicial = false;      // in a judicial process (proses peradilan)
  // not (yet) cleared by the inspectorate (Peraturan BKN 5/2019)
  bool inspectorate_pending = false;
  // A performance rating (predikat kinerja) below "baik" in either of the
  // last two years (Peraturan BKN 5/2019).
  bool poor_performance = false;
  bool study_assignment = false;  // tugas belajar
  bool service_bond = false;      // ikatan dinas
  bool on_leave = false;          // cuti (long leave)
};

// An employee in scope. Everyone counted in a Destination's staff_before who
// could conceivably move should be a Candidate; staff not listed stay put.
struct Candidate {
  std::string nip;
  std::string agency_code;
  int current = -1;  // index into PlanInput::destinations
  std::string job_family;
  int rank = 0;  // ordinal 1..17 on rank_scale
  RankScale rank_scale = RankScale::kPns;
  int level = 0;              // level of the current position, as Destination::level; 0 = unknown
  std::string position_code;  // of the current position; "" = unknown
  int education = 0;          // same scale as Destination::min_education
  int months_in_post = 0;
  int months_to_retirement = 1000;  // until BUP
  CandidateFlags flags;
  std::optional<double> home_lat;
  std::optional<double> home_lon;
  std::vector<int64_t> preferred_units;  // ranked, most preferred first (unit ids)
  std::vector<int64_t> avoided_units;    // unit ids
  std::string display_name;              // e.g. "Andi Baso"; for letters
};

// A move fixed by an accepted objection or forbidden by one.
struct PinnedMove {
  std::string nip;
  int destination = -1;
};
struct ForbiddenMove {
  std::string nip;
  int destination = -1;  // -1 = any move at all
};

struct Weights {
  double base_per_move = 100.0;
  double per_km = 2.0;  // distance from home (or current unit when home unknown)
  // Bonus for the r-th preferred unit (1-based) halves with each rank:
  // preferred_bonus / 2^(r-1) (rank 1 the whole, rank 3 a quarter).
  double preferred_bonus = 30.0;
  double avoided_penalty = 50.0;
  double rotation_bonus = 20.0;  // for months_in_post > rotation_months
  int rotation_months = 60;      // the 5-year window (PP 11/2017 art. 190)
  // Convex staffing penalties: the k-th missing person below need costs
  // under_base × k, the k-th person above need costs over_base × k.
  double under_base = 200.0;
  double over_base = 20.0;
};

struct Policy {
  int min_months_in_post = 24;
  // Excluded when months_to_retirement <= this (moving someone about to retire is pointless).
  int exclude_within_months_of_retirement = 12;
  bool exclude_disciplinary = true;
  bool exclude_judicial = true;
  bool exclude_inspectorate_pending = true;
  bool exclude_poor_performance = true;
  bool exclude_study_assignment = true;
  bool exclude_service_bond = true;
  bool exclude_on_leave = true;
  bool require_rank_band = true;
  bool require_education = true;
  bool same_family_only = true;
  // family -> other families a member may move into (in addition to its own).
  std::map<std::string, std::vector<std::string>> family_compatibility;
  bool same_agency_only = true;
  // At most floor(max_leave_fraction × staff_before) people may leave one
  // unit × position, but at least 1 when it is in surplus (staff_before > need)
  // and the fraction is above 0:
  // 4 staff × 0.2 = 0.8 -> 1 when need < 4, else nobody; 5 staff -> 1; 10 -> 2.
  double max_leave_fraction = 0.2;
  // A source may lose at most max(0, staff_before - need) people.
  bool never_below_need = true;
  // The target shows the need (Peraturan BKN 5/2019): moves go only into a
  // unit × position short of its need (staff after pinned moves < need) and
  // never take it above that need. Relief moves (into slots at or above need,
  // their excess paid by Weights::over_base) only when this is true.
  bool allow_relief_moves = false;
  // A move to another position at the same level (perpindahan jabatan, e.g. a
  // civil engineer from buildings to roads) is a distinct kind of move
  // (DOMAIN.md), named in the explanation; allowed within the family rules
  // when the target's education minimum is met, forbidden when false.
  bool allow_position_change = true;
  std::optional<int> move_budget;  // total moves including pinned ones
  std::vector<PinnedMove> pinned;
  std::vector<ForbiddenMove> forbidden;
  Weights weights;
};

struct PlanInput {
  std::vector<Destination> destinations;
  std::vector<Candidate> candidates;
  Policy policy;
};

enum class TargetPruning {
  kNone,  // exact for the model
  // Only arcs into destinations with staff_before < need. A heuristic cut for
  // very large instances: exact when over_base = 0 and no two-move chain is
  // cheaper than the direct move; otherwise the objective can only be worse.
  kDeficitOnly,
};

struct SolveOptions {
  int threads = 2;
  bool aggregate = true;  // solve interchangeable candidates as one class
  TargetPruning target_pruning = TargetPruning::kNone;
  // Leave out move arcs that cost more than the most penalty they could save
  // (out of a full source, into an emptied target), then check the optimum
  // against them with the dual potentials and solve again without pruning if
  // any would have paid: the plan stays optimal for the whole model.
  bool prune_unprofitable_arcs = true;
};

// ---- output ----

struct CostBreakdown {  // points; positive = cost, bonuses are negative
  double base = 0;
  double distance = 0;
  double preference = 0;  // preferred bonus (negative) or avoided penalty (positive)
  double rotation = 0;
  // What the optimiser used: the sum, but never below 0.01 (a move is never
  // free, so nobody moves for bonuses alone and ties favour staying).
  double total = 0;
};

struct Move {
  std::string nip;
  int candidate = -1;  // index into PlanInput::candidates
  int from = -1;       // destination indices
  int to = -1;
  CostBreakdown cost;
  bool pinned = false;
  std::vector<std::string> rules_satisfied;  // names from rules.h
  // Cheapest other eligible destination (not `to`, not staying) and how many
  // points more the plan would cost if this person went there instead,
  // everyone else unchanged. -1 when there is none.
  int best_alternative = -1;
  double best_alternative_extra_cost = 0;
  int preference_rank = 0;  // 1-based rank of `to` among preferred units; 0 = not preferred
};

enum class UnfilledReason {
  kNoEligibleCandidateInFamily,  // nobody of a compatible family exists elsewhere
  kBlockedByRule,                // compatible people exist but hard rules remove every arc
  kBudgetExhausted,              // a move budget is binding
  kCheaperToLeave,               // every eligible move costs more than the penalty it removes
  kSupplyExhausted,              // eligible people exist but sources are capped or needed elsewhere
};

struct UnfilledNeed {
  int destination = -1;
  int missing = 0;
  UnfilledReason reason = UnfilledReason::kSupplyExhausted;
  std::string blocking_rule;  // for kBlockedByRule: the rule that removed the most arcs
};

struct SolveStats {
  int64_t nodes = 0;
  int64_t arcs = 0;
  int64_t classes = 0;
  int64_t parts = 0;
  int64_t pruned_arcs = 0;  // move arcs left out by prune_unprofitable_arcs
  // Parts whose pruned arcs failed the potentials check, solved again with all
  // their arcs; under a move budget the whole plan is solved again instead.
  int64_t repaired_parts = 0;
  bool prune_fallback = false;
  int64_t solves = 0;        // flow solves per part summed over the budget search
  int64_t budget_nodes = 0;  // branch and bound nodes of the budget step (budget.h), root included
  double milliseconds = 0;
  // Where the time went: eligibility and classes, network building, flow
  // solves (all of the budget search), picking individuals and explanations,
  // diagnosing unfilled needs.
  double prepare_ms = 0;
  double build_ms = 0;
  double flow_ms = 0;
  double assign_ms = 0;
  double diagnose_ms = 0;
};

struct PlanResult {
  std::vector<Move> moves;  // sorted by (from, to, nip)
  std::vector<int> staff_after;
  std::vector<UnfilledNeed> unfilled;
  double objective = 0;  // move_cost + penalty_under + penalty_over (points)
  double move_cost = 0;
  double penalty_under = 0;
  double penalty_over = 0;
  int64_t objective_scaled = 0;  // objective × 100, exact
  int moves_count = 0;
  int moves_lower_bound = 0;  // Σ over job families of min(total surplus, total deficit)
  // Extra points per move at which the Lagrangian relaxation of the move
  // budget meets it (λ* of budget.h); set only when the budget binds.
  std::optional<double> budget_lambda;
  // Whether no plan within the rules and the budget has a smaller objective.
  // Always true without a budget (an exact min-cost flow); under a binding
  // budget true unless the branch and bound of budget.h stopped at its limits.
  // False under TargetPruning::kDeficitOnly, a heuristic.
  bool proven_optimal = true;
  // No plan within the rules and the budget has an objective below this
  // (points); equals `objective` when proven optimal. Unset under
  // TargetPruning::kDeficitOnly.
  std::optional<double> objective_lower_bound;
  // objective - objective_lower_bound (points): how much better a plan could at
  // most be. 0 when proven optimal; unset when the lower bound is.
  std::optional<double> optimality_gap;
  int64_t budget_gap_scaled = 0;  // the same × 100, exact (internal)
  SolveStats stats;
};

// One bad input field, e.g. "candidates[3].current" (common/domain/field_violation.h).
using FieldViolation = domain::FieldViolation;

}  // namespace seimbang::planner

#endif  // SEIMBANG_SERVICES_TRANSFER_PLANNER_TYPES_H_
