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
// within the leave caps and, under the target-need rule, only into destinations
// short of need and never above it; the cheapest objective (scaled).
int64_t BruteForceObjective(const PlanInput& in) {
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
      if (left[c.current] >= cap[c.current]) continue;
      ++left[c.current];
      --staff[c.current];
      ++staff[t];
      go(i + 1, cost + MoveCostScaled(c, dests[c.current], dests[t], p.weights));
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

TEST(PlannerOptimality, CbcAgreesOnTheExportedLp) {
  if (std::system("which cbc > /dev/null 2>&1") != 0) {
    GTEST_SKIP() << "cbc not installed (Debian package coinor-cbc)";
  }
  const std::string dir = ::testing::TempDir();
  for (int seed = 1; seed <= 4; ++seed) {
    std::mt19937 rng(seed);
    const int cands = 50 + 80 * (seed - 1);  // 50 .. 290
    const PlanInput in = RandomInstance(rng, cands / 8, cands, 2);
    absl::StatusOr<FlowModel> m = BuildModel(in);
    ASSERT_TRUE(m.ok());
    const std::string lp = dir + "/planner_" + std::to_string(seed) + ".lp";
    const std::string sol = dir + "/planner_" + std::to_string(seed) + ".sol";
    {
      std::ofstream out(lp);
      ExportLp(*m, out);
    }
    const std::string cmd = "cbc " + lp + " solve solu " + sol + " > /dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    std::optional<double> cbc = CbcObjective(sol);
    ASSERT_TRUE(cbc.has_value()) << "no optimal solution in " << sol;
    absl::StatusOr<std::vector<int64_t>> flow = SolveFlow(*m, 0);
    ASSERT_TRUE(flow.ok()) << flow.status();
    EXPECT_EQ(std::llround(*cbc), FlowCost(*m, *flow)) << "seed " << seed;
  }
}

}  // namespace
}  // namespace seimbang::planner
