// Policy and preference rules: zero values mean the documented defaults and
// bad values are refused field by field.
#include "services/transfer/policy_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "common/errors/errors.h"

namespace seimbang::transfer {
namespace {

using ::testing::Contains;

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

TEST(PolicyRules, UseZeroValuesTakesZerosLiterally) {
  v1::Policy in = Valid();
  in.set_use_zero_values(true);
  v1::Policy p = EffectivePolicy(in);
  EXPECT_EQ(p.rules().min_months_in_post(), 0);
  EXPECT_DOUBLE_EQ(p.weights().per_km(), 0);
}

TEST(PolicyRules, GivenValuesAreKept) {
  v1::Policy in = Valid();
  in.mutable_rules()->set_min_months_in_post(6);
  in.mutable_weights()->set_per_km(0.5);
  v1::Policy p = EffectivePolicy(in);
  EXPECT_EQ(p.rules().min_months_in_post(), 6);
  EXPECT_DOUBLE_EQ(p.weights().per_km(), 0.5);
}

TEST(PolicyRules, OutOfRangeValuesAreFieldViolations) {
  v1::Policy p = Valid();
  p.mutable_rules()->set_max_leave_fraction(1.5);
  p.mutable_rules()->set_min_months_in_post(121);
  p.mutable_weights()->set_per_km(-1);
  auto status = ValidatePolicy(p, false);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  auto v = errors::FieldViolationsOf(status);
  EXPECT_THAT(v, Contains(errors::FieldViolation{"policy.rules.max_leave_fraction",
                                                 "must be between 0 and 1"}));
  EXPECT_THAT(v, Contains(errors::FieldViolation{"policy.rules.min_months_in_post",
                                                 "must be between 0 and 120 months"}));
  EXPECT_THAT(v, Contains(errors::FieldViolation{"policy.weights.per_km",
                                                 "must be a number from 0 to 1000000"}));
}

TEST(PolicyRules, AgencyAndNameAreRequiredAndUpdatesNeedIdAndEtag) {
  auto v = errors::FieldViolationsOf(ValidatePolicy(v1::Policy(), true));
  EXPECT_THAT(v, Contains(errors::FieldViolation{"policy.agency_code", "is required"}));
  EXPECT_THAT(v, Contains(errors::FieldViolation{"policy.name", "must be 1-200 characters"}));
  EXPECT_THAT(v, Contains(errors::FieldViolation{"policy.id", "is required"}));
  EXPECT_THAT(v, Contains(errors::FieldViolation{"policy.etag", "is required"}));
  EXPECT_TRUE(ValidatePolicy(Valid(), false).ok());
}

TEST(PolicyRules, PinnedMovesNeedANipAndATarget) {
  v1::Policy p = Valid();
  p.mutable_rules()->add_pinned()->set_nip("123");
  auto v = errors::FieldViolationsOf(ValidatePolicy(p, false));
  EXPECT_THAT(
      v, Contains(errors::FieldViolation{"policy.rules.pinned[0].nip", "must have 18 digits"}));
  EXPECT_THAT(v, Contains(errors::FieldViolation{"policy.rules.pinned[0].to_unit_id",
                                                 "must be 1-9007199254740991"}));
}

v1::Preference Pref() {
  v1::Preference p;
  p.set_nip("198501012010011001");
  p.set_agency_code("73.71");
  p.add_preferred_unit_ids(5);
  p.mutable_valid_until()->set_year(2027);
  p.mutable_valid_until()->set_month(1);
  p.mutable_valid_until()->set_day(31);
  return p;
}

TEST(PreferenceRules, AUnitCannotBeBothPreferredAndAvoided) {
  v1::Preference p = Pref();
  p.add_avoided_unit_ids(5);
  auto v = errors::FieldViolationsOf(ValidatePreference(p, {2026, 1, 1}));
  EXPECT_THAT(v, Contains(errors::FieldViolation{"preference.avoided_unit_ids",
                                                 "unit 5 is both preferred and avoided"}));
}

TEST(PreferenceRules, AtMostFivePreferredUnitsAndValidUntilNotInThePast) {
  v1::Preference p = Pref();
  for (int i = 10; i < 15; ++i) p.add_preferred_unit_ids(i);
  auto v = errors::FieldViolationsOf(ValidatePreference(p, {2027, 2, 1}));
  EXPECT_THAT(v,
              Contains(errors::FieldViolation{"preference.preferred_unit_ids", "at most 5 units"}));
  EXPECT_THAT(
      v, Contains(errors::FieldViolation{"preference.valid_until", "must not be in the past"}));
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
  EXPECT_THAT(v, Contains(errors::FieldViolation{"policy.weights.under_need_penalty",
                                                 "must be a number from 0 to 1000000"}));
  EXPECT_THAT(v, Contains(errors::FieldViolation{"policy.weights.avoided_penalty",
                                                 "must be a number from 0 to 1000000"}));
  EXPECT_THAT(v, Contains(errors::FieldViolation{"policy.weights.per_km",
                                                 "must be a number from 0 to 1000000"}));
  EXPECT_THAT(v, Contains(errors::FieldViolation{"policy.rules.move_budget",
                                                 "must be between 0 and 1000000"}));
  EXPECT_THAT(v, Contains(errors::FieldViolation{"policy.rules.pinned",
                                                 "at most 10000 moves, got 100000"}));
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

}  // namespace
}  // namespace seimbang::transfer
