#include "services/transfer/planner/model.h"

#include <algorithm>
#include <climits>
#include <numeric>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
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

  // Agencies and families as small integers, so the per-pair checks below
  // (candidates × plausible targets, millions at city scale) compare ints, not strings.
  absl::flat_hash_map<std::string, int> agency_id;
  absl::flat_hash_map<std::string, int> family_id;
  auto id_of = [](absl::flat_hash_map<std::string, int>& ids, const std::string& s) {
    return ids.emplace(s, static_cast<int>(ids.size())).first->second;
  };
  std::vector<int> dest_agency(nd), dest_family(nd), cand_agency(nc), cand_family(nc);
  for (int d = 0; d < nd; ++d) {
    dest_agency[d] = policy.same_agency_only ? id_of(agency_id, dests[d].agency_code) : 0;
    dest_family[d] = id_of(family_id, dests[d].job_family);
  }
  for (int i = 0; i < nc; ++i) {
    cand_agency[i] = policy.same_agency_only ? id_of(agency_id, cands[i].agency_code) : 0;
    cand_family[i] = id_of(family_id, cands[i].job_family);
  }
  const int nf = static_cast<int>(family_id.size());
  std::vector<std::string> family_name(nf);
  for (const auto& [name, id] : family_id) family_name[id] = name;
  // compatible[from * nf + to], as FamilyCompatible decides.
  std::vector<char> compatible(static_cast<size_t>(nf) * nf);
  for (int f = 0; f < nf; ++f) {
    for (int g = 0; g < nf; ++g) {
      compatible[f * nf + g] = FamilyCompatible(family_name[f], family_name[g], policy);
    }
  }
  // Plausible targets per (agency, family) of a candidate: same agency (when
  // required) and a compatible family, sorted by destination index.
  absl::flat_hash_map<std::pair<int, int>, std::vector<int>> plausible_of;
  auto plausible_for = [&](int agency, int family) -> const std::vector<int>& {
    auto [it, inserted] = plausible_of.try_emplace({agency, family});
    if (inserted) {
      for (int d = 0; d < nd; ++d) {
        if (dest_agency[d] == agency && compatible[family * nf + dest_family[d]]) {
          it->second.push_back(d);
        }
      }
    }
    return it->second;
  };
  // Forbidden moves by candidate index (NIPs outside the candidates forbid nothing).
  std::vector<char> forbidden_any(nc, 0);
  absl::flat_hash_set<std::pair<int, int>> forbidden_pair;
  for (const ForbiddenMove& f : policy.forbidden) {
    auto it = by_nip.find(f.nip);
    if (it == by_nip.end()) continue;
    if (f.destination < 0) {
      forbidden_any[it->second] = 1;
    } else {
      forbidden_pair.insert({it->second, f.destination});
    }
  }
  // Upper bound of each source's leave cap before counting movable people: a
  // source that may lose nobody only needs to know whether a candidate could move.
  std::vector<int> cap_bound(nd);
  for (int d = 0; d < nd; ++d) {
    const int by_fraction = std::max(0, LeaveFractionCap(dests[d], policy) - pinned_out[d]);
    const int by_need =
        policy.never_below_need ? std::max(0, prep.staff[d] - dests[d].need) : INT_MAX;
    cap_bound[d] = std::min(by_fraction, by_need);
  }

  std::vector<std::vector<std::pair<int, int64_t>>> arcs(nc);
  prep.movable.assign(nd, 0);
  for (int i = 0; i < nc; ++i) {
    const Candidate& c = cands[i];
    if (prep.pinned_of[i] >= 0 || forbidden_any[i] || !PersonBlockingRules(c, policy).empty()) {
      continue;
    }
    // The pair rules of PairBlockingRules, on precomputed ids (family and
    // agency hold by construction of the plausible list).
    auto allowed = [&](int t) {
      if (t == c.current) return false;
      if (options.target_pruning == TargetPruning::kDeficitOnly && prep.staff[t] >= dests[t].need) {
        return false;
      }
      const Destination& d = dests[t];
      if (policy.require_rank_band &&
          ((d.min_rank > 0 && c.rank < d.min_rank) || (d.max_rank > 0 && c.rank > d.max_rank))) {
        return false;
      }
      if (policy.require_education && d.min_education > 0 && c.education < d.min_education) {
        return false;
      }
      return forbidden_pair.empty() || !forbidden_pair.contains({i, t});
    };
    const std::vector<int>& plausible = plausible_for(cand_agency[i], cand_family[i]);
    if (cap_bound[c.current] == 0) {
      if (std::any_of(plausible.begin(), plausible.end(), allowed)) ++prep.movable[c.current];
      continue;
    }
    for (int t : plausible) {
      if (!allowed(t)) continue;
      arcs[i].emplace_back(t, MoveCostScaled(c, dests[c.current], dests[t], policy.weights));
    }
    if (!arcs[i].empty()) ++prep.movable[c.current];
  }

  prep.leave_cap.assign(nd, 0);
  for (int d = 0; d < nd; ++d) prep.leave_cap[d] = std::min(prep.movable[d], cap_bound[d]);

  // Classes: same current destination and identical arcs. Keyed by a hash of
  // both; equal hashes are confirmed by comparing, so the classes (and their
  // order of first appearance) are exactly those of an exact key.
  absl::flat_hash_map<size_t, std::vector<int>> classes_of_hash;
  for (int i = 0; i < nc; ++i) {
    const int s = cands[i].current;
    if (arcs[i].empty() || prep.leave_cap[s] == 0) continue;
    if (options.aggregate) {
      std::vector<int>& same_hash = classes_of_hash[absl::HashOf(s, arcs[i])];
      auto found = std::find_if(same_hash.begin(), same_hash.end(), [&](int k) {
        return prep.classes[k].current == s && prep.classes[k].targets == arcs[i];
      });
      if (found != same_hash.end()) {
        prep.classes[*found].members.push_back(i);
        continue;
      }
      same_hash.push_back(static_cast<int>(prep.classes.size()));
    }
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
  // Node numbers and inflow bounds by destination index (dense: a part's
  // model has as many arcs as it has class × target pairs, up to millions).
  std::vector<int> dest_node(dests.size(), -1);
  std::vector<int> stay_node(dests.size(), -1);
  const int num_classes = static_cast<int>(part.classes.size());
  m.num_nodes = num_classes;
  for (int d : part.destinations) dest_node[d] = m.num_nodes++;
  for (int d : part.destinations) {
    if (prep.leave_cap[d] > 0) stay_node[d] = m.num_nodes++;
  }
  const int sink = m.num_nodes++;
  m.supply.assign(m.num_nodes, 0);
  size_t num_arcs = part.destinations.size() * 2;
  for (int k : part.classes) num_arcs += 1 + prep.classes[k].targets.size();
  m.arcs.reserve(num_arcs);

  std::vector<int64_t> max_inflow(dests.size(), 0);
  int64_t total = 0;
  for (int j = 0; j < num_classes; ++j) {
    const CandidateClass& cl = prep.classes[part.classes[j]];
    const int64_t size = static_cast<int64_t>(cl.members.size());
    m.supply[j] = size;
    total += size;
    m.arcs.push_back(
        {j, stay_node[cl.current], size, 0, ArcKind::kStay, part.classes[j], cl.current});
    for (const auto& [t, cost] : cl.targets) {
      m.arcs.push_back({j, dest_node[t], size, cost, ArcKind::kMove, part.classes[j], t});
      max_inflow[t] += size;
    }
  }
  int64_t must_stay = 0;
  for (int d : part.destinations) {
    if (prep.leave_cap[d] == 0) continue;
    const int64_t lower = prep.movable[d] - prep.leave_cap[d];
    m.supply[stay_node[d]] = -lower;
    must_stay += lower;
    m.arcs.push_back(
        {stay_node[d], dest_node[d], prep.leave_cap[d], 0, ArcKind::kStayToDestination, -1, d});
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
      m.arcs.push_back({dest_node[d], sink, run, marginal, ArcKind::kPenalty, -1, d});
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
