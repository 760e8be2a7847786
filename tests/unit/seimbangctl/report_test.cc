// The plan report: a pure renderer whose page shows the plan's own figures.
#include "tools/seimbangctl/report.h"

#include <algorithm>
#include <climits>

#include "gtest/gtest.h"

namespace seimbang::ctl {
namespace {
namespace tv1 = seimbang::transfer::v1;
namespace wv1 = seimbang::workload::v1;

tv1::Move MakeMove(const std::string& id, int64_t from, const std::string& from_name, int64_t to,
                   const std::string& to_name, const std::string& position) {
  tv1::Move m;
  m.set_id(id);
  m.set_nip("198501012010011001");
  m.set_employee_name("Andi <Baso> & Co");
  m.set_job_family("civil_engineering");
  m.set_from_unit_id(from);
  m.set_from_unit_name(from_name);
  m.set_from_position_code(position);
  m.set_to_unit_id(to);
  m.set_to_unit_name(to_name);
  m.set_to_position_code(position);
  m.set_summary("Pindah ke Bidang Bina Marga: tujuan kekurangan 10 orang.");
  m.mutable_cost()->set_total(123.4);
  return m;
}

wv1::PositionRow Row(int64_t unit, const std::string& pos, int staff, int need, double minutes) {
  wv1::PositionRow r;
  r.set_unit_id(unit);
  r.set_position_code(pos);
  r.set_job_family("civil_engineering");
  r.set_staff(staff);
  r.set_required_headcount(need);
  r.set_workload_minutes(minutes);
  return r;
}

ReportInput Input() {
  ReportInput in;
  in.agency_name = "Pemerintah Kota Makassar";
  auto& p = in.plan;
  p.set_id("p123");
  p.set_agency_code("73.71");
  p.set_moves(547);
  p.set_moves_lower_bound(747);
  p.set_unfilled(355);
  p.mutable_before()->set_balanced_share(0.565);
  p.mutable_after()->set_balanced_share(0.691);
  p.mutable_before()->set_ej_cv(0.142);
  p.mutable_after()->set_ej_cv(0.101);
  p.mutable_before()->set_total_deficit(899);
  p.mutable_after()->set_total_deficit(355);
  auto* f = p.add_by_family();
  f->set_job_family("civil_engineering");
  f->set_moves(9);
  f->set_lower_bound(44);
  in.policy.set_id("pol-1");
  in.policy.set_name("Kebijakan bawaan");
  in.policy.mutable_rules()->set_min_months_in_post(24);
  in.moves = {
      MakeMove("m000001", 39, "Bidang Pengawasan Bangunan", 34, "Bidang Bina Marga", "JF-TJJ-AP")};
  tv1::UnfilledNeed u;
  u.set_unit_name("Bidang Bina Marga");
  u.set_position_code("JF-TJJ-AM");
  u.set_missing(6);
  u.set_reason(tv1::UNFILLED_REASON_BLOCKED_BY_RULE);
  u.set_rule("max_leave_fraction");
  in.unfilled = {u};
  in.slots = BuildSlots({Row(34, "JF-TJJ-AP", 14, 24, 14 * 75000 * 1.7),
                         Row(39, "JF-TJJ-AP", 10, 4, 10 * 75000 * 0.4)},
                        in.moves, {{34, "Bidang Bina Marga"}, {39, "Bidang Pengawasan Bangunan"}});
  return in;
}

TEST(BuildSlots, AMoveTakesOneFromItsSourceAndGivesOneToItsTarget) {
  auto slots = Input().slots;
  ASSERT_EQ(slots.size(), 2u);
  EXPECT_EQ(slots[0].unit_id, 34);
  EXPECT_EQ(slots[0].staff_before, 14);
  EXPECT_EQ(slots[0].staff_after, 15);
  EXPECT_EQ(slots[0].unit_name, "Bidang Bina Marga");
  EXPECT_EQ(slots[1].staff_before, 10);
  EXPECT_EQ(slots[1].staff_after, 9);
}

TEST(SlotEj, IsWorkloadOverStaffTimesEffectiveTimeAndZeroWhenNobodyIsInPost) {
  EXPECT_DOUBLE_EQ(SlotEj(150000, 2, 75000), 1.0);
  EXPECT_DOUBLE_EQ(SlotEj(150000, 0, 75000), 0.0);
}

TEST(RenderPlanReport, ShowsThePlansSummaryFigures) {
  const std::string html = RenderPlanReport(Input());
  EXPECT_NE(html.find("<b>547</b>mutasi"), std::string::npos);
  EXPECT_NE(html.find("<b>747</b>batas bawah mutasi"), std::string::npos);
  EXPECT_NE(html.find("56.5% &#8594; 69.1%"), std::string::npos);
  EXPECT_NE(html.find("<tr><th>Total kekurangan</th><td>899</td><td>355</td></tr>"),
            std::string::npos);
  EXPECT_NE(html.find("<tr><th>Koefisien variasi EJ</th><td>0.142</td><td>0.101</td></tr>"),
            std::string::npos);
  EXPECT_NE(html.find("<td>civil_engineering</td><td>9</td><td>44</td>"), std::string::npos);
}

TEST(RenderPlanReport, ListsEveryMoveWithItsExplanationAndEscapesNames) {
  const std::string html = RenderPlanReport(Input());
  EXPECT_NE(html.find("m000001"), std::string::npos);
  EXPECT_NE(html.find("Andi &lt;Baso&gt; &amp; Co"), std::string::npos);
  EXPECT_EQ(html.find("Andi <Baso>"), std::string::npos);
  EXPECT_NE(html.find("Pindah ke Bidang Bina Marga: tujuan kekurangan 10 orang."),
            std::string::npos);
  EXPECT_NE(html.find("Daftar mutasi (1)"), std::string::npos);
}

TEST(RenderPlanReport, ListsUnfilledNeedsWithTheirReasonAndRule) {
  const std::string html = RenderPlanReport(Input());
  EXPECT_NE(html.find("Kebutuhan yang belum terisi (355 orang)"), std::string::npos);
  EXPECT_NE(html.find("<td>Bidang Bina Marga</td><td>JF-TJJ-AM</td><td></td><td>6</td>"),
            std::string::npos);
  EXPECT_NE(html.find("kandidat terhalang aturan (max_leave_fraction)"), std::string::npos);
}

TEST(RenderPlanReport, ChartsStaffAgainstNeedAndTheEjDistributionInInlineSvg) {
  const std::string html = RenderPlanReport(Input());
  EXPECT_NE(html.find("aria-label=\"Pegawai dibanding kebutuhan per unit\""), std::string::npos);
  EXPECT_NE(html.find("14 &#8594; 15 / 24"),
            std::string::npos);  // Bina Marga before -> after / need
  EXPECT_NE(html.find("10 &#8594; 9 / 4"), std::string::npos);
  EXPECT_NE(html.find("aria-label=\"Sebaran EJ sebelum dan sesudah\""), std::string::npos);
  // EJ 1.7 and 0.4 before: one slot above 1.30 and one below 0.50.
  EXPECT_NE(html.find("<title>sebelum: 1</title>"), std::string::npos);
}

TEST(RenderPlanReport, IsSelfContainedAndPrintable) {
  const std::string html = RenderPlanReport(Input());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_NE(html.find("Kebijakan bawaan"), std::string::npos);
}

TEST(RenderPlanReport, IsAPureFunctionOfItsInput) {
  EXPECT_EQ(RenderPlanReport(Input()), RenderPlanReport(Input()));
}

// ---- the projection section (issue 21)

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

wv1::ProjectionYear PYear(int year, int64_t staff, int64_t retirements, int64_t need,
                          int64_t formasi) {
  wv1::ProjectionYear y;
  y.set_year(year);
  y.set_staff_start(staff);
  y.set_retirements(retirements);
  y.set_need(need);
  y.set_gap(staff - retirements - need);
  y.set_shortage(std::max<int64_t>(0, need + retirements - staff));
  y.mutable_formasi()->set_total(formasi);
  y.mutable_formasi()->set_retirements(formasi);
  return y;
}

// Two families of very different size (civil engineering up to 1,234 people, audit 3), the
// agency's retirements 1,500 then 20, and one formasi line per year.
wv1::Projection MakeProjection() {
  wv1::Projection p;
  wv1::ProjectionSummary* s = p.mutable_summary();
  s->set_projection_id("proj-1");
  s->set_run_id("run-9");
  s->set_plan_id("p123");
  s->set_moves_given(2);
  s->set_moves_applied(2);
  s->mutable_as_of()->set_year(2026);
  s->mutable_as_of()->set_month(10);
  s->mutable_as_of()->set_day(31);
  auto* g = s->add_growth();
  g->set_job_family("civil_engineering");
  g->set_yearly_growth(0.1);
  *s->add_agency() = PYear(2027, 1237, 1500, 1237, 1500);
  *s->add_agency() = PYear(2028, -263, 20, 1237, 20);
  auto* civil = p.add_families();
  civil->set_job_family("civil_engineering");
  *civil->add_years() = PYear(2027, 1234, 0, 1000, 0);
  *civil->add_years() = PYear(2028, 1234, 0, 1100, 0);
  auto* audit = p.add_families();
  audit->set_job_family("audit");
  *audit->add_years() = PYear(2027, 3, 1, 3, 1);
  *audit->add_years() = PYear(2028, 2, 0, 3, 0);
  for (int year : {2027, 2028}) {
    wv1::FormasiRow* r = p.add_formasi();
    r->set_year(year);
    r->set_unit_id(7);
    r->set_position_code("JF-AUD-AP");
    r->set_job_family("audit");
    r->mutable_formasi()->set_total(1);
    r->mutable_formasi()->set_retirements(1);
    r->set_unfilled_diagnosis("NO_ELIGIBLE_CANDIDATE");
  }
  return p;
}

TEST(FormatCount, GroupsThousandsWithDotsAsIndonesianDoes) {
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatCount(1000), "1.000");
  EXPECT_EQ(FormatCount(1234567), "1.234.567");
  EXPECT_EQ(FormatCount(-1234), "-1.234");
  EXPECT_EQ(FormatCount(INT64_MIN), "-9.223.372.036.854.775.808");
}

TEST(RenderProjectionSection, ExplainsTheMethodWithItsSources) {
  ReportInput in = Input();
  in.projection = MakeProjection();
  const std::string h = RenderProjectionSection(in);
  for (const char* source : {"PP 11/2017", "PP 17/2020, pasal 5", "pasal 239", "BUP 58, 60 atau 65",
                             "PermenPANRB 1/2020", "TMT pensiun"}) {
    EXPECT_NE(h.find(source), std::string::npos) << source;
  }
  EXPECT_NE(h.find("31-10-2026"), std::string::npos);               // year 0, Indonesian date order
  EXPECT_NE(h.find("teknik sipil 10,0%"), std::string::npos) << h;  // growth, in words
  EXPECT_NE(h.find("<code>p123</code> yang diterapkan di tahun 0 (2 dari 2)"), std::string::npos);
}

TEST(RenderProjectionSection, DrawsOneChartPerFamilyScaledToThatFamilysOwnData) {
  ReportInput in = Input();
  in.projection = MakeProjection();
  const std::string h = RenderProjectionSection(in);
  EXPECT_EQ(Count(h, "class=\"chart family\""), 2);
  EXPECT_NE(h.find("Pegawai dibanding kebutuhan: teknik sipil"), std::string::npos);
  EXPECT_NE(h.find("Pegawai dibanding kebutuhan: pengawasan"), std::string::npos);
  // Each axis ends at its own family's largest value, rounded up to 1, 2 or 5 x 10^k.
  EXPECT_NE(h.find("class=\"lbl\">2.000</text>"), std::string::npos) << h;
  EXPECT_NE(h.find("class=\"lbl\">5</text>"), std::string::npos) << h;
  // A point per family-year, staff at the end of the year (start - retirements) and the need.
  EXPECT_NE(h.find("<title>2027: pegawai 1.234, kebutuhan 1.000</title>"), std::string::npos);
  EXPECT_NE(h.find("<title>2027: pegawai 2, kebutuhan 3</title>"), std::string::npos);
}

TEST(RenderProjectionSection, ShowsTheRetirementWaveAndTheFormasiPerYear) {
  ReportInput in = Input();
  in.projection = MakeProjection();
  const std::string h = RenderProjectionSection(in);
  EXPECT_NE(h.find("<title>2027: 1.500 pensiun</title>"), std::string::npos) << h;
  EXPECT_NE(h.find("<title>2028: 20 pensiun</title>"), std::string::npos);
  // The larger year's bar is the full height (170 - 20 - 40), the other in proportion.
  EXPECT_NE(h.find("height=\"110.0\" fill=\"#a0aec0\"><title>2027"), std::string::npos) << h;
  EXPECT_NE(h.find("height=\"1.5\" fill=\"#a0aec0\"><title>2028"), std::string::npos) << h;
  EXPECT_NE(h.find("<tr><td>2027</td><td>1.237</td><td>1.500</td><td>1.237</td><td>1.500</td>"
                   "<td><b>1.500</b></td>"),
            std::string::npos)
      << h;
  EXPECT_EQ(Count(h, "<td>JF-AUD-AP</td><td>pengawasan</td>"), 2);
  EXPECT_NE(h.find("NO_ELIGIBLE_CANDIDATE"), std::string::npos);
}

TEST(RenderProjectionSection, ListsAtMost150FormasiLinesAndPointsToTheCsv) {
  ReportInput in = Input();
  in.projection = MakeProjection();
  in.projection->clear_formasi();
  for (int i = 0; i < 160; ++i) {
    wv1::FormasiRow* r = in.projection->add_formasi();
    r->set_year(2027);
    r->set_unit_id(i);
    r->set_position_code("JF-X");
  }
  const std::string h = RenderProjectionSection(in);
  EXPECT_EQ(Count(h, "<td>JF-X</td>"), 150);
  EXPECT_NE(h.find("dan 10 baris lagi"), std::string::npos);
  EXPECT_NE(h.find("seimbangctl projection formasi proj-1 --output csv"), std::string::npos);
}

TEST(RenderProjectionSection, WithoutAProjectionSaysHowToMakeOneOrIsLeftOut) {
  ReportInput in = Input();
  const std::string hint = RenderProjectionSection(in);
  EXPECT_NE(hint.find("seimbangctl projection run --agency 73.71 --plan p123"), std::string::npos)
      << hint;
  EXPECT_NE(RenderPlanReport(in).find(hint), std::string::npos);
  in.projection_wanted = false;
  EXPECT_EQ(RenderProjectionSection(in), "");
  EXPECT_EQ(RenderPlanReport(in).find("Proyeksi kebutuhan pegawai"), std::string::npos);
  in.projection = MakeProjection();
  EXPECT_NE(RenderPlanReport(in).find("Gelombang pensiun"), std::string::npos);
}

}  // namespace
}  // namespace seimbang::ctl
