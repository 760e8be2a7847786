#!/usr/bin/python3
"""The plan report opens in a real browser.

Drives a tiny agency through plan and execution, writes the plan's report with
`seimbangctl report`, renders it in headless Chromium (Debian's package) to a
screenshot and to its DOM, and checks that the page loaded without console
errors, requested nothing from the network, and shows the plan's figures.

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
from seimbang_flow import Services, run_flow  # noqa: E402

# The flags the workplace's probe uses: no sandbox as root, no background
# network (the machine has none), a fresh profile.
CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--enable-logging=stderr", "--v=0"]


class PlanReportInChromium(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="seimbang-report-")
        services = Services(BUILD_DIR, cls.tmp.name)
        try:
            cls.plan_id = run_flow(services.ports, services.dir)
            cls.report = os.path.join(cls.tmp.name, "report.html")
            ctl = subprocess.run(
                [os.path.join(BUILD_DIR, "bin", "seimbangctl"),
                 f"--personnel=127.0.0.1:{services.ports['personnel']}",
                 f"--workload=127.0.0.1:{services.ports['workload']}",
                 f"--transfer=127.0.0.1:{services.ports['transfer']}",
                 "--output=json", "plan", "show", cls.plan_id],
                capture_output=True, text=True, timeout=60)
            assert ctl.returncode == 0, ctl.stderr
            cls.plan_json = ctl.stdout
            ctl = subprocess.run(
                [os.path.join(BUILD_DIR, "bin", "seimbangctl"),
                 f"--personnel=127.0.0.1:{services.ports['personnel']}",
                 f"--workload=127.0.0.1:{services.ports['workload']}",
                 f"--transfer=127.0.0.1:{services.ports['transfer']}",
                 "report", cls.plan_id, "--out", cls.report, "--projection", "plan"],
                capture_output=True, text=True, timeout=60)
            assert ctl.returncode == 0, ctl.stderr
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

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_the_page_renders_to_a_screenshot(self):
        self.assertTrue(os.path.exists(self.screenshot), self.shot_log[-2000:])
        with open(self.screenshot, "rb") as f:
            png = f.read()
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
        self.assertGreater(len(png), 20_000, "an almost empty screenshot")

    def test_no_console_errors_and_no_network(self):
        for log in (self.shot_log, self.dom_log):
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
