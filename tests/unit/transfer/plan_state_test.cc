// The plan lifecycle as a specification.
#include "services/transfer/plan_state.h"

#include <gtest/gtest.h>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace seimbang::transfer {
namespace {

using v1::PlanState;

TEST(PlanState, DraftIsSubmittedThenApprovedThenExecutedThroughExecuting) {
  EXPECT_EQ(*NextState("p1", v1::PLAN_STATE_DRAFT, PlanAction::kSubmit), v1::PLAN_STATE_SUBMITTED);
  EXPECT_EQ(*NextState("p1", v1::PLAN_STATE_SUBMITTED, PlanAction::kApprove),
            v1::PLAN_STATE_APPROVED);
  EXPECT_EQ(*NextState("p1", v1::PLAN_STATE_APPROVED, PlanAction::kExecute),
            v1::PLAN_STATE_EXECUTING);
  EXPECT_EQ(*NextState("p1", v1::PLAN_STATE_EXECUTING, PlanAction::kFinish),
            v1::PLAN_STATE_EXECUTED);
}

// Issue 18 item 2: a saga that did not apply every move ends in its own state, final like
// EXECUTED: it cannot be executed, finished or cancelled again.
TEST(PlanState, ASagaWithMovesNotAppliedEndsExecutedWithFailures) {
  EXPECT_EQ(*NextState("p1", v1::PLAN_STATE_EXECUTING, PlanAction::kFinishWithFailures),
            v1::PLAN_STATE_EXECUTED_WITH_FAILURES);
  EXPECT_EQ(PlanStateName(v1::PLAN_STATE_EXECUTED_WITH_FAILURES), "EXECUTED_WITH_FAILURES");
  for (PlanAction a : {PlanAction::kExecute, PlanAction::kFinish, PlanAction::kCancel}) {
    auto s = NextState("p1", v1::PLAN_STATE_EXECUTED_WITH_FAILURES, a);
    EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition);
  }
}

TEST(PlanState, ExecuteResumesAnExecutingPlan) {
  EXPECT_EQ(*NextState("p1", v1::PLAN_STATE_EXECUTING, PlanAction::kExecute),
            v1::PLAN_STATE_EXECUTING);
}

TEST(PlanState, ApprovingAnApprovedPlanNamesBothStates) {
  auto s = NextState("p123", v1::PLAN_STATE_APPROVED, PlanAction::kApprove);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.status().message(), "plan p123 is APPROVED; only a SUBMITTED plan can be approved");
}

// `action` takes a plan in state `from` to `to`, and refuses one in state `refused` with `message`.
void ExpectAllowedThenRefused(PlanAction action, PlanState from, PlanState to, PlanState refused,
                              absl::string_view message) {
  EXPECT_EQ(*NextState("p1", from, action), to);
  EXPECT_EQ(NextState("p1", refused, action).status().message(), message);
}

TEST(PlanState, OnlySubmittedPlansAreRejected) {
  ExpectAllowedThenRefused(PlanAction::kReject, v1::PLAN_STATE_SUBMITTED, v1::PLAN_STATE_REJECTED,
                           v1::PLAN_STATE_DRAFT,
                           "plan p1 is DRAFT; only a SUBMITTED plan can be rejected");
}

TEST(PlanState, ExecutedOrExecutingPlansCannotBeCancelled) {
  ExpectAllowedThenRefused(
      PlanAction::kCancel, v1::PLAN_STATE_APPROVED, v1::PLAN_STATE_CANCELLED,
      v1::PLAN_STATE_EXECUTING,
      "plan p1 is EXECUTING; only a DRAFT, SUBMITTED or APPROVED plan can be cancelled");
}

TEST(PlanState, OnlyDraftOrSubmittedPlansAreRevised) {
  // A revised plan is cancelled.
  ExpectAllowedThenRefused(PlanAction::kRevise, v1::PLAN_STATE_SUBMITTED, v1::PLAN_STATE_CANCELLED,
                           v1::PLAN_STATE_APPROVED,
                           "plan p1 is APPROVED; only a DRAFT or SUBMITTED plan can be revised");
}

TEST(PlanState, ADraftCannotBeExecuted) {
  EXPECT_EQ(NextState("p9", v1::PLAN_STATE_DRAFT, PlanAction::kExecute).status().message(),
            "plan p9 is DRAFT; only an APPROVED or EXECUTING plan can be executed");
}

TEST(PlanState, StaleEtagIsAbortedAndMissingEtagIsInvalid) {
  EXPECT_TRUE(CheckEtag("p1", "3", "3").ok());
  EXPECT_EQ(CheckEtag("p1", "3", "2").code(), absl::StatusCode::kAborted);
  EXPECT_EQ(CheckEtag("p1", "3", "2").message(), "plan p1 has etag 3, not 2; reload it");
  EXPECT_EQ(CheckEtag("p1", "3", "").message(), "etag: is required");
}

TEST(PlanState, ObjectionsOnlyOnSubmittedPlansBeforeTheWindowCloses) {
  EXPECT_TRUE(CheckObjectionWindow("p1", v1::PLAN_STATE_SUBMITTED, 1000, 999).ok());
  auto late = CheckObjectionWindow("p1", v1::PLAN_STATE_SUBMITTED, 1000, 1000);
  EXPECT_EQ(late.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(late.message(), "the objection window of plan p1 closed at 1970-01-01 08:00 WITA");
  EXPECT_EQ(CheckObjectionWindow("p1", v1::PLAN_STATE_DRAFT, 1000, 0).message(),
            "plan p1 is DRAFT; objections can be filed only on a SUBMITTED plan");
}

// Issue 18: the window is working days in WITA, ending at 24:00 of its last working day.
TEST(PlanState, TheObjectionWindowCountsWorkingDaysInWita) {
  // Wednesday 2026-12-02 10:00 WITA (02:00 UTC).
  const int64_t submitted = absl::ToUnixMillis(
      absl::FromCivil(absl::CivilSecond(2026, 12, 2, 10, 0, 0), absl::FixedTimeZone(8 * 3600)));
  const int64_t closes = ObjectionWindowCloseMs(submitted, 10, {});
  EXPECT_EQ(WitaTime(closes), "2026-12-16 24:00 WITA");
  EXPECT_EQ(closes, absl::ToUnixMillis(absl::FromCivil(absl::CivilSecond(2026, 12, 16, 16, 0, 0),
                                                       absl::UTCTimeZone())));
  // A holiday inside the window moves its end by one working day.
  EXPECT_EQ(WitaTime(ObjectionWindowCloseMs(submitted, 10, {{2026, 12, 10}})),
            "2026-12-17 24:00 WITA");
  // Submitted at 23:30 UTC on Friday 4th = 07:30 WITA on Saturday 5th: counted from the
  // Saturday, the first working day is Monday 7th.
  const int64_t saturday = absl::ToUnixMillis(
      absl::FromCivil(absl::CivilSecond(2026, 12, 4, 23, 30, 0), absl::UTCTimeZone()));
  EXPECT_EQ(WitaTime(ObjectionWindowCloseMs(saturday, 1, {})), "2026-12-07 24:00 WITA");
  // 0 working days: closed at submission.
  EXPECT_EQ(ObjectionWindowCloseMs(submitted, 0, {}), submitted);
}

}  // namespace
}  // namespace seimbang::transfer
