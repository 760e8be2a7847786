#include "services/transfer/planner/assign.h"

#include <algorithm>
#include <climits>
#include <functional>
#include <string>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "services/transfer/planner/rules.h"

namespace seimbang::planner {
namespace {

Move MakeMove(const PlanInput& input, const std::vector<std::string>& enabled, int i, int to,
              bool pinned) {
  const auto& dests = input.destinations;
  const Candidate& c = input.candidates[i];
  Move m;
  m.nip = c.nip;
  m.candidate = i;
  m.from = c.current;
  m.to = to;
  m.pinned = pinned;
  (void)MoveCostScaled(c, dests[c.current], dests[to], input.policy.weights, &m.cost);
  m.rules_satisfied = enabled;
  m.preference_rank = PreferenceRank(c, dests[to].unit_id);
  return m;
}

// Gives the flows out of one class, (target, count) in arc order, to its
// members `left`, best-placed first.
void PickMembers(const PlanInput& input, const std::vector<std::string>& enabled,
                 std::vector<int> left, const std::vector<std::pair<int, int64_t>>& sent,
                 std::vector<Move>& moves) {
  const auto& cands = input.candidates;
  for (const auto& [t, n] : sent) {
    const int64_t unit = input.destinations[t].unit_id;
    for (int64_t j = 0; j < n; ++j) {
      auto key = [&](int i) {
        const int rank = PreferenceRank(cands[i], unit);
        return std::make_tuple(-cands[i].months_in_post, rank == 0 ? INT_MAX : rank,
                               std::cref(cands[i].nip));
      };
      auto best =
          std::min_element(left.begin(), left.end(), [&](int a, int b) { return key(a) < key(b); });
      moves.push_back(MakeMove(input, enabled, *best, t, false));
      left.erase(best);
    }
  }
}

}  // namespace

std::vector<ClassFlow> MoveFlows(const FlowModel& model, const std::vector<int64_t>& flow) {
  std::vector<ClassFlow> out;
  for (size_t a = 0; a < model.arcs.size(); ++a) {
    const FlowArc& arc = model.arcs[a];
    if (arc.kind == ArcKind::kMove && flow[a] > 0) {
      out.push_back({arc.klass, arc.destination, flow[a]});
    }
  }
  return out;
}

std::vector<Move> AssignIndividuals(const PlanInput& input, const PreparedInstance& prep,
                                    const std::vector<std::vector<ClassFlow>>& sent_per_part) {
  const std::vector<std::string> enabled = EnabledRules(input.policy);
  std::vector<Move> moves;
  for (int i = 0; i < static_cast<int>(input.candidates.size()); ++i) {
    if (prep.pinned_of[i] >= 0)
      moves.push_back(MakeMove(input, enabled, i, prep.pinned_of[i], true));
  }
  for (size_t p = 0; p < sent_per_part.size(); ++p) {
    absl::flat_hash_map<int, std::vector<std::pair<int, int64_t>>> sent;  // class -> (t, n)
    for (const ClassFlow& f : sent_per_part[p]) sent[f.klass].emplace_back(f.destination, f.count);
    for (int k : prep.parts[p].classes) {
      auto it = sent.find(k);
      if (it == sent.end()) continue;
      PickMembers(input, enabled, prep.classes[k].members, it->second, moves);
    }
  }
  return moves;
}

void ExplainAlternatives(const PlanInput& input, const PreparedInstance& prep,
                         const std::vector<int>& staff_after, int threads,
                         std::vector<Move>& moves) {
  const auto& dests = input.destinations;
  const Weights& w = input.policy.weights;
  const bool relief = input.policy.allow_relief_moves;
  std::vector<int> class_of(input.candidates.size(), -1);
  for (int k = 0; k < static_cast<int>(prep.classes.size()); ++k) {
    for (int i : prep.classes[k].members) class_of[i] = k;
  }
  // The reduced cost of t' under the destination potentials.
  auto marginal = [&](int d, int delta) {
    const int a = staff_after[d];
    return PenaltyScaled(a + delta, dests[d].need, w) - PenaltyScaled(a, dests[d].need, w);
  };
  // Moves are independent: slices of them on the solve's threads.
  ParallelSlices(moves.size(), threads, 1024, [&](size_t lo, size_t hi) {
    for (size_t mi = lo; mi < hi; ++mi) {
      Move& m = moves[mi];
      if (m.pinned || class_of[m.candidate] < 0) continue;
      const Candidate& c = input.candidates[m.candidate];
      const int64_t here = marginal(m.to, -1) - MoveCostScaled(c, dests[m.from], dests[m.to], w);
      int64_t best = INT64_MAX;
      prep.rules->ForEach(m.candidate, [&](int t) {
        // Under the target-need rule a full slot is no alternative.
        if (t == m.to || (!relief && staff_after[t] >= dests[t].need)) return true;
        const int64_t there = MoveCostScaled(c, dests[m.from], dests[t], w) + marginal(t, +1);
        if (there < best) {
          best = there;
          m.best_alternative = t;
        }
        return true;
      });
      if (m.best_alternative >= 0) m.best_alternative_extra_cost = Unscale(best + here);
    }
  });
}

}  // namespace seimbang::planner
