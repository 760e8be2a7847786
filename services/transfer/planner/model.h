// The min-cost flow network of the planner: preparation (rules, costs,
// classes, parts), the network of one part, LEMON solve and LP export.
//
// Network of one part (all quantities integer, costs scaled by 100):
//   class k (supply = class size)  --stay, cost 0-->          stay node of its source s
//   class k                        --move, cost c_k,t + λ-->  destination node t
//   stay node s (demand L_s = movable_s - cap_s: people who must stay)
//                                  --cap cap_s, cost 0-->     destination node s
//   destination node t             --penalty arcs-->          sink
// Destination t already holds f_t = staff'_t - cap_t people that cannot leave
// (fixed flow, staff' = staff after pinned moves); the j-th extra unit of
// inflow costs P_t(f_t + j) - P_t(f_t + j - 1), which increases with j because
// P_t is convex, so the cheapest arcs fill first and flow cost + Σ P_t(f_t)
// equals Σ move costs + Σ penalties exactly. Equal marginals share one arc.
// Over-need arcs stop at need + O_max, O_max = the largest surplus in the part:
// with over_base > 0 and every move costing > 0, an optimal plan never makes a
// receiving destination more over need than the source it took from, so no
// destination ends above need + O_max (and stays always fit, so the cut keeps
// feasibility and optimality). Under the target-need rule (no relief moves)
// move arcs enter only destinations with staff'_t < need, whose penalty arcs
// stop at need: their own stayers alone stay below it, so everyone staying is
// still feasible.
#ifndef SEIMBANG_SERVICES_TRANSFER_PLANNER_MODEL_H_
#define SEIMBANG_SERVICES_TRANSFER_PLANNER_MODEL_H_

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "services/transfer/planner/rules.h"
#include "services/transfer/planner/types.h"

namespace seimbang::planner {

enum class ArcKind { kStay, kMove, kStayToDestination, kPenalty };

struct FlowArc {
  int from = 0;
  int to = 0;
  int64_t capacity = 0;
  int64_t cost = 0;  // scaled, without λ
  ArcKind kind = ArcKind::kPenalty;
  int klass = -1;        // kStay / kMove: class index in PreparedInstance
  int destination = -1;  // kMove: target; kStayToDestination / kPenalty: its destination
};

struct FlowModel {
  int num_nodes = 0;
  std::vector<int64_t> supply;  // positive = source, negative = demand; sums to 0
  std::vector<FlowArc> arcs;
  int64_t constant = 0;  // Σ P_t(f_t): objective = flow cost + constant
};

// Interchangeable candidates: same current destination and same arcs (targets and costs).
struct CandidateClass {
  int current = -1;
  std::vector<int> members;                      // candidate indices
  std::vector<std::pair<int, int64_t>> targets;  // (destination, scaled cost), by destination
};

struct Part {
  std::vector<int> destinations;  // sorted
  std::vector<int> classes;       // sorted
  int64_t over_limit = 0;         // O_max
};

// Which destinations a candidate may move to under the pair rules (family and
// agency, rank band and scale, level, education, forbidden pairs, inactive
// units, the target's need after pinned moves, optional deficit-only cut),
// with agencies and families compared as small integers. Built once by
// Prepare; refers to the PlanInput it was built from, which must outlive it.
class TargetRules {
 public:
  TargetRules(const PlanInput& input, const SolveOptions& options, const std::vector<int>& staff);
  // Calls fn(t) for each destination candidate i may move to, by destination index; stops
  // early when fn returns false. Person rules (tenure, flags, pins) are the caller's.
  template <typename Fn>
  void ForEach(int i, Fn fn) const;
  bool ForbidsAll(int i) const { return forbidden_any_[i] != 0; }

 private:
  const PlanInput* input_;
  // Per destination: inactive, or not short of need under the target-need rule or
  // TargetPruning::kDeficitOnly.
  std::vector<char> target_blocks_;
  std::vector<int> plausible_of_;            // candidate -> index into plausible_
  std::vector<std::vector<int>> plausible_;  // same agency (when required), compatible family
  std::vector<char> forbidden_any_;
  absl::flat_hash_set<std::pair<int, int>> forbidden_pair_;  // (candidate, destination)
};

struct PreparedInstance {
  std::vector<int> staff;      // after pinned moves
  std::vector<int> leave_cap;  // cap_s: how many may still leave each destination
  std::vector<int> movable;    // movable candidates per destination (before cap)
  std::vector<int> pinned_of;  // per candidate: pinned destination or -1
  std::vector<CandidateClass> classes;
  std::vector<Part> parts;
  int64_t pinned_cost = 0;  // scaled cost of pinned moves
  int pinned_moves = 0;
  // Exact arc pruning (SolveOptions::prune_unprofitable_arcs): the largest
  // penalty a move out of / into each destination could save, and how many move
  // arcs were left out because their cost exceeds the sum. Whether the optimum
  // of the pruned network is optimal for the whole one is checked afterwards
  // from the dual potentials (PrunedArcViolated).
  std::vector<int64_t> leave_gain;
  std::vector<int64_t> arrive_gain;
  int64_t pruned_arcs = 0;
  std::unique_ptr<TargetRules> rules;
};

// Runs fn(order[0]), fn(order[1]), ... on up to `threads` threads (the caller's
// included), taking the next index as each finishes: put the biggest jobs first.
void ParallelFor(const std::vector<int>& order, int threads, const std::function<void(int)>& fn);

// Cuts [0, n) into slices, as many as `threads` allows with about `grain` items or more per
// slice (one slice at least), and runs fn(lo, hi) for each on ParallelFor.
inline void ParallelSlices(size_t n, int threads, size_t grain,
                           const std::function<void(size_t, size_t)>& fn) {
  const int slices = std::max(1, std::min<int>(threads, n / grain + 1));
  std::vector<int> slice_order(slices);
  for (int k = 0; k < slices; ++k) slice_order[k] = k;
  ParallelFor(slice_order, slices, [&](int k) { fn(n * k / slices, n * (k + 1) / slices); });
}

// ValidateInput (INVALID_ARGUMENT listing the violations), then PrepareValidated.
[[nodiscard]] absl::StatusOr<PreparedInstance> Prepare(const PlanInput& input,
                                                       const SolveOptions& options);
// Rules, leave caps, classes and parts of input that ValidateInput accepted.
[[nodiscard]] PreparedInstance PrepareValidated(const PlanInput& input,
                                                const SolveOptions& options);
[[nodiscard]] FlowModel BuildPartModel(const PlanInput& input, const PreparedInstance& prep,
                                       const Part& part);
// Solves with every arc cost multiplied by `scale` and `lambda` added to every
// move arc (λ = lambda / scale per move, in scaled points); returns the flow
// per arc and, when `potentials` is given, LEMON's node potentials π (dual
// solution: at the optimum every arc below its capacity has
// cost × scale + λ + π(from) - π(to) >= 0). FAILED_PRECONDITION when no flow
// meets the supplies and capacities.
[[nodiscard]] absl::StatusOr<std::vector<int64_t>> SolveFlow(
    const FlowModel& model, int64_t lambda, std::vector<int64_t>* potentials = nullptr,
    int64_t scale = 1);
// Rebuilds `part`'s classes from every eligible arc of their members (what
// Prepare builds without pruning), appended to prep.classes; the part's old
// classes are left unused.
void UnprunePart(const PlanInput& input, const SolveOptions& options, PreparedInstance& prep,
                 Part& part);
// True when some move arc left out of `part` by the pruning has a negative
// reduced cost under the part's optimal potentials (solved with costs × `scale`
// and `lambda` per move, as SolveFlow), i.e. the pruned optimum might not be
// optimal for the whole network.
[[nodiscard]] bool PrunedArcViolated(const PlanInput& input, const PreparedInstance& prep,
                                     const Part& part, const std::vector<int64_t>& potentials,
                                     int64_t lambda, int64_t scale = 1);
[[nodiscard]] int64_t FlowCost(const FlowModel& model, const std::vector<int64_t>& flow);

// The whole instance (all parts side by side, λ = 0) as one network, never
// pruned (prune_unprofitable_arcs is ignored): what independent solvers check.
[[nodiscard]] absl::StatusOr<FlowModel> BuildModel(const PlanInput& input,
                                                   SolveOptions options = {});
// Writes `model` in CPLEX LP format with integer flows (readable by
// `cbc model.lp solve solu out.txt`); the constant goes in a comment line.
// With `max_moves` >= 0, a row "moves" keeps the flow on move arcs at most
// that (a move budget, pinned moves taken off).
void ExportLp(const FlowModel& model, std::ostream& out, int64_t max_moves = -1);

template <typename Fn>
void TargetRules::ForEach(int i, Fn fn) const {
  const Candidate& c = input_->candidates[i];
  const Policy& policy = input_->policy;
  for (int t : plausible_[plausible_of_[i]]) {
    if (t == c.current || target_blocks_[t]) continue;
    const Destination& d = input_->destinations[t];
    if (RankOutOfBand(c, d, policy) || RankScaleDiffers(c, d, policy) || LevelChanges(c, d) ||
        PositionChangeForbidden(c, d, policy) || BelowEducation(c, d, policy)) {
      continue;
    }
    if (!forbidden_pair_.empty() && forbidden_pair_.contains({i, t})) continue;
    if (!fn(t)) return;
  }
}

}  // namespace seimbang::planner

#endif  // SEIMBANG_SERVICES_TRANSFER_PLANNER_MODEL_H_
