// The plan report: a pure renderer whose page shows the plan's own figures.
#include "tools/seimbangctl/report.h"

#include <algorithm>
#include <climits>
#include <initializer_list>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/harness/workload_records.h"

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

bool Has(const std::string& html, const std::string& what) {
  return html.find(what) != std::string::npos;
}

// Every one of `parts` is in `html`.
void ExpectHas(const std::string& html, std::initializer_list<std::string> parts) {
  for (const std::string& part : parts) {
    SCOPED_TRACE(part);
    EXPECT_TRUE(Has(html, part));
  }
}

TEST(RenderPlanReport, ShowsThePlansFiguresInIndonesianNotation) {
  const std::string html = RenderPlanReport(Input());
  EXPECT_TRUE(Has(html, "<b>547</b><span>mutasi</span>")) << html;
  ExpectHas(html, {"56,5% &#8594; 69,1%",
                   "<tr><th>Jumlah kekurangan pegawai (orang)</th><td class=\"num\">899</td>"
                   "<td class=\"num\">355</td></tr>",
                   "<td class=\"num\">0,142</td><td class=\"num\">0,101</td>",
                   "<td>teknik sipil</td><td class=\"num\">9</td><td class=\"num\">44</td>"});
}

// Issue 19: no enum names, family codes, rule ids or English words reach the page.
TEST(RenderPlanReport, SpeaksIndonesianWordsNotCodes) {
  ReportInput in = Input();
  in.plan.set_state(tv1::PLAN_STATE_SUBMITTED);
  in.unfilled[0].set_rule("max_leave_fraction/allow_below_need");
  const std::string html = RenderPlanReport(in);
  for (const char* raw :
       {"PLAN_STATE", "civil_engineering", "max_leave_fraction", "allow_below_need", "Objective",
        "objective", "digest", "UNFILLED_REASON", "nilai nol berarti"}) {
    EXPECT_FALSE(Has(html, raw)) << raw;
  }
  ExpectHas(html, {"status: diajukan",
                   "terhalang aturan (batas porsi pegawai yang boleh keluar dari unit asal; "
                   "unit asal tidak boleh turun di bawah kebutuhan)"});
}

// Issue 19: page 1 is the leader's summary, alone on its printed page, before the detail.
TEST(RenderPlanReport, OpensWithTheLeadersSummaryAndItsApprovalBlock) {
  ReportInput in = Input();
  in.plan.set_label("Mutasi semester I");
  in.plan.set_revision(2);
  in.plan.mutable_effective_date()->set_year(2027);
  in.plan.mutable_effective_date()->set_month(1);
  in.plan.mutable_effective_date()->set_day(1);
  in.plan.set_created_by("198001012005011001");
  in.plan.set_create_time_ms(1793698550896);  // 2026-11-03 in WITA
  in.plan.set_submitted_by("operator-73.71");
  in.plan.set_submit_time_ms(1793698550896 + 86400000);
  in.people["198001012005011001"] = "Siti Aminah, S.E.";
  in.open_objections = 3;
  in.objection_window_close_ms = 1795017600000;  // 2026-11-19 00:00 WITA
  const std::string html = RenderPlanReport(in);
  const size_t page1 = html.find("<section class=\"page1\"");
  const size_t detail = html.find("<section class=\"detail\"");
  ASSERT_NE(page1, std::string::npos);
  ASSERT_LT(page1, detail);
  const std::string first = html.substr(page1, detail - page1);
  for (const char* needle : {"PEMERINTAH KOTA MAKASSAR",
                             "Ringkasan untuk pimpinan",
                             "Mutasi semester I",
                             "revisi 2",
                             "TMT 1 Januari 2027",
                             "Rencana ini memuat 547 mutasi untuk 1 pegawai, di antara 2 unit",
                             "Unit yang paling terbantu",
                             "Bidang Bina Marga",
                             "Batas bawah 747 mutasi",
                             "547 mutasi, 200 lebih sedikit",
                             "terhalang aturan",
                             "6 orang",
                             "3 keberatan masih terbuka",
                             "berakhir 18 November 2026",
                             "Kebijakan yang dipakai",
                             "24 bulan",
                             "Disiapkan oleh",
                             "Siti Aminah, S.E.",
                             "NIP 198001012005011001",
                             "tanggal 3 November 2026",
                             "Diperiksa oleh",
                             "operator-73.71",
                             "tanggal 4 November 2026",
                             "Disetujui oleh"}) {
    EXPECT_TRUE(Has(first, needle)) << needle;
  }
  // Nobody approved yet: blank lines to sign on.
  const std::string approved = first.substr(first.find("Disetujui oleh"));
  EXPECT_TRUE(Has(approved, "<div class=\"name\">..............................</div>"));
  EXPECT_FALSE(Has(first, "Catatan keputusan"));  // no decision yet, so no note
  // Print: the detail starts on a page of its own, on A4.
  ExpectHas(html, {"section.detail{break-before:page}", "@page{size:A4"});
}

// The approver's note (or a rejection's reason) stands under the approval block, escaped.
TEST(RenderPlanReport, TheApprovalBlockCarriesTheDecisionNote) {
  ReportInput in = Input();
  in.plan.set_approved_by("approver-73.71");
  in.plan.set_approve_time_ms(1793698550896);
  in.plan.set_decision_note("Disetujui <segera> & dilaksanakan TMT 1 Januari");
  const std::string html = RenderPlanReport(in);
  const size_t block = html.find("Disetujui oleh");
  ASSERT_NE(block, std::string::npos);
  const size_t note = html.find("Catatan keputusan:");
  ASSERT_NE(note, std::string::npos);
  EXPECT_GT(note, block);
  EXPECT_TRUE(Has(html, "Disetujui &lt;segera&gt; &amp; dilaksanakan TMT 1 Januari"));
  EXPECT_FALSE(Has(html, "<segera>"));
}

TEST(RenderPlanReport, ShowsThePolicyValuesUsedNotZeros) {
  ReportInput in = Input();
  in.policy.mutable_rules()->set_max_leave_fraction(0.2);
  in.policy.mutable_rules()->set_objection_window_days(10);
  in.policy.mutable_weights()->set_under_need_penalty(400);
  const std::string html = RenderPlanReport(in);
  ExpectHas(html, {"<td>20,0%</td>", "10 hari kerja", "<td>400,0</td>"});
}

TEST(RenderPlanReport, ListsEveryMoveWithItsExplanationAndEscapesNames) {
  const std::string html = RenderPlanReport(Input());
  ExpectHas(html, {"m000001", "Andi &lt;Baso&gt; &amp; Co"});
  EXPECT_FALSE(Has(html, "Andi <Baso>"));
  ExpectHas(html,
            {"Pindah ke Bidang Bina Marga: tujuan kekurangan 10 orang.", "Daftar mutasi (1)"});
}

TEST(RenderPlanReport, ListsUnfilledNeedsWithTheirReasonAndRuleInWords) {
  const std::string html = RenderPlanReport(Input());
  EXPECT_TRUE(Has(html, "Kebutuhan yang belum terisi (355 orang)"));
  // The reason is numbered (one line a row in print) and said in words once, above the table.
  ExpectHas(html, {"<td>Bidang Bina Marga</td><td>JF-TJJ-AM</td><td class=\"fam\"></td><td "
                   "class=\"num\">6</td><td class=\"num\">1</td>",
                   "<ol class=\"reasons\"><li>terhalang aturan (batas porsi pegawai yang "
                   "boleh keluar dari unit asal)</li></ol>"});
}

TEST(RenderPlanReport, ChartsStaffAgainstNeedAndTheEjDistributionInInlineSvg) {
  const std::string html = RenderPlanReport(Input());
  EXPECT_TRUE(Has(html, "aria-label=\"Pegawai dibanding kebutuhan per unit\""));
  EXPECT_TRUE(Has(html, "14 &#8594; 15 / 24"));  // Bina Marga before -> after / need
  ExpectHas(html, {"10 &#8594; 9 / 4", "aria-label=\"Sebaran EJ sebelum dan sesudah\""});
  // EJ 1.7 and 0.4 before: one slot above 1.30 and one below 0.50.
  EXPECT_TRUE(Has(html, "<title>sebelum: 1</title>"));
}

// 60 units, one of 674 people: the chart shows 20 and says so, on a log scale (the big unit
// does not squash the others: a unit of 5 gets a bar of at least a fifth of the big one's), with
// names cut to fit; the table holds every unit.
TEST(RenderPlanReport, TheChartScalesAndSaysWhichUnitsItShowsAndTheTableHoldsAll) {
  ReportInput in = Input();
  std::vector<wv1::PositionRow> rows;
  std::vector<tv1::Move> moves;
  std::map<int64_t, std::string> names;
  for (int u = 1; u <= 60; ++u) {
    rows.push_back(Row(u, "P", u == 1 ? 674 : 5, u == 1 ? 683 : 6, 75000));
    names[u] = u == 1 ? "Rumah Sakit Umum Daerah Daya dengan nama yang sangat panjang sekali"
                      : absl::StrCat("Puskesmas ", u);
  }
  for (int u = 2; u <= 30; ++u) {
    moves.push_back(MakeMove(absl::StrCat("m", u), 100, "Asal", u, names[u], "P"));
  }
  for (int i = 0; i < 3; ++i) {
    moves.push_back(MakeMove(absl::StrCat("m1-", i), 100, "Asal", 1, names[1], "P"));
  }
  rows.push_back(Row(100, "P", 200, 100, 75000));
  names[100] = "Asal";
  in.slots = BuildSlots(rows, moves, names);
  const std::string html = RenderPlanReport(in);
  ExpectHas(html, {"20 unit yang paling terbantu dari 31 unit yang berubah (61 unit "
                   "seluruhnya",
                   "Skala logaritmik", "Semua unit (61)"});
  const size_t table = html.find("<table class=\"sortable units noprint\"");
  ASSERT_NE(table, std::string::npos);
  for (int u = 2; u <= 60; ++u) {
    EXPECT_TRUE(Has(html.substr(table), absl::StrCat("<td>Puskesmas ", u, "</td>"))) << u;
  }
  ExpectHas(html, {"674 &#8594; 677 / 683",
                   "Rumah Sakit Umum Daerah Daya dengan nama \xE2\x80\xA6</text>"});
  // Log scale: bar widths of 6 and 677 people.
  auto width = [&](const std::string& title) {
    const size_t t = html.find(title);
    const size_t w = html.rfind("width=\"", t);
    return std::stod(html.substr(w + 7));
  };
  EXPECT_GT(width("<title>sesudah: 6</title>") * 5, width("<title>sesudah: 677</title>"));
}

TEST(RenderPlanReport, IsSelfContainedPrintableAndSortsItsTableWithInlineScript) {
  const std::string html = RenderPlanReport(Input());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_FALSE(Has(html, "http://"));
  EXPECT_FALSE(Has(html, "https://"));
  EXPECT_FALSE(Has(html, "<script src"));
  EXPECT_FALSE(Has(html, "<link"));
  ExpectHas(html, {"<script>", "table.sortable", "@media print",
                   "thead{display:table-header-group}", "Kebijakan bawaan",
                   "<title>Rencana mutasi p123 &middot; Pemerintah Kota Makassar</title>"});
}

TEST(RenderPlanReport, IsAPureFunctionOfItsInput) {
  EXPECT_EQ(RenderPlanReport(Input()), RenderPlanReport(Input()));
}

TEST(FormatDecimal, UsesACommaForDecimalsAndDotsForThousands) {
  EXPECT_EQ(FormatDecimal(1234.56, 1), "1.234,6");
  EXPECT_EQ(FormatDecimal(-0.25, 2), "-0,25");
  EXPECT_EQ(FormatDecimal(-0.001, 1), "0,0");
  EXPECT_EQ(FormatDecimal(400, 0), "400");
  EXPECT_EQ(FormatPercent(0.565), "56,5%");
  EXPECT_EQ(DayInWords(0), "");
  EXPECT_EQ(DayInWords(1795017600000 - 1), "18 November 2026");
}

// ---- the projection section (issue 21)

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

wv1::ProjectionYear PYear(int year, int64_t staff, int64_t retirements, int64_t need,
                          int64_t formasi) {
  wv1::ProjectionYear y = ::seimbang::testing::ProjectionYearOf(year, staff, retirements, need);
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
  EXPECT_NE(h.find("tidak ada kandidat yang memenuhi syarat"), std::string::npos);
  EXPECT_EQ(h.find("NO_ELIGIBLE_CANDIDATE"), std::string::npos);
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
