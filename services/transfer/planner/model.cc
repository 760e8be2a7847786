#include "services/transfer/planner/model.h"

#include <algorithm>
#include <climits>
#include <numeric>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lemon/network_simplex.h"
#include "lemon/smart_graph.h"
#include "services/transfer/planner/rules.h"
#include "services/transfer/planner/validate.h"

namespace seimbang::planner {
namespace {

int Find(std::vector<int>& parent, int x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

std::string TargetKey(const std::string& agency, const std::string& family) {
  return absl::StrCat(agency, std::string(1, '\0'), family);
}

void AppendBytes(std::string& key, int64_t v) {
  key.append(reinterpret_cast<const char*>(&v), sizeof(v));
}

}  // namespace

absl::StatusOr<PreparedInstance> Prepare(const PlanInput& input, const SolveOptions& options) {
  if (std::vector<FieldViolation> v = ValidateInput(input); !v.empty()) {
    return ViolationsToStatus(v);
  }
  const auto& dests = input.destinations;
  const auto& cands = input.candidates;
  const Policy& policy = input.policy;
  const int nd = static_cast<int>(dests.size());
  const int nc = static_cast<int>(cands.size());
  PreparedInstance prep;
  prep.staff.resize(nd);
  for (int d = 0; d < nd; ++d) prep.staff[d] = dests[d].staff_before;
  prep.pinned_of.assign(nc, -1);

  absl::flat_hash_map<std::string, int> by_nip;
  for (int i = 0; i < nc; ++i) by_nip.emplace(cands[i].nip, i);
  // Pinned moves are applied before the optimisation: they are fixed, consume
  // the source's leave allowance and count towards the budget.
  std::vector<int> pinned_out(nd, 0);
  for (const PinnedMove& pm : policy.pinned) {
    const int i = by_nip.at(pm.nip);
    const Candidate& c = cands[i];
    prep.pinned_of[i] = pm.destination;
    --prep.staff[c.current];
    ++prep.staff[pm.destination];
    ++pinned_out[c.current];
    prep.pinned_cost += MoveCostScaled(c, dests[c.current], dests[pm.destination], policy.weights);
    ++prep.pinned_moves;
  }

  // Index targets by (agency, family) so that a candidate only looks at plausible ones.
  absl::flat_hash_map<std::string, std::vector<int>> targets_by_key;
  for (int d = 0; d < nd; ++d) {
    targets_by_key[TargetKey(policy.same_agency_only ? dests[d].agency_code : "",
                             policy.same_family_only ? dests[d].job_family : "")]
        .push_back(d);
  }
  const ForbiddenSet forbidden(policy.forbidden);

  std::vector<std::vector<std::pair<int, int64_t>>> arcs(nc);
  prep.movable.assign(nd, 0);
  std::vector<int> plausible;
  for (int i = 0; i < nc; ++i) {
    const Candidate& c = cands[i];
    if (prep.pinned_of[i] >= 0 || !PersonBlockingRules(c, policy).empty()) continue;
    plausible.clear();
    const std::string agency = policy.same_agency_only ? c.agency_code : "";
    if (!policy.same_family_only) {
      if (auto it = targets_by_key.find(TargetKey(agency, "")); it != targets_by_key.end()) {
        plausible = it->second;
      }
    } else {
      std::vector<std::string> families = {c.job_family};
      if (auto it = policy.family_compatibility.find(c.job_family);
          it != policy.family_compatibility.end()) {
        families.insert(families.end(), it->second.begin(), it->second.end());
      }
      for (const std::string& f : families) {
        if (auto it = targets_by_key.find(TargetKey(agency, f)); it != targets_by_key.end()) {
          plausible.insert(plausible.end(), it->second.begin(), it->second.end());
        }
      }
      std::sort(plausible.begin(), plausible.end());
      plausible.erase(std::unique(plausible.begin(), plausible.end()), plausible.end());
    }
    for (int t : plausible) {
      if (t == c.current) continue;
      if (options.target_pruning == TargetPruning::kDeficitOnly && prep.staff[t] >= dests[t].need) {
        continue;
      }
      if (!PairBlockingRules(c, t, dests[t], policy, forbidden).empty()) continue;
      arcs[i].emplace_back(t, MoveCostScaled(c, dests[c.current], dests[t], policy.weights));
    }
    if (!arcs[i].empty()) ++prep.movable[c.current];
  }

  prep.leave_cap.assign(nd, 0);
  for (int d = 0; d < nd; ++d) {
    const int by_fraction = std::max(0, LeaveFractionCap(dests[d], policy) - pinned_out[d]);
    const int by_need =
        policy.never_below_need ? std::max(0, prep.staff[d] - dests[d].need) : INT_MAX;
    prep.leave_cap[d] = std::min({prep.movable[d], by_fraction, by_need});
  }

  // Classes: same current destination and identical arcs.
  absl::flat_hash_map<std::string, int> class_of_key;
  std::string key;
  for (int i = 0; i < nc; ++i) {
    const int s = cands[i].current;
    if (arcs[i].empty() || prep.leave_cap[s] == 0) continue;
    int k = -1;
    if (options.aggregate) {
      key.clear();
      AppendBytes(key, s);
      for (const auto& [t, cost] : arcs[i]) {
        AppendBytes(key, t);
        AppendBytes(key, cost);
      }
      auto [it, inserted] = class_of_key.emplace(key, static_cast<int>(prep.classes.size()));
      k = it->second;
      if (!inserted) {
        prep.classes[k].members.push_back(i);
        continue;
      }
    }
    k = static_cast<int>(prep.classes.size());
    CandidateClass cl;
    cl.current = s;
    cl.members.push_back(i);
    cl.targets = std::move(arcs[i]);
    prep.classes.push_back(std::move(cl));
  }

  // Parts: connected components of destinations linked by some class's arcs.
  std::vector<int> parent(nd);
  std::iota(parent.begin(), parent.end(), 0);
  for (const CandidateClass& cl : prep.classes) {
    for (const auto& [t, cost] : cl.targets) {
      parent[Find(parent, cl.current)] = Find(parent, t);
    }
  }
  std::vector<int> has_class(nd, 0);
  for (const CandidateClass& cl : prep.classes) has_class[Find(parent, cl.current)] = 1;
  std::vector<int> part_of_root(nd, -1);
  for (int d = 0; d < nd; ++d) {
    const int r = Find(parent, d);
    if (!has_class[r]) continue;
    if (part_of_root[r] < 0) {
      part_of_root[r] = static_cast<int>(prep.parts.size());
      prep.parts.emplace_back();
    }
    Part& part = prep.parts[part_of_root[r]];
    part.destinations.push_back(d);
    part.over_limit = std::max<int64_t>(part.over_limit, prep.staff[d] - dests[d].need);
  }
  for (int k = 0; k < static_cast<int>(prep.classes.size()); ++k) {
    prep.parts[part_of_root[Find(parent, prep.classes[k].current)]].classes.push_back(k);
  }
  return prep;
}

FlowModel BuildPartModel(const PlanInput& input, const PreparedInstance& prep, const Part& part) {
  const auto& dests = input.destinations;
  const Weights& w = input.policy.weights;
  FlowModel m;
  absl::flat_hash_map<int, int> dest_node;
  absl::flat_hash_map<int, int> stay_node;
  const int num_classes = static_cast<int>(part.classes.size());
  m.num_nodes = num_classes;
  for (int d : part.destinations) dest_node[d] = m.num_nodes++;
  for (int d : part.destinations) {
    if (prep.leave_cap[d] > 0) stay_node[d] = m.num_nodes++;
  }
  const int sink = m.num_nodes++;
  m.supply.assign(m.num_nodes, 0);

  absl::flat_hash_map<int, int64_t> max_inflow;
  int64_t total = 0;
  for (int j = 0; j < num_classes; ++j) {
    const CandidateClass& cl = prep.classes[part.classes[j]];
    const int64_t size = static_cast<int64_t>(cl.members.size());
    m.supply[j] = size;
    total += size;
    m.arcs.push_back(
        {j, stay_node.at(cl.current), size, 0, ArcKind::kStay, part.classes[j], cl.current});
    for (const auto& [t, cost] : cl.targets) {
      m.arcs.push_back({j, dest_node.at(t), size, cost, ArcKind::kMove, part.classes[j], t});
      max_inflow[t] += size;
    }
  }
  int64_t must_stay = 0;
  for (int d : part.destinations) {
    if (prep.leave_cap[d] == 0) continue;
    const int64_t lower = prep.movable[d] - prep.leave_cap[d];
    m.supply[stay_node.at(d)] = -lower;
    must_stay += lower;
    m.arcs.push_back({stay_node.at(d), dest_node.at(d), prep.leave_cap[d], 0,
                      ArcKind::kStayToDestination, -1, d});
    max_inflow[d] += prep.leave_cap[d];
  }
  m.supply[sink] = -(total - must_stay);

  for (int d : part.destinations) {
    const int need = dests[d].need;
    const int fixed = prep.staff[d] - prep.leave_cap[d];
    m.constant += PenaltyScaled(fixed, need, w);
    int64_t units = max_inflow[d];
    if (Scale(w.over_base) > 0) {
      units = std::min<int64_t>(units, need + part.over_limit - fixed);
    }
    int64_t j = 1;
    while (j <= units) {
      const int64_t marginal = PenaltyScaled(static_cast<int>(fixed + j), need, w) -
                               PenaltyScaled(static_cast<int>(fixed + j - 1), need, w);
      int64_t run = 1;
      while (j + run <= units &&
             PenaltyScaled(static_cast<int>(fixed + j + run), need, w) -
                     PenaltyScaled(static_cast<int>(fixed + j + run - 1), need, w) ==
                 marginal) {
        ++run;
      }
      m.arcs.push_back({dest_node.at(d), sink, run, marginal, ArcKind::kPenalty, -1, d});
      j += run;
    }
  }
  return m;
}

// LEMON's addNode/addArc push half-initialised records that GCC 12 flags once
// inlined here (-Wmaybe-uninitialized, Release only); the fields are set right after.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
absl::StatusOr<std::vector<int64_t>> SolveFlow(const FlowModel& model, int64_t lambda) {
  using Graph = lemon::SmartDigraph;
  Graph g;
  g.reserveNode(model.num_nodes);
  g.reserveArc(static_cast<int>(model.arcs.size()));
  // push_back, not sized construction: LEMON's default handles are uninitialised.
  std::vector<Graph::Node> nodes;
  nodes.reserve(model.num_nodes);
  for (int i = 0; i < model.num_nodes; ++i) nodes.push_back(g.addNode());
  Graph::ArcMap<int64_t> cap(g), cost(g);
  Graph::NodeMap<int64_t> supply(g);
  std::vector<Graph::Arc> arcs;
  arcs.reserve(model.arcs.size());
  for (size_t a = 0; a < model.arcs.size(); ++a) {
    const FlowArc& fa = model.arcs[a];
    arcs.push_back(g.addArc(nodes[fa.from], nodes[fa.to]));
    cap[arcs[a]] = fa.capacity;
    cost[arcs[a]] = fa.cost + (fa.kind == ArcKind::kMove ? lambda : 0);
  }
  for (int i = 0; i < model.num_nodes; ++i) supply[nodes[i]] = model.supply[i];
  lemon::NetworkSimplex<Graph, int64_t, int64_t> ns(g);
  ns.upperMap(cap).costMap(cost).supplyMap(supply);
  const auto status = ns.run();
  if (status != lemon::NetworkSimplex<Graph, int64_t, int64_t>::OPTIMAL) {
    return absl::InternalError(
        absl::StrCat("min-cost flow not optimal (status ", static_cast<int>(status), ")"));
  }
  std::vector<int64_t> flow(model.arcs.size());
  for (size_t a = 0; a < model.arcs.size(); ++a) flow[a] = ns.flow(arcs[a]);
  return flow;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

int64_t FlowCost(const FlowModel& model, const std::vector<int64_t>& flow) {
  int64_t total = 0;
  for (size_t a = 0; a < model.arcs.size(); ++a) total += model.arcs[a].cost * flow[a];
  return total;
}

absl::StatusOr<FlowModel> BuildModel(const PlanInput& input, const SolveOptions& options) {
  absl::StatusOr<PreparedInstance> prep = Prepare(input, options);
  if (!prep.ok()) return prep.status();
  FlowModel all;
  for (const Part& part : prep->parts) {
    FlowModel m = BuildPartModel(input, *prep, part);
    const int offset = all.num_nodes;
    all.num_nodes += m.num_nodes;
    all.supply.insert(all.supply.end(), m.supply.begin(), m.supply.end());
    for (FlowArc a : m.arcs) {
      a.from += offset;
      a.to += offset;
      all.arcs.push_back(a);
    }
    all.constant += m.constant;
  }
  return all;
}

void ExportLp(const FlowModel& model, std::ostream& out) {
  out << "\\ Seimbang transfer planner: min-cost flow, costs scaled by 100\n";
  out << "\\ objective constant (add to the optimum): " << model.constant << "\n";
  out << "Minimize\n obj:";
  int terms = 0;
  for (size_t a = 0; a < model.arcs.size(); ++a) {
    const int64_t c = model.arcs[a].cost;
    if (c == 0) continue;
    out << (c < 0 ? " - " : " + ") << (c < 0 ? -c : c) << " x" << a;
    if (++terms % 8 == 0) out << "\n";
  }
  if (terms == 0) out << " 0 x0";
  out << "\nSubject To\n";
  std::vector<std::vector<std::pair<int, int>>> incident(model.num_nodes);
  for (size_t a = 0; a < model.arcs.size(); ++a) {
    incident[model.arcs[a].from].emplace_back(static_cast<int>(a), 1);
    incident[model.arcs[a].to].emplace_back(static_cast<int>(a), -1);
  }
  for (int n = 0; n < model.num_nodes; ++n) {
    if (incident[n].empty()) continue;
    out << " n" << n << ":";
    int k = 0;
    for (const auto& [a, sign] : incident[n]) {
      out << (sign > 0 ? " + x" : " - x") << a;
      if (++k % 8 == 0) out << "\n";
    }
    out << " = " << model.supply[n] << "\n";
  }
  out << "Bounds\n";
  for (size_t a = 0; a < model.arcs.size(); ++a) {
    out << " 0 <= x" << a << " <= " << model.arcs[a].capacity << "\n";
  }
  out << "Generals\n";
  for (size_t a = 0; a < model.arcs.size(); ++a) {
    out << " x" << a << (a % 10 == 9 ? "\n" : "");
  }
  out << "\nEnd\n";
}

}  // namespace seimbang::planner
