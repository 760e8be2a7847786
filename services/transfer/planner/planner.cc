#include "services/transfer/planner/planner.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "common/domain/enum_names.h"
#include "services/transfer/planner/assign.h"
#include "services/transfer/planner/budget.h"
#include "services/transfer/planner/diagnose.h"
#include "services/transfer/planner/model.h"
#include "services/transfer/planner/rules.h"
#include "services/transfer/planner/validate.h"

namespace seimbang::planner {
namespace {

// Milliseconds per step of Solve (SolveStats) and in all.
class Stopwatch {
 public:
  double Lap() {
    const auto now = std::chrono::steady_clock::now();
    const double ms = std::chrono::duration<double, std::milli>(now - mark_).count();
    mark_ = now;
    return ms;
  }
  double Total() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_)
        .count();
  }

 private:
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point mark_ = start_;
};

// The flow network of every part, and the order to solve them in: most arcs
// first, since ParallelFor wants the biggest jobs first.
struct Network {
  std::vector<FlowModel> models;  // models[p] is the network of prep.parts[p]
  std::vector<int> order;
};

struct Flows {
  std::vector<std::vector<int64_t>> per_part;
  std::vector<std::vector<int64_t>> potentials;  // per part, per node
  int moves = 0;
};

Network BuildNetwork(const PlanInput& input, const PreparedInstance& prep, int threads,
                     SolveStats& stats) {
  const int num_parts = static_cast<int>(prep.parts.size());
  Network net;
  net.models.resize(num_parts);
  net.order.resize(num_parts);
  for (int p = 0; p < num_parts; ++p) net.order[p] = p;
  ParallelFor(net.order, threads,
              [&](int p) { net.models[p] = BuildPartModel(input, prep, prep.parts[p]); });
  std::stable_sort(net.order.begin(), net.order.end(), [&net](int a, int b) {
    return net.models[a].arcs.size() > net.models[b].arcs.size();
  });
  for (const FlowModel& m : net.models) {
    stats.nodes += m.num_nodes;
    stats.arcs += static_cast<int64_t>(m.arcs.size());
  }
  stats.classes = static_cast<int64_t>(prep.classes.size());
  stats.pruned_arcs = prep.pruned_arcs;
  stats.parts = num_parts;
  return net;
}

// Every part solved with `lambda` (scaled) added to each move arc.
absl::StatusOr<Flows> SolveAll(const Network& net, int threads, int64_t lambda, SolveStats& stats) {
  const std::vector<FlowModel>& models = net.models;
  Flows out;
  out.per_part.resize(models.size());
  out.potentials.resize(models.size());
  std::vector<absl::Status> status(models.size());
  ParallelFor(net.order, threads, [&](int p) {
    absl::StatusOr<std::vector<int64_t>> f = SolveFlow(models[p], lambda, &out.potentials[p]);
    if (f.ok()) {
      out.per_part[p] = *std::move(f);
    } else {
      status[p] = f.status();
    }
  });
  stats.solves += static_cast<int64_t>(models.size());
  for (size_t p = 0; p < models.size(); ++p) {
    if (!status[p].ok()) return status[p];
    for (size_t a = 0; a < models[p].arcs.size(); ++a) {
      if (models[p].arcs[a].kind == ArcKind::kMove) out.moves += out.per_part[p][a];
    }
  }
  return out;
}

// The optimal flows, within the move budget when there is one (budget.h):
// then result.budget_lambda says what the budget cost per move at the root,
// and the budget step says whether the plan is proven optimal and, if not, the
// lower bound it proved. `*prune_rejected`: the pruned network could not be
// trusted under the budget (a left-out arc would pay at λ*, or a gap remains
// to branch on); the caller solves again without pruning.
absl::StatusOr<Flows> SolveWithinBudget(const PlanInput& input, const Network& net,
                                        const PreparedInstance& prep, int threads,
                                        PlanResult& result, bool* prune_rejected) {
  const Policy& policy = input.policy;
  absl::StatusOr<Flows> flows = SolveAll(net, threads, 0, result.stats);
  if (!flows.ok()) return flows.status();
  if (!policy.move_budget || flows->moves + prep.pinned_moves <= *policy.move_budget) {
    return flows;
  }
  BudgetOptions options;
  options.budget = *policy.move_budget - prep.pinned_moves;
  options.threads = threads;
  options.accept_root = [&](const std::vector<std::vector<int64_t>>& potentials, int64_t num,
                            int64_t den, bool gap) {
    if (prep.pruned_arcs == 0) return true;
    if (gap) return false;  // branching needs every arc
    for (size_t p = 0; p < prep.parts.size(); ++p) {
      if (PrunedArcViolated(input, prep, prep.parts[p], potentials[p], num, den)) return false;
    }
    return true;
  };
  absl::StatusOr<BudgetSolution> b = SolveBudgeted(net.models, net.order, options);
  if (!b.ok()) return b.status();
  result.stats.solves += b->solves;
  result.stats.budget_nodes = b->nodes;
  if (b->rejected) {
    *prune_rejected = true;
    return flows;
  }
  result.budget_lambda =
      Unscale(b->lambda_num) / static_cast<double>(b->lambda_den);  // points per move
  result.budget_gap_scaled = b->cost - b->lower_bound;
  Flows out;
  out.per_part = std::move(b->per_part);
  out.moves = static_cast<int>(b->moves);
  return out;
}

enum class PruneCheck { kExact, kSolveUnpruned };

// The pruned arcs must not pay at the optimum: with the potentials of each
// part's optimum, none may have a negative reduced cost. Potentials of a
// degenerate optimum are not unique, so a part that fails the check is solved
// again with all its arcs (exact either way). Under a binding move budget the
// budget step checks them itself (SolveWithinBudget).
absl::StatusOr<PruneCheck> RepairPrunedParts(const PlanInput& input, const SolveOptions& options,
                                             int threads, PreparedInstance& prep, Network& net,
                                             Flows& flows, PlanResult& result) {
  // A binding budget's step checked the pruned arcs at λ* (accept_root).
  if (prep.pruned_arcs == 0 || result.budget_lambda) return PruneCheck::kExact;
  const int num_parts = static_cast<int>(prep.parts.size());
  std::vector<char> violated(num_parts, 0);
  ParallelFor(net.order, threads, [&](int p) {
    violated[p] = PrunedArcViolated(input, prep, prep.parts[p], flows.potentials[p], 0);
  });
  if (std::find(violated.begin(), violated.end(), 1) == violated.end()) return PruneCheck::kExact;
  for (int p = 0; p < num_parts; ++p) {
    if (!violated[p]) continue;
    UnprunePart(input, options, prep, prep.parts[p]);
    result.stats.arcs -= static_cast<int64_t>(net.models[p].arcs.size());
    net.models[p] = BuildPartModel(input, prep, prep.parts[p]);
    result.stats.arcs += static_cast<int64_t>(net.models[p].arcs.size());
    absl::StatusOr<std::vector<int64_t>> f = SolveFlow(net.models[p], 0);
    if (!f.ok()) return f.status();
    flows.per_part[p] = *std::move(f);
    ++result.stats.solves;
    ++result.stats.repaired_parts;
  }
  return PruneCheck::kExact;
}

// Without a move budget no λ ties the parts together, so each part is built,
// solved, checked against its pruned arcs and reduced to its move flows on a
// worker thread as soon as one is free, biggest first: only `threads`
// networks exist at a time, and a solved part's class arcs are freed (nothing
// after the solve reads them). A part whose pruned arcs might pay is solved
// again with all its arcs afterwards, as RepairPrunedParts does. Building and
// solving overlap, so build_ms and flow_ms split the stage's wall time by
// their shares of the threads' time.
using PartFlows = std::vector<std::vector<ClassFlow>>;  // MoveFlows per part

absl::StatusOr<PartFlows> SolveStreamed(const PlanInput& input, const SolveOptions& options,
                                        int threads, PreparedInstance& prep, PlanResult& result,
                                        double* build_share) {
  const int num_parts = static_cast<int>(prep.parts.size());
  std::vector<int64_t> size(num_parts, 0);  // arcs the part's network will have, roughly
  std::vector<int> order(num_parts);
  for (int p = 0; p < num_parts; ++p) {
    order[p] = p;
    size[p] = static_cast<int64_t>(prep.parts[p].destinations.size());
    for (int k : prep.parts[p].classes) size[p] += 1 + prep.classes[k].targets.size();
  }
  std::stable_sort(order.begin(), order.end(), [&size](int a, int b) { return size[a] > size[b]; });
  result.stats.classes = static_cast<int64_t>(prep.classes.size());
  result.stats.pruned_arcs = prep.pruned_arcs;
  result.stats.parts = num_parts;

  PartFlows sent(num_parts);
  std::vector<int64_t> nodes(num_parts, 0), arcs(num_parts, 0);
  std::vector<char> violated(num_parts, 0);
  std::vector<absl::Status> status(num_parts);
  std::vector<double> build_ms(num_parts, 0), flow_ms(num_parts, 0);
  ParallelFor(order, threads, [&](int p) {
    Stopwatch watch;
    const Part& part = prep.parts[p];
    FlowModel m = BuildPartModel(input, prep, part);
    arcs[p] = static_cast<int64_t>(m.arcs.size());
    nodes[p] = m.num_nodes;
    build_ms[p] = watch.Lap();
    std::vector<int64_t> potentials;
    absl::StatusOr<std::vector<int64_t>> f = SolveFlow(m, 0, &potentials);
    if (!f.ok()) {
      status[p] = f.status();
      return;
    }
    violated[p] = PrunedArcViolated(input, prep, part, potentials, 0);
    if (!violated[p]) sent[p] = MoveFlows(m, *f);
    for (int k : part.classes) std::vector<std::pair<int, int64_t>>().swap(prep.classes[k].targets);
    flow_ms[p] = watch.Lap();
  });
  result.stats.solves += num_parts;
  for (int p = 0; p < num_parts; ++p) {
    if (!status[p].ok()) return status[p];
    result.stats.nodes += nodes[p];
  }
  for (int p = 0; p < num_parts; ++p) {
    if (!violated[p]) continue;
    UnprunePart(input, options, prep, prep.parts[p]);
    const FlowModel m = BuildPartModel(input, prep, prep.parts[p]);
    arcs[p] = static_cast<int64_t>(m.arcs.size());
    absl::StatusOr<std::vector<int64_t>> f = SolveFlow(m, 0);
    if (!f.ok()) return f.status();
    sent[p] = MoveFlows(m, *f);
    ++result.stats.solves;
    ++result.stats.repaired_parts;
  }
  for (int64_t a : arcs) result.stats.arcs += a;
  double build = 0, flow = 0;
  for (int p = 0; p < num_parts; ++p) {
    build += build_ms[p];
    flow += flow_ms[p];
  }
  *build_share = build + flow > 0 ? build / (build + flow) : 0;
  return sent;
}

std::vector<int> StaffAfter(const PreparedInstance& prep, const std::vector<Move>& moves) {
  std::vector<int> staff = prep.staff;  // pinned moves already applied
  for (const Move& m : moves) {
    if (!m.pinned) {
      --staff[m.from];
      ++staff[m.to];
    }
  }
  return staff;
}

// The objective of the plan and its parts, from the moves and staff_after.
void Score(const PlanInput& input, PlanResult& result) {
  const auto& dests = input.destinations;
  const Weights& w = input.policy.weights;
  int64_t move_cost = 0;
  for (const Move& m : result.moves) move_cost += Scale(m.cost.total);
  int64_t under = 0;
  int64_t over = 0;
  for (size_t d = 0; d < dests.size(); ++d) {
    under += UnderPenaltyScaled(result.staff_after[d], dests[d].need, w);
    over += OverPenaltyScaled(result.staff_after[d], dests[d].need, w);
  }
  result.objective_scaled = move_cost + under + over;
  result.objective = Unscale(result.objective_scaled);
  result.move_cost = Unscale(move_cost);
  result.penalty_under = Unscale(under);
  result.penalty_over = Unscale(over);
  result.moves_count = static_cast<int>(result.moves.size());
}

// What the plan proves: exact without a budget (a min-cost flow), under a
// budget what the budget step proved; never under the heuristic target cut.
void SetOptimality(const SolveOptions& options, PlanResult& result) {
  if (options.target_pruning != TargetPruning::kNone) {
    result.proven_optimal = false;
    result.objective_lower_bound.reset();
    result.optimality_gap.reset();
    return;
  }
  result.proven_optimal = result.budget_gap_scaled == 0;
  result.objective_lower_bound = Unscale(result.objective_scaled - result.budget_gap_scaled);
  result.optimality_gap = Unscale(result.budget_gap_scaled);
}

// Lower bound on moves: within a family, min(total surplus, total deficit).
int MovesLowerBound(const std::vector<Destination>& dests) {
  absl::flat_hash_map<std::string, std::pair<int64_t, int64_t>> by_family;
  for (const Destination& d : dests) {
    auto& [surplus, deficit] = by_family[d.job_family];
    surplus += std::max(0, d.staff_before - d.need);
    deficit += std::max(0, d.need - d.staff_before);
  }
  int bound = 0;
  for (const auto& [family, sd] : by_family)
    bound += static_cast<int>(std::min(sd.first, sd.second));
  return bound;
}

constexpr domain::EnumName<UnfilledReason> kUnfilledReasonNames[] = {
    {UnfilledReason::kNoEligibleCandidateInFamily, "no_eligible_candidate_in_family"},
    {UnfilledReason::kBlockedByRule, "blocked_by_rule"},
    {UnfilledReason::kBudgetExhausted, "budget_exhausted"},
    {UnfilledReason::kCheaperToLeave, "cheaper_to_leave"},
    {UnfilledReason::kSupplyExhausted, "supply_exhausted"},
};
static_assert(domain::CoversEveryValue(kUnfilledReasonNames,
                                       UnfilledReason::kNoEligibleCandidateInFamily,
                                       UnfilledReason::kSupplyExhausted));

}  // namespace

// Every name is a string literal, so data() is NUL-terminated.
const char* UnfilledReasonName(UnfilledReason reason) {
  return domain::NameOf(kUnfilledReasonNames, reason, "unknown").data();
}

namespace {

// Solve for input that ValidateInput accepted, timed from `clock`: prepare
// (rules, classes, parts), build, solve within the budget, check the pruning,
// assign individuals, score, explain, diagnose, bound.
absl::StatusOr<PlanResult> SolveValidated(const PlanInput& input, const SolveOptions& options,
                                          Stopwatch clock) {
  PreparedInstance prep = PrepareValidated(input, options);
  const int threads = std::max(1, options.threads);
  PlanResult result;
  result.stats.prepare_ms = clock.Lap();

  PartFlows sent;
  if (!input.policy.move_budget) {
    double build_share = 0;
    absl::StatusOr<PartFlows> streamed =
        SolveStreamed(input, options, threads, prep, result, &build_share);
    if (!streamed.ok()) return streamed.status();
    sent = *std::move(streamed);
    const double ms = clock.Lap();
    result.stats.build_ms = ms * build_share;
    result.stats.flow_ms = ms - result.stats.build_ms;
  } else {
    Network net = BuildNetwork(input, prep, threads, result.stats);
    result.stats.build_ms = clock.Lap();

    bool prune_rejected = false;
    absl::StatusOr<Flows> flows =
        SolveWithinBudget(input, net, prep, threads, result, &prune_rejected);
    if (!flows.ok()) return flows.status();
    absl::StatusOr<PruneCheck> check = PruneCheck::kSolveUnpruned;
    if (!prune_rejected)
      check = RepairPrunedParts(input, options, threads, prep, net, *flows, result);
    if (!check.ok()) return check.status();
    if (*check == PruneCheck::kSolveUnpruned) {
      SolveOptions whole = options;
      whole.prune_unprofitable_arcs = false;
      absl::StatusOr<PlanResult> again = SolveValidated(input, whole, Stopwatch());
      if (again.ok()) again->stats.prune_fallback = true;
      return again;
    }
    result.stats.flow_ms = clock.Lap();
    for (size_t p = 0; p < net.models.size(); ++p) {
      sent.push_back(MoveFlows(net.models[p], flows->per_part[p]));
    }
  }

  result.moves = AssignIndividuals(input, prep, sent);
  result.staff_after = StaffAfter(prep, result.moves);
  Score(input, result);
  ExplainAlternatives(input, prep, result.staff_after, threads, result.moves);
  std::sort(result.moves.begin(), result.moves.end(), [](const Move& a, const Move& b) {
    return std::tie(a.from, a.to, a.nip) < std::tie(b.from, b.to, b.nip);
  });
  result.stats.assign_ms = clock.Lap();
  SetOptimality(options, result);

  result.unfilled =
      DiagnoseUnfilled(input, prep, result.staff_after, result.budget_lambda.has_value(), threads);
  result.stats.diagnose_ms = clock.Lap();

  result.moves_lower_bound = MovesLowerBound(input.destinations);
  result.stats.milliseconds = clock.Total();
  return result;
}

}  // namespace

// Validates once (the unpruned fallback re-solves without validating again).
absl::StatusOr<PlanResult> Solve(const PlanInput& input, const SolveOptions& options) {
  Stopwatch clock;
  if (std::vector<FieldViolation> v = ValidateInput(input); !v.empty()) {
    return ViolationsToStatus(v);
  }
  return SolveValidated(input, options, clock);
}

}  // namespace seimbang::planner
