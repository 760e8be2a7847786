#include "services/transfer/planner/model.h"

#include <algorithm>
#include <atomic>
#include <climits>
#include <numeric>
#include <optional>
#include <string>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
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

// Classes: same current destination and identical arcs. Keyed by a hash of
// both; equal hashes are confirmed by comparing, so the classes (and their
// order of first appearance) are exactly those of an exact key.
class ClassBuilder {
 public:
  using Arcs = std::vector<std::pair<int, int64_t>>;
  ClassBuilder(std::vector<CandidateClass>& classes, bool aggregate)
      : classes_(classes), aggregate_(aggregate) {}
  // Returns the class index candidate i joined or started.
  int Add(int i, int current, Arcs arcs) {
    const int k = Intern(current, std::move(arcs));
    classes_[k].members.push_back(i);
    return k;
  }
  // The class of (current, arcs), started without members when new; `arcs`
  // is moved into a new class (copied at its exact size when `copy`).
  int Intern(int current, Arcs&& arcs, bool copy = false) {
    std::vector<int>* same_hash = nullptr;
    if (aggregate_) {
      same_hash = &of_hash_[absl::HashOf(current, arcs)];
      for (int k : *same_hash) {
        if (classes_[k].current == current && classes_[k].targets == arcs) return k;
      }
      same_hash->push_back(static_cast<int>(classes_.size()));
    }
    CandidateClass cl;
    cl.current = current;
    if (copy) {
      cl.targets.assign(arcs.begin(), arcs.end());
    } else {
      cl.targets = std::move(arcs);
    }
    classes_.push_back(std::move(cl));
    return static_cast<int>(classes_.size()) - 1;
  }

 private:
  std::vector<CandidateClass>& classes_;
  const bool aggregate_;
  absl::flat_hash_map<size_t, std::vector<int>> of_hash_;
};

}  // namespace

void ParallelFor(const std::vector<int>& order, int threads, const std::function<void(int)>& fn) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < order.size();) fn(order[i]);
  };
  const int extra = std::max(0, std::min<int>(threads, static_cast<int>(order.size())) - 1);
  std::vector<std::thread> pool;
  for (int t = 0; t < extra; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
}

TargetRules::TargetRules(const PlanInput& input, const SolveOptions& options,
                         const std::vector<int>& staff)
    : input_(&input) {
  const auto& dests = input.destinations;
  const auto& cands = input.candidates;
  const Policy& policy = input.policy;
  const int nd = static_cast<int>(dests.size());
  const int nc = static_cast<int>(cands.size());
  const bool deficit_only = options.target_pruning == TargetPruning::kDeficitOnly;
  target_blocks_.resize(nd);
  for (int d = 0; d < nd; ++d) {
    target_blocks_[d] = !dests[d].active || !TargetShort(dests[d], staff[d], policy) ||
                        (deficit_only && staff[d] >= dests[d].need);
  }
  // Agencies and families as small integers, so the per-pair checks
  // (candidates × plausible targets, millions at city scale) compare ints, not strings.
  absl::flat_hash_map<std::string, int> agency_id;
  absl::flat_hash_map<std::string, int> family_id;
  auto id_of = [](absl::flat_hash_map<std::string, int>& ids, const std::string& s) {
    return ids.emplace(s, static_cast<int>(ids.size())).first->second;
  };
  std::vector<int> dest_agency(nd), dest_family(nd);
  for (int d = 0; d < nd; ++d) {
    dest_agency[d] = policy.same_agency_only ? id_of(agency_id, dests[d].agency_code) : 0;
    dest_family[d] = id_of(family_id, dests[d].job_family);
  }
  std::vector<int> cand_agency(nc), cand_family(nc);
  for (int i = 0; i < nc; ++i) {
    cand_agency[i] = policy.same_agency_only ? id_of(agency_id, cands[i].agency_code) : 0;
    cand_family[i] = id_of(family_id, cands[i].job_family);
  }
  const int nf = static_cast<int>(family_id.size());
  std::vector<std::string> family_name(nf);
  for (const auto& [name, id] : family_id) family_name[id] = name;
  // Families a member of f may move into, as FamilyCompatible decides.
  std::vector<std::vector<int>> into(nf);
  for (int f = 0; f < nf; ++f) {
    for (int g = 0; g < nf; ++g) {
      if (FamilyCompatible(family_name[f], family_name[g], policy)) into[f].push_back(g);
    }
  }
  // Destinations by (agency, family), then the plausible targets of each
  // (agency, family) of a candidate: the union of its compatible families'
  // buckets, sorted by destination index. Linear in the sizes, so a national
  // instance (thousands of agencies) does not scan every destination per pair.
  absl::flat_hash_map<std::pair<int, int>, std::vector<int>> bucket;
  for (int d = 0; d < nd; ++d) bucket[{dest_agency[d], dest_family[d]}].push_back(d);
  absl::flat_hash_map<std::pair<int, int>, int> list_of;
  plausible_of_.resize(nc);
  for (int i = 0; i < nc; ++i) {
    const std::pair<int, int> key{cand_agency[i], cand_family[i]};
    auto [it, inserted] = list_of.try_emplace(key, static_cast<int>(plausible_.size()));
    if (inserted) {
      std::vector<int> list;
      for (int g : into[key.second]) {
        auto b = bucket.find({key.first, g});
        if (b != bucket.end()) list.insert(list.end(), b->second.begin(), b->second.end());
      }
      std::sort(list.begin(), list.end());
      plausible_.push_back(std::move(list));
    }
    plausible_of_[i] = it->second;
  }
  // Forbidden moves by candidate index (NIPs outside the candidates forbid nothing).
  forbidden_any_.assign(nc, 0);
  if (policy.forbidden.empty()) return;
  absl::flat_hash_map<std::string_view, int> by_nip;
  for (int i = 0; i < nc; ++i) by_nip.emplace(cands[i].nip, i);
  for (const ForbiddenMove& f : policy.forbidden) {
    auto it = by_nip.find(f.nip);
    if (it == by_nip.end()) continue;
    if (f.destination < 0) {
      forbidden_any_[it->second] = 1;
    } else {
      forbidden_pair_.insert({it->second, f.destination});
    }
  }
}

namespace {

// Pinned moves are applied before the optimisation: they are fixed, consume
// the source's leave allowance and count towards the budget. Sets prep.staff,
// pinned_of, pinned_cost and pinned_moves; returns the pinned moves out of each
// destination.
std::vector<int> ApplyPinnedMoves(const PlanInput& input, PreparedInstance& prep) {
  const auto& dests = input.destinations;
  const auto& cands = input.candidates;
  const Policy& policy = input.policy;
  const int nd = static_cast<int>(dests.size());
  const int nc = static_cast<int>(cands.size());
  prep.staff.resize(nd);
  for (int d = 0; d < nd; ++d) prep.staff[d] = dests[d].staff_before;
  prep.pinned_of.assign(nc, -1);

  absl::flat_hash_map<std::string_view, int> by_nip;  // only needed for pinned moves
  if (!policy.pinned.empty()) {
    for (int i = 0; i < nc; ++i) by_nip.emplace(cands[i].nip, i);
  }
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
  return pinned_out;
}

// Upper bound of each source's leave cap before counting movable people: a
// source that may lose nobody only needs to know whether a candidate could move.
std::vector<int> LeaveCapBounds(const PlanInput& input, const PreparedInstance& prep,
                                const std::vector<int>& pinned_out) {
  const auto& dests = input.destinations;
  const Policy& policy = input.policy;
  const int nd = static_cast<int>(dests.size());
  std::vector<int> cap_bound(nd);
  for (int d = 0; d < nd; ++d) {
    const int by_fraction = std::max(0, LeaveFractionCap(dests[d], policy) - pinned_out[d]);
    const int by_need =
        policy.never_below_need ? std::max(0, prep.staff[d] - dests[d].need) : INT_MAX;
    cap_bound[d] = std::min(by_fraction, by_need);
  }
  return cap_bound;
}

// Pruning: moving one person out of s saves at most P_s(staff_s) - P_s(staff_s - 1)
// (assuming s receives nobody, hence the check of the optimum afterwards) and into t
// at most P_t(f_t) - P_t(f_t + 1), f_t = staff_t - cap_t being t's lowest possible
// staffing. A move costing more than both together is left out of the network.
// People whose every arc is left out stay in their class (with only its stay arc), so
// the network's supplies and leave caps are those of the whole model.
void SetPruningGains(const PlanInput& input, const std::vector<int>& cap_bound,
                     PreparedInstance& prep) {
  const auto& dests = input.destinations;
  const Weights& w = input.policy.weights;
  const int nd = static_cast<int>(dests.size());
  prep.leave_gain.assign(nd, 0);
  prep.arrive_gain.assign(nd, 0);
  for (int d = 0; d < nd; ++d) {
    const int staff = prep.staff[d];
    const int lowest = staff - std::min(staff, cap_bound[d]);
    const int need = dests[d].need;
    prep.leave_gain[d] = PenaltyScaled(staff, need, w) - PenaltyScaled(staff - 1, need, w);
    prep.arrive_gain[d] = PenaltyScaled(lowest, need, w) - PenaltyScaled(lowest + 1, need, w);
  }
}

// Every candidate's eligible arcs, scanned once.
struct ArcScan {
  // Each slice's movers grouped by (source, kept arcs) as they are scanned, so
  // the arcs of millions of candidates are never held one list per person;
  // local[i] is candidate i's group in its slice (-1 for none).
  std::vector<int> slice_begin;  // first candidate of each slice, then nc
  std::vector<std::vector<CandidateClass>> slice_classes;
  std::vector<int> local;
  // 1: has an eligible target (kept or pruned) and a source that may lose people;
  // 2: has one but its source may lose nobody.
  std::vector<char> mover;
  // Parts: connected components of destinations linked by some mover's arcs,
  // pruned or not, so a pruned arc never crosses parts and its reduced cost can be
  // read from one part's potentials.
  std::vector<int> parent;  // union-find of destinations
  int64_t pruned_arcs = 0;
};

// Scans candidates [lo, hi): their kept arcs and mover flags into `scan`, their
// destinations linked in `up`. Returns how many arcs it pruned.
int64_t ScanSlice(const PlanInput& input, const SolveOptions& options, const PreparedInstance& prep,
                  const std::vector<int>& cap_bound, int k, ArcScan& scan, std::vector<int>& up) {
  const int lo = scan.slice_begin[k];
  const int hi = scan.slice_begin[k + 1];
  ClassBuilder groups(scan.slice_classes[k], options.aggregate);
  const auto& dests = input.destinations;
  const Weights& w = input.policy.weights;
  const TargetRules& rules = *prep.rules;
  int64_t pruned = 0;
  std::vector<std::pair<int, int64_t>> kept;
  for (int i = lo; i < hi; ++i) {
    const Candidate& c = input.candidates[i];
    if (prep.pinned_of[i] >= 0 || rules.ForbidsAll(i) ||
        !PersonBlockingRules(c, input.policy).empty()) {
      continue;
    }
    const int s = c.current;
    if (cap_bound[s] == 0) {
      rules.ForEach(i, [&](int) {
        scan.mover[i] = 2;
        return false;  // one eligible target is enough
      });
      continue;
    }
    const int64_t out_gain = prep.leave_gain[s];
    rules.ForEach(i, [&](int t) {
      scan.mover[i] = 1;
      up[Find(up, s)] = Find(up, t);
      // The bound without the distance settles most pruned arcs without trigonometry.
      const int64_t most = out_gain + prep.arrive_gain[t];
      if (options.prune_unprofitable_arcs && MoveCostLowerBoundScaled(c, dests[t], w) > most) {
        ++pruned;
        return true;
      }
      const int64_t cost = MoveCostScaled(c, dests[s], dests[t], w);
      if (options.prune_unprofitable_arcs && cost > most) {
        ++pruned;
      } else {
        kept.emplace_back(t, cost);
      }
      return true;
    });
    // A new group's arcs take one allocation of the exact size; a repeated one none.
    if (scan.mover[i] == 1) scan.local[i] = groups.Intern(s, std::move(kept), /*copy=*/true);
    kept.clear();
  }
  return pruned;
}

// The candidates in contiguous slices, one per thread, each with its own
// union-find of destinations (merged at the end) and its own count of pruned arcs.
ArcScan ScanArcs(const PlanInput& input, const SolveOptions& options, const PreparedInstance& prep,
                 const std::vector<int>& cap_bound) {
  const int nd = static_cast<int>(input.destinations.size());
  const int nc = static_cast<int>(input.candidates.size());
  ArcScan scan;
  scan.local.assign(nc, -1);
  scan.mover.assign(nc, 0);
  scan.parent.resize(nd);
  std::iota(scan.parent.begin(), scan.parent.end(), 0);
  const int slices = std::max(1, std::min(options.threads, nc / 4096 + 1));
  for (int k = 0; k <= slices; ++k) {
    scan.slice_begin.push_back(static_cast<int>(static_cast<int64_t>(nc) * k / slices));
  }
  scan.slice_classes.resize(slices);
  std::vector<std::vector<int>> slice_parent(slices);
  std::vector<int64_t> slice_pruned(slices, 0);
  std::vector<int> slice_order(slices);
  std::iota(slice_order.begin(), slice_order.end(), 0);
  ParallelFor(slice_order, slices, [&](int k) {
    std::vector<int>& up = slice_parent[k];
    up.resize(nd);
    std::iota(up.begin(), up.end(), 0);
    slice_pruned[k] = ScanSlice(input, options, prep, cap_bound, k, scan, up);
  });
  for (int k = 0; k < slices; ++k) {
    scan.pruned_arcs += slice_pruned[k];
    for (int d = 0; d < nd; ++d) {
      const int r = Find(slice_parent[k], d);
      if (r != d) scan.parent[Find(scan.parent, d)] = Find(scan.parent, r);
    }
    std::vector<int>().swap(slice_parent[k]);
  }
  return scan;
}

// Leave caps from the movers, then the classes of the movers whose source may
// lose people, in order of their first member: the slices' groups merged (a
// group's arcs move into its class), so the classes are those of one exact key.
void BuildClasses(const PlanInput& input, const SolveOptions& options,
                  const std::vector<int>& cap_bound, ArcScan& scan, PreparedInstance& prep) {
  const auto& cands = input.candidates;
  const int nd = static_cast<int>(input.destinations.size());
  const int nc = static_cast<int>(cands.size());
  prep.movable.assign(nd, 0);
  for (int i = 0; i < nc; ++i) prep.movable[cands[i].current] += scan.mover[i] != 0;

  prep.leave_cap.assign(nd, 0);
  for (int d = 0; d < nd; ++d) prep.leave_cap[d] = std::min(prep.movable[d], cap_bound[d]);

  // Groups of one slice are distinct already; only groups whose source has
  // movers in several slices (where slices meet) can repeat one of another slice.
  const int slices = static_cast<int>(scan.slice_classes.size());
  std::vector<int> first_slice(nd, -1);
  std::vector<char> shared(nd, 0);
  for (int k = 0; k < slices; ++k) {
    for (const CandidateClass& g : scan.slice_classes[k]) {
      if (first_slice[g.current] < 0) first_slice[g.current] = k;
      shared[g.current] |= first_slice[g.current] != k;
    }
  }
  ClassBuilder classes(prep.classes, options.aggregate);
  ClassBuilder unshared(prep.classes, /*aggregate=*/false);
  for (int k = 0; k < slices; ++k) {
    std::vector<CandidateClass>& groups = scan.slice_classes[k];
    std::vector<int> class_of_group(groups.size(), -1);
    for (int i = scan.slice_begin[k]; i < scan.slice_begin[k + 1]; ++i) {
      const int g = scan.local[i];
      if (g < 0 || prep.leave_cap[cands[i].current] == 0) continue;
      if (class_of_group[g] < 0) {
        ClassBuilder& into = shared[groups[g].current] ? classes : unshared;
        class_of_group[g] = into.Intern(groups[g].current, std::move(groups[g].targets));
      }
      prep.classes[class_of_group[g]].members.push_back(i);
    }
    std::vector<CandidateClass>().swap(groups);
  }
}

// One part per connected component of `parent` that holds a class, in order of
// its first destination.
void BuildParts(const PlanInput& input, std::vector<int>& parent, PreparedInstance& prep) {
  const auto& dests = input.destinations;
  const int nd = static_cast<int>(dests.size());
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
}

}  // namespace

absl::StatusOr<PreparedInstance> Prepare(const PlanInput& input, const SolveOptions& options) {
  if (std::vector<FieldViolation> v = ValidateInput(input); !v.empty()) {
    return ViolationsToStatus(v);
  }
  return PrepareValidated(input, options);
}

PreparedInstance PrepareValidated(const PlanInput& input, const SolveOptions& options) {
  PreparedInstance prep;
  const std::vector<int> pinned_out = ApplyPinnedMoves(input, prep);
  prep.rules = std::make_unique<TargetRules>(input, options, prep.staff);
  const std::vector<int> cap_bound = LeaveCapBounds(input, prep, pinned_out);
  SetPruningGains(input, cap_bound, prep);
  ArcScan scan = ScanArcs(input, options, prep, cap_bound);
  prep.pruned_arcs = scan.pruned_arcs;
  BuildClasses(input, options, cap_bound, scan, prep);
  BuildParts(input, scan.parent, prep);
  return prep;
}

void UnprunePart(const PlanInput& input, const SolveOptions& options, PreparedInstance& prep,
                 Part& part) {
  const auto& dests = input.destinations;
  const auto& cands = input.candidates;
  std::vector<int> members;
  for (int k : part.classes) {
    members.insert(members.end(), prep.classes[k].members.begin(), prep.classes[k].members.end());
  }
  std::sort(members.begin(), members.end());
  ClassBuilder classes(prep.classes, options.aggregate);
  std::vector<int> fresh;
  for (int i : members) {
    const Candidate& c = cands[i];
    std::vector<std::pair<int, int64_t>> arcs;
    prep.rules->ForEach(i, [&](int t) {
      arcs.emplace_back(t, MoveCostScaled(c, dests[c.current], dests[t], input.policy.weights));
      return true;
    });
    fresh.push_back(classes.Add(i, c.current, std::move(arcs)));
  }
  std::sort(fresh.begin(), fresh.end());
  fresh.erase(std::unique(fresh.begin(), fresh.end()), fresh.end());
  part.classes = std::move(fresh);
}

bool PrunedArcViolated(const PlanInput& input, const PreparedInstance& prep, const Part& part,
                       const std::vector<int64_t>& potentials, int64_t lambda, int64_t scale) {
  if (prep.pruned_arcs == 0) return false;
  const auto& dests = input.destinations;
  const auto& cands = input.candidates;
  const int num_classes = static_cast<int>(part.classes.size());
  // Node numbers as BuildPartModel gives them: classes first, then destinations.
  auto dest_pi = [&](int t) -> std::optional<int64_t> {
    auto it = std::lower_bound(part.destinations.begin(), part.destinations.end(), t);
    if (it == part.destinations.end() || *it != t) return std::nullopt;
    return potentials[num_classes + (it - part.destinations.begin())];
  };
  for (int j = 0; j < num_classes; ++j) {
    const CandidateClass& cl = prep.classes[part.classes[j]];
    const int s = cl.current;
    const int64_t pi_k = potentials[j];
    // A pruned arc k -> t costs more than leave_gain_s + arrive_gain_t, so it cannot have
    // a negative reduced cost when that bound already gives a non-negative one.
    bool suspect = false;
    for (size_t idx = 0; idx < part.destinations.size() && !suspect; ++idx) {
      const int t = part.destinations[idx];
      if (t == s) continue;
      suspect = (prep.leave_gain[s] + prep.arrive_gain[t]) * scale + lambda + pi_k -
                    potentials[num_classes + idx] <
                0;
    }
    if (!suspect) continue;
    for (int i : cl.members) {
      bool violated = false;
      prep.rules->ForEach(i, [&](int t) {
        const bool kept =
            std::binary_search(cl.targets.begin(), cl.targets.end(), std::make_pair(t, INT64_MIN),
                               [](const auto& a, const auto& b) { return a.first < b.first; });
        if (kept) return true;
        const std::optional<int64_t> pi_t = dest_pi(t);
        const int64_t cost = MoveCostScaled(cands[i], dests[s], dests[t], input.policy.weights);
        violated = !pi_t.has_value() || cost * scale + lambda + pi_k - *pi_t < 0;
        return !violated;
      });
      if (violated) return true;
    }
  }
  return false;
}

namespace {

// Penalty arcs of `part` from each destination node to the sink: at most one
// per unit of inflow the destination can take, equal marginals sharing one arc;
// adds Σ P_t(f_t) to m.constant.
void AddPenaltyArcs(const PlanInput& input, const PreparedInstance& prep, const Part& part,
                    const std::vector<int>& dest_node, int sink,
                    const std::vector<int64_t>& max_inflow, FlowModel& m) {
  const auto& dests = input.destinations;
  const Weights& w = input.policy.weights;
  auto units_of = [&](int d) {
    const int64_t fixed = prep.staff[d] - prep.leave_cap[d];
    int64_t units = max_inflow[d];
    if (Scale(w.over_base) > 0)
      units = std::min<int64_t>(units, dests[d].need + part.over_limit - fixed);
    // Target need: a destination that receives moves is short (TargetRules) and ends at
    // most at its need; its own stayers alone never reach it.
    if (!input.policy.allow_relief_moves && prep.staff[d] < dests[d].need) {
      units = std::min<int64_t>(units, dests[d].need - fixed);
    }
    return std::max<int64_t>(0, units);
  };
  size_t penalty_arcs = 0;
  for (int d : part.destinations) penalty_arcs += static_cast<size_t>(units_of(d));
  m.arcs.reserve(m.arcs.size() + penalty_arcs);
  for (int d : part.destinations) {
    const int need = dests[d].need;
    const int fixed = prep.staff[d] - prep.leave_cap[d];
    m.constant += PenaltyScaled(fixed, need, w);
    const int64_t units = units_of(d);
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
}

}  // namespace

FlowModel BuildPartModel(const PlanInput& input, const PreparedInstance& prep, const Part& part) {
  const auto& dests = input.destinations;
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
  size_t num_arcs = part.destinations.size();
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

  AddPenaltyArcs(input, prep, part, dest_node, sink, max_inflow, m);
  return m;
}

}  // namespace seimbang::planner
