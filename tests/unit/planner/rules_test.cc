// The transfer rulebook, one hard rule at a time: each test shows the move
// happens without the rule and not with it.
#include <string>

#include "gtest/gtest.h"
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

bool Moves(const PlanInput& in, int to = 1) {
  absl::StatusOr<PlanResult> r = Solve(in);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return false;
  for (const Move& m : r->moves) {
    if (m.nip == "198001012005011001" && m.to == to) return true;
  }
  return false;
}

TEST(TransferRules, BaseCaseMovesTheSurplusPersonToTheDeficit) { EXPECT_TRUE(Moves(Base())); }

TEST(TransferRules, MinimumTenureInPostIs24MonthsByDefault) {
  PlanInput in = Base();
  in.candidates[0].months_in_post = 23;
  EXPECT_FALSE(Moves(in));
  in.policy.min_months_in_post = 6;  // the 2025 BKN announcement as a setting
  EXPECT_TRUE(Moves(in));
}

TEST(TransferRules, NobodyMovesWithin12MonthsOfRetirement) {
  PlanInput in = Base();
  in.candidates[0].months_to_retirement = 12;
  EXPECT_FALSE(Moves(in));
  in.policy.exclude_within_months_of_retirement = 11;
  EXPECT_TRUE(Moves(in));
}

TEST(TransferRules, DisciplinaryProcessExcludes) {
  PlanInput in = Base();
  in.candidates[0].flags.disciplinary = true;
  EXPECT_FALSE(Moves(in));
  in.policy.exclude_disciplinary = false;
  EXPECT_TRUE(Moves(in));
}

TEST(TransferRules, StudyAssignmentExcludes) {
  PlanInput in = Base();
  in.candidates[0].flags.study_assignment = true;
  EXPECT_FALSE(Moves(in));
  in.policy.exclude_study_assignment = false;
  EXPECT_TRUE(Moves(in));
}

TEST(TransferRules, ServiceBondExcludes) {
  PlanInput in = Base();
  in.candidates[0].flags.service_bond = true;
  EXPECT_FALSE(Moves(in));
  in.policy.exclude_service_bond = false;
  EXPECT_TRUE(Moves(in));
}

TEST(TransferRules, LeaveExcludes) {
  PlanInput in = Base();
  in.candidates[0].flags.on_leave = true;
  EXPECT_FALSE(Moves(in));
  in.policy.exclude_on_leave = false;
  EXPECT_TRUE(Moves(in));
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

TEST(TransferRules, EducationMustMeetTheTargetMinimum) {
  PlanInput in = Base();
  in.destinations[1].min_education = 6;
  EXPECT_FALSE(Moves(in));
  in.policy.require_education = false;
  EXPECT_TRUE(Moves(in));
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
  EXPECT_FALSE(Moves(in));
  in.policy.same_agency_only = false;
  EXPECT_TRUE(Moves(in));
}

TEST(TransferRules, LeaveFractionIsFlooredSoFourStaffAtTwentyPercentLoseNobody) {
  PlanInput in = Base();
  in.destinations[0].staff_before = 4;
  EXPECT_FALSE(Moves(in));
  in.policy.max_leave_fraction = 0.25;
  EXPECT_TRUE(Moves(in));
}

TEST(TransferRules, NeverBelowNeedKeepsTheSourceAtItsNeed) {
  PlanInput in = Base();
  in.destinations[0].need = 5;  // no surplus at the source
  in.destinations[1].need = 3;  // a deep deficit makes the move worth it otherwise
  in.policy.max_leave_fraction = 1.0;
  EXPECT_FALSE(Moves(in));
  in.policy.never_below_need = false;
  EXPECT_TRUE(Moves(in));
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
  for (const char* name : {"min_tenure", "retirement", "rank_band", "job_family", "same_agency",
                           "leave_fraction", "never_below_need"}) {
    EXPECT_NE(std::find(rules.begin(), rules.end(), name), rules.end()) << name;
  }
}

}  // namespace
}  // namespace seimbang::planner
