// Policy and preference rules (zero values mean the documented defaults, bad values are refused
// field by field) and the request rules of validation.h: lengths in characters, as
// transfer.proto states them.
#include "services/transfer/validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "common/errors/errors.h"
#include "common/proto_convert/date.h"
#include "services/transfer/policy_rules.h"
#include "tests/unit/accented.h"

namespace seimbang::transfer {
namespace {

using test::Accented;

// Matches violations that include each of `expected`.
::testing::Matcher<std::vector<errors::FieldViolation>> Includes(
    const std::vector<errors::FieldViolation>& expected) {
  return ::testing::IsSupersetOf(expected);
}

v1::Policy Valid() {
  v1::Policy p;
  p.set_agency_code("73.71");
  p.set_name("Kebijakan 2026");
  return p;
}

TEST(PolicyRules, ZeroValuesMeanTheDocumentedDefaults) {
  v1::Policy p = EffectivePolicy(Valid());
  EXPECT_EQ(p.rules().min_months_in_post(), 24);
  EXPECT_EQ(p.rules().exclude_within_months_of_retirement(), 12);
  EXPECT_DOUBLE_EQ(p.rules().max_leave_fraction(), 0.2);
  EXPECT_EQ(p.rules().objection_window_days(), 10);
  EXPECT_DOUBLE_EQ(p.weights().base_per_move(), 100);
  EXPECT_DOUBLE_EQ(p.weights().per_km(), 2);
  EXPECT_DOUBLE_EQ(p.weights().preferred_bonus(), 50);
  EXPECT_DOUBLE_EQ(p.weights().avoided_penalty(), 200);
  EXPECT_DOUBLE_EQ(p.weights().rotation_bonus(), 30);
  EXPECT_DOUBLE_EQ(p.weights().under_need_penalty(), 400);
  EXPECT_DOUBLE_EQ(p.weights().over_need_penalty(), 150);
}

// Issue 17 items 8 and 9: the competency bonus (positions carry no competency tags) and
// allow_cross_agency (a plan covers one agency) had no effect and are gone from the contract;
// their numbers and names stay reserved so no later field reuses them with another meaning.
TEST(PolicyRules, RemovedSettingsStayReserved) {
  const auto* weights = v1::CostWeights::descriptor();
  EXPECT_EQ(weights->FindFieldByNumber(3), nullptr);
  EXPECT_TRUE(weights->IsReservedNumber(3));
  EXPECT_TRUE(weights->IsReservedName("competency_match_bonus"));
  const auto* breakdown = v1::CostBreakdown::descriptor();
  EXPECT_TRUE(breakdown->IsReservedNumber(3));
  EXPECT_TRUE(breakdown->IsReservedName("competency"));
  const auto* rules = v1::HardRules::descriptor();
  EXPECT_EQ(rules->FindFieldByNumber(12), nullptr);
  EXPECT_TRUE(rules->IsReservedNumber(12));
  EXPECT_TRUE(rules->IsReservedName("allow_cross_agency"));
}

// The effective policy of `in` has these minimum months in post and cost per km.
void ExpectEffective(const v1::Policy& in, int min_months_in_post, double per_km) {
  v1::Policy p = EffectivePolicy(in);
  EXPECT_EQ(p.rules().min_months_in_post(), min_months_in_post);
  EXPECT_DOUBLE_EQ(p.weights().per_km(), per_km);
}

TEST(PolicyRules, UseZeroValuesTakesZerosLiterally) {
  v1::Policy in = Valid();
  in.set_use_zero_values(true);
  ExpectEffective(in, 0, 0);
}

TEST(PolicyRules, GivenValuesAreKept) {
  v1::Policy in = Valid();
  in.mutable_rules()->set_min_months_in_post(6);
  in.mutable_weights()->set_per_km(0.5);
  ExpectEffective(in, 6, 0.5);
}

TEST(PolicyRules, OutOfRangeValuesAreFieldViolations) {
  v1::Policy p = Valid();
  p.mutable_rules()->set_max_leave_fraction(1.5);
  p.mutable_rules()->set_min_months_in_post(121);
  p.mutable_weights()->set_per_km(-1);
  auto status = ValidatePolicy(p, false);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  auto v = errors::FieldViolationsOf(status);
  EXPECT_THAT(v, Includes({{"policy.rules.max_leave_fraction", "must be between 0 and 1"},
                           {"policy.rules.min_months_in_post", "must be between 0 and 120 months"},
                           {"policy.weights.per_km", "must be a number from 0 to 1000000"}}));
}

TEST(PolicyRules, AgencyAndNameAreRequiredAndUpdatesNeedIdAndEtag) {
  auto v = errors::FieldViolationsOf(ValidatePolicy(v1::Policy(), true));
  EXPECT_THAT(v, Includes({{"policy.agency_code", "is required"},
                           {"policy.name", "must be 1-200 characters"},
                           {"policy.id", "is required"},
                           {"policy.etag", "is required"}}));
  EXPECT_TRUE(ValidatePolicy(Valid(), false).ok());
}

TEST(PolicyRules, PinnedMovesNeedANipAndATarget) {
  v1::Policy p = Valid();
  p.mutable_rules()->add_pinned()->set_nip("123");
  auto v = errors::FieldViolationsOf(ValidatePolicy(p, false));
  EXPECT_THAT(v, Includes({{"policy.rules.pinned[0].nip", "must have 18 digits"},
                           {"policy.rules.pinned[0].to_unit_id", "must be 1-9007199254740991"}}));
}

v1::Preference Pref() {
  v1::Preference p;
  p.set_nip("198501012010011001");
  p.set_agency_code("73.71");
  p.add_preferred_unit_ids(5);
  *p.mutable_valid_until() = proto_convert::ToProto(domain::Date{2027, 1, 31});
  return p;
}

TEST(PreferenceRules, AUnitCannotBeBothPreferredAndAvoided) {
  v1::Preference p = Pref();
  p.add_avoided_unit_ids(5);
  auto v = errors::FieldViolationsOf(ValidatePreference(p, {2026, 1, 1}));
  EXPECT_THAT(v,
              Includes({{"preference.avoided_unit_ids", "unit 5 is both preferred and avoided"}}));
}

TEST(PreferenceRules, AtMostFivePreferredUnitsAndValidUntilNotInThePast) {
  v1::Preference p = Pref();
  for (int i = 10; i < 15; ++i) p.add_preferred_unit_ids(i);
  auto v = errors::FieldViolationsOf(ValidatePreference(p, {2027, 2, 1}));
  EXPECT_THAT(v, Includes({{"preference.preferred_unit_ids", "at most 5 units"},
                           {"preference.valid_until", "must not be in the past"}}));
  EXPECT_TRUE(ValidatePreference(Pref(), {2026, 1, 1}).ok());
}

// Issue 15 item 5: weights up to 1e308 and 100,000 pinned moves were accepted and failed later
// in the planner under field names the contract does not have. Now refused at the edge.
TEST(PolicyRules, WeightsAndListsHaveUpperBounds) {
  v1::Policy p = Valid();
  p.mutable_weights()->set_under_need_penalty(1e308);
  p.mutable_weights()->set_avoided_penalty(std::numeric_limits<double>::infinity());
  p.mutable_weights()->set_per_km(std::nan(""));
  p.mutable_rules()->set_move_budget(2000000);
  for (int i = 0; i < 100000; ++i) {
    auto* m = p.mutable_rules()->add_pinned();
    m->set_nip("198001012005011001");
    m->set_to_unit_id(1);
    m->set_to_position_code("P");
  }
  auto v = errors::FieldViolationsOf(ValidatePolicy(p, false));
  EXPECT_THAT(v,
              Includes({{"policy.weights.under_need_penalty", "must be a number from 0 to 1000000"},
                        {"policy.weights.avoided_penalty", "must be a number from 0 to 1000000"},
                        {"policy.weights.per_km", "must be a number from 0 to 1000000"},
                        {"policy.rules.move_budget", "must be between 0 and 1000000"},
                        {"policy.rules.pinned", "at most 10000 moves, got 100000"}}));
  EXPECT_EQ(v.size(), 5u);  // one violation for the list, not one per entry

  v1::Policy edge = Valid();
  edge.mutable_weights()->set_under_need_penalty(1e6);
  edge.mutable_rules()->set_move_budget(1000000);
  EXPECT_TRUE(ValidatePolicy(edge, false).ok());
}

// Issue 15 item 5: a NIP pinned twice was found only by the planner ("policy.pinned[1].nip").
TEST(PolicyRules, ANipPinnedTwiceIsRefusedUnderTheContractsName) {
  v1::Policy p = Valid();
  for (int unit : {1, 2}) {
    auto* m = p.mutable_rules()->add_pinned();
    m->set_nip("198001012005011001");
    m->set_to_unit_id(unit);
    m->set_to_position_code("P");
  }
  EXPECT_THAT(errors::FieldViolationsOf(ValidatePolicy(p, false)),
              ::testing::ElementsAre(
                  errors::FieldViolation{"policy.rules.pinned[1].nip", "is pinned twice"}));
}

v1::CreatePlanRequest ValidCreatePlan() {
  v1::CreatePlanRequest r;
  r.set_agency_code("73.71");
  r.set_analysis_run_id("0123456789abcdef0123456789abcdef");
  r.set_policy_id("pol-0123456789ab");
  *r.mutable_effective_date() = proto_convert::ToProto(domain::Date{2027, 1, 2});
  return r;
}

// transfer.proto counts the bounds in characters: a name or label of 200 accented characters
// (400 bytes) fits, 201 does not.
TEST(RequestRules, LengthsAreCharactersNotBytes) {
  v1::Policy p = Valid();
  p.set_name(Accented(200));
  EXPECT_TRUE(ValidatePolicy(p, false).ok());
  p.set_name(Accented(201));
  EXPECT_THAT(
      errors::FieldViolationsOf(ValidatePolicy(p, false)),
      ::testing::ElementsAre(errors::FieldViolation{"policy.name", "must be 1-200 characters"}));

  v1::CreatePlanRequest r = ValidCreatePlan();
  r.set_label(Accented(200));
  EXPECT_TRUE(ValidateCreatePlan(r).ok());
  r.set_label(Accented(201));
  EXPECT_THAT(errors::FieldViolationsOf(ValidateCreatePlan(r)),
              ::testing::ElementsAre(errors::FieldViolation{"label", "at most 200 characters"}));

  v1::FileObjectionRequest o;
  o.set_plan_id("p0123456789ab");
  o.set_move_id("m1");
  o.set_reason(Accented(2000));
  EXPECT_TRUE(ValidateFileObjection(o).ok());
  o.set_reason(Accented(2001));
  EXPECT_THAT(
      errors::FieldViolationsOf(ValidateFileObjection(o)),
      ::testing::ElementsAre(errors::FieldViolation{"reason", "must be 1-2000 characters"}));
}

TEST(RequestRules, CreatePlanNamesEveryMissingField) {
  EXPECT_TRUE(ValidateCreatePlan(ValidCreatePlan()).ok());
  auto v = errors::FieldViolationsOf(ValidateCreatePlan(v1::CreatePlanRequest()));
  EXPECT_THAT(v, Includes({{"agency_code", "is required"},
                           {"analysis_run_id", "is required"},
                           {"policy_id", "is required"},
                           {"effective_date", "is required and must be a valid date"}}));
  EXPECT_EQ(v.size(), 4u);
}

// An id longer than its column (64 characters) cannot name anything: a bad request, refused
// before any lookup, on every request that carries one.
TEST(RequestRules, AnIdLongerThanSixtyFourCharactersIsABadRequest) {
  const std::string longest(64, 'a'), too_long(65, 'a');
  v1::CreatePlanRequest r = ValidCreatePlan();
  r.set_policy_id(longest);
  EXPECT_TRUE(ValidateCreatePlan(r).ok());
  r.set_policy_id(too_long);
  EXPECT_THAT(errors::FieldViolationsOf(ValidateCreatePlan(r)),
              ::testing::ElementsAre(errors::FieldViolation{"policy_id", "at most 64 characters"}));

  v1::RevisePlanRequest revise;
  revise.set_plan_id(too_long);
  EXPECT_THAT(errors::FieldViolationsOf(ValidateRevisePlan(revise)),
              ::testing::ElementsAre(errors::FieldViolation{"plan_id", "at most 64 characters"}));
  v1::ResolveObjectionRequest resolve;
  resolve.set_objection_id(too_long);
  EXPECT_THAT(
      errors::FieldViolationsOf(ValidateResolveObjection(resolve)),
      ::testing::ElementsAre(errors::FieldViolation{"objection_id", "at most 64 characters"}));
  EXPECT_THAT(errors::FieldViolationsOf(ValidateDecision(too_long, "", "")),
              ::testing::ElementsAre(errors::FieldViolation{"plan_id", "at most 64 characters"}));
}

// The approval note, a rejection's or cancellation's reason and an objection's resolution note
// are optional and bounded at 2000 characters, under the request's own name for them.
TEST(RequestRules, DecisionNotesAreOptionalAndAtMostTwoThousandCharacters) {
  EXPECT_TRUE(ValidateDecision("p0123456789ab", "note", "").ok());
  EXPECT_TRUE(ValidateDecision("p0123456789ab", "note", Accented(2000)).ok());
  EXPECT_THAT(
      errors::FieldViolationsOf(ValidateDecision("p0123456789ab", "reason", Accented(2001))),
      ::testing::ElementsAre(errors::FieldViolation{"reason", "at most 2000 characters"}));
  EXPECT_THAT(errors::FieldViolationsOf(ValidateDecision("", "note", "")),
              ::testing::ElementsAre(errors::FieldViolation{"plan_id", "is required"}));

  v1::ResolveObjectionRequest resolve;
  resolve.set_objection_id("o0123456789ab");
  resolve.set_note(Accented(2000));
  EXPECT_TRUE(ValidateResolveObjection(resolve).ok());
  resolve.set_note(Accented(2001));
  EXPECT_THAT(errors::FieldViolationsOf(ValidateResolveObjection(resolve)),
              ::testing::ElementsAre(errors::FieldViolation{"note", "at most 2000 characters"}));
}

// The read filters are bounded too: a unit id in range and not beside an external id, a job
// family of at most 64 characters, a NIP filter of 18 digits.
TEST(RequestRules, ListFiltersAreBounded) {
  v1::ListMovesRequest moves;
  moves.set_plan_id("p0123456789ab");
  moves.set_job_family(Accented(64));
  EXPECT_TRUE(ValidateListMoves(moves).ok());
  moves.set_job_family(Accented(65));
  moves.set_unit_id(-1);
  EXPECT_THAT(errors::FieldViolationsOf(ValidateListMoves(moves)),
              ::testing::UnorderedElementsAre(
                  errors::FieldViolation{"unit_id", "must be a unit id (positive) or 0 for all"},
                  errors::FieldViolation{"job_family", "at most 64 characters"}));
  moves.set_job_family("");
  moves.set_unit_id(7);
  moves.set_unit_external_id("SIASN:7");
  EXPECT_THAT(errors::FieldViolationsOf(ValidateListMoves(moves)),
              ::testing::ElementsAre(errors::FieldViolation{
                  "unit_external_id", "set either unit_id or this, not both"}));

  v1::ListPreferencesRequest prefs;
  EXPECT_TRUE(ValidateListPreferences(prefs).ok());
  prefs.set_nip("198001012005011001");
  EXPECT_TRUE(ValidateListPreferences(prefs).ok());
  prefs.set_nip("19800101200501100");
  EXPECT_THAT(errors::FieldViolationsOf(ValidateListPreferences(prefs)),
              ::testing::ElementsAre(errors::FieldViolation{"nip", "must have 18 digits"}));
}

}  // namespace
}  // namespace seimbang::transfer
