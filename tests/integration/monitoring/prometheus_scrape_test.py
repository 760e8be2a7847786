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


def read(path):
    with open(path) as f:
        return f.read()


def wait_for_file(path, proc, what):
    end = time.time() + 20
    while time.time() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        if os.path.exists(path) and read(path).strip():
            return int(read(path).strip())
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not report its port")


def http_get(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read().decode()

AGENCY = "73.71"


def run_flow(ports):
    """Import, analyse, plan, approve and execute a tiny agency over the Python stubs."""
    from seimbang.common.v1 import common_pb2
    personnel = personnel_pb2_grpc.PersonnelServiceStub(
        grpc.insecure_channel(f"127.0.0.1:{ports['personnel']}"))
    workload = workload_pb2_grpc.WorkloadAnalysisServiceStub(
        grpc.insecure_channel(f"127.0.0.1:{ports['workload']}"))
    transfer = transfer_pb2_grpc.TransferPlanningServiceStub(
        grpc.insecure_channel(f"127.0.0.1:{ports['transfer']}"))
    P = personnel_pb2

    def records():
        yield P.ImportRecordsRequest(agency=P.Agency(
            code=AGENCY, name="Kota Makassar", kind=P.AGENCY_KIND_CITY, province_code="73"))
        for uid, name in ((1, "Dinas Penataan Ruang"), (2, "Dinas Pekerjaan Umum")):
            yield P.ImportRecordsRequest(unit=P.Unit(
                id=uid, agency_code=AGENCY, name=name, kind=P.UNIT_KIND_DINAS, active=True))
        yield P.ImportRecordsRequest(position=P.Position(
            code="JF-TS-AP", name="Teknik Sipil Ahli Pertama",
            kind=P.POSITION_KIND_FUNCTIONAL_EXPERTISE, level=P.FUNCTIONAL_LEVEL_AHLI_PERTAMA,
            job_family="civil_engineering", rank_min="III/a", rank_max="III/b",
            min_education=P.EDUCATION_LEVEL_S1))
        # Ten civil engineers in spatial planning, none in public works.
        for seq in range(1, 11):
            yield P.ImportRecordsRequest(employee=P.Employee(
                nip=f"19850312201001{1 + seq % 2}{seq:03d}", name=f"Insinyur {seq}",
                employment_type=P.EMPLOYMENT_TYPE_PNS, rank="III/b",
                education_level=P.EDUCATION_LEVEL_S1, education_field="Teknik Sipil",
                unit_id=1, position_code="JF-TS-AP",
                in_post_since=common_pb2.Date(year=2015, month=1, day=1)))

    summary = personnel.ImportRecords(records(), timeout=30).summary
    assert summary.rejected == 0, summary

    W = workload_pb2
    for uid, minutes in ((1, 75000), (2, 225000)):  # need 1 and 3 people
        workload.UpsertWorkload(W.UpsertWorkloadRequest(workload=W.Workload(
            agency_code=AGENCY, unit_id=uid, position_code="JF-TS-AP",
            tasks=[W.Task(name="Menyusun dokumen teknis", output_unit="dokumen",
                          volume=minutes / 60, period=W.PERIOD_YEAR, norm_minutes=60)])),
            timeout=30)
    run_id = ""
    for event in workload.RunAnalysis(W.RunAnalysisRequest(
            agency_code=AGENCY, as_of=common_pb2.Date(year=2026, month=10, day=31)), timeout=60):
        if event.HasField("summary"):
            run_id = event.summary.run_id
    assert run_id

    T = transfer_pb2
    policy = transfer.CreatePolicy(T.CreatePolicyRequest(policy=T.Policy(
        agency_code=AGENCY, name="bawaan")), timeout=30).policy
    plan = None
    for event in transfer.CreatePlan(T.CreatePlanRequest(
            agency_code=AGENCY, analysis_run_id=run_id, policy_id=policy.id,
            effective_date=common_pb2.Date(year=2027, month=1, day=1)), timeout=60):
        if event.HasField("plan"):
            plan = event.plan
    assert plan is not None and plan.moves > 0, plan
    plan = transfer.SubmitPlan(T.SubmitPlanRequest(plan_id=plan.id, etag=plan.etag)).plan
    plan = transfer.ApprovePlan(T.ApprovePlanRequest(plan_id=plan.id, etag=plan.etag)).plan
    transfer.ExecutePlan(T.ExecutePlanRequest(plan_id=plan.id), timeout=30)
    end = time.time() + 30
    while time.time() < end:
        execution = transfer.GetExecution(T.GetExecutionRequest(plan_id=plan.id)).execution
        if execution.plan_state == T.PLAN_STATE_EXECUTED:
            assert execution.applied == plan.moves, execution
            return
        time.sleep(0.2)
    raise AssertionError(f"plan {plan.id} did not finish executing")


class PrometheusScrapesTheServices(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="seimbang-monitoring-")
        cls.procs = {}
        cls.logs = []
        cls.ports = {}
        cls.metrics_ports = {}
        bin_dir = os.path.join(BUILD_DIR, "bin")

        def start(name, extra):
            d = cls.tmp.name
            port_file, mport_file = f"{d}/{name}.port", f"{d}/{name}.mport"
            log = open(f"{d}/{name}.log", "w")  # closed in tearDownClass
            cls.logs.append(log)
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

        # A small agency carried through the whole flow, so every service has
        # grpc samples and its domain gauges: analysis, plan, approval, execution.
        run_flow(cls.ports)

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
        for f in cls.logs + [cls.prom_log]:
            f.close()
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
