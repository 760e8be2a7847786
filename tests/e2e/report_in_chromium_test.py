#!/usr/bin/python3
"""The plan report opens in a real browser.

Drives a tiny agency through plan and execution, writes the plan's report with
`seimbangctl report`, renders it in headless Chromium (Debian's package) to
screenshots at desktop width and at A4 width, to its DOM and to a PDF, and checks
that the page loaded without console errors, requested nothing from the network,
shows the plan's figures, opens with the leader's summary and its approval block
(issue 19), has no text overflowing its box at either width (report_layout.py)
and prints on A4 with the summary alone on page 1.

Usage: report_in_chromium_test.py SOURCE_DIR BUILD_DIR
"""
import os
import re
import subprocess
import sys
import tempfile
import unittest

SOURCE_DIR, BUILD_DIR = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "e2e"))
from report_layout import (CHROMIUM, layout_problems, pdf_page_size_mm, pdf_pages,  # noqa: E402
                           print_to_pdf, run_in_page, screenshot)
from seimbang_flow import Services, run_flow  # noqa: E402

A4_WIDTH_PX = 718  # 210 mm less the report's 2 x 12 mm margins, at 96 px per inch

# Clicks the units table's "kebutuhan" heading once, then again, and records the column's values
# after each click: the page's own script sorts ascending, then descending.
SORT_SCRIPT = r"""
<script>
window.addEventListener("load", function () {
  var t = document.querySelector("table.sortable"), out = [];
  var th = t.querySelectorAll("thead th")[1];
  function col() {
    return Array.prototype.map.call(t.tBodies[0].rows, function (r) {
      return parseFloat(r.cells[1].dataset.v); });
  }
  th.click(); out.push(col());
  th.click(); out.push(col());
  var pre = document.createElement("pre"); pre.id = "sort-check";
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
});
</script>
"""


class PlanReportInChromium(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="seimbang-report-")
        services = Services(BUILD_DIR, cls.tmp.name)
        try:
            cls.plan_id = run_flow(services.ports, services.dir)
            cls.report = os.path.join(cls.tmp.name, "report.html")
            cls.plan_json = services.seimbangctl("--output=json", "plan", "show", cls.plan_id)
            services.seimbangctl("report", cls.plan_id, "--out", cls.report,
                                 "--projection", "plan")
        finally:
            services.stop()
        profile = os.path.join(cls.tmp.name, "profile")
        url = "file://" + cls.report
        cls.screenshot = os.path.join(cls.tmp.name, "report.png")
        shot = subprocess.run(
            CHROMIUM + [f"--user-data-dir={profile}-1", f"--screenshot={cls.screenshot}",
                        "--window-size=1280,1600", url],
            capture_output=True, text=True, timeout=120)
        cls.shot_log = shot.stderr
        dom = subprocess.run(CHROMIUM + [f"--user-data-dir={profile}-2", "--dump-dom", url],
                             capture_output=True, text=True, timeout=120)
        cls.dom, cls.dom_log = dom.stdout, dom.stderr
        cls.a4_shot = os.path.join(cls.tmp.name, "report-a4.png")
        cls.a4_log = screenshot(cls.report, cls.a4_shot, f"{profile}-3", 794, 1123)
        cls.pdf = os.path.join(cls.tmp.name, "report.pdf")
        cls.pdf_log = print_to_pdf(cls.report, cls.pdf, f"{profile}-4")
        cls.desktop_problems, cls.desktop_log = layout_problems(cls.report, f"{profile}-5", 1280)
        cls.a4_problems, cls.a4_check_log = layout_problems(cls.report, f"{profile}-6",
                                                            A4_WIDTH_PX)
        cls.sorted, cls.sort_log = run_in_page(cls.report, f"{profile}-8", 1280, SORT_SCRIPT,
                                               "sort-check")
        # The first page alone: the summary section printed by itself.
        with open(cls.report, encoding="utf-8") as f:
            html = f.read()
        first = html[:html.index('<section class="detail"')] + "</body></html>"
        cls.first_page = os.path.join(cls.tmp.name, "first.html")
        with open(cls.first_page, "w", encoding="utf-8") as f:
            f.write(first)
        cls.first_pdf = os.path.join(cls.tmp.name, "first.pdf")
        cls.first_log = print_to_pdf(cls.first_page, cls.first_pdf, f"{profile}-7")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_the_page_renders_to_a_screenshot(self):
        self.assertTrue(os.path.exists(self.screenshot), self.shot_log[-2000:])
        with open(self.screenshot, "rb") as f:
            png = f.read()
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
        self.assertGreater(len(png), 20_000, "an almost empty screenshot")

    def test_the_page_renders_at_a4_width(self):
        self.assertTrue(os.path.exists(self.a4_shot), self.a4_log[-2000:])
        with open(self.a4_shot, "rb") as f:
            self.assertGreater(len(f.read()), 20_000, "an almost empty screenshot")

    def test_no_text_overflows_its_box_at_desktop_and_a4_width(self):
        self.assertIsNotNone(self.desktop_problems, self.desktop_log[-2000:])
        self.assertEqual(self.desktop_problems, [])
        self.assertIsNotNone(self.a4_problems, self.a4_check_log[-2000:])
        self.assertEqual(self.a4_problems, [])

    def test_it_prints_on_a4_with_the_summary_alone_on_page_one(self):
        self.assertTrue(os.path.exists(self.pdf), self.pdf_log[-2000:])
        width, height = pdf_page_size_mm(self.pdf)
        self.assertAlmostEqual(width, 210, delta=1)
        self.assertAlmostEqual(height, 297, delta=1)
        # The leader's summary fits one page, and the detail starts on the next.
        self.assertEqual(pdf_pages(self.first_pdf), 1, self.first_log[-2000:])
        self.assertGreater(pdf_pages(self.pdf), 1)

    def test_the_first_page_is_the_leaders_summary_with_the_approval_block(self):
        page1 = self.dom[self.dom.index('<section class="page1"'):
                         self.dom.index('<section class="detail"')]
        for text in ("Ringkasan untuk pimpinan", "KOTA MAKASSAR", "TMT 1 Januari 2027",
                     "status: dilaksanakan", "Unit yang paling terbantu", "Dinas Pekerjaan Umum",
                     "Mengapa tidak lebih banyak mutasi", "Keberatan pegawai",
                     "Kebijakan yang dipakai", "24 bulan", "20,0%", "Disiapkan oleh",
                     "Diperiksa oleh", "Disetujui oleh"):
            self.assertIn(text, page1)
        # The services ran with --insecure-dev: the audit trail's subject is "insecure-dev",
        # printed as it is (not a NIP) in all three places.
        self.assertEqual(page1.count('<div class="name">insecure-dev</div>'), 3)
        for raw in ("PLAN_STATE", "civil_engineering", "Objective", "digest",
                    "nilai nol berarti"):
            self.assertNotIn(raw, self.dom)

    def test_the_units_table_sorts_in_the_browser(self):
        self.assertIn('<table class="sortable units noprint">', self.dom)
        self.assertIsNotNone(self.sorted, self.sort_log[-2000:])
        ascending, descending = self.sorted
        self.assertGreaterEqual(len(ascending), 2)
        self.assertEqual(ascending, sorted(ascending))
        self.assertEqual(descending, sorted(ascending, reverse=True))
        self.assertNotEqual(ascending, descending)

    def test_no_console_errors_and_no_network(self):
        for log in (self.shot_log, self.dom_log, self.a4_log, self.pdf_log, self.desktop_log,
                    self.a4_check_log, self.sort_log):
            console = [line for line in log.splitlines() if "CONSOLE" in line]
            self.assertEqual([line for line in console if "rror" in line], [])
        with open(self.report) as f:
            html = f.read()
        # Self-contained: no external scripts, styles, images or fonts.
        self.assertIsNone(re.search(r'(src|href)\s*=\s*"(https?:)?//', html))

    def test_the_page_shows_the_plans_figures(self):
        import json
        plan = json.loads(self.plan_json)
        plan = plan.get("plan", plan)
        self.assertIn(self.plan_id, self.dom)
        # The moves count as the plan reports it, and the moves table has that many rows.
        self.assertIn(str(plan["moves"]), self.dom)
        self.assertIn("<svg", self.dom)

    def test_the_projection_section_renders(self):
        # --projection plan: ProjectStaffing from the plan's run with its moves (issue 21).
        self.assertIn("Proyeksi kebutuhan pegawai dan usulan formasi", self.dom)
        for source in ("PP 11/2017", "pasal 5", "pasal 239", "PermenPANRB 1/2020"):
            self.assertIn(source, self.dom)
        self.assertGreaterEqual(self.dom.count("chart family"), 1, "no chart per job family")
        self.assertIn("Pensiun per tahun", self.dom)
        self.assertIn("Formasi per tahun", self.dom)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
