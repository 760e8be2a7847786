// Fuzzes the planner's input validation with small instances decoded from the
// bytes, then solves every instance that validation accepts: an accepted
// input must solve, and the plan must respect the rules it claims to.

#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/transfer/planner/planner.h"
#include "services/transfer/planner/rules.h"
#include "services/transfer/planner/types.h"
#include "services/transfer/planner/validate.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

namespace planner = seimbang::planner;

// Small pools make collisions (same unit, same NIP, same family) likely.
std::string Pick(FuzzedDataProvider& in, std::initializer_list<const char*> pool) {
  return *(pool.begin() + in.ConsumeIntegralInRange<size_t>(0, pool.size() - 1));
}

// Mostly ordinary weights, sometimes the values a protobuf double can carry
// that ordinary tests never try.
double ConsumeWeight(FuzzedDataProvider& in, double typical_max) {
  switch (in.ConsumeIntegralInRange<int>(0, 15)) {
    case 0:
      return 0.0;
    case 1:
      return -1.0;
    case 2:
      return std::numeric_limits<double>::quiet_NaN();
    case 3:
      return std::numeric_limits<double>::infinity();
    case 4:
      return 1e300;
    default:
      return in.ConsumeFloatingPointInRange<double>(0.0, typical_max);
  }
}

std::optional<double> ConsumeCoordinate(FuzzedDataProvider& in, double base) {
  if (!in.ConsumeBool()) return std::nullopt;
  return base + in.ConsumeFloatingPointInRange<double>(-0.5, 0.5);
}

// The bytes of a tag list the planner no longer has (issue 17 item 8: a bonus per matching
// tag that positions could never earn), read and dropped so the corpus keeps its meaning.
void SkipTags(FuzzedDataProvider& in) {
  const int tags = in.ConsumeIntegralInRange<int>(0, 2);
  for (int t = 0; t < tags; ++t) Pick(in, {"gis", "audit", "law"});
}

planner::PlanInput ConsumeInput(FuzzedDataProvider& in) {
  planner::PlanInput input;
  const int nd = in.ConsumeIntegralInRange<int>(1, 5);
  input.destinations.resize(nd);
  for (planner::Destination& d : input.destinations) {
    d.unit_id = in.ConsumeIntegralInRange<int64_t>(1, 4);
    d.position_code = Pick(in, {"ANL", "PRG"});
    d.agency_code = Pick(in, {"MKS", "GOW"});
    d.job_family = Pick(in, {"tech", "admin", ""});
    d.min_rank = in.ConsumeIntegralInRange<int>(0, 17);
    d.max_rank = in.ConsumeIntegralInRange<int>(0, 17);
    d.min_education = in.ConsumeIntegralInRange<int>(0, 4);
    d.need = in.ConsumeIntegralInRange<int>(-1, 8);
    d.ej_before = in.ConsumeFloatingPointInRange<double>(0.0, 2.0);
    d.lat = ConsumeCoordinate(in, -5.1);
    d.lon = ConsumeCoordinate(in, 119.4);
    SkipTags(in);
  }
  const int nc = in.ConsumeIntegralInRange<int>(0, 10);
  input.candidates.resize(nc);
  std::vector<int> at(nd, 0);
  for (planner::Candidate& c : input.candidates) {
    c.nip = Pick(in, {"N0", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9", "N10", ""});
    c.agency_code = Pick(in, {"MKS", "GOW"});
    c.current = in.ConsumeIntegralInRange<int>(-1, nd);
    if (c.current >= 0 && c.current < nd) ++at[c.current];
    c.job_family = Pick(in, {"tech", "admin", ""});
    c.rank = in.ConsumeIntegralInRange<int>(1, 17);
    c.education = in.ConsumeIntegralInRange<int>(0, 4);
    c.months_in_post = in.ConsumeIntegralInRange<int>(-1, 120);
    c.months_to_retirement = in.ConsumeIntegralInRange<int>(0, 400);
    c.flags.disciplinary = in.ConsumeIntegralInRange<int>(0, 7) == 0;
    c.flags.study_assignment = in.ConsumeIntegralInRange<int>(0, 7) == 0;
    c.flags.service_bond = in.ConsumeIntegralInRange<int>(0, 7) == 0;
    c.flags.on_leave = in.ConsumeIntegralInRange<int>(0, 7) == 0;
    SkipTags(in);
    c.home_lat = ConsumeCoordinate(in, -5.1);
    c.home_lon = ConsumeCoordinate(in, 119.4);
    c.preferred_units.resize(in.ConsumeIntegralInRange<int>(0, 2));
    for (int64_t& u : c.preferred_units) u = in.ConsumeIntegralInRange<int64_t>(1, 5);
    c.avoided_units.resize(in.ConsumeIntegralInRange<int>(0, 1));
    for (int64_t& u : c.avoided_units) u = in.ConsumeIntegralInRange<int64_t>(1, 5);
  }
  // Bezetting is mostly consistent with the candidates, so many inputs get
  // past validation and reach the solver.
  for (int d = 0; d < nd; ++d) {
    input.destinations[d].staff_before = at[d] + in.ConsumeIntegralInRange<int>(-1, 4);
  }

  planner::Policy& p = input.policy;
  p.min_months_in_post = in.ConsumeIntegralInRange<int>(0, 36);
  p.exclude_within_months_of_retirement = in.ConsumeIntegralInRange<int>(0, 24);
  p.exclude_disciplinary = in.ConsumeBool();
  p.exclude_study_assignment = in.ConsumeBool();
  p.exclude_service_bond = in.ConsumeBool();
  p.exclude_on_leave = in.ConsumeBool();
  p.require_rank_band = in.ConsumeBool();
  p.require_education = in.ConsumeBool();
  p.same_family_only = in.ConsumeBool();
  if (in.ConsumeBool()) p.family_compatibility["admin"] = {"tech"};
  p.same_agency_only = in.ConsumeBool();
  p.max_leave_fraction = in.ConsumeIntegralInRange<int>(0, 9) == 0
                             ? ConsumeWeight(in, 2.0)
                             : in.ConsumeFloatingPointInRange<double>(0.0, 1.0);
  p.never_below_need = in.ConsumeBool();
  if (in.ConsumeBool()) p.move_budget = in.ConsumeIntegralInRange<int>(-1, 6);
  p.pinned.resize(in.ConsumeIntegralInRange<int>(0, 2));
  for (planner::PinnedMove& m : p.pinned) {
    m.nip = Pick(in, {"N0", "N1", "N2", "N3", "X"});
    m.destination = in.ConsumeIntegralInRange<int>(-1, nd);
  }
  p.forbidden.resize(in.ConsumeIntegralInRange<int>(0, 2));
  for (planner::ForbiddenMove& m : p.forbidden) {
    m.nip = Pick(in, {"N0", "N1", "N2", "N3", "X"});
    m.destination = in.ConsumeIntegralInRange<int>(-2, nd);
  }
  planner::Weights& w = p.weights;
  w.base_per_move = ConsumeWeight(in, 500.0);
  w.per_km = ConsumeWeight(in, 10.0);
  ConsumeWeight(in, 50.0);  // the removed tag bonus, read so the corpus keeps its meaning
  w.preferred_bonus = ConsumeWeight(in, 100.0);
  w.avoided_penalty = ConsumeWeight(in, 100.0);
  w.rotation_bonus = ConsumeWeight(in, 50.0);
  w.rotation_months = in.ConsumeIntegralInRange<int>(0, 120);
  w.under_base = ConsumeWeight(in, 500.0);
  w.over_base = ConsumeWeight(in, 100.0);
  // The rules of issue 17, consumed last so older corpus entries keep their meaning above.
  for (planner::Destination& d : input.destinations) {
    d.active = in.ConsumeIntegralInRange<int>(0, 7) != 0;
    d.level = in.ConsumeIntegralInRange<int>(0, 2);
    d.rank_scale = in.ConsumeBool() ? planner::RankScale::kPns : planner::RankScale::kPppk;
  }
  for (planner::Candidate& c : input.candidates) {
    c.flags.judicial = in.ConsumeIntegralInRange<int>(0, 7) == 0;
    c.flags.poor_performance = in.ConsumeIntegralInRange<int>(0, 7) == 0;
    c.level = in.ConsumeIntegralInRange<int>(0, 2);
    c.rank_scale = in.ConsumeBool() ? planner::RankScale::kPns : planner::RankScale::kPppk;
  }
  p.exclude_judicial = in.ConsumeBool();
  p.exclude_poor_performance = in.ConsumeBool();
  p.allow_relief_moves = in.ConsumeBool();
  for (planner::Candidate& c : input.candidates) c.position_code = Pick(in, {"ANL", "PRG", ""});
  p.allow_position_change = in.ConsumeBool();
  return input;
}

void CheckPlan(const planner::PlanInput& input, const planner::PlanResult& plan) {
  const auto& dests = input.destinations;
  const auto& cands = input.candidates;
  const int nd = static_cast<int>(dests.size());
  SEIMBANG_FUZZ_CHECK(static_cast<int>(plan.staff_after.size()) == nd, "staff_after size %zu",
                      plan.staff_after.size());
  SEIMBANG_FUZZ_CHECK(plan.moves_count == static_cast<int>(plan.moves.size()),
                      "moves_count %d for %zu moves", plan.moves_count, plan.moves.size());
  if (input.policy.move_budget) {
    SEIMBANG_FUZZ_CHECK(plan.moves_count <= *input.policy.move_budget, "%d moves over budget %d",
                        plan.moves_count, *input.policy.move_budget);
  }
  std::vector<int> expected(nd);
  for (int d = 0; d < nd; ++d) expected[d] = dests[d].staff_before;
  const planner::ForbiddenSet forbidden(input.policy.forbidden);
  std::set<int> moved;
  for (const planner::Move& m : plan.moves) {
    SEIMBANG_FUZZ_CHECK(m.candidate >= 0 && m.candidate < static_cast<int>(cands.size()),
                        "move of candidate %d", m.candidate);
    const planner::Candidate& c = cands[m.candidate];
    SEIMBANG_FUZZ_CHECK(moved.insert(m.candidate).second, "%s moves twice", c.nip.c_str());
    SEIMBANG_FUZZ_CHECK(m.nip == c.nip && m.from == c.current, "move of %s from %d, at %d",
                        m.nip.c_str(), m.from, c.current);
    SEIMBANG_FUZZ_CHECK(m.to >= 0 && m.to < nd && m.to != m.from, "%s moves to %d", c.nip.c_str(),
                        m.to);
    SEIMBANG_FUZZ_CHECK(planner::Eligible(c, m.to, dests, input.policy, forbidden),
                        "%s moves to %d against a hard rule", c.nip.c_str(), m.to);
    --expected[m.from];
    ++expected[m.to];
  }
  for (const planner::PinnedMove& pm : input.policy.pinned) {
    bool found = false;
    for (const planner::Move& m : plan.moves) found |= m.nip == pm.nip && m.to == pm.destination;
    SEIMBANG_FUZZ_CHECK(found, "pinned move of %s to %d missing", pm.nip.c_str(), pm.destination);
  }
  // Target need: optimised moves go only into destinations short after the pinned moves and
  // never take them above need.
  std::vector<int> after_pins(nd), received(nd, 0);
  for (int d = 0; d < nd; ++d) after_pins[d] = dests[d].staff_before;
  for (const planner::Move& m : plan.moves) {
    if (m.pinned) {
      --after_pins[m.from];
      ++after_pins[m.to];
    } else {
      ++received[m.to];
    }
  }
  for (int d = 0; d < nd && !input.policy.allow_relief_moves; ++d) {
    SEIMBANG_FUZZ_CHECK(
        received[d] == 0 || (after_pins[d] < dests[d].need && plan.staff_after[d] <= dests[d].need),
        "destination %d receives %d moves at %d of need %d, ends at %d", d, received[d],
        after_pins[d], dests[d].need, plan.staff_after[d]);
  }
  for (int d = 0; d < nd; ++d) {
    SEIMBANG_FUZZ_CHECK(plan.staff_after[d] == expected[d], "staff_after[%d] = %d, moves say %d", d,
                        plan.staff_after[d], expected[d]);
    SEIMBANG_FUZZ_CHECK(plan.staff_after[d] >= 0, "staff_after[%d] = %d", d, plan.staff_after[d]);
  }
  const double sum = plan.move_cost + plan.penalty_under + plan.penalty_over;
  SEIMBANG_FUZZ_CHECK(std::fabs(plan.objective - sum) <= 1e-6 * (1 + std::fabs(sum)),
                      "objective %.17g is not the sum of its parts %.17g", plan.objective, sum);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const planner::PlanInput input = ConsumeInput(in);
  const bool aggregate = in.ConsumeBool();

  const std::vector<planner::FieldViolation> violations = planner::ValidateInput(input);
  const absl::Status status = planner::ViolationsToStatus(violations);
  SEIMBANG_FUZZ_CHECK(status.ok() == violations.empty(), "status and violations disagree");
  for (const planner::FieldViolation& v : violations) {
    SEIMBANG_FUZZ_CHECK(!v.field.empty() && !v.description.empty(), "blank violation");
  }

  // Costs are scaled to int64 for the exact flow; a NaN or infinite weight has
  // no such value, so validation must reject it.
  if (violations.empty()) {
    const planner::Weights& w = input.policy.weights;
    for (double v :
         {w.base_per_move, w.per_km, w.preferred_bonus, w.avoided_penalty, w.rotation_bonus,
          w.under_base, w.over_base, input.policy.max_leave_fraction}) {
      SEIMBANG_FUZZ_CHECK(std::isfinite(v), "validation accepted the weight %g", v);
    }
  }

  planner::SolveOptions options;
  options.threads = 1;
  options.aggregate = aggregate;
  absl::StatusOr<planner::PlanResult> plan = planner::Solve(input, options);
  if (!violations.empty()) {
    SEIMBANG_FUZZ_CHECK(!plan.ok() && plan.status().code() == absl::StatusCode::kInvalidArgument,
                        "Solve accepted input that validation rejects: %s",
                        std::string(status.message()).c_str());
    return 0;
  }
  SEIMBANG_FUZZ_CHECK(plan.ok(), "validated input does not solve: %s",
                      std::string(plan.status().message()).c_str());
  CheckPlan(input, *plan);

  // Aggregating interchangeable candidates is an optimisation, never a
  // different optimum (without a budget, whose search may break ties apart).
  if (!input.policy.move_budget) {
    options.aggregate = !aggregate;
    absl::StatusOr<planner::PlanResult> other = planner::Solve(input, options);
    SEIMBANG_FUZZ_CHECK(other.ok(), "solves only with aggregate=%d", aggregate);
    SEIMBANG_FUZZ_CHECK(other->objective_scaled == plan->objective_scaled,
                        "objective %lld with aggregate=%d, %lld without",
                        static_cast<long long>(plan->objective_scaled), aggregate,
                        static_cast<long long>(other->objective_scaled));
  }
  return 0;
}
