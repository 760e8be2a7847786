// The flow network solved: LEMON's network simplex on one model, its cost, and
// the whole instance as one network (BuildModel) with its LP export for
// independent solvers (CBC).
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lemon/network_simplex.h"
#include "lemon/smart_graph.h"
#include "services/transfer/planner/model.h"

namespace seimbang::planner {

// LEMON's addNode/addArc push half-initialised records that GCC 12 flags once
// inlined here (-Wmaybe-uninitialized, Release only); the fields are set right after.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
absl::StatusOr<std::vector<int64_t>> SolveFlow(const FlowModel& model, int64_t lambda,
                                               std::vector<int64_t>* potentials, int64_t scale) {
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
    cost[arcs[a]] = fa.cost * scale + (fa.kind == ArcKind::kMove ? lambda : 0);
  }
  for (int i = 0; i < model.num_nodes; ++i) supply[nodes[i]] = model.supply[i];
  lemon::NetworkSimplex<Graph, int64_t, int64_t> ns(g);
  ns.upperMap(cap).costMap(cost).supplyMap(supply);
  const auto status = ns.run();
  if (status == lemon::NetworkSimplex<Graph, int64_t, int64_t>::INFEASIBLE) {
    return absl::FailedPreconditionError("no flow meets the supplies and capacities");
  }
  if (status != lemon::NetworkSimplex<Graph, int64_t, int64_t>::OPTIMAL) {
    return absl::InternalError(
        absl::StrCat("min-cost flow not optimal (status ", static_cast<int>(status), ")"));
  }
  std::vector<int64_t> flow(model.arcs.size());
  for (size_t a = 0; a < model.arcs.size(); ++a) flow[a] = ns.flow(arcs[a]);
  if (potentials != nullptr) {
    potentials->resize(model.num_nodes);
    for (int i = 0; i < model.num_nodes; ++i) (*potentials)[i] = ns.potential(nodes[i]);
  }
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

absl::StatusOr<FlowModel> BuildModel(const PlanInput& input, SolveOptions options) {
  // The whole model, for independent checks (CBC, exhaustive search): no pruning.
  options.prune_unprofitable_arcs = false;
  absl::StatusOr<PreparedInstance> prep = Prepare(input, options);
  if (!prep.ok()) return prep.status();
  FlowModel all;
  std::vector<FlowModel> models;
  size_t num_arcs = 0;
  for (const Part& part : prep->parts) {
    models.push_back(BuildPartModel(input, *prep, part));
    num_arcs += models.back().arcs.size();
  }
  all.arcs.reserve(num_arcs);
  for (FlowModel& m : models) {
    const int offset = all.num_nodes;
    all.num_nodes += m.num_nodes;
    all.supply.insert(all.supply.end(), m.supply.begin(), m.supply.end());
    for (FlowArc a : m.arcs) {
      a.from += offset;
      a.to += offset;
      all.arcs.push_back(a);
    }
    all.constant += m.constant;
    m = FlowModel();
  }
  return all;
}

void ExportLp(const FlowModel& model, std::ostream& out, int64_t max_moves) {
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
  if (max_moves >= 0) {
    out << " moves:";
    int k = 0;
    for (size_t a = 0; a < model.arcs.size(); ++a) {
      if (model.arcs[a].kind != ArcKind::kMove) continue;
      out << " + x" << a;
      if (++k % 8 == 0) out << "\n";
    }
    if (k == 0) out << " 0 x0";
    out << " <= " << max_moves << "\n";
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
