// Builders shared by the planner tests.
#ifndef SEIMBANG_TESTS_UNIT_PLANNER_TEST_INSTANCES_H_
#define SEIMBANG_TESTS_UNIT_PLANNER_TEST_INSTANCES_H_

#include <algorithm>
#include <random>
#include <string>

#include "services/transfer/planner/types.h"

namespace seimbang::planner::testing {

inline Destination Dest(int64_t unit, const std::string& family, int staff, int need,
                        const std::string& agency = "7371") {
  Destination d;
  d.unit_id = unit;
  d.position_code = "JF-" + family;
  d.agency_code = agency;
  d.job_family = family;
  d.staff_before = staff;
  d.need = need;
  d.display_name = "Unit " + std::to_string(unit);
  return d;
}

inline Candidate Cand(const std::string& nip, int current, const std::string& family,
                      int months_in_post = 36, const std::string& agency = "7371") {
  Candidate c;
  c.nip = nip;
  c.current = current;
  c.job_family = family;
  c.agency_code = agency;
  c.months_in_post = months_in_post;
  c.months_to_retirement = 120;
  c.rank = 9;
  c.education = 5;
  return c;
}

// Policy without caps or distance so that small cases are easy to reason about.
inline Policy OpenPolicy() {
  Policy p;
  p.max_leave_fraction = 1.0;
  p.never_below_need = false;
  p.weights.per_km = 0;
  return p;
}

// A random instance: every destination's staff are candidates plus 0..2 fixed people,
// its need within 4 of its staff; every hard rule blocks some pairs.
inline PlanInput RandomInstance(std::mt19937& rng, int num_dest, int num_cand,
                                int num_agencies = 1) {
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  PlanInput in;
  const char* families[] = {"teknik", "kesehatan"};
  for (int d = 0; d < num_dest; ++d) {
    Destination dest =
        Dest(100 + d, families[pick(0, 1)], 0, 0, "A" + std::to_string(d % num_agencies));
    dest.min_rank = pick(0, 1) ? 0 : 8;
    dest.level = pick(0, 5) ? 0 : pick(1, 2);
    dest.active = pick(0, 14) != 0;
    dest.min_education = pick(0, 3) ? 0 : 6;
    dest.lat = -5.1 - 0.01 * pick(0, 20);
    dest.lon = 119.4 + 0.01 * pick(0, 20);
    dest.staff_before = pick(0, 2);
    in.destinations.push_back(dest);
  }
  for (int i = 0; i < num_cand; ++i) {
    const int d = pick(0, num_dest - 1);
    const Destination& cur = in.destinations[d];
    Candidate c = Cand("1980010120050110" + std::to_string(10 + i), d,
                       pick(0, 4) ? cur.job_family : families[pick(0, 1)],
                       pick(0, 5) ? (pick(0, 1) ? 30 : 70) : 12, cur.agency_code);
    c.rank = pick(6, 12);
    c.education = pick(4, 7);
    c.rank_scale = pick(0, 7) ? RankScale::kPns : RankScale::kPppk;
    c.level = pick(0, 5) ? 0 : pick(1, 2);
    c.flags.disciplinary = pick(0, 9) == 0;
    c.flags.judicial = pick(0, 19) == 0;
    c.flags.poor_performance = pick(0, 14) == 0;
    if (pick(0, 1)) {
      c.home_lat = -5.1 - 0.01 * pick(0, 20);
      c.home_lon = 119.4 + 0.01 * pick(0, 20);
    }
    if (pick(0, 2) == 0) c.preferred_units = {100 + pick(0, num_dest - 1)};
    if (pick(0, 3) == 0) c.avoided_units = {100 + pick(0, num_dest - 1)};
    ++in.destinations[d].staff_before;
    in.candidates.push_back(c);
  }
  // Needs around the staff each destination ended up with: some short, some in surplus.
  for (Destination& dest : in.destinations)
    dest.need = std::max(0, dest.staff_before + pick(-4, 4));
  Policy& p = in.policy;
  p.allow_relief_moves = pick(0, 3) == 0;
  p.max_leave_fraction = pick(0, 1) ? 1.0 : 0.5;
  p.never_below_need = pick(0, 1);
  p.same_family_only = pick(0, 3) != 0;
  p.family_compatibility = {{"teknik", {"kesehatan"}}};
  p.weights.base_per_move = pick(1, 3) * 50;
  p.weights.per_km = pick(0, 5);
  p.weights.under_base = pick(1, 4) * 60;  // a shortage always costs something: moves happen
  p.weights.over_base = pick(0, 3) * 25;
  // Candidates hold their destination's position (JF-<family>): forbidding position changes
  // keeps compatible families apart.
  for (Candidate& c : in.candidates) c.position_code = in.destinations[c.current].position_code;
  p.allow_position_change = pick(0, 7) != 0;
  return in;
}

}  // namespace seimbang::planner::testing

#endif  // SEIMBANG_TESTS_UNIT_PLANNER_TEST_INSTANCES_H_
