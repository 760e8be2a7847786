#!/usr/bin/python3
"""The Makassar plan report prints on fewer than 30 A4 pages (issue 19).

Generates the Makassar dataset (seimbang-datagen --profile makassar --seed 1, as `make demo`),
imports it, runs the workload analysis and plans with the default policy, writes the plan's
report with `seimbangctl report`, prints it with headless Chromium (--print-to-pdf, A4 from the
report's @page rule) and counts the PDF's pages. It also checks that the long report's DOM has
no text overflowing its box at A4 width (report_layout.py) and keeps the PDF and screenshots
under SEIMBANG_REPORT_ARTIFACTS when that is set.

Usage: makassar_report_pdf_test.py SOURCE_DIR BUILD_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

SOURCE_DIR, BUILD_DIR = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "e2e"))
from report_layout import layout_problems, pdf_pages, print_to_pdf, screenshot  # noqa: E402
from seimbang_flow import AGENCY, Services  # noqa: E402

MOST_PAGES = 29  # "under 30 printed pages"


class MakassarReportPrints(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="seimbang-makassar-report-")
        d = cls.tmp.name
        started = time.time()
        subprocess.run([os.path.join(BUILD_DIR, "bin", "seimbang-datagen"), "--profile",
                        "makassar", "--seed", "1", "--out", f"{d}/data"],
                       check=True, capture_output=True, timeout=300)
        services = Services(BUILD_DIR, d)

        def run(*args):
            return services.seimbangctl(*args, timeout=600)

        try:
            run("import", f"{d}/data")
            analysis = json.loads(run("--output=json", "analysis", "run", "--agency", AGENCY,
                                      "--as-of", "2026-10-31", "--label", "makassar"))
            policy = json.loads(run("--output=json", "policy", "create", "--agency", AGENCY,
                                    "--name", "Kebijakan bawaan"))
            plan = json.loads(run("--output=json", "plan", "create", "--agency", AGENCY,
                                  "--run", analysis["runId"], "--policy", policy["id"],
                                  "--effective", "2027-01-01"))
            cls.plan = plan
            cls.report = f"{d}/report.html"
            run("report", plan["id"], "--out", cls.report, "--projection", "plan")
        finally:
            services.stop()
        cls.flow_seconds = time.time() - started
        cls.pdf = f"{d}/report.pdf"
        cls.print_log = print_to_pdf(cls.report, cls.pdf, f"{d}/profile-pdf")
        cls.problems, cls.dom_log = layout_problems(cls.report, f"{d}/profile-dom", width=718)
        cls.shot = f"{d}/report-a4.png"
        cls.shot_log = screenshot(cls.report, cls.shot, f"{d}/profile-shot", 794, 1123)
        keep = os.environ.get("SEIMBANG_REPORT_ARTIFACTS")
        if keep:
            os.makedirs(keep, exist_ok=True)
            for f in (cls.report, cls.pdf, cls.shot):
                if os.path.exists(f):
                    shutil.copy(f, os.path.join(keep, "makassar-" + os.path.basename(f)))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_the_plan_is_makassars_size(self):
        # The dataset this test is about: several hundred moves across many units.
        self.assertGreater(self.plan["moves"], 300, self.plan)

    def test_the_printed_pdf_has_fewer_than_30_pages(self):
        self.assertTrue(os.path.exists(self.pdf), self.print_log[-2000:])
        pages = pdf_pages(self.pdf)
        print(f"\nMakassar: {self.plan['moves']} moves, report printed on {pages} A4 pages "
              f"(flow {self.flow_seconds:.0f} s)", file=sys.stderr)
        self.assertGreater(pages, 1)
        self.assertLessEqual(pages, MOST_PAGES)

    def test_no_text_overflows_its_box_at_a4_width(self):
        self.assertIsNotNone(self.problems, self.dom_log[-2000:])
        self.assertEqual(self.problems, [])

    def test_no_console_errors(self):
        for log in (self.print_log, self.dom_log, self.shot_log):
            console = [line for line in log.splitlines() if "CONSOLE" in line]
            self.assertEqual([line for line in console if "rror" in line], [])


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
