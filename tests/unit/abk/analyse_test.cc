// The ABK rulebook (PermenPANRB 1/2020, shared/design/DOMAIN.md) as cases with
// hand-computed numbers. WKE is 75,000 minutes unless a case says otherwise.
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/workload/abk/abk.h"
#include "tests/unit/abk/print.h"

namespace seimbang::abk {
namespace {

using ::testing::HasSubstr;

const absl::CivilDay kAsOf(2025, 6, 15);

Task T(double volume, Period period, double norm_minutes) {
  return Task{"tugas", "dokumen", volume, period, norm_minutes, {}};
}

// A position whose single yearly task takes exactly `minutes` a year (one-minute outputs).
Workload W(int64_t unit, std::string code, std::string family, double minutes) {
  return Workload{unit, std::move(code), std::move(family), {T(minutes, Period::kYear, 1)}};
}

Staffing S(int64_t unit, std::string code, std::string family, int64_t pns, int64_t pppk = 0) {
  return Staffing{unit, std::move(code), std::move(family), pns, pppk};
}

AnalysisResult Analysed(const std::vector<Workload>& w, const std::vector<Staffing>& s,
                        const std::vector<DemandSignal>& signals = {},
                        const Settings& settings = {}) {
  absl::StatusOr<AnalysisResult> r = Analyse(settings, w, s, signals, kAsOf);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *std::move(r) : AnalysisResult{};
}

PositionResult Only(const AnalysisResult& r) {
  EXPECT_EQ(r.positions.size(), 1u);
  return r.positions.at(0);
}

// Whether `p` is vacant, its EJ (none when undefined) and its grade.
void ExpectStanding(const PositionResult& p, bool vacant, std::optional<double> ej, Grade grade) {
  EXPECT_EQ(p.vacant, vacant);
  EXPECT_EQ(p.ej, ej);
  EXPECT_EQ(p.grade, grade);
}

// The demand side of a position or a unit: its annual minutes, decimal FTE and rounded
// headcount, the staff in post and the gap between them.
template <typename Result>
void ExpectDemand(const Result& r, double minutes, double fte, int64_t headcount, int64_t staff,
                  int64_t gap) {
  EXPECT_DOUBLE_EQ(r.workload_minutes, minutes);
  EXPECT_DOUBLE_EQ(r.required_fte, fte);
  EXPECT_EQ(r.required_headcount, headcount);
  EXPECT_EQ(r.staff, staff);
  EXPECT_EQ(r.gap, gap);
}

// --- per unit × position -------------------------------------------------

TEST(AbkAnalyse, TasksInDifferentPeriodsAreAnnualisedAndSummed) {
  // yearly  100 × 60 min            =  6,000
  // monthly  50 × 12 × 30 min       = 18,000
  // weekly   20 × 50 × 45 min       = 45,000
  // daily     4 × 250 × 30 min      = 30,000
  // total 99,000 min -> FTE 1.32 -> 1 person; 2 in post: gap +1, EJ 99,000/150,000 = 0.66 (D)
  const Workload w{1,
                   "PENGADMINISTRASI",
                   "administrasi",
                   {T(100, Period::kYear, 60), T(50, Period::kMonth, 30), T(20, Period::kWeek, 45),
                    T(4, Period::kDay, 30)}};
  const PositionResult& p = Only(Analysed({w}, {S(1, "PENGADMINISTRASI", "administrasi", 1, 1)}));
  ExpectDemand(p, /*minutes=*/99000, /*fte=*/1.32, /*headcount=*/1, /*staff=*/2, /*gap=*/1);
  EXPECT_EQ(p.pns, 1);
  EXPECT_EQ(p.pppk, 1);
  ASSERT_TRUE(p.ej.has_value());
  EXPECT_DOUBLE_EQ(*p.ej, 0.66);
  EXPECT_EQ(p.grade, Grade::kD);
  EXPECT_FALSE(p.vacant);
}

TEST(AbkAnalyse, PeriodFactorsAreTheAgencysSetting) {
  // Six-day week: 300 working days. 4 a day × 300 × 30 min = 36,000 min, over WKE 90,000 = 0.4 FTE.
  Settings s;
  s.period_factors.day = 300;
  s.effective_minutes_per_year = 90000;
  const Workload w{1, "P", "f", {T(4, Period::kDay, 30)}};
  const PositionResult& p = Only(Analysed({w}, {}, {}, s));
  EXPECT_DOUBLE_EQ(p.workload_minutes, 36000);
  EXPECT_DOUBLE_EQ(p.required_fte, 0.4);
  EXPECT_EQ(p.required_headcount, 0);
}

TEST(AbkAnalyse, APositionWithWorkloadAndNobodyInPostIsVacantNotInfinite) {
  // 150,000 min -> 2 FTE, no staff: gap −2, EJ undefined, no grade.
  const PositionResult& p = Only(Analysed({W(1, "PRANATA_KOMPUTER", "ti", 150000)}, {}));
  ExpectStanding(p, /*vacant=*/true, /*ej=*/std::nullopt, Grade::kNone);
  EXPECT_EQ(p.required_headcount, 2);
  EXPECT_EQ(p.staff, 0);
  EXPECT_EQ(p.gap, -2);
}

TEST(AbkAnalyse, StaffWithNoWorkloadHaveEjZeroAndGradeE) {
  const PositionResult& p = Only(Analysed({}, {S(4, "PENGEMUDI", "umum", 3)}));
  ExpectStanding(p, /*vacant=*/false, /*ej=*/0, Grade::kE);
  EXPECT_EQ(p.required_fte, 0);
  EXPECT_EQ(p.required_headcount, 0);
  EXPECT_EQ(p.gap, 3);
  EXPECT_EQ(p.job_family, "umum");  // taken from staffing when there is no workload
}

TEST(AbkAnalyse, NoStaffAndNoWorkloadIsNeitherVacantNorGraded) {
  const PositionResult& p = Only(Analysed({W(1, "P", "f", 0)}, {}));
  ExpectStanding(p, /*vacant=*/false, /*ej=*/std::nullopt, Grade::kNone);
  EXPECT_EQ(p.gap, 0);
}

TEST(AbkAnalyse, StaffingRowsForTheSameKeyAreSummedAndTheWorkloadFamilyWins) {
  const AnalysisResult r =
      Analysed({W(1, "P", "teknik", 75000)}, {S(1, "P", "lain", 2, 1), S(1, "P", "lain", 0, 3)});
  const PositionResult& p = Only(r);
  EXPECT_EQ(p.pns, 2);
  EXPECT_EQ(p.pppk, 4);
  EXPECT_EQ(p.staff, 6);
  EXPECT_EQ(p.job_family, "teknik");
}

// --- rounding --------------------------------------------------------------

TEST(AbkRounding, NearestHalfUpRoundsTheHalfUpAndJustBelowItDown) {
  // 187,500 min = 2.5 FTE -> 3;  187,492.5 min = 2.4999 FTE -> 2; the decimal stays.
  const PositionResult& half = Only(Analysed({W(1, "P", "f", 187500)}, {}));
  EXPECT_DOUBLE_EQ(half.required_fte, 2.5);
  EXPECT_EQ(half.required_headcount, 3);
  const PositionResult& below = Only(Analysed({W(1, "P", "f", 187492.5)}, {}));
  EXPECT_DOUBLE_EQ(below.required_fte, 2.4999);
  EXPECT_EQ(below.required_headcount, 2);
}

TEST(AbkRounding, EachRuleOnTheSameFractions) {
  EXPECT_EQ(RoundFte(2.5, Rounding::kNearestHalfUp), 3);
  EXPECT_EQ(RoundFte(2.4999, Rounding::kNearestHalfUp), 2);
  EXPECT_EQ(RoundFte(0.4999, Rounding::kNearestHalfUp), 0);
  EXPECT_EQ(RoundFte(2.01, Rounding::kCeiling), 3);
  EXPECT_EQ(RoundFte(2.0, Rounding::kCeiling), 2);
  EXPECT_EQ(RoundFte(2.99, Rounding::kFloor), 2);
  EXPECT_EQ(RoundFte(3.0, Rounding::kFloor), 3);
  EXPECT_EQ(RoundFte(0, Rounding::kCeiling), 0);
}

TEST(AbkRounding, FloatingPointNoiseDoesNotCostOrGiveAPerson) {
  EXPECT_EQ(RoundFte(2.0000000000004, Rounding::kCeiling), 2);
  EXPECT_EQ(RoundFte(2.9999999999996, Rounding::kFloor), 3);
  EXPECT_EQ(RoundFte(2.4999999999996, Rounding::kNearestHalfUp), 3);
}

TEST(AbkRounding, CeilingPerTaskRoundsEveryTaskUpBeforeSumming) {
  // Three tasks of 22,500 min (0.3 FTE each) = 0.9 FTE in total.
  const Workload w{
      1,
      "P",
      "f",
      {T(1, Period::kYear, 22500), T(1, Period::kYear, 22500), T(1, Period::kYear, 22500)}};
  Settings s;
  s.rounding = Rounding::kNearestHalfUp;
  EXPECT_EQ(Only(Analysed({w}, {}, {}, s)).required_headcount, 1);
  s.rounding = Rounding::kCeiling;
  EXPECT_EQ(Only(Analysed({w}, {}, {}, s)).required_headcount, 1);
  s.rounding = Rounding::kFloor;
  EXPECT_EQ(Only(Analysed({w}, {}, {}, s)).required_headcount, 0);
  s.rounding = Rounding::kCeilingPerTask;
  const PositionResult& p = Only(Analysed({w}, {}, {}, s));
  EXPECT_EQ(p.required_headcount, 3);
  EXPECT_DOUBLE_EQ(p.required_fte, 0.9);  // the decimal FTE is kept whatever the rule
}

// --- grades ----------------------------------------------------------------

TEST(AbkGrade, EveryBandEdgeFallsOnItsDocumentedSide) {
  const GradeBands b;
  EXPECT_EQ(GradeOf(1.0001, b), Grade::kA);
  EXPECT_EQ(GradeOf(1.00, b), Grade::kB);
  EXPECT_EQ(GradeOf(0.90, b), Grade::kB);
  EXPECT_EQ(GradeOf(0.8999, b), Grade::kC);
  EXPECT_EQ(GradeOf(0.70, b), Grade::kC);
  EXPECT_EQ(GradeOf(0.6999, b), Grade::kD);
  EXPECT_EQ(GradeOf(0.50, b), Grade::kD);
  EXPECT_EQ(GradeOf(0.4999, b), Grade::kE);
  EXPECT_EQ(GradeOf(0, b), Grade::kE);
}

TEST(AbkGrade, ComputedEjExactlyOnAnEdgeGetsTheEdgesGrade) {
  // staff 3, WKE 75,000: EJ = minutes / 225,000.
  auto grade = [](double minutes) {
    return Only(Analysed({W(1, "P", "f", minutes)}, {S(1, "P", "f", 3)})).grade;
  };
  EXPECT_EQ(grade(225000), Grade::kB);    // 1.00
  EXPECT_EQ(grade(225022.5), Grade::kA);  // 1.0001
  EXPECT_EQ(grade(202500), Grade::kB);    // 0.90
  EXPECT_EQ(grade(202477.5), Grade::kC);  // 0.8999
  EXPECT_EQ(grade(157500), Grade::kC);    // 0.70
  EXPECT_EQ(grade(112500), Grade::kD);    // 0.50
  EXPECT_EQ(grade(112477.5), Grade::kE);  // 0.4999
}

TEST(AbkGrade, NamesAreTheLettersAndADashForNone) {
  EXPECT_STREQ(GradeName(Grade::kA), "A");
  EXPECT_STREQ(GradeName(Grade::kE), "E");
  EXPECT_STREQ(GradeName(Grade::kNone), "-");
}

// --- demand-driven volume --------------------------------------------------

// 10 permits a month at 120 min = 14,400 min a year, sized for 40 complaints a month.
Workload Driven(double baseline, double elasticity = 1) {
  Task t{"Memproses izin", "izin", 10,
         Period::kMonth,   120,    Driver{"complaint", baseline, elasticity}};
  return Workload{5, "ANALIS", "perizinan", {t}};
}

// `per_month` complaints for unit 5 in each of the n months ending with June 2025.
std::vector<DemandSignal> Months(int n, int64_t per_month, int64_t unit = 5) {
  std::vector<DemandSignal> out;
  absl::CivilMonth m(2025, 6);
  for (int i = 0; i < n; ++i, --m) {
    out.push_back({unit, "complaint", static_cast<int>(m.year()), m.month(), per_month});
  }
  return out;
}

TEST(AbkDemand, SignalsAtTwiceTheBaselineDoubleTheTasksMinutes) {
  // 12 months Jul 2024 – Jun 2025 at 80 a month: factor 80/40 = 2 -> 28,800 min.
  const PositionResult& p = Only(Analysed({Driven(40)}, {}, Months(12, 80)));
  EXPECT_DOUBLE_EQ(p.base_workload_minutes, 14400);
  EXPECT_DOUBLE_EQ(p.workload_minutes, 28800);
}

TEST(AbkDemand, SignalsAfterAsOfAndBeforeTheWindowAreIgnored) {
  std::vector<DemandSignal> s = Months(12, 80);
  s.push_back({5, "complaint", 2025, 7, 100000});  // after as_of's month
  s.push_back({5, "complaint", 2024, 6, 100000});  // 13 months back: before the window
  EXPECT_DOUBLE_EQ(Only(Analysed({Driven(40)}, {}, s)).workload_minutes, 28800);
}

TEST(AbkDemand, TheWindowLengthIsASettingAndMissingMonthsCountAsZero) {
  // 6 months at 80 in a 12-month window: 480 / 12 = 40 a month = baseline -> unchanged.
  EXPECT_DOUBLE_EQ(Only(Analysed({Driven(40)}, {}, Months(6, 80))).workload_minutes, 14400);
  // The same signals in a 6-month window: 80 a month -> doubled.
  Settings s;
  s.signal_window_months = 6;
  EXPECT_DOUBLE_EQ(Only(Analysed({Driven(40)}, {}, Months(6, 80), s)).workload_minutes, 28800);
}

TEST(AbkDemand, FewerSignalsThanTheBaselineLowerTheVolume) {
  // 10 a month against 40: factor 0.25 -> 3,600 min.
  EXPECT_DOUBLE_EQ(Only(Analysed({Driven(40)}, {}, Months(12, 10))).workload_minutes, 3600);
}

TEST(AbkDemand, ElasticityScalesTheStrengthOfTheLink) {
  // factor 1 + 0.5 × (2 − 1) = 1.5 -> 21,600 min.
  EXPECT_DOUBLE_EQ(Only(Analysed({Driven(40, 0.5)}, {}, Months(12, 80))).workload_minutes, 21600);
  // A factor below zero is floored: 1 + 10 × (0.25 − 1) < 0 -> 0 min.
  EXPECT_DOUBLE_EQ(Only(Analysed({Driven(40, 10)}, {}, Months(12, 10))).workload_minutes, 0);
}

TEST(AbkDemand, NoBaselineOrNoDataMeansNoScaling) {
  EXPECT_DOUBLE_EQ(Only(Analysed({Driven(0)}, {}, Months(12, 80))).workload_minutes, 14400);
  EXPECT_DOUBLE_EQ(Only(Analysed({Driven(40)}, {}, {})).workload_minutes, 14400);
  // Another unit's complaints, or another kind, say nothing about unit 5.
  std::vector<DemandSignal> other = Months(12, 80, /*unit=*/6);
  other.push_back({5, "permit_request", 2025, 6, 999});
  EXPECT_DOUBLE_EQ(Only(Analysed({Driven(40)}, {}, other)).workload_minutes, 14400);
  // Observed zeros are data: 0 complaints -> factor 0.
  EXPECT_DOUBLE_EQ(Only(Analysed({Driven(40)}, {}, Months(1, 0))).workload_minutes, 0);
}

TEST(AbkDemand, UndrivenTasksOfTheSamePositionAreUntouched) {
  Workload w = Driven(40);
  w.tasks.push_back(T(1, Period::kYear, 1000));
  // 28,800 + 1,000.
  EXPECT_DOUBLE_EQ(Only(Analysed({w}, {}, Months(12, 80))).workload_minutes, 29800);
}

// --- per unit ----------------------------------------------------------------

TEST(AbkUnit, EuIsTheUnitsWorkloadOverItsStaffAndVacanciesCount) {
  // Unit 1: P1 90,000 min, 2 staff (FTE 1.2 -> 1, gap +1); P2 60,000 min, vacant
  // (FTE 0.8 -> 1, gap −1). EU = 150,000 / (2 × 75,000) = 1.00 -> B.
  const AnalysisResult r =
      Analysed({W(1, "P1", "f", 90000), W(1, "P2", "f", 60000)}, {S(1, "P1", "f", 2)});
  ASSERT_EQ(r.units.size(), 1u);
  const UnitResult& u = r.units[0];
  EXPECT_EQ(u.unit_id, 1);
  ExpectDemand(u, /*minutes=*/150000, /*fte=*/2.0, /*headcount=*/2, /*staff=*/2, /*gap=*/0);
  EXPECT_EQ(u.surplus, 1);  // the net 0 hides nothing: both sides are reported
  EXPECT_EQ(u.deficit, 1);
  ASSERT_TRUE(u.eu.has_value());
  EXPECT_DOUBLE_EQ(*u.eu, 1.0);
  EXPECT_EQ(u.grade, Grade::kB);
  EXPECT_EQ(u.vacant_positions, 1);
}

TEST(AbkUnit, AUnitWithNobodyInPostHasNoEu) {
  const AnalysisResult r = Analysed({W(2, "P", "f", 75000)}, {});
  ASSERT_EQ(r.units.size(), 1u);
  EXPECT_FALSE(r.units[0].eu.has_value());
  EXPECT_EQ(r.units[0].grade, Grade::kNone);
}

// --- agency ------------------------------------------------------------------

TEST(AbkAgency, SurplusesAreNeverNettedAgainstDeficitsAcrossUnits) {
  // Unit 1 holds 2 more than its 2 needed; unit 2 lacks 2 of its 2.
  const AnalysisResult r =
      Analysed({W(1, "X", "f", 150000), W(2, "X", "f", 150000)}, {S(1, "X", "f", 4)});
  EXPECT_EQ(r.agency.required_headcount, 4);
  EXPECT_EQ(r.agency.staff, 4);
  EXPECT_EQ(r.agency.surplus, 2);
  EXPECT_EQ(r.agency.deficit, 2);
  ASSERT_EQ(r.units.size(), 2u);
  EXPECT_EQ(r.units[0].gap, 2);
  EXPECT_EQ(r.units[1].gap, -2);
  ASSERT_TRUE(r.agency.eu.has_value());
  EXPECT_DOUBLE_EQ(*r.agency.eu, 1.0);  // 300,000 / (4 × 75,000): balanced on paper only
}

TEST(AbkAgency, PositionsAreCountedAsVacantOverUnderAndBalanced) {
  // A: EJ 1.00 (75,000, 1 staff) balanced, gap 0     B: EJ 0.5 (75,000, 2 staff) over, gap +1
  // C: vacant 150,000 -> under, gap −2               D: EJ 1.5 (225,000, 2 staff) under, gap −1
  // E: EJ 1.10 (165,000, 2 staff) balanced, FTE 2.2 -> 2, gap 0
  const AnalysisResult r =
      Analysed({W(1, "A", "f", 75000), W(1, "B", "f", 75000), W(1, "C", "f", 150000),
                W(1, "D", "f", 225000), W(1, "E", "f", 165000)},
               {S(1, "A", "f", 1), S(1, "B", "f", 2), S(1, "D", "f", 2), S(1, "E", "f", 2)});
  const AgencySummary& a = r.agency;
  EXPECT_EQ(a.positions, 5);
  EXPECT_EQ(a.staffed_positions, 4);
  EXPECT_EQ(a.vacant_positions, 1);
  EXPECT_EQ(a.over_positions, 1);
  EXPECT_EQ(a.under_positions, 2);
  EXPECT_EQ(a.balanced_positions, 2);  // both band edges are inside
  EXPECT_DOUBLE_EQ(a.balanced_share, 0.5);
  EXPECT_EQ(a.surplus, 1);
  EXPECT_EQ(a.deficit, 3);
}

TEST(AbkAgency, RobinHoodCountsMovesOnlyWithinAJobFamily) {
  // teknik:    U1 SIPIL need 2 have 5 (+3), U2 SIPIL need 2 have 1 (−1) -> 1 move
  // kesehatan: U1 PERAWAT need 3 have 1 (−2), U3 PERAWAT need 1 have 2 (+1) -> 1 move
  // A civil engineer cannot fill a nurse's post: 2 moves, not min(4, 3) = 3.
  // Staff 5 + 1 + 1 + 2 = 9 -> index 2/9.
  const AnalysisResult r =
      Analysed({W(1, "SIPIL", "teknik", 150000), W(2, "SIPIL", "teknik", 150000),
                W(1, "PERAWAT", "kesehatan", 225000), W(3, "PERAWAT", "kesehatan", 75000)},
               {S(1, "SIPIL", "teknik", 5), S(2, "SIPIL", "teknik", 1),
                S(1, "PERAWAT", "kesehatan", 1), S(3, "PERAWAT", "kesehatan", 2)});
  EXPECT_EQ(r.agency.surplus, 4);
  EXPECT_EQ(r.agency.deficit, 3);
  EXPECT_EQ(r.agency.robin_hood_moves, 2);
  EXPECT_DOUBLE_EQ(r.agency.robin_hood_index, 2.0 / 9.0);
  ASSERT_EQ(r.families.size(), 2u);
  EXPECT_EQ(r.families[0].job_family, "kesehatan");
  EXPECT_EQ(r.families[0].surplus, 1);
  EXPECT_EQ(r.families[0].deficit, 2);
  EXPECT_EQ(r.families[0].moves, 1);
  EXPECT_EQ(r.families[1].job_family, "teknik");
  EXPECT_EQ(r.families[1].surplus, 3);
  EXPECT_EQ(r.families[1].deficit, 1);
  EXPECT_EQ(r.families[1].moves, 1);
}

TEST(AbkAgency, EqualEjEverywhereHasZeroGiniAndCv) {
  // EJ 0.8 in both: 60,000/75,000 and 240,000/300,000.
  const AnalysisResult r = Analysed({W(1, "A", "f", 60000), W(2, "B", "f", 240000)},
                                    {S(1, "A", "f", 1), S(2, "B", "f", 4)});
  EXPECT_DOUBLE_EQ(r.agency.ej_gini, 0);
  EXPECT_DOUBLE_EQ(r.agency.ej_coefficient_of_variation, 0);
}

TEST(AbkAgency, GiniAndCvWeighEachPersonAndSkipVacantPositions) {
  // 3 staff at EJ 0.5 (112,500 / 225,000) and 1 at EJ 1.5 (112,500 / 75,000):
  // μ = 0.75 (= the agency EU over staffed posts), CV = 1/√3, Gini = 6 / 24 = 0.25.
  // The vacant position has no EJ and does not enter either measure.
  const AnalysisResult r =
      Analysed({W(1, "A", "f", 112500), W(1, "B", "f", 112500), W(1, "V", "f", 75000)},
               {S(1, "A", "f", 3), S(1, "B", "f", 1)});
  EXPECT_NEAR(r.agency.ej_coefficient_of_variation, 1 / std::sqrt(3.0), 1e-12);
  EXPECT_DOUBLE_EQ(r.agency.ej_gini, 0.25);
}

TEST(AbkAgency, StaffWithNoWorkloadEnterTheDispersionAtZero) {
  // EJ 0 (1 staff) and EJ 1 (1 staff): Gini 0.5, CV 1.
  const AnalysisResult r =
      Analysed({W(1, "A", "f", 75000)}, {S(1, "A", "f", 1), S(1, "Z", "f", 1)});
  EXPECT_DOUBLE_EQ(r.agency.ej_gini, 0.5);
  EXPECT_DOUBLE_EQ(r.agency.ej_coefficient_of_variation, 1.0);
}

// --- order and errors ---------------------------------------------------------

TEST(AbkAnalyse, OutputIsOrderedByUnitThenPositionWhateverTheInputOrder) {
  const AnalysisResult r = Analysed({W(9, "B", "f", 1), W(2, "Z", "f", 1), W(9, "A", "f", 1)},
                                    {S(2, "A", "f", 1), S(10, "A", "f", 1)});
  std::vector<std::pair<int64_t, std::string>> keys;
  for (const PositionResult& p : r.positions) keys.emplace_back(p.unit_id, p.position_code);
  EXPECT_EQ(keys, (std::vector<std::pair<int64_t, std::string>>{
                      {2, "A"}, {2, "Z"}, {9, "A"}, {9, "B"}, {10, "A"}}));
  std::vector<int64_t> units;
  for (const UnitResult& u : r.units) units.push_back(u.unit_id);
  EXPECT_EQ(units, (std::vector<int64_t>{2, 9, 10}));
}

TEST(AbkAnalyse, InvalidSettingsAreRejectedWithTheirMessages) {
  Settings s;
  s.effective_minutes_per_year = 500;
  const absl::StatusOr<AnalysisResult> r = Analyse(s, {}, {}, {}, kAsOf);
  EXPECT_EQ(r.status(),
            absl::InvalidArgumentError("invalid settings: effective_minutes_per_year must be "
                                       "between 30000 and 120000, got 500"));
}

TEST(AbkAnalyse, AnInvalidWorkloadIsRejectedNamingItsKey) {
  Workload w = W(3, "P", "f", 100);
  w.tasks[0].volume = -1;
  EXPECT_EQ(Analyse({}, {w}, {}, {}, kAsOf).status(),
            absl::InvalidArgumentError(
                "workload for unit 3 position P: tasks[0].volume must be at least 0, got -1"));
}

TEST(AbkAnalyse, TwoWorkloadsForOneUnitAndPositionAreRejected) {
  EXPECT_EQ(Analyse({}, {W(3, "P", "f", 1), W(3, "P", "f", 2)}, {}, {}, kAsOf).status(),
            absl::InvalidArgumentError("duplicate workload for unit 3 position P"));
}

TEST(AbkAnalyse, NegativeStaffCountsAreRejected) {
  EXPECT_EQ(Analyse({}, {}, {S(3, "P", "f", -1, 2)}, {}, kAsOf).status(),
            absl::InvalidArgumentError(
                "staffing for unit 3 position P: pns and pppk must be at least 0, got -1 and 2"));
}

TEST(AbkAnalyse, SignalsWithAnImpossibleMonthOrNegativeCountAreRejected) {
  EXPECT_EQ(Analyse({}, {}, {}, {{3, "complaint", 2025, 13, 1}}, kAsOf).status(),
            absl::InvalidArgumentError(
                "signal for unit 3 kind complaint: month must be between 1 and 12, got 13"));
  EXPECT_EQ(Analyse({}, {}, {}, {{3, "complaint", 2025, 1, -4}}, kAsOf).status(),
            absl::InvalidArgumentError(
                "signal for unit 3 kind complaint: count must be at least 0, got -4"));
}

TEST(AbkAnalyse, AnEmptyInputGivesAnEmptyResult) {
  const AnalysisResult r = Analysed({}, {});
  EXPECT_TRUE(r.positions.empty());
  EXPECT_TRUE(r.units.empty());
  EXPECT_EQ(r.agency.positions, 0);
  EXPECT_FALSE(r.agency.eu.has_value());
  EXPECT_EQ(r.agency.robin_hood_index, 0);
  EXPECT_EQ(r.agency.balanced_share, 0);
}

// Issue 15 item 5: a demand count of 10^13 once gave a negative headcount. At the limits of
// every input the arithmetic saturates: headcounts stop at kMaxHeadcount, sums at INT64_MAX,
// nothing wraps negative and every minute count stays finite.
TEST(AbkLimits, RoundFteSaturatesInsteadOfOverflowing) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  for (Rounding rule : {Rounding::kNearestHalfUp, Rounding::kCeiling, Rounding::kFloor}) {
    EXPECT_EQ(RoundFte(1e30, rule), kMaxHeadcount);
    EXPECT_EQ(RoundFte(kInf, rule), kMaxHeadcount);
    EXPECT_EQ(RoundFte(static_cast<double>(kMaxHeadcount), rule), kMaxHeadcount);
    EXPECT_EQ(RoundFte(-kInf, rule), -kMaxHeadcount);
    EXPECT_EQ(RoundFte(std::nan(""), rule), 0);
  }
  EXPECT_EQ(RoundFte(kMaxHeadcount - 1.0, Rounding::kFloor), kMaxHeadcount - 1);
}

// Issue 15 item 5: SaturatingAdd stops at the int64 limits.
TEST(AbkLimits, SaturatingAddStopsAtTheLimits) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(SaturatingAdd(kMax, 1), kMax);
  EXPECT_EQ(SaturatingAdd(kMax, kMax), kMax);
  EXPECT_EQ(SaturatingAdd(kMin, -1), kMin);
  EXPECT_EQ(SaturatingAdd(kMax, kMin), -1);
  EXPECT_EQ(SaturatingAdd(2, 3), 5);
}

// Issue 15 item 5: the largest demand, the smallest baseline and the largest staff never make
// a negative or wrapped figure.
TEST(AbkLimits, ExtremeSignalsAndStaffSaturate) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  // 12 x 250 x 100,000 = 3e8 minutes a year: the library's own ceiling of 10,000 FTE at a
  // WKE of 30,000. The driver's ratio is infinite (INT64_MAX counts over a baseline of 1e-300).
  Task driven = T(12, Period::kDay, 100000);
  driven.driver = Driver{"complaint", 1e-300, 10};
  Workload w{1, "JF", "health", {driven, driven}};
  Settings settings;
  settings.effective_minutes_per_year = 30000;
  settings.rounding = Rounding::kCeilingPerTask;
  std::vector<DemandSignal> signals;
  for (int m = 1; m <= 6; ++m) signals.push_back({1, "complaint", 2025, m, kMax});
  // Unit 2: staff at the int64 limit (summed rows), no workload.
  const std::vector<Staffing> staffing = {S(1, "JF", "health", 0), S(2, "JF", "health", kMax, kMax),
                                          S(2, "JF", "health", kMax)};
  absl::StatusOr<AnalysisResult> r = Analyse(settings, {w}, staffing, signals, kAsOf);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->positions.size(), 2u);
  const PositionResult& driven_row = r->positions[0];
  EXPECT_TRUE(std::isfinite(driven_row.workload_minutes));
  EXPECT_GT(driven_row.workload_minutes, driven_row.base_workload_minutes);
  EXPECT_EQ(driven_row.required_headcount, kMaxHeadcount);
  EXPECT_EQ(driven_row.gap, -kMaxHeadcount);
  const PositionResult& crowded = r->positions[1];
  EXPECT_EQ(crowded.pns, kMax);
  EXPECT_EQ(crowded.staff, kMax);
  EXPECT_EQ(crowded.gap, kMax);
  EXPECT_EQ(r->agency.staff, kMax);
  EXPECT_EQ(r->agency.required_headcount, kMaxHeadcount);
  EXPECT_EQ(r->agency.surplus, kMax);
  EXPECT_EQ(r->agency.deficit, kMaxHeadcount);
  EXPECT_EQ(r->agency.robin_hood_moves, kMaxHeadcount);
  EXPECT_GE(r->agency.robin_hood_index, 0);
  for (const UnitResult& u : r->units) {
    EXPECT_GE(u.required_headcount, 0);
    EXPECT_GE(u.staff, 0);
    EXPECT_GE(u.surplus, 0);
    EXPECT_GE(u.deficit, 0);
  }
}

}  // namespace
}  // namespace seimbang::abk
