#include "services/transfer/planner/diagnose.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "services/transfer/planner/rules.h"

namespace seimbang::planner {
namespace {

// Every rule in rulebook order (ties of the most blocking rule go to the first). The
// target-need rule never blocks a destination that is short, the only kind diagnosed.
constexpr std::array<std::string_view, 21> kRuleOrder = {
    kRuleMinTenure,      kRuleRetirement,   kRuleDisciplinary,    kRuleJudicial,
    kRuleInspectorate,   kRulePerformance,  kRuleStudyAssignment, kRuleServiceBond,
    kRuleOnLeave,        kRuleRankBand,     kRuleRankScale,       kRuleSameLevel,
    kRulePositionChange, kRuleEducation,    kRuleJobFamily,       kRuleSameAgency,
    kRuleForbidden,      kRuleInactiveUnit, kRuleTargetNeed,      kRuleLeaveFraction,
    kRuleNeverBelowNeed};

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
  const uint32_t scale_bit = RuleBit(kRuleRankScale);
  const uint32_t level_bit = RuleBit(kRuleSameLevel);
  const uint32_t position_bit = RuleBit(kRulePositionChange);
  const uint32_t education_bit = RuleBit(kRuleEducation);
  const uint32_t agency_bit = RuleBit(kRuleSameAgency);
  const uint32_t forbidden_bit = RuleBit(kRuleForbidden);
  const uint32_t inactive_bits = to.active ? 0 : RuleBit(kRuleInactiveUnit);
  // Once some candidate is eligible the reason no longer depends on the
  // counts: it is the budget, or whether some eligible move costs less than
  // leaving the need unfilled. So the scan stops at the first eligible move
  // under that cost (or at the first eligible one under a binding budget), and
  // skips the distance when the cost without it already reaches the threshold.
  const int64_t threshold = Scale(p.weights.under_base) * missing;
  bool settled = false;
  for (size_t q = 0; q < pools.size() && !settled; ++q) {
    for (int i : *pools[q]) {
      const Candidate& c = input.candidates[i];
      if (c.current == d || prep.pinned_of[i] >= 0) continue;
      ++compatible;
      // PairBlockingRules without its allocations (the family is compatible by construction).
      uint32_t rules = target_free[i] | inactive_bits;
      if (RankOutOfBand(c, to, p)) rules |= rank_bit;
      if (RankScaleDiffers(c, to, p)) rules |= scale_bit;
      if (LevelChanges(c, to)) rules |= level_bit;
      if (PositionChangeForbidden(c, to, p)) rules |= position_bit;
      if (BelowEducation(c, to, p)) rules |= education_bit;
      if (p.same_agency_only && c.agency_code != to.agency_code) rules |= agency_bit;
      if (!p.forbidden.empty() && forbidden.Forbids(c.nip, d)) rules |= forbidden_bit;
      if (rules == 0) {
        ++eligible;
        if (!budget_binding && MoveCostLowerBoundScaled(c, to, p.weights) >= threshold) continue;
        cheapest = std::min(cheapest, MoveCostScaled(c, dests[c.current], to, p.weights));
        settled = budget_binding || cheapest < threshold;
        if (settled) break;
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
  } else if (cheapest >= threshold) {
    u.reason = UnfilledReason::kCheaperToLeave;
  }
  return u;
}

// Candidates bucketed by (agency pool, family), so each destination scans only
// the compatible ones.
struct CandidateBuckets {
  absl::flat_hash_map<std::string, int> pool_id;       // agency (or "" for all) -> pool
  std::vector<std::string> family_name;                // by family id
  std::vector<std::vector<std::vector<int>>> buckets;  // [pool][family] -> candidates
};

CandidateBuckets BucketCandidates(const PlanInput& input) {
  const auto& cands = input.candidates;
  const Policy& policy = input.policy;
  CandidateBuckets out;
  absl::flat_hash_map<std::string, int> family_id;
  for (size_t i = 0; i < cands.size(); ++i) {
    const std::string& agency = policy.same_agency_only ? cands[i].agency_code : std::string();
    const int pid = out.pool_id.emplace(agency, static_cast<int>(out.pool_id.size())).first->second;
    auto [fit, fnew] = family_id.emplace(cands[i].job_family, static_cast<int>(family_id.size()));
    if (fnew) out.family_name.push_back(cands[i].job_family);
    auto& buckets = out.buckets;
    if (pid >= static_cast<int>(buckets.size())) buckets.resize(pid + 1);
    if (fit->second >= static_cast<int>(buckets[pid].size())) buckets[pid].resize(fit->second + 1);
    buckets[pid][fit->second].push_back(static_cast<int>(i));
  }
  return out;
}

// The destinations below need after the plan, each with the buckets it scans.
struct ShortDestinations {
  std::vector<int> destinations;
  std::vector<std::vector<const std::vector<int>*>> pools;  // parallel to `destinations`
};

ShortDestinations FindShortDestinations(const PlanInput& input, const CandidateBuckets& b,
                                        const std::vector<int>& staff_after) {
  const auto& dests = input.destinations;
  const Policy& policy = input.policy;
  ShortDestinations out;
  absl::flat_hash_map<std::string, std::vector<int>> families_compatible_with;  // target family
  for (int d = 0; d < static_cast<int>(dests.size()); ++d) {
    const int missing = dests[d].need - staff_after[d];
    if (missing <= 0) continue;
    auto [cit, cnew] = families_compatible_with.try_emplace(dests[d].job_family);
    if (cnew) {
      for (int f = 0; f < static_cast<int>(b.family_name.size()); ++f) {
        if (FamilyCompatible(b.family_name[f], dests[d].job_family, policy)) {
          cit->second.push_back(f);
        }
      }
    }
    std::vector<const std::vector<int>*>& pools = out.pools.emplace_back();
    auto pit = b.pool_id.find(policy.same_agency_only ? dests[d].agency_code : std::string());
    if (pit != b.pool_id.end()) {
      for (int f : cit->second) {
        if (f < static_cast<int>(b.buckets[pit->second].size())) {
          pools.push_back(&b.buckets[pit->second][f]);
        }
      }
    }
    out.destinations.push_back(d);
  }
  return out;
}

}  // namespace

std::vector<UnfilledNeed> DiagnoseUnfilled(const PlanInput& input, const PreparedInstance& prep,
                                           const std::vector<int>& staff_after, bool budget_binding,
                                           int threads) {
  const auto& dests = input.destinations;
  const CandidateBuckets buckets = BucketCandidates(input);
  const ForbiddenSet forbidden(input.policy.forbidden);
  const std::vector<uint32_t> target_free = TargetFreeBlocks(input, prep);
  const ShortDestinations short_dests = FindShortDestinations(input, buckets, staff_after);
  const std::vector<int>& todo = short_dests.destinations;
  // Each destination's diagnosis is independent: slices of them on the solve's
  // threads, kept in destination order.
  std::vector<UnfilledNeed> out(todo.size());
  ParallelSlices(todo.size(), threads, 256, [&](size_t lo, size_t hi) {
    for (size_t j = lo; j < hi; ++j) {
      const int d = todo[j];
      out[j] = Diagnose(input, prep, forbidden, target_free, short_dests.pools[j], d,
                        dests[d].need - staff_after[d], budget_binding);
    }
  });
  return out;
}

}  // namespace seimbang::planner
