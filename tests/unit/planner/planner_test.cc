// Plan shape: convex penalties spread people, the budget keeps the most
// valuable moves, tie-breaks, explanations, validation and unfilled reasons.
#include "services/transfer/planner/planner.h"

#include <cmath>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "services/transfer/planner/explain.h"
#include "tests/unit/planner/test_instances.h"

namespace seimbang::planner {
namespace {

using testing::Cand;
using testing::Dest;
using testing::OpenPolicy;

TEST(PlannerPenalties, TwoDeficitsOfTwoWithTwoMoversGetOneEach) {
  PlanInput in;
  in.destinations = {Dest(1, "teknik", 4, 2), Dest(2, "teknik", 0, 2), Dest(3, "teknik", 0, 2)};
  in.candidates = {Cand("198001012005011001", 0, "teknik"),
                   Cand("198001012005011002", 0, "teknik")};
  in.policy = OpenPolicy();
  absl::StatusOr<PlanResult> r = Solve(in);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->moves_count, 2);
  EXPECT_EQ(r->staff_after, (std::vector<int>{2, 1, 1}));
  // Two deficits of 1 cost 200 + 200; one of 2 and one of 0 would cost 200 + 400 = 600.
  EXPECT_DOUBLE_EQ(r->penalty_under, 400);
  EXPECT_DOUBLE_EQ(r->move_cost, 200);
}

TEST(PlannerPenalties, OverNeedIsPenalisedConvexly) {
  PlanInput in;
  in.policy = OpenPolicy();
  in.destinations = {Dest(1, "teknik", 5, 2)};
  absl::StatusOr<PlanResult> r = Solve(in);
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r->penalty_over, 20 * (1 + 2 + 3));
}

PlanInput ThreeFamilies() {
  PlanInput in;
  in.policy = OpenPolicy();
  in.destinations = {Dest(1, "a", 3, 2), Dest(2, "b", 3, 2), Dest(3, "c", 3, 2),
                     Dest(4, "a", 0, 3), Dest(5, "b", 0, 1), Dest(6, "c", 0, 2)};
  in.candidates = {Cand("198001012005011001", 0, "a"), Cand("198001012005011002", 1, "b"),
                   Cand("198001012005011003", 2, "c")};
  return in;
}

TEST(PlannerBudget, WithoutBudgetEveryUsefulMoveHappens) {
  absl::StatusOr<PlanResult> r = Solve(ThreeFamilies());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->moves_count, 3);
  EXPECT_FALSE(r->budget_lambda.has_value());
}

TEST(PlannerBudget, BudgetOfOneKeepsTheMostValuableMove) {
  PlanInput in = ThreeFamilies();
  in.policy.move_budget = 1;
  absl::StatusOr<PlanResult> r = Solve(in);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->moves_count, 1);
  EXPECT_EQ(r->moves[0].to, 3);  // the deficit of 3 relieves 3 × 200 points
  ASSERT_TRUE(r->budget_lambda.has_value());
  EXPECT_GT(*r->budget_lambda, 0);
  bool budget_reason = false;
  for (const UnfilledNeed& u : r->unfilled) {
    if (u.destination == 4) budget_reason = u.reason == UnfilledReason::kBudgetExhausted;
  }
  EXPECT_TRUE(budget_reason);
}

TEST(PlannerBudget, BudgetOfTwoKeepsTheTwoMostValuable) {
  PlanInput in = ThreeFamilies();
  in.policy.move_budget = 2;
  absl::StatusOr<PlanResult> r = Solve(in);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->moves_count, 2);
  EXPECT_EQ(r->moves[0].to, 3);
  EXPECT_EQ(r->moves[1].to, 5);
}

// The plan of `in` without a budget, then with `budget`.
std::pair<PlanResult, PlanResult> FreeThenBudgeted(PlanInput in, int budget) {
  absl::StatusOr<PlanResult> free = Solve(in);
  EXPECT_TRUE(free.ok()) << free.status();
  in.policy.move_budget = budget;
  absl::StatusOr<PlanResult> r = Solve(in);
  EXPECT_TRUE(r.ok()) << r.status();
  return {free.value_or(PlanResult()), r.value_or(PlanResult())};
}

// Two identical pairs (a source one over need, a target one short), budget 1:
// at the price per move where the budget binds, no move, one and two moves
// cost the same; the plan makes the one move the budget allows.
TEST(PlannerBudget, IdenticalPairsWithBudgetOneMakeOneMove) {
  PlanInput in;
  in.policy = OpenPolicy();
  in.destinations = {Dest(1, "teknik", 2, 1), Dest(2, "teknik", 0, 1), Dest(3, "teknik", 2, 1),
                     Dest(4, "teknik", 0, 1)};
  in.candidates = {Cand("198001012005011001", 0, "teknik"),
                   Cand("198001012005011002", 2, "teknik")};
  const auto [free, r] = FreeThenBudgeted(in, 1);
  ASSERT_EQ(free.moves_count, 2);
  ASSERT_EQ(r.moves_count, 1);
  // Each move relieves 200 (a missing person) + 20 (one over need) for 100.
  EXPECT_DOUBLE_EQ(r.objective, free.objective + 120);
  ASSERT_TRUE(r.budget_lambda.has_value());
  EXPECT_DOUBLE_EQ(*r.budget_lambda, 120);
  EXPECT_TRUE(r.proven_optimal);
  EXPECT_DOUBLE_EQ(*r.optimality_gap, 0);
  EXPECT_DOUBLE_EQ(*r.objective_lower_bound, r.objective);
}

// A chain A -> B -> C whose direct move A -> C is forbidden gains only with
// both moves (B short by 1, C short by 3), and an independent move D -> E
// (another family, into an avoided unit) gains 270. Budget 2: the chain (420)
// beats D -> E with either half of the chain (390, 370), although per move the
// single move pays more, so no price per move reaches the chain.
TEST(PlannerBudget, ChainOfTwoMovesBeatsTheBestSingleMoveUnderBudgetTwo) {
  PlanInput in;
  in.policy = OpenPolicy();
  in.destinations = {Dest(1, "teknik", 2, 1), Dest(2, "teknik", 1, 2), Dest(3, "teknik", 0, 3),
                     Dest(4, "gizi", 2, 1), Dest(5, "gizi", 0, 2)};
  in.candidates = {Cand("198001012005011001", 0, "teknik"), Cand("198001012005011002", 1, "teknik"),
                   Cand("198001012005011003", 3, "gizi")};
  in.candidates[2].avoided_units = {5};
  in.policy.forbidden = {{"198001012005011001", 2}};
  const auto [free, r] = FreeThenBudgeted(in, 2);
  ASSERT_EQ(free.moves_count, 3);
  ASSERT_EQ(r.moves_count, 2);
  EXPECT_EQ(r.moves[0].nip, "198001012005011001");
  EXPECT_EQ(r.moves[0].to, 1);
  EXPECT_EQ(r.moves[1].nip, "198001012005011002");
  EXPECT_EQ(r.moves[1].to, 2);
  EXPECT_DOUBLE_EQ(r.objective, free.objective + 270);  // without D -> E
  EXPECT_TRUE(r.proven_optimal);
  EXPECT_DOUBLE_EQ(*r.optimality_gap, 0);
  EXPECT_GT(r.stats.budget_nodes, 1);  // the price alone left a gap: it branched
}

TEST(PlannerBudget, WithoutBudgetThePlanIsProvenOptimal) {
  absl::StatusOr<PlanResult> r = Solve(ThreeFamilies());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->proven_optimal);
  ASSERT_TRUE(r->objective_lower_bound.has_value());
  EXPECT_DOUBLE_EQ(*r->objective_lower_bound, r->objective);
  EXPECT_EQ(r->stats.budget_nodes, 0);
}

PlanInput OneOfThreeMustMove() {
  PlanInput in;
  in.policy = OpenPolicy();
  in.destinations = {Dest(1, "teknik", 3, 2), Dest(2, "teknik", 0, 1)};
  in.candidates = {Cand("198001012005011003", 0, "teknik", 30),
                   Cand("198001012005011002", 0, "teknik", 50),
                   Cand("198001012005011001", 0, "teknik", 40)};
  return in;
}

TEST(PlannerTieBreak, LongestInPostMovesFirstWithinAClass) {
  absl::StatusOr<PlanResult> r = Solve(OneOfThreeMustMove());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stats.classes, 1);
  ASSERT_EQ(r->moves_count, 1);
  EXPECT_EQ(r->moves[0].nip, "198001012005011002");
}

TEST(PlannerTieBreak, ThenTheSmallestNip) {
  PlanInput in = OneOfThreeMustMove();
  for (Candidate& c : in.candidates) c.months_in_post = 30;
  absl::StatusOr<PlanResult> r = Solve(in);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->moves_count, 1);
  EXPECT_EQ(r->moves[0].nip, "198001012005011001");
}

TEST(PlannerTieBreak, ThenWhoPrefersTheTarget) {
  PlanInput in = OneOfThreeMustMove();
  in.policy.weights.preferred_bonus = 0;  // preference breaks the tie, not the cost
  for (Candidate& c : in.candidates) c.months_in_post = 30;
  in.candidates[0].preferred_units = {2};
  absl::StatusOr<PlanResult> r = Solve(in);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->moves_count, 1);
  EXPECT_EQ(r->moves[0].nip, "198001012005011003");
  EXPECT_EQ(r->moves[0].preference_rank, 1);
}

PlanInput Letter() {
  PlanInput in;
  in.policy = OpenPolicy();
  in.destinations = {Dest(1, "teknik", 3, 1), Dest(2, "teknik", 0, 1), Dest(3, "teknik", 0, 1)};
  in.destinations[0].display_name = "Dinas A";
  in.destinations[1].display_name = "Dinas B";
  in.destinations[1].ej_before = 1.42;
  in.destinations[2].display_name = "Dinas C";
  in.candidates = {Cand("198001012005011001", 0, "teknik")};
  in.candidates[0].display_name = "Andi";
  in.candidates[0].avoided_units = {3};  // C costs 100 + 120
  in.policy.weights.avoided_penalty = 120;
  return in;
}

TEST(PlannerExplanation, BestAlternativeIsTheCheaperOtherDeficitAndItsExtraCost) {
  const PlanInput in = Letter();
  absl::StatusOr<PlanResult> r = Solve(in);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->moves_count, 1);
  const Move& m = r->moves[0];
  EXPECT_EQ(m.to, 1);
  EXPECT_EQ(m.best_alternative, 2);
  EXPECT_DOUBLE_EQ(m.best_alternative_extra_cost, 120);
  EXPECT_DOUBLE_EQ(m.cost.base, 100);
  EXPECT_DOUBLE_EQ(m.cost.total, 100);
  const MoveExplanation e = ExplainMove(in, *r, m);
  EXPECT_EQ(e.sentence,
            "Sdr. Andi dipindahkan dari Dinas A ke Dinas B untuk mengisi kekurangan 1 orang "
            "(EJ 1,42); unit asal kelebihan 2 orang. Alternatif terbaik: Dinas C dengan biaya "
            "120 lebih tinggi.");
}

TEST(PlannerExplanation, AlternativeCostIncludesTheStaffingPenalties) {
  PlanInput in = Letter();
  in.destinations[2].need = 2;  // C's deficit of 2 outweighs the avoided penalty
  absl::StatusOr<PlanResult> r = Solve(in);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->moves_count, 1);
  EXPECT_EQ(r->moves[0].to, 2);
  EXPECT_EQ(r->moves[0].best_alternative, 1);
  // Plan via C: 220 + 200 (C short 1) + 200 (B short 1); via B: 100 + 600 (C short 2).
  EXPECT_DOUBLE_EQ(r->moves[0].best_alternative_extra_cost, 80);
}

TEST(PlannerExplanation, IndonesianNumbersUseADecimalComma) {
  EXPECT_EQ(FormatIndonesian(1.42), "1,42");
  EXPECT_EQ(FormatIndonesian(120), "120");
  EXPECT_EQ(FormatIndonesian(0.5), "0,5");
}

PlanInput Valid() {
  PlanInput in;
  in.destinations = {Dest(1, "teknik", 5, 2), Dest(2, "teknik", 0, 1)};
  in.candidates = {Cand("198001012005011001", 0, "teknik"),
                   Cand("198001012005011002", 0, "teknik")};
  return in;
}

TEST(PlannerValidation, ValidInputHasNoViolations) { EXPECT_TRUE(ValidateInput(Valid()).empty()); }

TEST(PlannerValidation, CurrentDestinationOutOfRange) {
  PlanInput in = Valid();
  in.candidates[1].current = 5;
  absl::StatusOr<PlanResult> r = Solve(in);
  EXPECT_EQ(r.status(), absl::InvalidArgumentError(
                            "candidates[1].current: destination index 5 out of range [0, 2)"));
}

TEST(PlannerValidation, NegativeNeed) {
  PlanInput in = Valid();
  in.destinations[1].need = -1;
  EXPECT_EQ(Solve(in).status(),
            absl::InvalidArgumentError("destinations[1].need: must not be negative"));
}

// Found by the planner fuzzer: NaN and huge weights used to pass and overflow cost scaling.
TEST(PlannerValidation, WeightsMustBeFiniteAndBounded) {
  PlanInput in = Valid();
  in.policy.weights.under_base = std::nan("");
  in.policy.weights.per_km = 1e300;
  EXPECT_EQ(Solve(in).status(),
            absl::InvalidArgumentError("policy.weights.per_km: must be a number from 0 to 1e+06; "
                                       "policy.weights.under_base: must be a number from 0 to "
                                       "1e+06"));
}

TEST(PlannerValidation, LeaveFractionMustBeANumberWithinZeroAndOne) {
  PlanInput in = Valid();
  in.policy.max_leave_fraction = std::nan("");
  EXPECT_EQ(Solve(in).status(),
            absl::InvalidArgumentError("policy.max_leave_fraction: must be within [0, 1]"));
}

TEST(PlannerValidation, DuplicateNip) {
  PlanInput in = Valid();
  in.candidates[1].nip = in.candidates[0].nip;
  EXPECT_EQ(Solve(in).status(),
            absl::InvalidArgumentError("candidates[1].nip: duplicate NIP 198001012005011001"));
}

TEST(PlannerValidation, MoreCandidatesThanStaff) {
  PlanInput in = Valid();
  in.destinations[0].staff_before = 1;
  EXPECT_EQ(Solve(in).status(),
            absl::InvalidArgumentError(
                "destinations[0].staff_before: is 1 but 2 candidates are placed there"));
}

TEST(PlannerValidation, PinnedMoveToAnIneligibleDestination) {
  PlanInput in = Valid();
  in.candidates[0].months_in_post = 3;
  in.destinations[1].min_education = 9;
  in.policy.pinned = {{"198001012005011001", 1}};
  EXPECT_EQ(Solve(in).status(),
            absl::InvalidArgumentError(
                "policy.pinned[0].destination: ineligible: min_tenure, education"));
}

TEST(PlannerValidation, PinnedAndForbiddenNipsMustBeKnown) {
  PlanInput in = Valid();
  in.policy.pinned = {{"199901012020011001", 1}};
  in.policy.forbidden = {{"199901012020011002", 7}};
  const std::vector<FieldViolation> v = ValidateInput(in);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].field, "policy.pinned[0].nip");
  EXPECT_EQ(v[0].description, "unknown NIP 199901012020011001");
  EXPECT_EQ(v[1].description, "unknown NIP 199901012020011002");
  EXPECT_EQ(v[2].description, "destination index 7 out of range [-1, 2)");
}

UnfilledNeed OnlyUnfilled(const PlanInput& in) {
  absl::StatusOr<PlanResult> r = Solve(in);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r->unfilled.size(), 1u);
  return r->unfilled.empty() ? UnfilledNeed{} : r->unfilled[0];
}

TEST(PlannerUnfilled, NobodyOfTheFamilyAnywhere) {
  PlanInput in = Valid();
  in.destinations[1].job_family = "kesehatan";
  const UnfilledNeed u = OnlyUnfilled(in);
  EXPECT_EQ(u.destination, 1);
  EXPECT_EQ(u.missing, 1);
  EXPECT_EQ(u.reason, UnfilledReason::kNoEligibleCandidateInFamily);
}

TEST(PlannerUnfilled, BlockedByTheRuleThatRemovedMostArcs) {
  PlanInput in = Valid();
  in.candidates[0].months_in_post = 3;
  in.candidates[1].months_in_post = 3;
  in.candidates[1].flags.disciplinary = true;
  const UnfilledNeed u = OnlyUnfilled(in);
  EXPECT_EQ(u.reason, UnfilledReason::kBlockedByRule);
  EXPECT_EQ(u.blocking_rule, "min_tenure");
}

TEST(PlannerUnfilled, CheaperToLeaveWhenThePenaltyIsBelowAnyMoveCost) {
  PlanInput in = Valid();
  in.policy.weights.under_base = 50;  // below the 100 a move costs
  in.policy.weights.over_base = 0;    // and the source gains nothing from losing someone
  const UnfilledNeed u = OnlyUnfilled(in);
  EXPECT_EQ(u.reason, UnfilledReason::kCheaperToLeave);
}

TEST(PlannerUnfilled, SupplyExhaustedWhenTheSourceCapIsReached) {
  PlanInput in = Valid();
  in.destinations[1].need = 2;  // 20% of 5 lets only one leave
  const UnfilledNeed u = OnlyUnfilled(in);
  EXPECT_EQ(u.missing, 1);
  EXPECT_EQ(u.reason, UnfilledReason::kSupplyExhausted);
}

TEST(PlannerBounds, LowerBoundOnMovesIsPerFamilyMinOfSurplusAndDeficit) {
  PlanInput in = Valid();
  in.destinations.push_back(Dest(3, "kesehatan", 0, 2));
  absl::StatusOr<PlanResult> r = Solve(in);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->moves_lower_bound, 1);  // teknik: min(3, 1); kesehatan: min(0, 2)
}

}  // namespace
}  // namespace seimbang::planner
