// The plan report: a pure renderer whose page shows the plan's own figures.
#include "tools/seimbangctl/report.h"

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

}  // namespace
}  // namespace seimbang::ctl
