#!/usr/bin/python3
"""Two replicas of a service on one database report the same domain gauges (issue 20).

Starts the three services (SQLite stores in a temporary folder), then a second
transfer-service and a second workload-service on the same databases, as a Deployment
with two pods would run. A tiny agency is carried through analysis, plan and execution
on the first replicas only. The second replicas, which served none of it, must report the
same plans by state and the same latest analysis (read from the database at scrape
time), and the executed-moves counter of the agency at 0 (created at start-up, so the
stuck-plan alert has a series after a restart). The alerts aggregate the domain gauges
with max, never sum, since every replica reports the whole database.

Usage: replicas_test.py SOURCE_DIR BUILD_DIR
"""
import os
import re
import sys
import tempfile
import time
import unittest
import urllib.request

SOURCE_DIR, BUILD_DIR = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "e2e"))
from seimbang_flow import AGENCY, Services, read, run_flow  # noqa: E402

DEADLINE_S = 30


def scrape(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        return r.read().decode()


def sample(text, name, **labels):
    """The value of the sample `name{labels}` (labels in any order), or None."""
    for line in text.splitlines():
        m = re.match(r"^([a-z_]+)\{(.*)\} (\S+)$", line)
        if not m or m.group(1) != name:
            continue
        have = dict(re.findall(r'([a-z_]+)="([^"]*)"', m.group(2)))
        if all(have.get(k) == v for k, v in labels.items()):
            return float(m.group(3))
    return None


class TwoReplicasOnOneDatabase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="seimbang-replicas-")
        cls.services = Services(BUILD_DIR, cls.tmp.name)
        # The second replicas' metrics ports.
        cls.transfer_b = cls.services.start_second_replica("transfer")
        cls.workload_b = cls.services.start_second_replica("workload")
        cls.before = scrape(cls.transfer_b)
        run_flow(cls.services.ports, cls.services.dir)

    @classmethod
    def tearDownClass(cls):
        cls.services.stop()
        cls.tmp.cleanup()

    def wait_for(self, port, name, want, **labels):
        end, got = time.time() + DEADLINE_S, None
        while time.time() < end:
            got = sample(scrape(port), name, **labels)
            if got == want:
                return
            time.sleep(0.5)
        self.fail(f"{name}{labels} on port {port} is {got}, want {want}")

    def test_both_transfer_replicas_count_the_executed_plan_once_each(self):
        self.assertIsNone(sample(self.before, "seimbang_transfer_plans", agency=AGENCY))
        a = self.services.metrics_ports["transfer"]
        for port in (a, self.transfer_b):
            self.wait_for(port, "seimbang_transfer_plans", 1.0, agency=AGENCY, state="EXECUTED")
            self.wait_for(port, "seimbang_transfer_plans", 0.0, agency=AGENCY, state="DRAFT")

    def test_the_executed_counter_exists_at_zero_on_the_replica_that_executed_nothing(self):
        self.wait_for(self.transfer_b, "seimbang_transfer_moves_executed_total", 0.0,
                      agency=AGENCY)
        a = sample(scrape(self.services.metrics_ports["transfer"]),
                   "seimbang_transfer_moves_executed_total", agency=AGENCY)
        self.assertGreater(a, 0)

    def test_both_workload_replicas_report_the_latest_analysis(self):
        a = self.services.metrics_ports["workload"]
        share = sample(scrape(a), "seimbang_workload_balanced_share", agency=AGENCY)
        self.assertIsNotNone(share)
        self.wait_for(self.workload_b, "seimbang_workload_balanced_share", share,
                      agency=AGENCY)

    def test_alerts_aggregate_domain_gauges_with_max_never_sum(self):
        alerts = read(os.path.join(SOURCE_DIR, "deploy/prometheus/alerts.yml"))
        for gauge in ("seimbang_transfer_plans", "seimbang_workload_"):
            self.assertNotRegex(alerts, r"sum[^()]*\(\s*" + gauge,
                                f"{gauge} is summed over replicas that each report it all")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
