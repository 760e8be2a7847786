#include "services/transfer/planner/budget.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <queue>
#include <tuple>
#include <utility>

#include "absl/status/status.h"

namespace seimbang::planner {
namespace {

using PartFlows = std::vector<std::vector<int64_t>>;

int64_t Abs(int64_t v) { return v < 0 ? -v : v; }

// A flow bound of one arc of one part in a branch and bound node.
struct ArcBound {
  int64_t lo = 0;
  int64_t hi = std::numeric_limits<int64_t>::max();
};
using Bounds = std::map<std::pair<int, int>, ArcBound>;  // (part, arc)

// The models of a node: arcs with a lower bound l carry l fixed units (supply
// moved from tail to head, cost and moves counted in `fixed_*`), the rest
// capped at hi - l. Parts without bounds are the base models.
struct Sub {
  std::vector<const FlowModel*> models;
  std::map<int, FlowModel> owned;
  int64_t fixed_cost = 0;
  int64_t fixed_moves = 0;
  bool infeasible = false;
};

Sub MakeSub(const std::vector<FlowModel>& base, const Bounds& bounds) {
  Sub sub;
  sub.models.resize(base.size());
  for (size_t p = 0; p < base.size(); ++p) sub.models[p] = &base[p];
  for (const auto& [key, b] : bounds) {
    const auto [p, a] = key;
    auto it = sub.owned.find(p);
    if (it == sub.owned.end()) it = sub.owned.emplace(p, base[p]).first;
    FlowModel& m = it->second;
    FlowArc& arc = m.arcs[a];
    const int64_t cap = std::min(arc.capacity, b.hi) - b.lo;
    if (cap < 0) sub.infeasible = true;
    arc.capacity = std::max<int64_t>(0, cap);
    m.supply[arc.from] -= b.lo;
    m.supply[arc.to] += b.lo;
    sub.fixed_cost += arc.cost * b.lo;
    if (arc.kind == ArcKind::kMove) sub.fixed_moves += b.lo;
  }
  for (auto& [p, m] : sub.owned) sub.models[p] = &m;
  return sub;
}

int64_t Moves(const FlowModel& m, const std::vector<int64_t>& flow) {
  int64_t moves = 0;
  for (size_t a = 0; a < m.arcs.size(); ++a) {
    if (m.arcs[a].kind == ArcKind::kMove) moves += flow[a];
  }
  return moves;
}

// One solve of every part at λ = num / den: real cost (scaled, without λ),
// moves, flows and potentials.
struct Point {
  int64_t cost = 0;
  int64_t moves = 0;
  PartFlows flows;
  PartFlows potentials;
};

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
int64_t CeilDiv(int64_t a, int64_t b) { return -FloorDiv(-a, b); }

class Lagrangian {
 public:
  Lagrangian(const Sub& sub, const std::vector<int>& order, int threads, int64_t* solves)
      : sub_(sub), order_(order), threads_(threads), solves_(solves) {
    for (const FlowModel* m : sub.models) {
      for (const FlowArc& a : m->arcs) max_cost_ = std::max(max_cost_, Abs(a.cost));
      for (int64_t s : m->supply) supply_ += std::max<int64_t>(0, s);
    }
  }

  // True when costs × den + num summed over any flow stay far inside int64.
  bool Safe(int64_t num, int64_t den) const {
    const long double per_unit = static_cast<long double>(max_cost_) * den + num;
    return per_unit * (static_cast<long double>(supply_) + 1) * 4 < 4.0e18L;
  }

  absl::StatusOr<Point> At(int64_t num, int64_t den) const {
    const int n = static_cast<int>(sub_.models.size());
    Point pt;
    pt.flows.resize(n);
    pt.potentials.resize(n);
    std::vector<absl::Status> status(n);
    ParallelFor(order_, threads_, [&](int p) {
      absl::StatusOr<std::vector<int64_t>> f =
          SolveFlow(*sub_.models[p], num, &pt.potentials[p], den);
      if (f.ok()) {
        pt.flows[p] = *std::move(f);
      } else {
        status[p] = f.status();
      }
    });
    *solves_ += n;
    for (int p = 0; p < n; ++p) {
      if (!status[p].ok()) return status[p];
      pt.cost += FlowCost(*sub_.models[p], pt.flows[p]);
      pt.moves += Moves(*sub_.models[p], pt.flows[p]);
    }
    return pt;
  }

  int64_t max_cost() const { return max_cost_; }
  int64_t supply() const { return supply_; }

 private:
  const Sub& sub_;
  const std::vector<int>& order_;
  const int threads_;
  int64_t* solves_;
  int64_t max_cost_ = 0;
  int64_t supply_ = 0;
};

// What one node's relaxation found (in the node's models, fixed units excluded).
struct Relaxation {
  bool infeasible = false;
  int64_t lower_bound = 0;    // on the cost of every flow within the budget, rounded up
  std::optional<Point> best;  // a flow within the budget
  // The lower hull around the budget when it binds: `hi` within it, `lo`
  // above it, both optimal at λ* = num / den.
  std::optional<Point> hi;
  std::optional<Point> lo;
  int64_t num = 0;
  int64_t den = 1;
  PartFlows potentials;  // of the solve that proved λ* (units of cost × den)
};

// Σ over the hull: the bound L(λ) - λ·B at λ = num / den, rounded up.
int64_t DualBound(const Point& pt, int64_t num, int64_t den, int64_t budget) {
  return CeilDiv(pt.cost * den + num * (pt.moves - budget), den);
}

// A conformal decomposition of b - a (both flows meeting the same supplies)
// into cycles, each with its multiplicity and its change in moves.
struct Cycle {
  std::vector<std::pair<int, int>> arcs;  // (arc, +1 forward / -1 backward)
  int64_t amount = 0;
  int64_t delta_moves = 0;
};

std::vector<Cycle> Decompose(const FlowModel& m, const std::vector<int64_t>& a,
                             const std::vector<int64_t>& b) {
  std::vector<int64_t> rest(m.arcs.size());
  std::vector<std::vector<std::pair<int, int>>> out(m.num_nodes);  // node -> (arc, dir)
  for (size_t e = 0; e < m.arcs.size(); ++e) {
    rest[e] = Abs(b[e] - a[e]);
    if (b[e] > a[e]) out[m.arcs[e].from].emplace_back(static_cast<int>(e), 1);
    if (b[e] < a[e]) out[m.arcs[e].to].emplace_back(static_cast<int>(e), -1);
  }
  std::vector<size_t> next(m.num_nodes, 0);  // first out-edge that may still have rest
  auto take = [&](int u) -> std::optional<std::pair<int, int>> {
    while (next[u] < out[u].size() && rest[out[u][next[u]].first] == 0) ++next[u];
    if (next[u] == out[u].size()) return std::nullopt;
    return out[u][next[u]];
  };
  auto head = [&](std::pair<int, int> e) {
    return e.second > 0 ? m.arcs[e.first].to : m.arcs[e.first].from;
  };
  std::vector<Cycle> cycles;
  std::vector<int> at(m.num_nodes, -1);  // position of a node on the current path
  for (int start = 0; start < m.num_nodes; ++start) {
    std::vector<int> nodes = {start};
    std::vector<std::pair<int, int>> path;
    at[start] = 0;
    while (!nodes.empty()) {
      const int u = nodes.back();
      const std::optional<std::pair<int, int>> e = take(u);
      if (!e) {  // only possible at the start: a circulation never strands a walk
        at[u] = -1;
        nodes.pop_back();
        if (!path.empty()) path.pop_back();
        continue;
      }
      const int v = head(*e);
      path.push_back(*e);
      if (at[v] < 0) {
        at[v] = static_cast<int>(nodes.size());
        nodes.push_back(v);
        continue;
      }
      Cycle c;
      c.arcs.assign(path.begin() + at[v], path.end());
      c.amount = std::numeric_limits<int64_t>::max();
      for (const auto& [arc, dir] : c.arcs) {
        c.amount = std::min(c.amount, rest[arc]);
        if (m.arcs[arc].kind == ArcKind::kMove) c.delta_moves += dir;
      }
      for (const auto& [arc, dir] : c.arcs) rest[arc] -= c.amount;
      cycles.push_back(std::move(c));
      for (size_t k = at[v] + 1; k < nodes.size(); ++k) at[nodes[k]] = -1;
      nodes.resize(at[v] + 1);
      path.resize(at[v]);
    }
  }
  return cycles;
}

// How many times to apply each cycle so that Σ count × delta is as large as
// possible but at most `room`: bounded subset sum, exact by dynamic
// programming over the reachable sums (binary split of the multiplicities);
// first fit of the positive cycles when that table would be too large.
std::vector<int64_t> ChooseCycles(const std::vector<Cycle>& cycles, int64_t room) {
  std::vector<int64_t> count(cycles.size(), 0);
  struct Item {
    int cycle;
    int64_t times;
    int64_t delta;
  };
  std::vector<Item> items;
  int64_t low = 0, high = 0;
  for (size_t c = 0; c < cycles.size(); ++c) {
    if (cycles[c].delta_moves == 0) continue;
    int64_t left = cycles[c].amount;
    for (int64_t chunk = 1; left > 0; chunk *= 2) {
      const int64_t t = std::min(chunk, left);
      items.push_back({static_cast<int>(c), t, t * cycles[c].delta_moves});
      (items.back().delta < 0 ? low : high) += items.back().delta;
      left -= t;
    }
  }
  const int64_t width = high - low + 1;
  if (static_cast<long double>(width) * (items.size() + 1) > 1.0e7L) {
    std::vector<size_t> by(cycles.size());
    for (size_t c = 0; c < cycles.size(); ++c) by[c] = c;
    std::sort(by.begin(), by.end(),
              [&](size_t x, size_t y) { return cycles[x].delta_moves < cycles[y].delta_moves; });
    for (size_t c : by) {
      const int64_t d = cycles[c].delta_moves;
      if (d <= 0) continue;
      count[c] = std::min(cycles[c].amount, room / d);
      room -= count[c] * d;
    }
    return count;
  }
  // reach[k][s - low]: sum s reachable with the first k items.
  std::vector<std::vector<char>> reach(items.size() + 1, std::vector<char>(width, 0));
  reach[0][-low] = 1;
  for (size_t k = 0; k < items.size(); ++k) {
    reach[k + 1] = reach[k];
    for (int64_t s = 0; s < width; ++s) {
      if (!reach[k][s]) continue;
      const int64_t to = s + items[k].delta;
      if (to >= 0 && to < width) reach[k + 1][to] = 1;
    }
  }
  int64_t best = 0;
  for (int64_t s = std::min(room, high); s >= 0; --s) {
    if (reach[items.size()][s - low]) {
      best = s;
      break;
    }
  }
  int64_t s = best - low;
  for (size_t k = items.size(); k-- > 0;) {
    if (reach[k][s]) continue;  // reachable without item k
    count[items[k].cycle] += items[k].times;
    s -= items[k].delta;
  }
  return count;
}

// The flows optimal at λ* with the most moves within the budget: `hi` plus the
// chosen cycles of lo - hi in every part.
Point TieTowardMoreMoves(const Sub& sub, const Point& hi, const Point& lo, int64_t budget) {
  std::vector<std::vector<Cycle>> per_part(sub.models.size());
  std::vector<Cycle> all;
  std::vector<std::pair<size_t, size_t>> where;
  for (size_t p = 0; p < sub.models.size(); ++p) {
    per_part[p] = Decompose(*sub.models[p], hi.flows[p], lo.flows[p]);
    for (size_t c = 0; c < per_part[p].size(); ++c) {
      all.push_back(per_part[p][c]);
      where.emplace_back(p, c);
    }
  }
  const std::vector<int64_t> count = ChooseCycles(all, budget - hi.moves);
  Point out;
  out.flows = hi.flows;
  for (size_t i = 0; i < all.size(); ++i) {
    if (count[i] == 0) continue;
    std::vector<int64_t>& f = out.flows[where[i].first];
    for (const auto& [arc, dir] : all[i].arcs) f[arc] += dir * count[i];
  }
  for (size_t p = 0; p < sub.models.size(); ++p) {
    out.cost += FlowCost(*sub.models[p], out.flows[p]);
    out.moves += Moves(*sub.models[p], out.flows[p]);
  }
  return out;
}

// Steps 1 and 2 of budget.h for one node's models and the moves they may still make.
absl::StatusOr<Relaxation> Relax(const Sub& sub, const std::vector<int>& order, int threads,
                                 int64_t budget, int64_t* solves) {
  Relaxation r;
  if (sub.infeasible || budget < 0) {
    r.infeasible = true;
    return r;
  }
  const Lagrangian lag(sub, order, threads, solves);
  absl::StatusOr<Point> zero = lag.At(0, 1);
  if (absl::IsFailedPrecondition(zero.status())) {
    r.infeasible = true;
    return r;
  }
  if (!zero.ok()) return zero.status();
  if (zero->moves <= budget) {  // the budget does not bind
    r.lower_bound = zero->cost;
    r.potentials = zero->potentials;
    r.best = *std::move(zero);
    return r;
  }
  // Doubling λ until the budget fits; above the largest possible cost
  // difference fewer moves always win, so past it the budget cannot fit.
  const long double cost_range =
      static_cast<long double>(lag.max_cost()) * (lag.supply() + 1) * 2 + 1;
  Point lo = *std::move(zero);
  std::optional<Point> hi;
  r.lower_bound = std::numeric_limits<int64_t>::min();
  // The best bound so far, with λ and the potentials of the solve that gave it.
  auto note_bound = [&](const Point& pt, int64_t n, int64_t d) {
    const int64_t bound = DualBound(pt, n, d, budget);
    if (bound < r.lower_bound) return;
    r.lower_bound = bound;
    r.num = n;
    r.den = d;
    r.potentials = pt.potentials;
  };
  for (int64_t lambda = 1;; lambda *= 2) {
    if (!lag.Safe(lambda, 1)) return absl::InternalError("move budget: λ out of range");
    absl::StatusOr<Point> pt = lag.At(lambda, 1);
    if (!pt.ok()) return pt.status();
    note_bound(*pt, lambda, 1);
    if (pt->moves <= budget) {
      hi = *std::move(pt);
      break;
    }
    if (lambda > cost_range) {
      r.infeasible = true;
      return r;
    }
    lo = *std::move(pt);
  }
  // Newton on the hull: λ = the slope between lo and hi; a solve at λ either
  // lies on that line (λ* found, both optimal there) or is a new hull vertex.
  while (hi->moves < budget) {
    const int64_t n = hi->cost - lo.cost;
    const int64_t d = lo.moves - hi->moves;
    if (!lag.Safe(n, d)) break;  // keep the bound found so far
    absl::StatusOr<Point> pt = lag.At(n, d);
    if (!pt.ok()) return pt.status();
    note_bound(*pt, n, d);
    const int64_t on_line = hi->cost * d + n * hi->moves;
    if (pt->cost * d + n * pt->moves >= on_line) {
      r.lo = std::move(lo);
      break;
    }
    if (pt->moves > budget) {
      lo = *std::move(pt);
    } else {
      hi = *std::move(pt);
    }
  }
  if (r.lo) {
    r.best = TieTowardMoreMoves(sub, *hi, *r.lo, budget);
  } else {
    r.best = *hi;
  }
  r.hi = std::move(hi);
  return r;
}

// The arc to branch on: fractional in the LP solution at the budget,
// hi + θ (lo - hi) with θ = (B - k_hi) / (k_lo - k_hi); move arcs first, then
// the largest difference. (part, arc, value × (k_lo - k_hi)); part -1 when
// the LP solution is integral.
struct Branch {
  int part = -1;
  int arc = -1;
  int64_t scaled_value = 0;
  int64_t den = 1;
};

Branch PickBranch(const Sub& sub, const Relaxation& r, int64_t budget) {
  Branch best;
  const int64_t den = r.lo->moves - r.hi->moves;
  const int64_t theta = budget - r.hi->moves;
  int64_t best_rank = -1;
  for (size_t p = 0; p < sub.models.size(); ++p) {
    const FlowModel& m = *sub.models[p];
    for (size_t a = 0; a < m.arcs.size(); ++a) {
      const int64_t diff = r.lo->flows[p][a] - r.hi->flows[p][a];
      if (diff == 0) continue;
      const int64_t v = r.hi->flows[p][a] * den + theta * diff;
      if (v % den == 0) continue;
      const int64_t rank = (m.arcs[a].kind == ArcKind::kMove ? int64_t{1} << 40 : 0) + Abs(diff);
      if (rank > best_rank) {
        best_rank = rank;
        best = {static_cast<int>(p), static_cast<int>(a), v, den};
      }
    }
  }
  return best;
}

// The LP solution at the budget when it is integral: a flow with exactly B moves.
Point LpSolution(const Sub& sub, const Relaxation& r, int64_t budget) {
  const int64_t den = r.lo->moves - r.hi->moves;
  const int64_t theta = budget - r.hi->moves;
  Point out;
  out.flows = r.hi->flows;
  for (size_t p = 0; p < sub.models.size(); ++p) {
    for (size_t a = 0; a < out.flows[p].size(); ++a) {
      out.flows[p][a] += theta * (r.lo->flows[p][a] - r.hi->flows[p][a]) / den;
    }
    out.cost += FlowCost(*sub.models[p], out.flows[p]);
    out.moves += Moves(*sub.models[p], out.flows[p]);
  }
  return out;
}

struct Node {
  int64_t bound;  // lower bound of its parent (scaled, with fixed costs)
  int64_t id;
  Bounds bounds;
  bool operator<(const Node& o) const {  // priority_queue: smallest bound on top
    return std::tie(bound, id) > std::tie(o.bound, o.id);
  }
};

// Base flows of a node's solution: its flows plus the fixed units.
PartFlows WithFixed(const Bounds& bounds, PartFlows flows) {
  for (const auto& [key, b] : bounds) flows[key.first][key.second] += b.lo;
  return flows;
}

}  // namespace

// long-function: one branch and bound (root relaxation, then best-bound-first nodes) whose
// incumbent, open list and bounds all steps share; read top to bottom it is one algorithm.
absl::StatusOr<BudgetSolution> SolveBudgeted(const std::vector<FlowModel>& models,
                                             const std::vector<int>& order,
                                             const BudgetOptions& options) {
  BudgetSolution out;
  const int64_t budget = options.budget;
  const Sub root_sub = MakeSub(models, {});
  absl::StatusOr<Relaxation> root = Relax(root_sub, order, options.threads, budget, &out.solves);
  if (!root.ok()) return root.status();
  out.nodes = 1;
  if (root->infeasible || !root->best) {
    return absl::InternalError("move budget: no plan within the budget (staying must fit)");
  }
  out.lambda_num = root->num;
  out.lambda_den = root->den;
  const bool root_gap = root->best->cost > root->lower_bound;
  if (options.accept_root &&
      !options.accept_root(root->potentials, root->num, root->den, root_gap)) {
    out.rejected = true;
    return out;
  }
  out.per_part = root->best->flows;
  out.cost = root->best->cost;
  out.moves = root->best->moves;
  int64_t lower = root->lower_bound;
  if (!root_gap) {
    out.lower_bound = out.cost;
    out.proven_optimal = true;
    return out;
  }
  // Branch and bound, best bound first, from the root's branches.
  const auto start = std::chrono::steady_clock::now();
  std::priority_queue<Node> open;
  int64_t next_id = 0;
  int64_t dropped = std::numeric_limits<int64_t>::max();
  auto push_children = [&](const Sub& sub, const Relaxation& r, const Bounds& bounds,
                           int64_t bound) {
    const Branch b = PickBranch(sub, r, budget - sub.fixed_moves);
    if (b.part < 0) return false;
    const std::pair<int, int> key{b.part, b.arc};
    const ArcBound had = bounds.count(key) ? bounds.at(key) : ArcBound{};
    // Values in the node's models are net of the node's fixed units on that arc.
    const int64_t floor_v = FloorDiv(b.scaled_value, b.den) + had.lo;
    Bounds down = bounds;
    down[key].hi = std::min(had.hi, floor_v);
    Bounds up = bounds;
    up[key].lo = floor_v + 1;
    open.push({bound, next_id++, std::move(down)});
    open.push({bound, next_id++, std::move(up)});
    return true;
  };
  if (!push_children(root_sub, *root, {}, lower)) {
    const Point lp = LpSolution(root_sub, *root, budget);
    out.per_part = lp.flows;
    out.cost = lp.cost;
    out.moves = lp.moves;
    out.lower_bound = out.cost;
    out.proven_optimal = true;
    return out;
  }
  while (!open.empty()) {
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (open.top().bound >= out.cost) {
      open = {};
      break;
    }
    if (out.nodes >= options.max_nodes || ms > options.max_ms) break;
    Node node = open.top();
    open.pop();
    ++out.nodes;
    const Sub sub = MakeSub(models, node.bounds);
    absl::StatusOr<Relaxation> r =
        Relax(sub, order, options.threads, budget - sub.fixed_moves, &out.solves);
    if (!r.ok()) return r.status();
    if (r->infeasible) continue;
    const int64_t bound = r->lower_bound + sub.fixed_cost;
    if (r->best && r->best->cost + sub.fixed_cost < out.cost) {
      out.cost = r->best->cost + sub.fixed_cost;
      out.moves = r->best->moves + sub.fixed_moves;
      out.per_part = WithFixed(node.bounds, r->best->flows);
    }
    if (bound >= out.cost) continue;  // nothing better below this node
    if (!r->lo) {  // λ* out of reach (int64 range): the subtree stays open at its bound
      dropped = std::min(dropped, bound);
      continue;
    }
    if (!push_children(sub, *r, node.bounds, bound)) {
      const Point lp = LpSolution(sub, *r, budget - sub.fixed_moves);
      if (lp.cost + sub.fixed_cost < out.cost) {
        out.cost = lp.cost + sub.fixed_cost;
        out.moves = lp.moves + sub.fixed_moves;
        out.per_part = WithFixed(node.bounds, lp.flows);
      }
    }
  }
  lower = std::min(out.cost, dropped);
  if (!open.empty()) lower = std::min(lower, open.top().bound);
  out.lower_bound = std::max(root->lower_bound, std::min(lower, out.cost));
  out.proven_optimal = out.lower_bound >= out.cost;
  return out;
}

}  // namespace seimbang::planner
