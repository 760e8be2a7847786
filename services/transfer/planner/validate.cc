#include "services/transfer/planner/validate.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/transfer/planner/rules.h"

namespace seimbang::planner {

namespace {
// 1e6 cost units per weight unit keeps every scaled cost below 2^62 for
// millions of moves (costs are scaled by 100 to integers).
constexpr double kMaxWeight = 1e6;

using Violations = std::vector<FieldViolation>;

void Add(Violations& out, std::string field, std::string description) {
  out.push_back({std::move(field), std::move(description)});
}

void CheckDestinations(const std::vector<Destination>& dests, Violations& out) {
  absl::flat_hash_set<std::string> slots;
  for (int d = 0; d < static_cast<int>(dests.size()); ++d) {
    const Destination& dest = dests[d];
    const std::string f = absl::StrCat("destinations[", d, "]");
    if (dest.staff_before < 0) Add(out, f + ".staff_before", "must not be negative");
    if (dest.need < 0) Add(out, f + ".need", "must not be negative");
    if (dest.min_rank > 0 && dest.max_rank > 0 && dest.min_rank > dest.max_rank) {
      Add(out, f + ".min_rank", "must not exceed max_rank");
    }
    if (!slots.insert(absl::StrCat(dest.unit_id, "/", dest.position_code)).second) {
      Add(out, f, absl::StrCat("duplicate unit ", dest.unit_id, " position ", dest.position_code));
    }
  }
}

// Checks each candidate and that no destination holds more candidates than its
// staff. Returns the candidates by NIP (the first of duplicates), keys pointing
// into `input`; field names are built only for violations (millions of
// candidates at national scale).
// True when no two candidates can share a NIP: no two of their 64-bit hashes are
// equal. Sorting millions of hashes is several times faster than a map of the
// NIPs themselves, which is then built only when two hashes collide (or when
// pinned or forbidden moves look NIPs up).
bool NipsSurelyDistinct(const std::vector<Candidate>& cands) {
  std::vector<uint64_t> hashes(cands.size());
  for (size_t i = 0; i < cands.size(); ++i) hashes[i] = absl::HashOf(cands[i].nip);
  std::sort(hashes.begin(), hashes.end());
  return std::adjacent_find(hashes.begin(), hashes.end()) == hashes.end();
}

// Returns the candidates by NIP, left empty when neither pinned nor forbidden
// moves need it and the NIPs are surely distinct.
absl::flat_hash_map<std::string_view, int> CheckCandidates(const PlanInput& input,
                                                           Violations& out) {
  const auto& dests = input.destinations;
  const auto& cands = input.candidates;
  const int nd = static_cast<int>(dests.size());
  const bool need_map =
      !input.policy.pinned.empty() || !input.policy.forbidden.empty() || !NipsSurelyDistinct(cands);
  absl::flat_hash_map<std::string_view, int> by_nip;
  if (need_map) by_nip.reserve(cands.size());
  std::vector<int> candidates_at(nd, 0);
  for (int i = 0; i < static_cast<int>(cands.size()); ++i) {
    const Candidate& c = cands[i];
    auto f = [i](const char* field) { return absl::StrCat("candidates[", i, "].", field); };
    if (c.nip.empty()) Add(out, f("nip"), "is required");
    if (need_map && !by_nip.emplace(c.nip, i).second) {
      Add(out, f("nip"), absl::StrCat("duplicate NIP ", c.nip));
    }
    if (c.current < 0 || c.current >= nd) {
      Add(out, f("current"),
          absl::StrCat("destination index ", c.current, " out of range [0, ", nd, ")"));
    } else {
      ++candidates_at[c.current];
    }
    if (c.months_in_post < 0) Add(out, f("months_in_post"), "must not be negative");
  }
  for (int d = 0; d < nd; ++d) {
    if (candidates_at[d] > dests[d].staff_before) {
      Add(out, absl::StrCat("destinations[", d, "].staff_before"),
          absl::StrCat("is ", dests[d].staff_before, " but ", candidates_at[d],
                       " candidates are placed there"));
    }
  }
  return by_nip;
}

void CheckPolicyNumbers(const Policy& p, Violations& out) {
  if (!(p.max_leave_fraction >= 0 && p.max_leave_fraction <= 1)) {  // Also refuses NaN.
    Add(out, "policy.max_leave_fraction", "must be within [0, 1]");
  }
  if (p.move_budget && *p.move_budget < 0) Add(out, "policy.move_budget", "must not be negative");
  if (p.move_budget && *p.move_budget < static_cast<int>(p.pinned.size())) {
    Add(out, "policy.move_budget", "is smaller than the number of pinned moves");
  }
  // Costs are scaled to integers for the flow solver: a weight must be finite
  // and small enough that scaled costs of thousands of moves cannot overflow.
  const Weights& w = p.weights;
  const std::pair<const char*, double> weights[] = {{"base_per_move", w.base_per_move},
                                                    {"per_km", w.per_km},
                                                    {"preferred_bonus", w.preferred_bonus},
                                                    {"avoided_penalty", w.avoided_penalty},
                                                    {"rotation_bonus", w.rotation_bonus},
                                                    {"under_base", w.under_base},
                                                    {"over_base", w.over_base}};
  for (const auto& [name, value] : weights) {
    if (!(value >= 0 && value <= kMaxWeight)) {  // Also refuses NaN and infinities.
      Add(out, absl::StrCat("policy.weights.", name),
          absl::StrCat("must be a number from 0 to ", kMaxWeight));
    }
  }
}

// A pinned move names a known candidate once and a destination it may move to.
void CheckPinned(const PlanInput& input, const absl::flat_hash_map<std::string_view, int>& by_nip,
                 Violations& out) {
  const auto& dests = input.destinations;
  const Policy& p = input.policy;
  const int nd = static_cast<int>(dests.size());
  const ForbiddenSet forbidden(p.forbidden);
  absl::flat_hash_set<std::string> pinned_nips;
  for (size_t j = 0; j < p.pinned.size(); ++j) {
    const PinnedMove& pm = p.pinned[j];
    const std::string f = absl::StrCat("policy.pinned[", j, "]");
    auto it = by_nip.find(pm.nip);
    if (it == by_nip.end()) {
      Add(out, f + ".nip", absl::StrCat("unknown NIP ", pm.nip));
      continue;
    }
    if (!pinned_nips.insert(pm.nip).second) {
      Add(out, f + ".nip", absl::StrCat("NIP ", pm.nip, " is pinned twice"));
      continue;
    }
    if (pm.destination < 0 || pm.destination >= nd) {
      Add(out, f + ".destination",
          absl::StrCat("destination index ", pm.destination, " out of range [0, ", nd, ")"));
      continue;
    }
    const Candidate& c = input.candidates[it->second];
    if (c.current < 0 || c.current >= nd) continue;
    if (pm.destination == c.current) {
      Add(out, f + ".destination", "is the employee's current destination");
      continue;
    }
    std::vector<std::string_view> rules = PersonBlockingRules(c, p);
    for (std::string_view r :
         PairBlockingRules(c, pm.destination, dests[pm.destination], p, forbidden)) {
      rules.push_back(r);
    }
    if (!rules.empty()) {
      std::string names;
      for (std::string_view r : rules) {
        if (!names.empty()) names += ", ";
        names.append(r.data(), r.size());
      }
      Add(out, f + ".destination", "ineligible: " + names);
    }
  }
}

void CheckForbidden(const PlanInput& input,
                    const absl::flat_hash_map<std::string_view, int>& by_nip, Violations& out) {
  const Policy& p = input.policy;
  const int nd = static_cast<int>(input.destinations.size());
  for (size_t j = 0; j < p.forbidden.size(); ++j) {
    const ForbiddenMove& fm = p.forbidden[j];
    const std::string f = absl::StrCat("policy.forbidden[", j, "]");
    if (!by_nip.contains(fm.nip)) Add(out, f + ".nip", absl::StrCat("unknown NIP ", fm.nip));
    if (fm.destination < -1 || fm.destination >= nd) {
      Add(out, f + ".destination",
          absl::StrCat("destination index ", fm.destination, " out of range [-1, ", nd, ")"));
    }
  }
}

}  // namespace

std::vector<FieldViolation> ValidateInput(const PlanInput& input) {
  Violations out;
  CheckDestinations(input.destinations, out);
  const absl::flat_hash_map<std::string_view, int> by_nip = CheckCandidates(input, out);
  CheckPolicyNumbers(input.policy, out);
  CheckPinned(input, by_nip, out);
  CheckForbidden(input, by_nip, out);
  return out;
}

absl::Status ViolationsToStatus(const std::vector<FieldViolation>& violations) {
  if (violations.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrJoin(violations, "; ", [](std::string* s, const FieldViolation& v) {
        absl::StrAppend(s, v.field, ": ", v.description);
      }));
}

}  // namespace seimbang::planner
