#include "services/transfer/planner/rules.h"

#include <algorithm>
#include <climits>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace seimbang::planner {

ForbiddenSet::ForbiddenSet(const std::vector<ForbiddenMove>& forbidden) {
  for (const ForbiddenMove& f : forbidden) {
    if (f.destination < 0) {
      any_.insert(f.nip);
    } else {
      pairs_.insert(absl::StrCat(f.nip, "#", f.destination));
    }
  }
}

bool ForbiddenSet::Forbids(const std::string& nip, int destination) const {
  if (any_.contains(nip)) return true;
  return !pairs_.empty() && pairs_.contains(absl::StrCat(nip, "#", destination));
}

std::vector<std::string_view> PersonBlockingRules(const Candidate& c, const Policy& p) {
  std::vector<std::string_view> out;
  if (c.months_in_post < p.min_months_in_post) out.push_back(kRuleMinTenure);
  if (c.months_to_retirement <= p.exclude_within_months_of_retirement) {
    out.push_back(kRuleRetirement);
  }
  if (p.exclude_disciplinary && c.flags.disciplinary) out.push_back(kRuleDisciplinary);
  if (p.exclude_judicial && c.flags.judicial) out.push_back(kRuleJudicial);
  if (p.exclude_inspectorate_pending && c.flags.inspectorate_pending) {
    out.push_back(kRuleInspectorate);
  }
  if (p.exclude_poor_performance && c.flags.poor_performance) out.push_back(kRulePerformance);
  if (p.exclude_study_assignment && c.flags.study_assignment) {
    out.push_back(kRuleStudyAssignment);
  }
  if (p.exclude_service_bond && c.flags.service_bond) out.push_back(kRuleServiceBond);
  if (p.exclude_on_leave && c.flags.on_leave) out.push_back(kRuleOnLeave);
  return out;
}

bool FamilyCompatible(const std::string& from_family, const std::string& to_family,
                      const Policy& p) {
  if (!p.same_family_only || from_family == to_family) return true;
  auto it = p.family_compatibility.find(from_family);
  if (it == p.family_compatibility.end()) return false;
  return std::find(it->second.begin(), it->second.end(), to_family) != it->second.end();
}

std::vector<std::string_view> PairBlockingRules(const Candidate& c, int target,
                                                const Destination& d, const Policy& p,
                                                const ForbiddenSet& forbidden) {
  std::vector<std::string_view> out;
  if (target == c.current) return out;
  if (RankOutOfBand(c, d, p)) out.push_back(kRuleRankBand);
  if (RankScaleDiffers(c, d, p)) out.push_back(kRuleRankScale);
  if (LevelChanges(c, d)) out.push_back(kRuleSameLevel);
  if (PositionChangeForbidden(c, d, p)) out.push_back(kRulePositionChange);
  if (BelowEducation(c, d, p)) out.push_back(kRuleEducation);
  if (!FamilyCompatible(c.job_family, d.job_family, p)) out.push_back(kRuleJobFamily);
  if (p.same_agency_only && c.agency_code != d.agency_code) out.push_back(kRuleSameAgency);
  if (forbidden.Forbids(c.nip, target)) out.push_back(kRuleForbidden);
  if (!d.active) out.push_back(kRuleInactiveUnit);
  return out;
}

bool Eligible(const Candidate& c, int target, const std::vector<Destination>& dests,
              const Policy& p, const ForbiddenSet& forbidden) {
  if (target == c.current || target < 0 || target >= static_cast<int>(dests.size())) {
    return false;
  }
  return PersonBlockingRules(c, p).empty() &&
         PairBlockingRules(c, target, dests[target], p, forbidden).empty();
}

std::vector<std::string> EnabledRules(const Policy& p) {
  std::vector<std::string> out;
  auto add = [&out](std::string_view r) { out.emplace_back(r); };
  if (p.min_months_in_post > 0) add(kRuleMinTenure);
  if (p.exclude_within_months_of_retirement >= 0) add(kRuleRetirement);
  if (p.exclude_disciplinary) add(kRuleDisciplinary);
  if (p.exclude_judicial) add(kRuleJudicial);
  if (p.exclude_inspectorate_pending) add(kRuleInspectorate);
  if (p.exclude_poor_performance) add(kRulePerformance);
  if (p.exclude_study_assignment) add(kRuleStudyAssignment);
  if (p.exclude_service_bond) add(kRuleServiceBond);
  if (p.exclude_on_leave) add(kRuleOnLeave);
  if (p.require_rank_band) {
    add(kRuleRankBand);
    add(kRuleRankScale);
  }
  add(kRuleSameLevel);
  if (!p.allow_position_change) add(kRulePositionChange);
  if (p.require_education) add(kRuleEducation);
  if (p.same_family_only) add(kRuleJobFamily);
  if (p.same_agency_only) add(kRuleSameAgency);
  if (!p.forbidden.empty()) add(kRuleForbidden);
  add(kRuleInactiveUnit);
  if (!p.allow_relief_moves) add(kRuleTargetNeed);
  if (p.max_leave_fraction < 1.0) add(kRuleLeaveFraction);
  if (p.never_below_need) add(kRuleNeverBelowNeed);
  return out;
}

int64_t Scale(double points) { return std::llround(points * 100.0); }
double Unscale(int64_t scaled) { return static_cast<double>(scaled) / 100.0; }

double HaversineKm(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kEarthKm = 6371.0;
  constexpr double kRad = M_PI / 180.0;
  const double dlat = (lat2 - lat1) * kRad;
  const double dlon = (lon2 - lon1) * kRad;
  // Each sine once (the library call is not merged by the compiler: it may set errno);
  // the same products in the same order as the textbook formula.
  const double sin_dlat = std::sin(dlat / 2);
  const double sin_dlon = std::sin(dlon / 2);
  const double a =
      sin_dlat * sin_dlat + std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * sin_dlon * sin_dlon;
  return 2 * kEarthKm * std::asin(std::min(1.0, std::sqrt(a)));
}

int PreferenceRank(const Candidate& c, int64_t unit_id) {
  for (size_t i = 0; i < c.preferred_units.size(); ++i) {
    if (c.preferred_units[i] == unit_id) return static_cast<int>(i) + 1;
  }
  return 0;
}

namespace {

// Every part of a move's cost but the distance, scaled.
struct CostParts {
  int64_t base = 0;
  int64_t preference = 0;
  int64_t rotation = 0;
};

CostParts PartsBesidesDistance(const Candidate& c, const Destination& to, const Weights& w) {
  CostParts p;
  p.base = Scale(w.base_per_move);
  if (const int rank = PreferenceRank(c, to.unit_id); rank > 0) {
    // Halves with each rank (transfer.proto CostWeights.preferred_bonus).
    p.preference -= Scale(std::ldexp(w.preferred_bonus, -(rank - 1)));
  }
  if (std::find(c.avoided_units.begin(), c.avoided_units.end(), to.unit_id) !=
      c.avoided_units.end()) {
    p.preference += Scale(w.avoided_penalty);
  }
  p.rotation = c.months_in_post > w.rotation_months ? -Scale(w.rotation_bonus) : 0;
  return p;
}

}  // namespace

int64_t MoveCostScaled(const Candidate& c, const Destination& from, const Destination& to,
                       const Weights& w, CostBreakdown* breakdown) {
  const CostParts p = PartsBesidesDistance(c, to, w);
  int64_t distance = 0;
  // Distance from home when known, else from the current unit: the commute is what changes.
  const bool have_home = c.home_lat.has_value() && c.home_lon.has_value();
  const std::optional<double> olat = have_home ? c.home_lat : from.lat;
  const std::optional<double> olon = have_home ? c.home_lon : from.lon;
  if (olat && olon && to.lat && to.lon) {
    distance = Scale(w.per_km * HaversineKm(*olat, *olon, *to.lat, *to.lon));
  }
  const int64_t total = std::max<int64_t>(1, p.base + distance + p.preference + p.rotation);
  if (breakdown != nullptr) {
    breakdown->base = Unscale(p.base);
    breakdown->distance = Unscale(distance);
    breakdown->preference = Unscale(p.preference);
    breakdown->rotation = Unscale(p.rotation);
    breakdown->total = Unscale(total);
  }
  return total;
}

int64_t MoveCostLowerBoundScaled(const Candidate& c, const Destination& to, const Weights& w) {
  const CostParts p = PartsBesidesDistance(c, to, w);
  return std::max<int64_t>(1, p.base + p.preference + p.rotation);
}

int64_t UnderPenaltyScaled(int staff, int need, const Weights& w) {
  const int64_t k = std::max(0, need - staff);
  return Scale(w.under_base) * k * (k + 1) / 2;
}

int64_t OverPenaltyScaled(int staff, int need, const Weights& w) {
  const int64_t k = std::max(0, staff - need);
  return Scale(w.over_base) * k * (k + 1) / 2;
}

int64_t PenaltyScaled(int staff, int need, const Weights& w) {
  return UnderPenaltyScaled(staff, need, w) + OverPenaltyScaled(staff, need, w);
}

int LeaveFractionCap(const Destination& d, const Policy& p) {
  // The epsilon keeps 0.2 × 5 at 1 despite binary floating point.
  const int floored =
      std::max(0, static_cast<int>(std::floor(p.max_leave_fraction * d.staff_before + 1e-9)));
  // At least one may leave a source in surplus (transfer.proto HardRules.max_leave_fraction);
  // a fraction of 0 still lets nobody go.
  return d.staff_before > d.need && p.max_leave_fraction > 0 ? std::max(1, floored) : floored;
}

int NeverBelowNeedCap(const Destination& d, const Policy& p) {
  return p.never_below_need ? std::max(0, d.staff_before - d.need) : INT_MAX;
}

}  // namespace seimbang::planner
