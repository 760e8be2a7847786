#include "services/transfer/planner/planner.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <climits>
#include <functional>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "services/transfer/planner/model.h"
#include "services/transfer/planner/rules.h"

namespace seimbang::planner {
namespace {

struct Flows {
  std::vector<std::vector<int64_t>> per_part;
  std::vector<std::vector<int64_t>> potentials;  // per part, per node
  int moves = 0;
};

absl::StatusOr<Flows> SolveAll(const std::vector<FlowModel>& models, const std::vector<int>& order,
                               int threads, int64_t lambda) {
  Flows out;
  out.per_part.resize(models.size());
  out.potentials.resize(models.size());
  std::vector<absl::Status> status(models.size());
  ParallelFor(order, threads, [&](int p) {
    absl::StatusOr<std::vector<int64_t>> f = SolveFlow(models[p], lambda, &out.potentials[p]);
    if (f.ok()) {
      out.per_part[p] = *std::move(f);
    } else {
      status[p] = f.status();
    }
  });
  for (size_t p = 0; p < models.size(); ++p) {
    if (!status[p].ok()) return status[p];
    for (size_t a = 0; a < models[p].arcs.size(); ++a) {
      if (models[p].arcs[a].kind == ArcKind::kMove) out.moves += out.per_part[p][a];
    }
  }
  return out;
}

constexpr std::array<std::string_view, 13> kRuleOrder = {
    kRuleMinTenure, kRuleRetirement,    kRuleDisciplinary,  kRuleStudyAssignment, kRuleServiceBond,
    kRuleOnLeave,   kRuleRankBand,      kRuleEducation,     kRuleJobFamily,       kRuleSameAgency,
    kRuleForbidden, kRuleLeaveFraction, kRuleNeverBelowNeed};

uint32_t RuleBit(std::string_view rule) {
  for (size_t r = 0; r < kRuleOrder.size(); ++r) {
    if (kRuleOrder[r] == rule) return uint32_t{1} << r;
  }
  return 0;
}

// Rules that block candidate i whatever the target (person rules and a source
// that may lose nobody), as bits of kRuleOrder: computed once, not per target.
std::vector<uint32_t> TargetFreeBlocks(const PlanInput& input, const PreparedInstance& prep) {
  const Policy& p = input.policy;
  std::vector<uint32_t> out(input.candidates.size(), 0);
  for (size_t i = 0; i < out.size(); ++i) {
    const Candidate& c = input.candidates[i];
    for (std::string_view r : PersonBlockingRules(c, p)) out[i] |= RuleBit(r);
    if (prep.leave_cap[c.current] == 0) {
      const Destination& s = input.destinations[c.current];
      if (LeaveFractionCap(s, p) == 0) out[i] |= RuleBit(kRuleLeaveFraction);
      if (p.never_below_need && prep.staff[c.current] <= s.need) {
        out[i] |= RuleBit(kRuleNeverBelowNeed);
      }
    }
  }
  return out;
}

// Why destination d stays short; only called for unfilled destinations.
// `pools`: the candidates of a family compatible with d's (and of d's agency
// when required); counts and the minimum do not depend on the scan order.
UnfilledNeed Diagnose(const PlanInput& input, const PreparedInstance& prep,
                      const ForbiddenSet& forbidden, const std::vector<uint32_t>& target_free,
                      const std::vector<const std::vector<int>*>& pools, int d, int missing,
                      bool budget_binding) {
  static constexpr auto& kOrder = kRuleOrder;
  const auto& dests = input.destinations;
  const Policy& p = input.policy;
  const Destination& to = dests[d];
  UnfilledNeed u{d, missing, UnfilledReason::kSupplyExhausted, ""};
  std::array<int, kOrder.size()> blocked{};
  int compatible = 0;
  int eligible = 0;
  int64_t cheapest = INT64_MAX;
  const uint32_t rank_bit = RuleBit(kRuleRankBand);
  const uint32_t education_bit = RuleBit(kRuleEducation);
  const uint32_t agency_bit = RuleBit(kRuleSameAgency);
  const uint32_t forbidden_bit = RuleBit(kRuleForbidden);
  for (const std::vector<int>* pool : pools) {
    for (int i : *pool) {
      const Candidate& c = input.candidates[i];
      if (c.current == d || prep.pinned_of[i] >= 0) continue;
      ++compatible;
      // PairBlockingRules without its allocations (the family is compatible by construction).
      uint32_t rules = target_free[i];
      if (p.require_rank_band && ((to.min_rank > 0 && c.rank < to.min_rank) ||
                                  (to.max_rank > 0 && c.rank > to.max_rank))) {
        rules |= rank_bit;
      }
      if (p.require_education && to.min_education > 0 && c.education < to.min_education) {
        rules |= education_bit;
      }
      if (p.same_agency_only && c.agency_code != to.agency_code) rules |= agency_bit;
      if (!p.forbidden.empty() && forbidden.Forbids(c.nip, d)) rules |= forbidden_bit;
      if (rules == 0) {
        ++eligible;
        cheapest = std::min(cheapest, MoveCostScaled(c, dests[c.current], to, p.weights));
        continue;
      }
      for (size_t r = 0; r < kOrder.size(); ++r) blocked[r] += (rules >> r) & 1;
    }
  }
  if (compatible == 0) {
    u.reason = UnfilledReason::kNoEligibleCandidateInFamily;
  } else if (eligible == 0) {
    u.reason = UnfilledReason::kBlockedByRule;
    const size_t best = std::max_element(blocked.begin(), blocked.end()) - blocked.begin();
    u.blocking_rule = std::string(kOrder[best]);
  } else if (budget_binding) {
    u.reason = UnfilledReason::kBudgetExhausted;
  } else if (cheapest >= Scale(p.weights.under_base) * missing) {
    u.reason = UnfilledReason::kCheaperToLeave;
  }
  return u;
}

}  // namespace

const char* UnfilledReasonName(UnfilledReason reason) {
  switch (reason) {
    case UnfilledReason::kNoEligibleCandidateInFamily:
      return "no_eligible_candidate_in_family";
    case UnfilledReason::kBlockedByRule:
      return "blocked_by_rule";
    case UnfilledReason::kBudgetExhausted:
      return "budget_exhausted";
    case UnfilledReason::kCheaperToLeave:
      return "cheaper_to_leave";
    case UnfilledReason::kSupplyExhausted:
      return "supply_exhausted";
  }
  return "unknown";
}

absl::StatusOr<PlanResult> Solve(const PlanInput& input, const SolveOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  auto lap = [mark = start]() mutable {
    const auto now = std::chrono::steady_clock::now();
    const double ms = std::chrono::duration<double, std::milli>(now - mark).count();
    mark = now;
    return ms;
  };
  absl::StatusOr<PreparedInstance> prep_or = Prepare(input, options);
  if (!prep_or.ok()) return prep_or.status();
  const double prepare_ms = lap();
  PreparedInstance& prep = *prep_or;
  const auto& dests = input.destinations;
  const auto& cands = input.candidates;
  const Policy& policy = input.policy;
  const Weights& w = policy.weights;
  const int threads = std::max(1, options.threads);
  PlanResult result;

  const int num_parts = static_cast<int>(prep.parts.size());
  std::vector<FlowModel> models(num_parts);
  std::vector<int> order(num_parts);
  for (int p = 0; p < num_parts; ++p) order[p] = p;
  ParallelFor(order, threads,
              [&](int p) { models[p] = BuildPartModel(input, prep, prep.parts[p]); });
  std::stable_sort(order.begin(), order.end(), [&models](int a, int b) {
    return models[a].arcs.size() > models[b].arcs.size();
  });
  for (const FlowModel& m : models) {
    result.stats.nodes += m.num_nodes;
    result.stats.arcs += static_cast<int64_t>(m.arcs.size());
  }
  result.stats.classes = static_cast<int64_t>(prep.classes.size());
  result.stats.pruned_arcs = prep.pruned_arcs;
  result.stats.parts = num_parts;
  result.stats.prepare_ms = prepare_ms;
  result.stats.build_ms = lap();

  // Budget: the smallest extra cost per move λ at which the plan fits.
  absl::StatusOr<Flows> flows = SolveAll(models, order, threads, 0);
  if (!flows.ok()) return flows.status();
  result.stats.solves += num_parts;
  if (policy.move_budget && flows->moves + prep.pinned_moves > *policy.move_budget) {
    const int budget = *policy.move_budget - prep.pinned_moves;
    int64_t lo = 0;
    int64_t hi = 1;
    absl::StatusOr<Flows> at_hi = SolveAll(models, order, threads, hi);
    result.stats.solves += num_parts;
    while (at_hi.ok() && at_hi->moves > budget) {
      if (hi > (int64_t{1} << 50)) return absl::InternalError("budget search did not converge");
      lo = hi;
      hi *= 2;
      at_hi = SolveAll(models, order, threads, hi);
      result.stats.solves += num_parts;
    }
    while (at_hi.ok() && hi - lo > 1) {
      const int64_t mid = lo + (hi - lo) / 2;
      absl::StatusOr<Flows> at_mid = SolveAll(models, order, threads, mid);
      result.stats.solves += num_parts;
      if (!at_mid.ok()) return at_mid.status();
      if (at_mid->moves <= budget) {
        hi = mid;
        at_hi = std::move(at_mid);
      } else {
        lo = mid;
      }
    }
    if (!at_hi.ok()) return at_hi.status();
    flows = std::move(at_hi);
    result.budget_lambda = Unscale(hi);
  }

  // The pruned arcs must not pay at the optimum: with the potentials of each
  // part's optimum, none may have a negative reduced cost. Potentials of a
  // degenerate optimum are not unique, so a part that fails the check is solved
  // again with all its arcs (exact either way); under a move budget the whole
  // search runs again unpruned, since repairing one part could break the budget.
  if (prep.pruned_arcs > 0) {
    const int64_t lambda = result.budget_lambda ? Scale(*result.budget_lambda) : 0;
    std::vector<char> violated(num_parts, 0);
    ParallelFor(order, threads, [&](int p) {
      violated[p] = PrunedArcViolated(input, prep, prep.parts[p], flows->potentials[p], lambda);
    });
    if (std::find(violated.begin(), violated.end(), 1) != violated.end()) {
      if (policy.move_budget) {
        SolveOptions whole = options;
        whole.prune_unprofitable_arcs = false;
        absl::StatusOr<PlanResult> again = Solve(input, whole);
        if (again.ok()) again->stats.prune_fallback = true;
        return again;
      }
      for (int p = 0; p < num_parts; ++p) {
        if (!violated[p]) continue;
        UnprunePart(input, options, prep, prep.parts[p]);
        result.stats.arcs -= static_cast<int64_t>(models[p].arcs.size());
        models[p] = BuildPartModel(input, prep, prep.parts[p]);
        result.stats.arcs += static_cast<int64_t>(models[p].arcs.size());
        absl::StatusOr<std::vector<int64_t>> f = SolveFlow(models[p], 0);
        if (!f.ok()) return f.status();
        flows->per_part[p] = *std::move(f);
        ++result.stats.solves;
        ++result.stats.repaired_parts;
      }
    }
  }

  result.stats.flow_ms = lap();

  // Individuals within a class: longest in post first, then preference for the target, then NIP.
  result.staff_after = prep.staff;
  std::vector<int> class_of(cands.size(), -1);
  for (int k = 0; k < static_cast<int>(prep.classes.size()); ++k) {
    for (int i : prep.classes[k].members) class_of[i] = k;
  }
  const std::vector<std::string> enabled = EnabledRules(policy);
  auto make_move = [&](int i, int to, bool pinned) {
    const Candidate& c = cands[i];
    Move m;
    m.nip = c.nip;
    m.candidate = i;
    m.from = c.current;
    m.to = to;
    m.pinned = pinned;
    (void)MoveCostScaled(c, dests[c.current], dests[to], w, &m.cost);
    m.rules_satisfied = enabled;
    m.preference_rank = PreferenceRank(c, dests[to].unit_id);
    return m;
  };
  for (int i = 0; i < static_cast<int>(cands.size()); ++i) {
    if (prep.pinned_of[i] >= 0) result.moves.push_back(make_move(i, prep.pinned_of[i], true));
  }
  for (int p = 0; p < num_parts; ++p) {
    const FlowModel& m = models[p];
    absl::flat_hash_map<int, std::vector<std::pair<int, int64_t>>> sent;  // class -> (t, n)
    for (size_t a = 0; a < m.arcs.size(); ++a) {
      const FlowArc& arc = m.arcs[a];
      if (arc.kind == ArcKind::kMove && flows->per_part[p][a] > 0) {
        sent[arc.klass].emplace_back(arc.destination, flows->per_part[p][a]);
      }
    }
    for (int k : prep.parts[p].classes) {
      auto it = sent.find(k);
      if (it == sent.end()) continue;
      std::vector<int> left = prep.classes[k].members;
      for (const auto& [t, n] : it->second) {
        const int64_t unit = dests[t].unit_id;
        for (int64_t j = 0; j < n; ++j) {
          auto key = [&](int i) {
            const int rank = PreferenceRank(cands[i], unit);
            return std::make_tuple(-cands[i].months_in_post, rank == 0 ? INT_MAX : rank,
                                   std::cref(cands[i].nip));
          };
          auto best = std::min_element(left.begin(), left.end(),
                                       [&](int a, int b) { return key(a) < key(b); });
          result.moves.push_back(make_move(*best, t, false));
          left.erase(best);
        }
      }
    }
  }
  for (const Move& m : result.moves) {
    if (!m.pinned) {
      --result.staff_after[m.from];
      ++result.staff_after[m.to];
    }
  }

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

  // Why here and not there: moving this one person to t' instead, everyone else
  // unchanged, changes the objective by its move cost difference plus the
  // marginal penalties (the reduced cost of t' under the destination potentials).
  auto marginal = [&](int d, int delta) {
    const int a = result.staff_after[d];
    return PenaltyScaled(a + delta, dests[d].need, w) - PenaltyScaled(a, dests[d].need, w);
  };
  // Every eligible target counts, including arcs the pruning left out. Moves are
  // independent: slices of them on the solve's threads.
  const int move_slices = std::max(1, std::min<int>(threads, result.moves.size() / 1024 + 1));
  std::vector<int> move_slice_order(move_slices);
  for (int k = 0; k < move_slices; ++k) move_slice_order[k] = k;
  ParallelFor(move_slice_order, move_slices, [&](int k) {
    const size_t lo = result.moves.size() * k / move_slices;
    const size_t hi = result.moves.size() * (k + 1) / move_slices;
    for (size_t mi = lo; mi < hi; ++mi) {
      Move& m = result.moves[mi];
      if (m.pinned || class_of[m.candidate] < 0) continue;
      const Candidate& c = cands[m.candidate];
      const int64_t here = marginal(m.to, -1) - MoveCostScaled(c, dests[m.from], dests[m.to], w);
      int64_t best = INT64_MAX;
      prep.rules->ForEach(m.candidate, [&](int t) {
        if (t == m.to) return true;
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

  std::sort(result.moves.begin(), result.moves.end(), [](const Move& a, const Move& b) {
    return std::tie(a.from, a.to, a.nip) < std::tie(b.from, b.to, b.nip);
  });

  result.stats.assign_ms = lap();

  // Unfilled needs and their reasons. Candidates are bucketed by (agency pool,
  // family) so each destination scans only the compatible ones.
  absl::flat_hash_map<std::string, int> pool_id;  // agency (or "" for all) -> pool
  absl::flat_hash_map<std::string, int> family_id;
  std::vector<std::string> family_name;
  std::vector<std::vector<std::vector<int>>> buckets;  // [pool][family] -> candidates
  for (size_t i = 0; i < cands.size(); ++i) {
    const std::string& agency = policy.same_agency_only ? cands[i].agency_code : std::string();
    const int pid = pool_id.emplace(agency, static_cast<int>(pool_id.size())).first->second;
    auto [fit, fnew] = family_id.emplace(cands[i].job_family, static_cast<int>(family_id.size()));
    if (fnew) family_name.push_back(cands[i].job_family);
    if (pid >= static_cast<int>(buckets.size())) buckets.resize(pid + 1);
    if (fit->second >= static_cast<int>(buckets[pid].size())) buckets[pid].resize(fit->second + 1);
    buckets[pid][fit->second].push_back(static_cast<int>(i));
  }
  const ForbiddenSet forbidden(policy.forbidden);
  const std::vector<uint32_t> target_free = TargetFreeBlocks(input, prep);
  absl::flat_hash_map<std::string, std::vector<int>> families_compatible_with;  // target family
  // The pools each short destination scans, then the diagnoses on the solve's threads
  // (each destination's is independent), kept in destination order.
  std::vector<int> short_dests;
  std::vector<std::vector<const std::vector<int>*>> pools_of;
  for (int d = 0; d < static_cast<int>(dests.size()); ++d) {
    const int missing = dests[d].need - result.staff_after[d];
    if (missing <= 0) continue;
    auto [cit, cnew] = families_compatible_with.try_emplace(dests[d].job_family);
    if (cnew) {
      for (int f = 0; f < static_cast<int>(family_name.size()); ++f) {
        if (FamilyCompatible(family_name[f], dests[d].job_family, policy)) cit->second.push_back(f);
      }
    }
    std::vector<const std::vector<int>*>& pools = pools_of.emplace_back();
    auto pit = pool_id.find(policy.same_agency_only ? dests[d].agency_code : std::string());
    if (pit != pool_id.end()) {
      for (int f : cit->second) {
        if (f < static_cast<int>(buckets[pit->second].size())) {
          pools.push_back(&buckets[pit->second][f]);
        }
      }
    }
    short_dests.push_back(d);
  }
  result.unfilled.resize(short_dests.size());
  const int diag_slices = std::max(1, std::min<int>(threads, short_dests.size() / 256 + 1));
  std::vector<int> diag_order(diag_slices);
  for (int k = 0; k < diag_slices; ++k) diag_order[k] = k;
  ParallelFor(diag_order, diag_slices, [&](int k) {
    const size_t lo = short_dests.size() * k / diag_slices;
    const size_t hi = short_dests.size() * (k + 1) / diag_slices;
    for (size_t j = lo; j < hi; ++j) {
      const int d = short_dests[j];
      result.unfilled[j] =
          Diagnose(input, prep, forbidden, target_free, pools_of[j], d,
                   dests[d].need - result.staff_after[d], result.budget_lambda.has_value());
    }
  });

  result.stats.diagnose_ms = lap();

  // Lower bound on moves: within a family, min(total surplus, total deficit).
  absl::flat_hash_map<std::string, std::pair<int64_t, int64_t>> by_family;
  for (const Destination& d : dests) {
    auto& [surplus, deficit] = by_family[d.job_family];
    surplus += std::max(0, d.staff_before - d.need);
    deficit += std::max(0, d.need - d.staff_before);
  }
  for (const auto& [family, sd] : by_family) {
    result.moves_lower_bound += static_cast<int>(std::min(sd.first, sd.second));
  }
  result.stats.milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace seimbang::planner
