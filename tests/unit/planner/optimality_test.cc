// The plan is optimal for the model: exhaustive search on tiny instances,
// aggregation and decomposition never change the objective, and CBC agrees
// on the exported LP.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "services/transfer/planner/model.h"
#include "services/transfer/planner/planner.h"
#include "services/transfer/planner/rules.h"
#include "tests/unit/planner/test_instances.h"

namespace seimbang::planner {
namespace {

using testing::RandomInstance;

// Every assignment of every candidate to "stay" or an eligible destination,
// within the leave caps and the move budget and, under the target-need rule,
// only into destinations short of need and never above it; the cheapest
// objective (scaled). Instances without pinned moves.
int64_t BruteForceObjective(const PlanInput& in) {
  const int budget = in.policy.move_budget.value_or(std::numeric_limits<int>::max());
  const auto& dests = in.destinations;
  const Policy& p = in.policy;
  const ForbiddenSet forbidden(p.forbidden);
  std::vector<std::vector<int>> options;
  for (const Candidate& c : in.candidates) {
    std::vector<int> o = {c.current};
    for (int t = 0; t < static_cast<int>(dests.size()); ++t) {
      const bool short_of_need = dests[t].staff_before < dests[t].need;
      if (Eligible(c, t, dests, p, forbidden) && (p.allow_relief_moves || short_of_need)) {
        o.push_back(t);
      }
    }
    options.push_back(o);
  }
  std::vector<int> cap(dests.size());
  for (size_t d = 0; d < dests.size(); ++d) {
    cap[d] = std::min(LeaveFractionCap(dests[d], p), NeverBelowNeedCap(dests[d], p));
  }
  std::vector<int> staff(dests.size()), left(dests.size(), 0);
  for (size_t d = 0; d < dests.size(); ++d) staff[d] = dests[d].staff_before;
  int64_t best = std::numeric_limits<int64_t>::max();
  int moves = 0;
  std::function<void(size_t, int64_t)> go = [&](size_t i, int64_t cost) {
    if (i == in.candidates.size()) {
      int64_t total = cost;
      for (size_t d = 0; d < dests.size(); ++d) {
        const bool received = staff[d] + left[d] > dests[d].staff_before;
        if (!p.allow_relief_moves && received && staff[d] > dests[d].need) return;
        total += PenaltyScaled(staff[d], dests[d].need, p.weights);
      }
      best = std::min(best, total);
      return;
    }
    const Candidate& c = in.candidates[i];
    for (int t : options[i]) {
      if (t == c.current) {
        go(i + 1, cost);
        continue;
      }
      if (left[c.current] >= cap[c.current] || moves >= budget) continue;
      ++moves;
      ++left[c.current];
      --staff[c.current];
      ++staff[t];
      go(i + 1, cost + MoveCostScaled(c, dests[c.current], dests[t], p.weights));
      --moves;
      --left[c.current];
      ++staff[c.current];
      --staff[t];
    }
  };
  go(0, 0);
  return best;
}

TEST(PlannerOptimality, MatchesExhaustiveSearchOnTinyInstances) {
  int with_moves = 0;
  for (int seed = 1; seed <= 300; ++seed) {
    std::mt19937 rng(seed);
    const int num_dest = 2 + seed % 3;
    const int num_cand = 3 + seed % 5;
    const PlanInput in = RandomInstance(rng, num_dest, num_cand);
    absl::StatusOr<PlanResult> r = Solve(in);
    ASSERT_TRUE(r.ok()) << "seed " << seed << ": " << r.status();
    ASSERT_EQ(r->objective_scaled, BruteForceObjective(in)) << "seed " << seed;
    if (r->moves_count > 0) ++with_moves;
  }
  std::printf("%d of 300 instances with moves\n", with_moves);
  EXPECT_GT(with_moves, 100);  // the instances exercise moves, not only "everyone stays"
}

// Under a move budget below what the unbudgeted plan moves: every plan is the
// exhaustive optimum when it says it is proven optimal, and otherwise its
// lower bound is at most that optimum (and its objective at least it).
TEST(PlannerOptimality, UnderBudgetsMatchesExhaustiveSearchOrReportsACorrectGap) {
  int binding = 0;
  int proven = 0;
  for (int seed = 1; binding < 300 && seed <= 3000; ++seed) {
    std::mt19937 rng(1000 + seed);
    const int num_dest = 2 + seed % 4;
    const int num_cand = 4 + seed % 5;
    PlanInput in = RandomInstance(rng, num_dest, num_cand);
    absl::StatusOr<PlanResult> free = Solve(in);
    ASSERT_TRUE(free.ok()) << "seed " << seed << ": " << free.status();
    if (free->moves_count == 0) continue;
    in.policy.move_budget = std::uniform_int_distribution<int>(0, free->moves_count - 1)(rng);
    absl::StatusOr<PlanResult> r = Solve(in);
    ASSERT_TRUE(r.ok()) << "seed " << seed << ": " << r.status();
    ++binding;
    const int64_t best = BruteForceObjective(in);
    EXPECT_LE(r->moves_count, *in.policy.move_budget) << "seed " << seed;
    ASSERT_TRUE(r->objective_lower_bound.has_value() && r->optimality_gap.has_value());
    EXPECT_LE(Scale(*r->objective_lower_bound), best) << "seed " << seed;
    EXPECT_GE(r->objective_scaled, best) << "seed " << seed;
    EXPECT_DOUBLE_EQ(*r->optimality_gap, r->objective - *r->objective_lower_bound);
    if (r->proven_optimal) {
      ++proven;
      EXPECT_EQ(r->objective_scaled, best) << "seed " << seed;
      EXPECT_DOUBLE_EQ(*r->optimality_gap, 0);
    }
  }
  std::printf("%d budgets binding, %d proven optimal\n", binding, proven);
  EXPECT_EQ(binding, 300);
  EXPECT_EQ(proven, binding);  // tiny instances: the branch and bound always finishes
}

TEST(PlannerOptimality, ObjectiveEqualsMoveCostsPlusPenalties) {
  std::mt19937 rng(7);
  const PlanInput in = RandomInstance(rng, 6, 40);
  absl::StatusOr<PlanResult> r = Solve(in);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_DOUBLE_EQ(r->objective, r->move_cost + r->penalty_under + r->penalty_over);
  int total_before = 0, total_after = 0;
  for (size_t d = 0; d < in.destinations.size(); ++d) {
    total_before += in.destinations[d].staff_before;
    total_after += r->staff_after[d];
  }
  EXPECT_EQ(total_before, total_after);
  EXPECT_EQ(r->moves_count, static_cast<int>(r->moves.size()));
}

TEST(PlannerOptimality, NoSingleRedirectionImprovesThePlan) {
  for (int seed = 1; seed <= 60; ++seed) {
    std::mt19937 rng(seed);
    const PlanInput in = RandomInstance(rng, 8, 60);
    absl::StatusOr<PlanResult> r = Solve(in);
    ASSERT_TRUE(r.ok()) << r.status();
    for (const Move& m : r->moves) {
      if (m.best_alternative >= 0) {
        EXPECT_GE(m.best_alternative_extra_cost, 0) << "seed " << seed << " nip " << m.nip;
      }
    }
  }
}

TEST(PlannerOptimality, AggregationDoesNotChangeTheObjective) {
  int aggregated_somewhere = 0;
  for (int seed = 1; seed <= 40; ++seed) {
    std::mt19937 rng(seed);
    PlanInput in = RandomInstance(rng, 6, 80);
    for (Candidate& c : in.candidates) c.home_lat.reset();  // more interchangeable people
    SolveOptions with, without;
    without.aggregate = false;
    absl::StatusOr<PlanResult> a = Solve(in, with);
    absl::StatusOr<PlanResult> b = Solve(in, without);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->objective_scaled, b->objective_scaled) << "seed " << seed;
    if (a->stats.classes < b->stats.classes) ++aggregated_somewhere;
  }
  EXPECT_GT(aggregated_somewhere, 30);
}

// Pruning drops arcs that look unprofitable and checks the optimum against
// them with the dual potentials, solving in full when one would pay; either way
// the objective and every move's best alternative are those of the whole model.
TEST(PlannerOptimality, PruningUnprofitableArcsNeverChangesTheObjectiveOrTheAlternatives) {
  int pruned_somewhere = 0;
  int fell_back = 0;
  for (int seed = 1; seed <= 300; ++seed) {
    std::mt19937 rng(seed);
    PlanInput in = RandomInstance(rng, 8, 60);
    if (seed % 3 == 0) in.policy.weights.over_base = 400;  // steep over-need: chains pay
    SolveOptions pruned, whole;
    whole.prune_unprofitable_arcs = false;
    absl::StatusOr<PlanResult> a = Solve(in, pruned);
    absl::StatusOr<PlanResult> b = Solve(in, whole);
    ASSERT_TRUE(a.ok() && b.ok()) << "seed " << seed;
    EXPECT_EQ(a->objective_scaled, b->objective_scaled) << "seed " << seed;
    EXPECT_EQ(b->stats.pruned_arcs, 0);
    if (a->stats.pruned_arcs > 0) ++pruned_somewhere;
    if (a->stats.prune_fallback || a->stats.repaired_parts > 0) ++fell_back;
    // The explanation of a move looks at every eligible target, pruned or not
    // (compared where both plans are the same: ties may pick other people).
    if (a->moves.size() != b->moves.size() || a->staff_after != b->staff_after) continue;
    std::map<std::string, double> extra;
    for (const Move& m : b->moves)
      extra[m.nip + ">" + std::to_string(m.to)] = m.best_alternative_extra_cost;
    for (const Move& m : a->moves) {
      auto it = extra.find(m.nip + ">" + std::to_string(m.to));
      if (it != extra.end()) {
        EXPECT_DOUBLE_EQ(m.best_alternative_extra_cost, it->second) << "seed " << seed;
      }
    }
  }
  std::printf("pruned in %d of 300 instances, re-solved a part in full in %d\n", pruned_somewhere,
              fell_back);
  EXPECT_GT(pruned_somewhere, 100);
}

// Without a move budget each part is built, solved and freed on its own
// (SolveStreamed); with a budget that never binds, every network is built
// first and then solved (the budget path). Both must give the same plan, the
// same statistics and the same diagnoses, repaired parts included.
TEST(PlannerOptimality, StreamingThePartsGivesThePlanOfBuildingThemAllFirst) {
  int repaired = 0;
  for (int seed = 1; seed <= 150; ++seed) {
    std::mt19937 rng(seed);
    PlanInput in = RandomInstance(rng, 24, 200, /*num_agencies=*/3);
    if (seed % 3 == 0) in.policy.weights.over_base = 400;  // steep over-need: repairs
    SolveOptions options;
    options.threads = 2;
    absl::StatusOr<PlanResult> streamed = Solve(in, options);
    in.policy.move_budget = static_cast<int>(in.candidates.size());
    absl::StatusOr<PlanResult> built = Solve(in, options);
    ASSERT_TRUE(streamed.ok() && built.ok()) << "seed " << seed;
    ASSERT_FALSE(built->budget_lambda.has_value()) << "seed " << seed;
    EXPECT_EQ(streamed->objective_scaled, built->objective_scaled) << "seed " << seed;
    EXPECT_EQ(streamed->stats.arcs, built->stats.arcs) << "seed " << seed;
    EXPECT_EQ(streamed->stats.nodes, built->stats.nodes) << "seed " << seed;
    EXPECT_EQ(streamed->stats.classes, built->stats.classes) << "seed " << seed;
    EXPECT_EQ(streamed->stats.parts, built->stats.parts) << "seed " << seed;
    EXPECT_EQ(streamed->stats.solves, built->stats.solves) << "seed " << seed;
    EXPECT_EQ(streamed->stats.repaired_parts, built->stats.repaired_parts) << "seed " << seed;
    repaired += streamed->stats.repaired_parts > 0;
    ASSERT_EQ(streamed->moves.size(), built->moves.size()) << "seed " << seed;
    for (size_t i = 0; i < streamed->moves.size(); ++i) {
      EXPECT_EQ(streamed->moves[i].nip, built->moves[i].nip) << "seed " << seed;
      EXPECT_EQ(streamed->moves[i].to, built->moves[i].to) << "seed " << seed;
      EXPECT_EQ(streamed->moves[i].best_alternative, built->moves[i].best_alternative);
    }
    ASSERT_EQ(streamed->unfilled.size(), built->unfilled.size()) << "seed " << seed;
    for (size_t i = 0; i < streamed->unfilled.size(); ++i) {
      EXPECT_EQ(streamed->unfilled[i].destination, built->unfilled[i].destination);
      EXPECT_EQ(streamed->unfilled[i].reason, built->unfilled[i].reason) << "seed " << seed;
    }
  }
  std::printf("a part was re-solved in full in %d of 150 instances\n", repaired);
  EXPECT_GT(repaired, 0);
}

TEST(PlannerOptimality, DecompositionByAgencyIsDeterministicAcrossThreadCounts) {
  std::mt19937 rng(11);
  const PlanInput in = RandomInstance(rng, 40, 400, /*num_agencies=*/5);
  SolveOptions one, four;
  one.threads = 1;
  four.threads = 4;
  absl::StatusOr<PlanResult> a = Solve(in, one);
  absl::StatusOr<PlanResult> b = Solve(in, four);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_GE(a->stats.parts, 5);
  EXPECT_EQ(a->objective_scaled, b->objective_scaled);
  ASSERT_EQ(a->moves.size(), b->moves.size());
  for (size_t i = 0; i < a->moves.size(); ++i) {
    EXPECT_EQ(a->moves[i].nip, b->moves[i].nip);
    EXPECT_EQ(a->moves[i].to, b->moves[i].to);
  }
}

TEST(PlannerOptimality, FlowModelCostPlusConstantIsTheObjective) {
  std::mt19937 rng(5);
  const PlanInput in = RandomInstance(rng, 10, 120);
  absl::StatusOr<FlowModel> m = BuildModel(in);
  ASSERT_TRUE(m.ok());
  absl::StatusOr<std::vector<int64_t>> flow = SolveFlow(*m, 0);
  ASSERT_TRUE(flow.ok()) << flow.status();
  absl::StatusOr<PlanResult> r = Solve(in);
  ASSERT_TRUE(r.ok());
  // Destinations outside every part keep their staff; their penalty is outside the model.
  int64_t outside = r->objective_scaled - FlowCost(*m, *flow) - m->constant;
  int64_t fixed_penalty = 0;
  absl::StatusOr<PreparedInstance> prep = Prepare(in, {});
  ASSERT_TRUE(prep.ok());
  std::vector<bool> in_part(in.destinations.size(), false);
  for (const Part& p : prep->parts) {
    for (int d : p.destinations) in_part[d] = true;
  }
  for (size_t d = 0; d < in.destinations.size(); ++d) {
    if (!in_part[d]) {
      fixed_penalty += PenaltyScaled(prep->staff[d], in.destinations[d].need, in.policy.weights);
    }
  }
  EXPECT_EQ(outside, fixed_penalty);
}

// Reads "Optimal - objective value 123.00" from cbc's solution file.
std::optional<double> CbcObjective(const std::string& path) {
  std::ifstream f(path);
  std::string first;
  std::getline(f, first);
  const std::string marker = "objective value ";
  const size_t at = first.find(marker);
  if (first.rfind("Optimal", 0) != 0 || at == std::string::npos) return std::nullopt;
  return std::stod(first.substr(at + marker.size()));
}

// CBC's optimum of `m` exported as <TempDir>/<name>.lp (with the budget row
// when max_moves >= 0); nullopt when cbc fails or finds no optimum.
std::optional<double> CbcOptimum(const FlowModel& m, const std::string& name,
                                 int64_t max_moves = -1) {
  const std::string lp = ::testing::TempDir() + "/" + name + ".lp";
  const std::string sol = ::testing::TempDir() + "/" + name + ".sol";
  {
    std::ofstream out(lp);
    ExportLp(m, out, max_moves);
  }
  const std::string cmd = "cbc " + lp + " solve solu " + sol + " > /dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) return std::nullopt;
  return CbcObjective(sol);
}

bool CbcInstalled() { return std::system("which cbc > /dev/null 2>&1") == 0; }
constexpr char kNoCbc[] = "cbc not installed (Debian package coinor-cbc)";

// The instances CBC checks, seeds 1 to 4: 50 to 290 candidates in two agencies.
PlanInput CbcInstance(int seed) {
  std::mt19937 rng(seed);
  const int cands = 50 + 80 * (seed - 1);  // 50 .. 290
  return RandomInstance(rng, cands / 8, cands, 2);
}

TEST(PlannerOptimality, CbcAgreesOnTheExportedLp) {
  if (!CbcInstalled()) GTEST_SKIP() << kNoCbc;
  for (int seed = 1; seed <= 4; ++seed) {
    const PlanInput in = CbcInstance(seed);
    absl::StatusOr<FlowModel> m = BuildModel(in);
    ASSERT_TRUE(m.ok());
    std::optional<double> cbc = CbcOptimum(*m, "planner_" + std::to_string(seed));
    ASSERT_TRUE(cbc.has_value()) << "cbc found no optimum, seed " << seed;
    absl::StatusOr<std::vector<int64_t>> flow = SolveFlow(*m, 0);
    ASSERT_TRUE(flow.ok()) << flow.status();
    EXPECT_EQ(std::llround(*cbc), FlowCost(*m, *flow)) << "seed " << seed;
  }
}

// The same under move budgets of one move and of a quarter, half and three
// quarters of the unbudgeted plan's moves: CBC solves the exported LP with the
// budget row, CBC's optimum plus the constant part of the objective is never
// below the planner's lower bound, and it is the planner's objective when the
// planner proved optimality.
TEST(PlannerOptimality, CbcAgreesUnderAMoveBudget) {
  if (!CbcInstalled()) GTEST_SKIP() << kNoCbc;
  for (int seed = 1; seed <= 4; ++seed) {
    PlanInput in = CbcInstance(seed);
    absl::StatusOr<FlowModel> m = BuildModel(in);
    ASSERT_TRUE(m.ok());
    absl::StatusOr<std::vector<int64_t>> flow = SolveFlow(*m, 0);
    ASSERT_TRUE(flow.ok()) << flow.status();
    absl::StatusOr<PlanResult> free = Solve(in);
    ASSERT_TRUE(free.ok()) << free.status();
    ASSERT_GT(free->moves_count, 1) << "seed " << seed;
    const int64_t outside = free->objective_scaled - FlowCost(*m, *flow);  // not in the flow
    const int n = free->moves_count;
    for (const int budget : std::set<int>{1, n / 4, n / 2, 3 * n / 4}) {
      if (budget < 1) continue;
      in.policy.move_budget = budget;
      absl::StatusOr<PlanResult> r = Solve(in);
      ASSERT_TRUE(r.ok()) << r.status();
      const std::string name =
          "planner_budget_" + std::to_string(seed) + "_" + std::to_string(budget);
      std::optional<double> cbc = CbcOptimum(*m, name, budget);
      ASSERT_TRUE(cbc.has_value()) << "cbc found no optimum, seed " << seed << " budget " << budget;
      EXPECT_LE(r->moves_count, budget);
      ASSERT_TRUE(r->objective_lower_bound.has_value());
      EXPECT_LE(Scale(*r->objective_lower_bound), std::llround(*cbc) + outside)
          << "seed " << seed << " budget " << budget;
      EXPECT_GE(r->objective_scaled, std::llround(*cbc) + outside)
          << "seed " << seed << " budget " << budget;
      if (r->proven_optimal) {
        EXPECT_EQ(r->objective_scaled, std::llround(*cbc) + outside)
            << "seed " << seed << " budget " << budget;
      }
      std::printf("seed %d: budget %d, %s, %lld branch and bound nodes\n", seed, budget,
                  r->proven_optimal ? "proven optimal" : "gap",
                  static_cast<long long>(r->stats.budget_nodes));
    }
  }
}

}  // namespace
}  // namespace seimbang::planner
