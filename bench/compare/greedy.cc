#include "bench/compare/greedy.h"

#include <algorithm>
#include <climits>
#include <set>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "services/transfer/planner/rules.h"

namespace seimbang::bench {

std::vector<PlainMove> GreedyPlan(const planner::PlanInput& input) {
  const auto& dests = input.destinations;
  const auto& cands = input.candidates;
  const planner::Policy& policy = input.policy;
  const planner::ForbiddenSet forbidden(policy.forbidden);
  const int nd = static_cast<int>(dests.size());

  std::vector<int> staff(nd);
  std::vector<int> leave_left(nd);
  for (int d = 0; d < nd; ++d) {
    staff[d] = dests[d].staff_before;
    leave_left[d] =
        std::min(planner::LeaveFractionCap(dests[d], policy),
                 policy.never_below_need ? planner::NeverBelowNeedCap(dests[d], policy) : INT_MAX);
  }
  // Movable people per destination, longest in post first (ties by index: deterministic).
  std::vector<std::vector<int>> movable(nd);
  for (int i = 0; i < static_cast<int>(cands.size()); ++i) {
    if (planner::PersonBlockingRules(cands[i], policy).empty()) {
      movable[cands[i].current].push_back(i);
    }
  }
  for (auto& people : movable) {
    std::sort(people.begin(), people.end(), [&cands](int a, int b) {
      return cands[a].months_in_post != cands[b].months_in_post
                 ? cands[a].months_in_post > cands[b].months_in_post
                 : a < b;
    });
  }
  absl::flat_hash_map<std::string, std::vector<int>> groups;
  for (int d = 0; d < nd; ++d) {
    groups[absl::StrCat(policy.same_agency_only ? dests[d].agency_code : "", "|",
                        policy.same_family_only ? dests[d].job_family : "")]
        .push_back(d);
  }
  std::vector<std::string> keys;
  for (const auto& [key, members] : groups) keys.push_back(key);
  std::sort(keys.begin(), keys.end());  // deterministic order of moves

  std::vector<PlainMove> moves;
  std::vector<char> moved(cands.size(), 0);
  for (const std::string& key : keys) {
    // (−amount, destination): begin() is the most over- / under-staffed.
    std::set<std::pair<int, int>> sources;
    std::set<std::pair<int, int>> targets;
    for (int d : groups[key]) {
      const int gap = staff[d] - dests[d].need;
      if (gap > 0 && leave_left[d] > 0 && !movable[d].empty()) sources.insert({-gap, d});
      if (gap < 0) targets.insert({gap, d});
    }
    while (!sources.empty() && !targets.empty() &&
           (!policy.move_budget || static_cast<int>(moves.size()) < *policy.move_budget)) {
      const int t = targets.begin()->second;
      int source = -1;
      int person = -1;
      for (auto it = sources.begin(); it != sources.end() && person < 0; ++it) {
        for (int i : movable[it->second]) {
          if (!moved[i] && planner::Eligible(cands[i], t, dests, policy, forbidden)) {
            source = it->second;
            person = i;
            break;
          }
        }
      }
      targets.erase(targets.begin());
      if (person < 0) continue;  // nobody can serve t: drop it
      moved[person] = 1;
      moves.push_back({person, source, t});
      sources.erase({dests[source].need - staff[source], source});
      --staff[source];
      --leave_left[source];
      if (staff[source] > dests[source].need && leave_left[source] > 0) {
        sources.insert({dests[source].need - staff[source], source});
      }
      ++staff[t];
      if (staff[t] < dests[t].need) targets.insert({staff[t] - dests[t].need, t});
    }
  }
  return moves;
}

}  // namespace seimbang::bench
