// From the services' data to the planner and back: what a plan stores.
#include "services/transfer/plan_input.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "common/errors/errors.h"
#include "services/transfer/plan_description.h"
#include "services/transfer/planner/planner.h"
#include "services/transfer/policy_rules.h"
#include "tests/support/nurse_rows.h"

namespace seimbang::transfer {
namespace {

using ::testing::HasSubstr;

// Puskesmas A holds 6 nurses for a need of 3; Puskesmas B holds 1 for a need of 3.
PlanningData Data() {
  PlanningData d;
  d.agency_code = "73.71";
  d.effective_date = {2026, 1, 1};
  d.rows = {testsupport::NurseRow(1, 6, 3), testsupport::NurseRow(2, 1, 3)};
  d.units[1].set_name("Puskesmas A");
  d.units[2].set_name("Puskesmas B");
  d.units[1].set_active(true);
  d.units[2].set_active(true);
  d.positions["JF-PK"].set_name("Perawat Ahli Pertama");
  d.positions["JF-PK"].set_job_family("health");
  for (int i = 0; i < 6; ++i) {
    d.employees.push_back(testsupport::NurseStaffing("19900101201501100" + std::to_string(i), 1));
  }
  d.employees.push_back(testsupport::NurseStaffing("199001012015011009", 2));
  return d;
}

v1::Policy Policy(double leave_fraction) {
  v1::Policy p;
  p.set_agency_code("73.71");
  p.set_name("uji");
  p.mutable_rules()->set_max_leave_fraction(leave_fraction);
  return EffectivePolicy(p);
}

// `d`'s first employee carries a record flag that reaches their candidate alone as `flag`; the
// policy's rule `excluded` is on unless `allow` (a HardRules setter) switches it off.
void ExpectTheFlagReachesTheCandidateAndItsRule(const PlanningData& d,
                                                bool planner::CandidateFlags::*flag,
                                                bool planner::Policy::*excluded,
                                                void (v1::HardRules::*allow)(bool)) {
  auto built = BuildPlanInput(d, Policy(0.5));
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_TRUE(built->input.candidates[0].flags.*flag);
  EXPECT_FALSE(built->input.candidates[1].flags.*flag);
  EXPECT_TRUE(built->input.policy.*excluded);
  v1::Policy allowing = Policy(0.5);
  (allowing.mutable_rules()->*allow)(true);
  EXPECT_FALSE(BuildPlanInput(d, allowing)->input.policy.*excluded);
}

TEST(PlanInput, RunRowsBecomeDestinationsAndEmployeesCandidates) {
  auto built = BuildPlanInput(Data(), Policy(0.5));
  ASSERT_TRUE(built.ok()) << built.status();
  ASSERT_EQ(built->input.destinations.size(), 2u);
  EXPECT_EQ(built->input.destinations[0].display_name, "Puskesmas A - Perawat Ahli Pertama");
  EXPECT_EQ(built->input.destinations[1].need, 3);
  ASSERT_EQ(built->input.candidates.size(), 7u);
  EXPECT_EQ(built->input.candidates[0].rank, 10);  // III/b: I/a..II/d are 1..8
  EXPECT_EQ(built->input.policy.weights.under_base, 400);
  EXPECT_DOUBLE_EQ(built->input.policy.max_leave_fraction, 0.5);
}

TEST(PlanInput, EmployeesOutsideTheRunOrRetiredAreLeftOut) {
  PlanningData d = Data();
  d.employees.push_back(testsupport::NurseStaffing("199001012015011010", 99));
  auto retired = testsupport::NurseStaffing("199001012015011011", 1);
  retired.set_months_to_retirement(0);
  d.employees.push_back(retired);
  auto built = BuildPlanInput(d, Policy(0.5));
  ASSERT_TRUE(built.ok());
  EXPECT_EQ(built->skipped_outside_run, 1);
  EXPECT_EQ(built->skipped_retired, 1);
  EXPECT_EQ(built->input.candidates.size(), 7u);
}

TEST(PlanInput, AJudicialProcessIsItsOwnRuleApartFromTheDisciplinaryOne) {
  PlanningData d = Data();
  d.employees[0].mutable_employee()->mutable_flags()->set_judicial_process(true);
  auto built = BuildPlanInput(d, Policy(0.5));
  ASSERT_TRUE(built.ok());
  EXPECT_TRUE(built->input.candidates[0].flags.judicial);
  EXPECT_FALSE(built->input.candidates[0].flags.disciplinary);
  EXPECT_TRUE(built->input.policy.exclude_judicial);
  EXPECT_TRUE(built->input.policy.exclude_disciplinary);
  v1::Policy allow = Policy(0.5);
  allow.mutable_rules()->set_allow_judicial_process(true);
  EXPECT_FALSE(BuildPlanInput(d, allow)->input.policy.exclude_judicial);
  EXPECT_TRUE(BuildPlanInput(d, allow)->input.policy.exclude_disciplinary);
}

// Peraturan BKN 5/2019: the inspectorate's clearance comes from the personnel record and is
// its own rule, on unless the policy allows pending clearances.
TEST(PlanInput, TheInspectorateFlagOfTheRecordReachesTheCandidate) {
  PlanningData d = Data();
  d.employees[0].mutable_employee()->mutable_flags()->set_inspectorate_pending(true);
  ExpectTheFlagReachesTheCandidateAndItsRule(d, &planner::CandidateFlags::inspectorate_pending,
                                             &planner::Policy::exclude_inspectorate_pending,
                                             &v1::HardRules::set_allow_inspectorate_pending);
}

// PermenPANRB 45/2022: klerek, operator and teknisi are distinct pelaksana classes; a move
// keeps the class as it keeps a functional jenjang, so each class is its own level.
TEST(PlanInput, EachPelaksanaClassIsItsOwnLevel) {
  ppb::Position p;
  p.set_kind(ppb::POSITION_KIND_PELAKSANA);
  std::set<int> levels;
  for (auto cls : {ppb::PELAKSANA_CLASS_UNSPECIFIED, ppb::PELAKSANA_CLASS_KLEREK,
                   ppb::PELAKSANA_CLASS_OPERATOR, ppb::PELAKSANA_CLASS_TEKNISI}) {
    p.set_pelaksana_class(cls);
    levels.insert(PositionLevel(p));
  }
  EXPECT_EQ(levels.size(), 4u);
  ppb::Position managerial;
  for (int kind = ppb::POSITION_KIND_JPT_UTAMA; kind <= ppb::POSITION_KIND_PENGAWAS; ++kind) {
    managerial.set_kind(static_cast<ppb::PositionKind>(kind));
    EXPECT_EQ(levels.count(PositionLevel(managerial)), 0u) << kind;
  }
}

// Peraturan BKN 5/2019: below "baik" in either of the last two years (newest first).
TEST(PlanInput, ARatingBelowBaikInEitherOfTheLastTwoYearsIsPoorPerformance) {
  ppb::Employee e;
  EXPECT_FALSE(PoorPerformance(e));  // nothing recorded
  for (const char* good : {"sangat_baik", "baik"}) {
    e.clear_performance_ratings();
    e.add_performance_ratings(good);
    e.add_performance_ratings("baik");
    EXPECT_FALSE(PoorPerformance(e)) << good;
  }
  for (const char* poor : {"butuh_perbaikan", "kurang", "sangat_kurang"}) {
    e.clear_performance_ratings();
    e.add_performance_ratings("baik");
    e.add_performance_ratings(poor);  // the year before
    EXPECT_TRUE(PoorPerformance(e)) << poor;
    e.clear_performance_ratings();
    e.add_performance_ratings(poor);  // last year
    EXPECT_TRUE(PoorPerformance(e)) << poor;
  }
  PlanningData d = Data();
  d.employees[0].mutable_employee()->add_performance_ratings("kurang");
  ExpectTheFlagReachesTheCandidateAndItsRule(d, &planner::CandidateFlags::poor_performance,
                                             &planner::Policy::exclude_poor_performance,
                                             &v1::HardRules::set_allow_poor_performance);
}

TEST(PlanInput, RanksCarryTheirScaleAndBandsTheirs) {
  EXPECT_EQ(RankScaleOf("III/a"), planner::RankScale::kPns);
  EXPECT_EQ(RankScaleOf("IX"), planner::RankScale::kPppk);
  EXPECT_EQ(RankScaleOf(""), std::nullopt);
  PlanningData d = Data();
  d.positions["JF-PK"].set_rank_min("IX");
  d.positions["JF-PK"].set_rank_max("X");
  d.employees[0].mutable_employee()->set_rank("IX");
  d.employees[1].mutable_employee()->set_rank("");
  d.employees[1].mutable_employee()->set_employment_type(ppb::EMPLOYMENT_TYPE_PPPK);
  auto built = BuildPlanInput(d, Policy(0.5));
  ASSERT_TRUE(built.ok());
  EXPECT_EQ(built->input.destinations[0].rank_scale, planner::RankScale::kPppk);
  EXPECT_EQ(built->input.destinations[0].min_rank, 9);
  EXPECT_EQ(built->input.candidates[0].rank_scale, planner::RankScale::kPppk);
  EXPECT_EQ(built->input.candidates[1].rank_scale, planner::RankScale::kPppk);
  EXPECT_EQ(built->input.candidates[2].rank_scale, planner::RankScale::kPns);  // III/b
}

TEST(PlanInput, LevelsComeFromThePositionAndActivityFromTheUnit) {
  ppb::Position p;
  p.set_kind(ppb::POSITION_KIND_FUNCTIONAL_SKILL);
  p.set_level(ppb::FUNCTIONAL_LEVEL_MAHIR);
  EXPECT_EQ(PositionLevel(p), ppb::FUNCTIONAL_LEVEL_MAHIR);
  p.set_level(ppb::FUNCTIONAL_LEVEL_UNSPECIFIED);
  EXPECT_EQ(PositionLevel(p), 0);
  p.set_kind(ppb::POSITION_KIND_PELAKSANA);
  p.set_level(ppb::FUNCTIONAL_LEVEL_NONE);
  EXPECT_EQ(PositionLevel(p), kNonFunctionalLevel + ppb::POSITION_KIND_PELAKSANA);
  PlanningData d = Data();
  d.positions["JF-PK"].set_kind(ppb::POSITION_KIND_FUNCTIONAL_EXPERTISE);
  d.positions["JF-PK"].set_level(ppb::FUNCTIONAL_LEVEL_AHLI_PERTAMA);
  d.units[2].set_active(false);
  auto built = BuildPlanInput(d, Policy(0.5));
  ASSERT_TRUE(built.ok());
  EXPECT_EQ(built->input.destinations[1].level, ppb::FUNCTIONAL_LEVEL_AHLI_PERTAMA);
  EXPECT_EQ(built->input.candidates[0].level, ppb::FUNCTIONAL_LEVEL_AHLI_PERTAMA);
  EXPECT_TRUE(built->input.destinations[0].active);
  EXPECT_FALSE(built->input.destinations[1].active);
  d.units.erase(2);  // a unit personnel does not list is no target either
  EXPECT_FALSE(BuildPlanInput(d, Policy(0.5))->input.destinations[1].active);
}

TEST(PlanInput, ReliefMovesAreOffUnlessThePolicyAllowsThem) {
  EXPECT_FALSE(BuildPlanInput(Data(), Policy(0.5))->input.policy.allow_relief_moves);
  v1::Policy allow = Policy(0.5);
  allow.mutable_rules()->set_allow_relief_moves(true);
  EXPECT_TRUE(BuildPlanInput(Data(), allow)->input.policy.allow_relief_moves);
}

TEST(PlanInput, PositionChangesAreAllowedUnlessThePolicyForbidsThem) {
  auto built = BuildPlanInput(Data(), Policy(0.5));
  ASSERT_TRUE(built.ok());
  EXPECT_EQ(built->input.candidates[0].position_code, "JF-PK");
  EXPECT_TRUE(built->input.policy.allow_position_change);
  v1::Policy forbid = Policy(0.5);
  forbid.mutable_rules()->set_forbid_position_change(true);
  EXPECT_FALSE(BuildPlanInput(Data(), forbid)->input.policy.allow_position_change);
}

TEST(PlanInput, APinnedMoveOutsideTheRunIsAFieldViolation) {
  v1::Policy p = Policy(0.5);
  auto* pin = p.mutable_rules()->add_pinned();
  pin->set_nip("199001012015011001");
  pin->set_to_unit_id(77);
  pin->set_to_position_code("JF-PK");
  auto built = BuildPlanInput(Data(), p);
  EXPECT_EQ(built.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      errors::FieldViolationsOf(built.status()),
      ::testing::Contains(errors::FieldViolation{
          "policy.rules.pinned[0]", "unit 77 position JF-PK is not a row of the analysis run"}));
}

TEST(PlanInput, AcceptedObjectionForbidsAndParentMovesArePinned) {
  RevisionRules rev;
  v1::ForbiddenMove f;
  f.set_nip("199001012015011000");
  f.set_to_unit_id(2);
  rev.forbidden.push_back(f);
  v1::PinnedMove pm;
  pm.set_nip("199001012015011001");
  pm.set_to_unit_id(2);
  pm.set_to_position_code("JF-PK");
  rev.pinned.push_back(pm);
  pm.set_nip("199001012015011000");  // forbidden now: not pinned
  rev.pinned.push_back(pm);
  auto built = BuildPlanInput(Data(), Policy(0.5), rev);
  ASSERT_TRUE(built.ok());
  ASSERT_EQ(built->input.policy.pinned.size(), 1u);
  EXPECT_EQ(built->input.policy.pinned[0].nip, "199001012015011001");
  ASSERT_EQ(built->input.policy.forbidden.size(), 1u);
  EXPECT_EQ(built->input.policy.forbidden[0].destination, 1);
}

TEST(PlanInput, SolvedPlanIsDescribedWithIdsExplanationsAndMetrics) {
  PlanningData d = Data();
  v1::Policy policy = Policy(0.5);
  auto built = BuildPlanInput(d, policy);
  ASSERT_TRUE(built.ok());
  auto result = planner::Solve(built->input);
  ASSERT_TRUE(result.ok()) << result.status();
  DescribedPlan plan = DescribePlan(*built, d, policy, *result, "p1");
  ASSERT_EQ(plan.moves.size(), 2u);
  const auto& m = plan.moves[0].move();
  EXPECT_EQ(m.id(), "m000001");
  EXPECT_EQ(plan.moves[1].move().id(), "m000002");
  EXPECT_EQ(m.plan_id(), "p1");
  EXPECT_EQ(m.from_unit_name(), "Puskesmas A");
  EXPECT_EQ(m.to_unit_id(), 2);
  EXPECT_DOUBLE_EQ(m.cost().base(), 100);
  EXPECT_THAT(m.summary(), HasSubstr("tujuan kekurangan 2 orang"));
  EXPECT_GT(m.importance(), 0);
  EXPECT_EQ(plan.moves[0].target().staff_before(), 1);
  EXPECT_EQ(plan.moves[0].target().staff_after(), 3);
  EXPECT_EQ(plan.moves[0].source().gap_before(), 3);
  EXPECT_THAT(plan.moves[0].sentence(), HasSubstr("dipindahkan dari"));
  EXPECT_EQ(plan.summary.moves(), 2);
  EXPECT_EQ(plan.summary.moves_lower_bound(), 2);
  EXPECT_EQ(plan.summary.before().units_under(), 1);
  EXPECT_EQ(plan.summary.after().units_under(), 0);
  EXPECT_EQ(plan.summary.before().total_deficit(), 2);
  EXPECT_EQ(plan.summary.candidates(), 7);
  EXPECT_EQ(plan.summary.eligible(), 7);
  ASSERT_EQ(plan.summary.by_family_size(), 1);
  EXPECT_EQ(plan.summary.by_family(0).moves(), 2);
  EXPECT_EQ(plan.unfilled.size(), 0u);
}

TEST(PlanInput, ALeaveCapLeavesTheNeedUnfilledWithItsRule) {
  PlanningData d = Data();
  v1::Policy policy = Policy(0.2);  // floor(0.2 x 6) = 1 may leave
  auto built = BuildPlanInput(d, policy);
  auto result = planner::Solve(built->input);
  ASSERT_TRUE(result.ok());
  DescribedPlan plan = DescribePlan(*built, d, policy, *result, "p1");
  EXPECT_EQ(plan.moves.size(), 1u);
  ASSERT_EQ(plan.unfilled.size(), 1u);
  EXPECT_EQ(plan.unfilled[0].missing(), 1);
  EXPECT_EQ(plan.unfilled[0].unit_name(), "Puskesmas B");
  EXPECT_EQ(plan.unfilled[0].reason(), v1::UNFILLED_REASON_BLOCKED_BY_RULE);
  EXPECT_EQ(plan.summary.unfilled(), 1);
}

TEST(Metrics, CountsGapsAndBalancedShareAndRobinHood) {
  // EJ: 3/6 = 0.5, 3/1 = 3, 1/1 = 1 (balanced).
  std::vector<SlotFigures> slots = {
      {"health", 6, 3, 3 * 75000.0}, {"health", 1, 3, 3 * 75000.0}, {"finance", 1, 1, 75000.0}};
  v1::MetricsSnapshot m = ComputeMetrics(slots, 75000);
  EXPECT_EQ(m.units_over(), 1);
  EXPECT_EQ(m.units_under(), 1);
  EXPECT_EQ(m.total_surplus(), 3);
  EXPECT_EQ(m.total_deficit(), 2);
  EXPECT_NEAR(m.balanced_share(), 1.0 / 3, 1e-9);
  EXPECT_NEAR(m.robin_hood_index(), 2.0 / 8, 1e-9);
  EXPECT_GT(m.ej_cv(), 0);
}

TEST(Mapping, RankAndEducationScales) {
  EXPECT_EQ(RankOrdinal("I/a"), 1);
  EXPECT_EQ(RankOrdinal("IV/e"), 17);
  EXPECT_EQ(RankOrdinal(""), 0);
  EXPECT_EQ(EducationOrdinal(ppb::EDUCATION_LEVEL_D4), EducationOrdinal(ppb::EDUCATION_LEVEL_S1));
  EXPECT_LT(EducationOrdinal(ppb::EDUCATION_LEVEL_D3), EducationOrdinal(ppb::EDUCATION_LEVEL_D4));
  EXPECT_EQ(MoveId(17), "m000017");
}

// Issue 15 item 5: the planner's violations used field names the contract does not have
// ("policy.weights.under_base", "policy.pinned[0].destination"); the caller now sees its own.
TEST(PlanInput, PlannerViolationsAreNamedAfterTheRequestFields) {
  v1::Policy p = Policy(0.5);
  for (const char* nip : {"199001012015011001", "199001012015011002"}) {
    auto* f = p.mutable_rules()->add_forbidden();
    f->set_nip(nip);
    f->set_to_unit_id(2);
  }
  auto* pin = p.mutable_rules()->add_pinned();
  pin->set_nip("199001012015011009");  // already at unit 2
  pin->set_to_unit_id(2);
  pin->set_to_position_code("JF-PK");
  RevisionRules rev;
  v1::ForbiddenMove rf;
  rf.set_nip("199001012015011003");
  rf.set_to_unit_id(0);
  rev.forbidden.push_back(rf);
  auto built = BuildPlanInput(Data(), p, rev);
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_EQ(built->pinned_origin, std::vector<int>({0}));
  EXPECT_EQ(built->forbidden_origin, std::vector<int>({0, 1, -1}));

  const std::vector<planner::FieldViolation> from_planner = {
      {"policy.weights.under_base", "must be a number from 0 to 1e+06"},
      {"policy.weights.over_base", "x"},
      {"policy.max_leave_fraction", "x"},
      {"policy.pinned[0].destination", "is the employee's current destination"},
      {"policy.pinned[0].nip", "x"},
      {"policy.forbidden[1].nip", "unknown NIP 199001012015011002"},
      {"policy.forbidden[2].nip", "y"},
      {"candidates[3].current", "z"}};
  std::vector<std::string> fields;
  for (const auto& v : RequestViolations(from_planner, *built)) fields.push_back(v.field);
  EXPECT_EQ(fields, std::vector<std::string>(
                        {"policy.weights.under_need_penalty", "policy.weights.over_need_penalty",
                         "policy.rules.max_leave_fraction", "policy.rules.pinned[0]",
                         "policy.rules.pinned[0].nip", "policy.rules.forbidden[1].nip", "plan_id",
                         "candidates[3].current"}));
}

}  // namespace
}  // namespace seimbang::transfer
