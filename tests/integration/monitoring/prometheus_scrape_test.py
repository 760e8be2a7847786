#!/usr/bin/python3
"""A real Prometheus server scrapes the three running services.

Starts personnel-, workload- and transfer-service on free loopback ports, drives
a tiny agency through import, analysis, plan, approval and execution with the
Python stubs generated from the contracts, starts Debian's Prometheus with deploy/prometheus/prometheus-local.yml
pointed at their metrics ports, waits for a scrape and asks its HTTP API for
grpc_server_handled_total of all three. Also checks that every metric the
Grafana dashboard queries is one the services export.

Usage: prometheus_scrape_test.py SOURCE_DIR BUILD_DIR
"""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import urllib.request

SOURCE_DIR, BUILD_DIR = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "e2e"))
from seimbang_flow import Services, read, run_flow, wait_or_kill  # noqa: E402

DEADLINE_S = 90


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read().decode()


class PrometheusScrapesTheServices(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="seimbang-monitoring-")
        cls.services = Services(BUILD_DIR, cls.tmp.name)
        cls.metrics_ports = cls.services.metrics_ports
        # A small agency carried through the whole flow, so every service has
        # grpc samples and its domain gauges: analysis, plan, approval, execution.
        run_flow(cls.services.ports, cls.services.dir)

        # The committed local config, with the ports these services picked.
        cfg = read(os.path.join(SOURCE_DIR, "deploy/prometheus/prometheus-local.yml"))
        for name, default in (("personnel", 9101), ("workload", 9102), ("transfer", 9103)):
            cfg = cfg.replace(f"127.0.0.1:{default}", f"127.0.0.1:{cls.metrics_ports[name]}")
        cfg = cfg.replace("- alerts.yml",
                          "- " + os.path.join(SOURCE_DIR, "deploy/prometheus/alerts.yml"))
        cfg = cfg.replace("scrape_interval: 5s", "scrape_interval: 1s")
        cfg_path = os.path.join(cls.tmp.name, "prometheus.yml")
        with open(cfg_path, "w") as f:
            f.write(cfg)
        cls.prom_port = free_port()
        cls.prom_log = open(os.path.join(cls.tmp.name, "prometheus.log"), "w")
        cls.prom = subprocess.Popen(
            ["prometheus", f"--config.file={cfg_path}",
             f"--storage.tsdb.path={cls.tmp.name}/tsdb",
             f"--web.listen-address=127.0.0.1:{cls.prom_port}"],
            stdout=cls.prom_log, stderr=cls.prom_log)

    @classmethod
    def tearDownClass(cls):
        cls.prom.terminate()
        wait_or_kill(cls.prom)
        cls.services.stop()
        cls.prom_log.close()
        cls.tmp.cleanup()

    def query(self, promql):
        url = (f"http://127.0.0.1:{self.prom_port}/api/v1/query?"
               + urllib.parse.urlencode({"query": promql}))
        body = json.loads(http_get(url))
        self.assertEqual(body["status"], "success")
        return body["data"]["result"]

    def wait_for(self, promql, predicate):
        end = time.time() + DEADLINE_S
        result = []
        while time.time() < end:
            try:
                result = self.query(promql)
                if predicate(result):
                    return result
            except OSError:
                pass  # Prometheus still starting.
            time.sleep(0.5)
        self.fail(f"{promql} never satisfied the check; last result: {result}")

    def test_handled_total_of_all_three_services(self):
        jobs = {"seimbang-personnel", "seimbang-workload", "seimbang-transfer"}
        result = self.wait_for(
            "sum by (job, grpc_service) (grpc_server_handled_total)",
            lambda r: {s["metric"].get("job") for s in r} >= jobs)
        services = {s["metric"]["job"]: s["metric"]["grpc_service"] for s in result
                    if s["metric"]["grpc_service"].startswith("seimbang.")}
        self.assertEqual(services["seimbang-personnel"], "seimbang.personnel.v1.PersonnelService")
        self.assertEqual(services["seimbang-workload"],
                         "seimbang.workload.v1.WorkloadAnalysisService")
        self.assertEqual(services["seimbang-transfer"],
                         "seimbang.transfer.v1.TransferPlanningService")

    def test_every_target_is_up_and_the_alert_rules_are_loaded(self):
        self.wait_for('up{job=~"seimbang-.*"} == 1', lambda r: len(r) == 3)
        rules = json.loads(http_get(f"http://127.0.0.1:{self.prom_port}/api/v1/rules"))
        names = {r["name"] for g in rules["data"]["groups"] for r in g["rules"]}
        self.assertIn("SeimbangServiceDown", names)
        self.assertIn("SeimbangPlanStuckExecuting", names)

    def test_dashboard_queries_only_metrics_the_services_export(self):
        exported = set()
        for name, port in self.metrics_ports.items():
            text = http_get(f"http://127.0.0.1:{port}/metrics")
            exported |= set(re.findall(r"^# TYPE (\S+)", text, re.M))
        dashboard = json.loads(read(os.path.join(SOURCE_DIR, "deploy/grafana/seimbang.json")))
        used = set()
        for panel in dashboard["panels"]:
            for target in panel["targets"]:
                # Metric names only: drop label matchers {...} and grouping clauses by (...).
                expr = re.sub(r"\{[^}]*\}", "", target["expr"])
                expr = re.sub(r"\b(by|without)\s*\([^)]*\)", "", expr)
                used |= set(re.findall(r"\b((?:grpc|seimbang)_[a-z_]+)", expr))
        used = {re.sub(r"_(bucket|sum|count)$", "", m) for m in used}
        missing = sorted(used - exported)
        self.assertEqual(missing, [], f"dashboard uses metrics nobody exports: {missing}")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
