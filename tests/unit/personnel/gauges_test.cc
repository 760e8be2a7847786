// Personnel's domain metric: one series per agency and outcome, counted only once registered.
#include "services/personnel/gauges.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <map>
#include <string>

namespace seimbang::personnel {
namespace {

namespace pv1 = ::seimbang::personnel::v1;

// The counter's value for `labels`, -1 when the series does not exist.
double Value(prometheus::Registry& registry, const std::map<std::string, std::string>& labels) {
  for (const auto& family : registry.Collect()) {
    if (family.name != "seimbang_personnel_transfer_outcomes_total") continue;
    for (const auto& metric : family.metric) {
      std::map<std::string, std::string> got;
      for (const auto& l : metric.label) got[l.name] = l.value;
      if (got == labels) return metric.counter.value;
    }
  }
  return -1;
}

TEST(OutcomeLabel, IsTheOutcomesLowerCaseName) {
  EXPECT_EQ(OutcomeLabel(pv1::MOVE_OUTCOME_APPLIED), "applied");
  EXPECT_EQ(OutcomeLabel(pv1::MOVE_OUTCOME_STALE), "stale");
  EXPECT_EQ(OutcomeLabel(pv1::MOVE_OUTCOME_FAILED), "failed");
  EXPECT_EQ(OutcomeLabel(static_cast<pv1::MoveOutcome>(99)), "unspecified");
}

TEST(PersonnelGauges, CountsEachAgencyAndOutcomeApartOnceRegistered) {
  PersonnelGauges gauges;
  gauges.AddOutcome("73.71", pv1::MOVE_OUTCOME_APPLIED);  // not registered yet: not counted
  prometheus::Registry registry;
  gauges.Register(registry);
  gauges.AddOutcome("73.71", pv1::MOVE_OUTCOME_APPLIED);
  gauges.AddOutcome("73.71", pv1::MOVE_OUTCOME_APPLIED);
  gauges.AddOutcome("73.71", pv1::MOVE_OUTCOME_STALE);
  gauges.AddOutcome("73.72", pv1::MOVE_OUTCOME_FAILED);
  EXPECT_EQ(Value(registry, {{"agency", "73.71"}, {"outcome", "applied"}}), 2);
  EXPECT_EQ(Value(registry, {{"agency", "73.71"}, {"outcome", "stale"}}), 1);
  EXPECT_EQ(Value(registry, {{"agency", "73.72"}, {"outcome", "failed"}}), 1);
  EXPECT_EQ(Value(registry, {{"agency", "73.72"}, {"outcome", "applied"}}), -1);
}

}  // namespace
}  // namespace seimbang::personnel
