#!/usr/bin/python3
"""A real Prometheus server scrapes the three running services.

Starts personnel-, workload- and transfer-service on free loopback ports, calls
each once, starts Debian's Prometheus with deploy/prometheus/prometheus-local.yml
pointed at their metrics ports, waits for a scrape and asks its HTTP API for
grpc_server_handled_total of all three. Also checks that every metric the
Grafana dashboard queries is one the services export.

Usage: prometheus_scrape_test.py SOURCE_DIR BUILD_DIR
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import urllib.request

SOURCE_DIR, BUILD_DIR = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(BUILD_DIR, "python"))
import grpc  # noqa: E402
from seimbang.personnel.v1 import personnel_pb2, personnel_pb2_grpc  # noqa: E402
from seimbang.transfer.v1 import transfer_pb2, transfer_pb2_grpc  # noqa: E402
from seimbang.workload.v1 import workload_pb2, workload_pb2_grpc  # noqa: E402

DEADLINE_S = 90


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_file(path, proc, what):
    end = time.time() + 20
    while time.time() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        if os.path.exists(path) and open(path).read().strip():
            return int(open(path).read().strip())
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not report its port")


def http_get(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read().decode()


class PrometheusScrapesTheServices(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="seimbang-monitoring-")
        cls.procs = {}
        cls.ports = {}
        cls.metrics_ports = {}
        bin_dir = os.path.join(BUILD_DIR, "bin")

        def start(name, extra):
            d = cls.tmp.name
            port_file, mport_file = f"{d}/{name}.port", f"{d}/{name}.mport"
            log = open(f"{d}/{name}.log", "w")
            proc = subprocess.Popen(
                [f"{bin_dir}/{name}-service", "--insecure-dev", "--listen=127.0.0.1:0",
                 "--metrics-listen=127.0.0.1:0", f"--db=sqlite:{d}/{name}.db",
                 f"--port-file={port_file}", f"--metrics-port-file={mport_file}"] + extra,
                stdout=log, stderr=log)
            cls.procs[name] = proc
            cls.ports[name] = wait_for_file(port_file, proc, name)
            cls.metrics_ports[name] = wait_for_file(mport_file, proc, name)

        start("personnel", [])
        start("workload", [f"--personnel-addr=127.0.0.1:{cls.ports['personnel']}"])
        start("transfer", [f"--personnel-addr=127.0.0.1:{cls.ports['personnel']}",
                           f"--workload-addr=127.0.0.1:{cls.ports['workload']}"])

        # One call each, so every service has grpc_server_handled_total samples.
        def channel(name):
            return grpc.insecure_channel(f"127.0.0.1:{cls.ports[name]}")
        personnel_pb2_grpc.PersonnelServiceStub(channel("personnel")).ListAgencies(
            personnel_pb2.ListAgenciesRequest(), timeout=10)
        workload_pb2_grpc.WorkloadAnalysisServiceStub(channel("workload")).ListAnalyses(
            workload_pb2.ListAnalysesRequest(agency_code="73.71"), timeout=10)
        transfer_pb2_grpc.TransferPlanningServiceStub(channel("transfer")).ListPolicies(
            transfer_pb2.ListPoliciesRequest(agency_code="73.71"), timeout=10)

        # The committed local config, with the ports these services picked.
        cfg = open(os.path.join(SOURCE_DIR, "deploy/prometheus/prometheus-local.yml")).read()
        for name, default in (("personnel", 9101), ("workload", 9102), ("transfer", 9103)):
            cfg = cfg.replace(f"127.0.0.1:{default}", f"127.0.0.1:{cls.metrics_ports[name]}")
        cfg = cfg.replace("- alerts.yml",
                          "- " + os.path.join(SOURCE_DIR, "deploy/prometheus/alerts.yml"))
        cfg = cfg.replace("scrape_interval: 5s", "scrape_interval: 1s")
        cfg_path = os.path.join(cls.tmp.name, "prometheus.yml")
        open(cfg_path, "w").write(cfg)
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
        try:
            cls.prom.wait(timeout=20)
        except subprocess.TimeoutExpired:
            cls.prom.kill()
        for name, proc in cls.procs.items():
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
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
        dashboard = json.load(open(os.path.join(SOURCE_DIR, "deploy/grafana/seimbang.json")))
        used = set()
        for panel in dashboard["panels"]:
            for target in panel["targets"]:
                used |= set(re.findall(r"\b((?:grpc|seimbang)_[a-z_]+)", target["expr"]))
        used = {re.sub(r"_(bucket|sum|count)$", "", m) for m in used}
        missing = sorted(used - exported)
        self.assertEqual(missing, [], f"dashboard uses metrics nobody exports: {missing}")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
