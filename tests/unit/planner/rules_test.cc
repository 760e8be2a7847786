// The transfer rulebook, one hard rule at a time: each test shows the move
// happens without the rule and not with it.
#include "services/transfer/planner/rules.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "services/transfer/planner/explain.h"
#include "services/transfer/planner/planner.h"
#include "tests/unit/planner/test_instances.h"

namespace seimbang::planner {
namespace {

using testing::Cand;
using testing::Dest;

// Source 0 has 5 people for a need of 2; target 1 needs 1 and has nobody.
PlanInput Base() {
  PlanInput in;
  in.destinations = {Dest(1, "teknik", 5, 2), Dest(2, "teknik", 0, 1)};
  in.candidates = {Cand("198001012005011001", 0, "teknik")};
  in.policy.weights.per_km = 0;
  return in;
}

// The rule the diagnosis of the only unfilled destination names.
std::string BlockingRule(const PlanInput& in) {
  absl::StatusOr<PlanResult> r = Solve(in);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok() || r->unfilled.size() != 1) return "unfilled: " + std::to_string(r->unfilled.size());
  EXPECT_EQ(r->unfilled[0].reason, UnfilledReason::kBlockedByRule);
  return r->unfilled[0].blocking_rule;
}

// The pair rules that block the move of candidate 0 to destination 1.
std::vector<std::string_view> PairRules(const PlanInput& in) {
  const ForbiddenSet forbidden(in.policy.forbidden);
  return PairBlockingRules(in.candidates[0], 1, in.destinations[1], in.policy, forbidden);
}

bool Moves(const PlanInput& in, int to = 1) {
  absl::StatusOr<PlanResult> r = Solve(in);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return false;
  for (const Move& m : r->moves) {
    if (m.nip == "198001012005011001" && m.to == to) return true;
  }
  return false;
}

// `in` keeps candidate 0 where they are (by `rule`, when one is named, as the diagnosis of the
// unfilled destination says) until the policy's `setting` is relaxed to `relaxed`.
template <typename T>
void ExpectBlockedUntil(PlanInput in, T Policy::*setting, T relaxed, std::string_view rule = "") {
  EXPECT_FALSE(Moves(in));
  if (!rule.empty()) EXPECT_EQ(BlockingRule(in), rule);
  in.policy.*setting = relaxed;
  EXPECT_TRUE(Moves(in));
}

// Base() with candidate 0 flagged by `flag`.
PlanInput Flagged(bool CandidateFlags::*flag) {
  PlanInput in = Base();
  in.candidates[0].flags.*flag = true;
  return in;
}

// `in` keeps candidate 0 out of destination 1 by the pair rule `rule` alone, and the diagnosis
// of the unfilled destination names it.
void ExpectBlockedByPairRule(const PlanInput& in, std::string_view rule) {
  SCOPED_TRACE(rule);
  EXPECT_FALSE(Moves(in));
  EXPECT_EQ(PairRules(in), std::vector<std::string_view>{rule});
  EXPECT_EQ(BlockingRule(in), rule);
}

TEST(TransferRules, BaseCaseMovesTheSurplusPersonToTheDeficit) { EXPECT_TRUE(Moves(Base())); }

TEST(TransferRules, MinimumTenureInPostIs24MonthsByDefault) {
  PlanInput in = Base();
  in.candidates[0].months_in_post = 23;
  // 6 months: the 2025 BKN announcement as a setting
  ExpectBlockedUntil(in, &Policy::min_months_in_post, 6);
}

TEST(TransferRules, NobodyMovesWithin12MonthsOfRetirement) {
  PlanInput in = Base();
  in.candidates[0].months_to_retirement = 12;
  ExpectBlockedUntil(in, &Policy::exclude_within_months_of_retirement, 11);
}

TEST(TransferRules, DisciplinaryProcessExcludes) {
  ExpectBlockedUntil(Flagged(&CandidateFlags::disciplinary), &Policy::exclude_disciplinary, false);
}

// Peraturan BKN 5/2019: a judicial process is its own rule, not the disciplinary one.
TEST(TransferRules, JudicialProcessExcludesOnItsOwn) {
  PlanInput in = Flagged(&CandidateFlags::judicial);
  in.policy.exclude_disciplinary = false;
  ExpectBlockedUntil(in, &Policy::exclude_judicial, false, "judicial");
}

// Peraturan BKN 5/2019: the transfer file includes the inspectorate's clearance; an employee
// not cleared is left out by that rule alone (every other rule is met in Base()).
TEST(TransferRules, InspectorateClearanceExcludesOnItsOwn) {
  ExpectBlockedUntil(Flagged(&CandidateFlags::inspectorate_pending),
                     &Policy::exclude_inspectorate_pending, false, "inspectorate");
}

// Peraturan BKN 5/2019: a rating below "baik" in either of the last two years.
TEST(TransferRules, PoorPerformanceExcludes) {
  ExpectBlockedUntil(Flagged(&CandidateFlags::poor_performance), &Policy::exclude_poor_performance,
                     false, "performance");
}

TEST(TransferRules, StudyAssignmentExcludes) {
  ExpectBlockedUntil(Flagged(&CandidateFlags::study_assignment), &Policy::exclude_study_assignment,
                     false);
}

TEST(TransferRules, ServiceBondExcludes) {
  ExpectBlockedUntil(Flagged(&CandidateFlags::service_bond), &Policy::exclude_service_bond, false);
}

TEST(TransferRules, LeaveExcludes) {
  ExpectBlockedUntil(Flagged(&CandidateFlags::on_leave), &Policy::exclude_on_leave, false);
}

TEST(TransferRules, RankMustFitTheTargetBand) {
  PlanInput in = Base();
  in.destinations[1].min_rank = 10;  // III/b and up; the candidate is III/a (9)
  EXPECT_FALSE(Moves(in));
  in.destinations[1].min_rank = 0;
  in.destinations[1].max_rank = 8;
  EXPECT_FALSE(Moves(in));
  in.policy.require_rank_band = false;
  EXPECT_TRUE(Moves(in));
}

// A PPPK grade IX is inside the ordinals of a III/a-III/b band (9-10) but not on its scale.
TEST(TransferRules, PppkGradesNeverSatisfyAGolonganBand) {
  PlanInput in = Base();
  in.candidates[0].rank_scale = RankScale::kPppk;  // grade IX
  in.destinations[1].min_rank = 9;
  in.destinations[1].max_rank = 10;
  ExpectBlockedByPairRule(in, "rank_scale");
  in.destinations[1].rank_scale = RankScale::kPppk;  // a band of grades IX-X
  EXPECT_TRUE(Moves(in));
  in.candidates[0].rank_scale = RankScale::kPns;  // and the reverse
  EXPECT_FALSE(Moves(in));
  in.destinations[1].min_rank = in.destinations[1].max_rank = 0;  // no band: any scale
  EXPECT_TRUE(Moves(in));
}

// A transfer is horizontal: mahir to penyelia is a promotion, not a mutasi.
TEST(TransferRules, TheLevelNeverChanges) {
  PlanInput in = Base();
  in.candidates[0].level = 8;    // mahir
  in.destinations[1].level = 9;  // penyelia
  ExpectBlockedByPairRule(in, "same_level");
  in.destinations[1].level = 8;
  EXPECT_TRUE(Moves(in));
}

// Another position at the same level (perpindahan jabatan) is a distinct kind of move:
// allowed by default, named in the explanation, forbidden by the policy setting.
TEST(TransferRules, APositionChangeAtTheSameLevelIsAllowedUnlessThePolicyForbidsIt) {
  PlanInput in = Base();
  in.candidates[0].position_code = "JF-teknik";
  in.destinations[1].position_code = "JF-teknik-jalan";
  absl::StatusOr<PlanResult> r = Solve(in);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->moves.size(), 1u);
  const MoveExplanation e = ExplainMove(in, *r, r->moves[0]);
  EXPECT_TRUE(e.position_change);
  EXPECT_NE(e.sentence.find("sebagai perpindahan jabatan pada jenjang yang sama"),
            std::string::npos)
      << e.sentence;
  in.policy.allow_position_change = false;
  ExpectBlockedByPairRule(in, "position_change");
  in.destinations[1].position_code = "JF-teknik";  // the same position elsewhere
  EXPECT_TRUE(Moves(in));
}

TEST(TransferRules, InactiveUnitsAreNeverTargets) {
  PlanInput in = Base();
  in.destinations[1].active = false;
  ExpectBlockedByPairRule(in, "inactive_unit");
  in.destinations[1].active = true;
  EXPECT_TRUE(Moves(in));
}

// Peraturan BKN 5/2019: the target's ABK shows the need. A steep over-need penalty makes
// relieving the source pay even into a slot at need; the rule forbids it unless the
// policy allows relief moves.
TEST(TransferRules, MovesGoOnlyIntoSlotsShortOfNeed) {
  PlanInput in = Base();
  in.destinations[1].staff_before = 1;  // at its need of 1
  in.policy.weights.over_base = 300;    // 5 staff for 2: each leaver saves 900, 600, ...
  EXPECT_FALSE(Moves(in));
  EXPECT_TRUE(PairRules(in).empty());  // no pair rule: only the target's need
  in.policy.allow_relief_moves = true;
  EXPECT_TRUE(Moves(in));
}

TEST(TransferRules, MovesNeverTakeATargetAboveItsNeed) {
  PlanInput in = Base();
  in.candidates.push_back(Cand("198001012005011002", 0, "teknik"));
  in.policy.max_leave_fraction = 1.0;
  in.policy.weights.over_base = 300;  // relieving the source pays for a second move too
  absl::StatusOr<PlanResult> r = Solve(in);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->moves_count, 1);
  EXPECT_EQ(r->staff_after[1], 1);
  in.policy.allow_relief_moves = true;
  r = Solve(in);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->staff_after[1], 2);
}

TEST(TransferRules, EducationMustMeetTheTargetMinimum) {
  PlanInput in = Base();
  in.destinations[1].min_education = 6;
  ExpectBlockedUntil(in, &Policy::require_education, false);
}

TEST(TransferRules, SameJobFamilyUnlessTheCompatibilityTableAllowsIt) {
  PlanInput in = Base();
  in.destinations[0].job_family = "kesehatan";
  in.candidates[0].job_family = "kesehatan";
  EXPECT_FALSE(Moves(in));
  in.policy.family_compatibility = {{"kesehatan", {"teknik"}}};
  EXPECT_TRUE(Moves(in));
  in.policy.family_compatibility.clear();
  in.policy.same_family_only = false;
  EXPECT_TRUE(Moves(in));
}

TEST(TransferRules, SameAgencyOnlyByDefault) {
  PlanInput in = Base();
  in.destinations[1].agency_code = "7372";
  ExpectBlockedUntil(in, &Policy::same_agency_only, false);
}

// transfer.proto: floor(fraction × staff), at least 1 when the source is in surplus.
TEST(TransferRules, LeaveCapIsFlooredButASourceInSurplusReleasesOne) {
  PlanInput in = Base();
  in.destinations[0].staff_before = 4;  // need 2: 0.2 × 4 = 0.8 floors to 0, raised to 1
  EXPECT_TRUE(Moves(in));
  in.destinations[0].need = 4;  // no surplus: the floor alone, nobody
  in.destinations[1].need = 3;  // a deep deficit makes the move worth it otherwise
  in.policy.never_below_need = false;
  ExpectBlockedUntil(in, &Policy::max_leave_fraction, 0.25, "leave_fraction");
}

TEST(TransferRules, LeaveCapSmallCases) {
  Policy p;  // fraction 0.2
  EXPECT_EQ(LeaveFractionCap(Dest(1, "teknik", 4, 2), p), 1);
  EXPECT_EQ(LeaveFractionCap(Dest(1, "teknik", 4, 4), p), 0);
  EXPECT_EQ(LeaveFractionCap(Dest(1, "teknik", 5, 5), p), 1);
  EXPECT_EQ(LeaveFractionCap(Dest(1, "teknik", 10, 2), p), 2);
  p.max_leave_fraction = 0;  // nobody leaves, surplus or not
  EXPECT_EQ(LeaveFractionCap(Dest(1, "teknik", 4, 2), p), 0);
}

// transfer.proto: the preference bonus halves with each rank.
TEST(TransferRules, PreferenceBonusHalvesWithEachRank) {
  const Destination from = Dest(1, "teknik", 5, 2);
  const Destination to = Dest(2, "teknik", 0, 1);
  Weights w;
  w.per_km = 0;
  w.preferred_bonus = 40;
  Candidate c = Cand("198001012005011001", 0, "teknik");
  const std::pair<std::vector<int64_t>, double> cases[] = {
      {{2}, -40}, {{7, 2}, -20}, {{7, 8, 2}, -10}, {{7, 8, 9, 2}, -5}, {{7}, 0}};
  for (const auto& [preferred, bonus] : cases) {
    c.preferred_units = preferred;
    CostBreakdown b;
    (void)MoveCostScaled(c, from, to, w, &b);
    EXPECT_DOUBLE_EQ(b.preference, bonus) << preferred.size();
  }
}

TEST(TransferRules, NeverBelowNeedKeepsTheSourceAtItsNeed) {
  PlanInput in = Base();
  in.destinations[0].need = 5;  // no surplus at the source
  in.destinations[1].need = 3;  // a deep deficit makes the move worth it otherwise
  in.policy.max_leave_fraction = 1.0;
  ExpectBlockedUntil(in, &Policy::never_below_need, false);
}

TEST(TransferRules, PinnedMoveHappensEvenWhenTheOptimiserWouldNotChooseIt) {
  PlanInput in = Base();
  in.destinations.push_back(Dest(3, "teknik", 1, 1));  // balanced: no reason to go there
  EXPECT_FALSE(Moves(in, 2));
  in.policy.pinned = {{"198001012005011001", 2}};
  EXPECT_TRUE(Moves(in, 2));
  absl::StatusOr<PlanResult> r = Solve(in);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->moves.size(), 1u);
  EXPECT_TRUE(r->moves[0].pinned);
}

TEST(TransferRules, ForbiddenMoveToOneDestinationOrToAny) {
  PlanInput in = Base();
  in.policy.forbidden = {{"198001012005011001", 1}};
  EXPECT_FALSE(Moves(in));
  in.policy.forbidden = {{"198001012005011001", -1}};
  EXPECT_FALSE(Moves(in));
  in.policy.forbidden.clear();
  EXPECT_TRUE(Moves(in));
}

TEST(TransferRules, MovesListTheRulesTheySatisfied) {
  absl::StatusOr<PlanResult> r = Solve(Base());
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->moves.size(), 1u);
  const std::vector<std::string>& rules = r->moves[0].rules_satisfied;
  for (const char* name :
       {"min_tenure", "retirement", "disciplinary", "judicial", "inspectorate", "performance",
        "rank_band", "rank_scale", "same_level", "job_family", "same_agency", "inactive_unit",
        "target_need", "leave_fraction", "never_below_need"}) {
    EXPECT_NE(std::find(rules.begin(), rules.end(), name), rules.end()) << name;
  }
}

}  // namespace
}  // namespace seimbang::planner
