// Hard rules (arc removal), soft costs (arc cost) and the convex staffing
// penalty of the planner; the transfer rulebook in code.
#ifndef SEIMBANG_SERVICES_TRANSFER_PLANNER_RULES_H_
#define SEIMBANG_SERVICES_TRANSFER_PLANNER_RULES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "services/transfer/planner/types.h"

namespace seimbang::planner {

// Rule names as reported in Move::rules_satisfied and UnfilledNeed::blocking_rule.
inline constexpr std::string_view kRuleMinTenure = "min_tenure";
inline constexpr std::string_view kRuleRetirement = "retirement";
inline constexpr std::string_view kRuleDisciplinary = "disciplinary";
inline constexpr std::string_view kRuleJudicial = "judicial";
// Cleared by the inspectorate (Peraturan BKN 5/2019).
inline constexpr std::string_view kRuleInspectorate = "inspectorate";
inline constexpr std::string_view kRulePerformance = "performance";
inline constexpr std::string_view kRuleStudyAssignment = "study_assignment";
inline constexpr std::string_view kRuleServiceBond = "service_bond";
inline constexpr std::string_view kRuleOnLeave = "on_leave";
inline constexpr std::string_view kRuleRankBand = "rank_band";
// PNS golongan and PPPK grades never satisfy each other's band.
inline constexpr std::string_view kRuleRankScale = "rank_scale";
// The functional level (jenjang) never changes: that is a promotion, not a mutasi.
inline constexpr std::string_view kRuleSameLevel = "same_level";
// Another position at the same level only when Policy::allow_position_change.
inline constexpr std::string_view kRulePositionChange = "position_change";
inline constexpr std::string_view kRuleEducation = "education";
inline constexpr std::string_view kRuleJobFamily = "job_family";
inline constexpr std::string_view kRuleSameAgency = "same_agency";
inline constexpr std::string_view kRuleForbidden = "forbidden";
inline constexpr std::string_view kRuleInactiveUnit = "inactive_unit";
// Only into a slot short of its need, never above it (Policy::allow_relief_moves).
inline constexpr std::string_view kRuleTargetNeed = "target_need";
inline constexpr std::string_view kRuleLeaveFraction = "leave_fraction";
inline constexpr std::string_view kRuleNeverBelowNeed = "never_below_need";

// (nip, destination) pairs forbidden by objections; destination -1 = any.
class ForbiddenSet {
 public:
  explicit ForbiddenSet(const std::vector<ForbiddenMove>& forbidden);
  [[nodiscard]] bool Forbids(const std::string& nip, int destination) const;

 private:
  absl::flat_hash_set<std::string> any_;
  absl::flat_hash_set<std::string> pairs_;  // nip + '#' + destination
};

// Rules about the person alone (tenure, retirement, flags), in rulebook order.
[[nodiscard]] std::vector<std::string_view> PersonBlockingRules(const Candidate& c,
                                                                const Policy& p);
// Rules about the person and this target (rank band and scale, level,
// education, family, agency, forbidden, inactive unit). Moving to one's own
// destination is not a move and returns nothing. The target's need
// (TargetShort) depends on the plan's pinned moves and is the caller's.
[[nodiscard]] std::vector<std::string_view> PairBlockingRules(const Candidate& c, int target,
                                                              const Destination& d, const Policy& p,
                                                              const ForbiddenSet& forbidden);
// Pair rules that compare plain numbers, as one check each (shared with the
// hot loops of TargetRules::ForEach and the diagnosis).
[[nodiscard]] inline bool RankScaleDiffers(const Candidate& c, const Destination& d,
                                           const Policy& p) {
  return p.require_rank_band && (d.min_rank > 0 || d.max_rank > 0) && c.rank_scale != d.rank_scale;
}
[[nodiscard]] inline bool RankOutOfBand(const Candidate& c, const Destination& d, const Policy& p) {
  return p.require_rank_band &&
         ((d.min_rank > 0 && c.rank < d.min_rank) || (d.max_rank > 0 && c.rank > d.max_rank));
}
[[nodiscard]] inline bool LevelChanges(const Candidate& c, const Destination& d) {
  return c.level != 0 && d.level != 0 && c.level != d.level;
}
[[nodiscard]] inline bool PositionChangeForbidden(const Candidate& c, const Destination& d,
                                                  const Policy& p) {
  return !p.allow_position_change && !c.position_code.empty() && c.position_code != d.position_code;
}
[[nodiscard]] inline bool BelowEducation(const Candidate& c, const Destination& d,
                                         const Policy& p) {
  return p.require_education && d.min_education > 0 && c.education < d.min_education;
}
// Whether a destination holding `staff` people (after pinned moves) may receive moves
// under the target-need rule.
[[nodiscard]] inline bool TargetShort(const Destination& d, int staff, const Policy& p) {
  return p.allow_relief_moves || staff < d.need;
}
[[nodiscard]] bool FamilyCompatible(const std::string& from_family, const std::string& to_family,
                                    const Policy& p);
// Person and pair rules both pass and target != current (the target's need apart).
[[nodiscard]] bool Eligible(const Candidate& c, int target, const std::vector<Destination>& dests,
                            const Policy& p, const ForbiddenSet& forbidden);
// The hard rules of the policy that are switched on (what a move satisfied).
[[nodiscard]] std::vector<std::string> EnabledRules(const Policy& p);

// Points -> exact integer units (× 100, rounded).
[[nodiscard]] int64_t Scale(double points);
[[nodiscard]] double Unscale(int64_t scaled);

[[nodiscard]] double HaversineKm(double lat1, double lon1, double lat2, double lon2);

// Cost of moving c to target, scaled; `breakdown` (optional) gets the parts in points.
[[nodiscard]] int64_t MoveCostScaled(const Candidate& c, const Destination& from,
                                     const Destination& to, const Weights& w,
                                     CostBreakdown* breakdown = nullptr);
// MoveCostScaled without its distance term (never negative, weights are >= 0):
// a lower bound of the cost that needs no trigonometry.
[[nodiscard]] int64_t MoveCostLowerBoundScaled(const Candidate& c, const Destination& to,
                                               const Weights& w);
// 1-based rank of unit among c's preferred units, 0 if absent.
[[nodiscard]] int PreferenceRank(const Candidate& c, int64_t unit_id);

// Convex penalty (scaled) of a destination holding `staff` people against `need`.
[[nodiscard]] int64_t PenaltyScaled(int staff, int need, const Weights& w);
// Parts of the penalty (scaled): under-need and over-need.
[[nodiscard]] int64_t UnderPenaltyScaled(int staff, int need, const Weights& w);
[[nodiscard]] int64_t OverPenaltyScaled(int staff, int need, const Weights& w);

// How many may leave a source at most, by the leave fraction and never-below-need.
[[nodiscard]] int LeaveFractionCap(const Destination& d, const Policy& p);
[[nodiscard]] int NeverBelowNeedCap(const Destination& d, const Policy& p);

}  // namespace seimbang::planner

#endif  // SEIMBANG_SERVICES_TRANSFER_PLANNER_RULES_H_
