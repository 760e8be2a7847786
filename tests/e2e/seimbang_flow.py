"""Shared by the end-to-end Python tests: start the three services, drive a tiny agency.

The services run with --insecure-dev on free loopback ports and SQLite stores in a
temporary folder; the calls use the Python stubs generated from the contracts
(build/python, `make proto-python`).
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest


def generated_stubs(source_dir, prefix):
    """Generates the contracts' Python stubs (tools/proto-python.sh: Seimbang and google/rpc)
    into a new temporary folder, puts it first on sys.path and returns it (remove it at the end)."""
    stubs = tempfile.mkdtemp(prefix=prefix)
    subprocess.run([os.path.join(source_dir, "tools", "proto-python.sh"), stubs], check=True,
                   stdout=subprocess.DEVNULL)
    sys.path.insert(0, stubs)
    return stubs


def wait_or_kill(proc, timeout=20):
    """Waits for a process told to stop; kills it if it has not exited after `timeout` seconds."""
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()


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


class Services:
    """personnel, workload and transfer on free ports; stop() sends SIGTERM."""

    def __init__(self, build_dir, work_dir):
        sys.path.insert(0, os.path.join(build_dir, "python"))
        self.procs, self.ports, self.metrics_ports, self.logs, self.extra = {}, {}, {}, [], {}
        self.bin_dir = os.path.join(build_dir, "bin")
        self.dir = work_dir
        self._start("personnel", [])
        self._start("workload", [f"--personnel-addr=127.0.0.1:{self.ports['personnel']}"])
        self._start("transfer", [f"--personnel-addr=127.0.0.1:{self.ports['personnel']}",
                                 f"--workload-addr=127.0.0.1:{self.ports['workload']}"])

    def _start(self, name, extra, instance=None):
        """Starts `name`-service on `name`'s database; `instance` (default `name`) keys its
        process, ports and files."""
        d, instance = self.dir, instance or name
        self.extra[name] = extra
        port_file, mport_file = f"{d}/{instance}.port", f"{d}/{instance}.mport"
        log = open(f"{d}/{instance}.log", "w")  # closed in stop()
        self.logs.append(log)
        proc = subprocess.Popen(
            [f"{self.bin_dir}/{name}-service", "--insecure-dev", "--listen=127.0.0.1:0",
             "--metrics-listen=127.0.0.1:0", f"--db=sqlite:{d}/{name}.db",
             f"--port-file={port_file}", f"--metrics-port-file={mport_file}"] + extra,
            stdout=log, stderr=log)
        self.procs[instance] = proc
        self.ports[instance] = wait_for_file(port_file, proc, instance)
        self.metrics_ports[instance] = wait_for_file(mport_file, proc, instance)

    def start_second_replica(self, name):
        """Another process of `name`-service on the same database, as a Deployment's second pod
        would run; returns its metrics port (its ports are keyed f"{name}-b"). stop() stops it
        too."""
        self._start(name, self.extra[name], f"{name}-b")
        return self.metrics_ports[f"{name}-b"]

    def seimbangctl(self, *args, timeout=60):
        """Runs build/bin/seimbangctl with `args` against these services; returns its standard
        output (asserts it exited 0)."""
        ctl = subprocess.run(
            [os.path.join(self.bin_dir, "seimbangctl")]
            + [f"--{name}=127.0.0.1:{self.ports[name]}"
               for name in ("personnel", "workload", "transfer")] + list(args),
            capture_output=True, text=True, timeout=timeout)
        assert ctl.returncode == 0, (args, ctl.stderr[-2000:])
        return ctl.stdout

    def stop(self):
        for proc in self.procs.values():
            proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            wait_or_kill(proc)
        for f in self.logs:
            f.close()


class ServicesTestCase(unittest.TestCase):
    """A test class whose tests share the three services, started in a new temporary folder
    (cls.dir, cls.services) before the first test, with a stub of each (cls.personnel,
    cls.workload, cls.transfer); the folder and the class's `stubs` (the folder
    generated_stubs returned) are removed after the last. Set `build_dir`, `stubs` and
    `prefix` (the folder's name) on the subclass, and override `prepare` to give the services
    the class's data once they are up."""

    build_dir = None
    stubs = None
    prefix = "seimbang-e2e-"

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix=cls.prefix)
        cls.services = Services(cls.build_dir, cls.dir)
        cls.personnel, cls.workload, cls.transfer = service_stubs(cls.services.ports)
        cls.prepare()

    @classmethod
    def prepare(cls):
        """Called by setUpClass once the services are up; the class's data goes in here."""

    @classmethod
    def tearDownClass(cls):
        cls.services.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)
        if cls.stubs:
            shutil.rmtree(cls.stubs, ignore_errors=True)

    @classmethod
    def channel(cls, name):
        """An insecure channel to one of the services ("personnel", "workload", "transfer")."""
        import grpc
        return grpc.insecure_channel(f"127.0.0.1:{cls.services.ports[name]}")


AGENCY = "73.71"


def service_stubs(ports):
    """(personnel, workload, transfer): the generated stubs of the three services at `ports`."""
    # Imported here: the stubs are put on sys.path by Services() or generated_stubs().
    import grpc
    from seimbang.personnel.v1 import personnel_pb2_grpc
    from seimbang.transfer.v1 import transfer_pb2_grpc
    from seimbang.workload.v1 import workload_pb2_grpc

    def channel(name):
        return grpc.insecure_channel(f"127.0.0.1:{ports[name]}")

    return (personnel_pb2_grpc.PersonnelServiceStub(channel("personnel")),
            workload_pb2_grpc.WorkloadAnalysisServiceStub(channel("workload")),
            transfer_pb2_grpc.TransferPlanningServiceStub(channel("transfer")))


def pns(nip, name, position_code, in_post_since_year, unit_id=1, **fields):
    """A PNS employee (personnel_pb2.Employee) of `position_code` at unit `unit_id`, in post
    since 1 January of `in_post_since_year`; `fields` are the rest (rank, education, ...)."""
    from seimbang.common.v1 import common_pb2
    from seimbang.personnel.v1 import personnel_pb2
    return personnel_pb2.Employee(
        nip=nip, name=name, employment_type=personnel_pb2.EMPLOYMENT_TYPE_PNS, unit_id=unit_id,
        position_code=position_code,
        in_post_since=common_pb2.Date(year=in_post_since_year, month=1, day=1), **fields)


def import_agency(personnel, employees, units=(), positions=(), **unit_fields):
    """Imports into AGENCY its DINAS `units` ((id, name) pairs, each with `unit_fields`),
    `positions` (personnel_pb2.Position) and `employees` (personnel_pb2.Employee) through
    ImportRecords, and checks that none is rejected. With units, the agency itself (Kota
    Makassar) comes first."""
    from seimbang.personnel.v1 import personnel_pb2 as P

    def records():
        if units:
            yield P.ImportRecordsRequest(agency=P.Agency(
                code=AGENCY, name="Kota Makassar", kind=P.AGENCY_KIND_CITY, province_code="73"))
        for uid, name in units:
            yield P.ImportRecordsRequest(unit=P.Unit(
                id=uid, agency_code=AGENCY, name=name, kind=P.UNIT_KIND_DINAS, active=True,
                **unit_fields))
        for position in positions:
            yield P.ImportRecordsRequest(position=position)
        for employee in employees:
            yield P.ImportRecordsRequest(employee=employee)

    summary = personnel.ImportRecords(records(), timeout=30).summary
    assert summary.rejected == 0, summary


def bad_request_of(error):
    """The google.rpc.BadRequest in a failed call's grpc-status-details-bin trailer, or None."""
    from google.rpc import error_details_pb2, status_pb2
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            for detail in status_pb2.Status.FromString(value).details:
                bad = error_details_pb2.BadRequest()
                if detail.Unpack(bad):
                    return bad
    return None


def age_plan_submission(work_dir, plan_id, days):
    """Moves a plan's submission `days` into the past in transfer-service's SQLite database."""
    import sqlite3
    with sqlite3.connect(f"{work_dir}/transfer.db", timeout=10) as db:
        n = db.execute("UPDATE plans SET submit_time_ms = submit_time_ms - ? WHERE id = ?",
                       (days * 24 * 3600 * 1000, plan_id)).rowcount
    assert n == 1, f"plan {plan_id} not stored"


def run_flow(ports, work_dir):
    """Import, analyse, plan, approve and execute a tiny agency over the Python stubs.

    Returns the executed plan's id.
    """
    # Imported here: build/python is put on sys.path by Services().
    from seimbang.common.v1 import common_pb2
    from seimbang.personnel.v1 import personnel_pb2
    from seimbang.transfer.v1 import transfer_pb2
    from seimbang.workload.v1 import workload_pb2

    personnel, workload, transfer = service_stubs(ports)
    P = personnel_pb2
    import_agency(
        personnel,
        # Ten civil engineers in spatial planning, none in public works.
        [pns(f"19850312201001{1 + seq % 2}{seq:03d}", f"Insinyur {seq}", "JF-TS-AP", 2015,
             rank="III/b", education_level=P.EDUCATION_LEVEL_S1, education_field="Teknik Sipil")
         for seq in range(1, 11)],
        units=((1, "Dinas Penataan Ruang"), (2, "Dinas Pekerjaan Umum")),
        positions=[P.Position(
            code="JF-TS-AP", name="Teknik Sipil Ahli Pertama",
            kind=P.POSITION_KIND_FUNCTIONAL_EXPERTISE, level=P.FUNCTIONAL_LEVEL_AHLI_PERTAMA,
            job_family="civil_engineering", rank_min="III/a", rank_max="III/b",
            min_education=P.EDUCATION_LEVEL_S1)])

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
    # Ten working days pass: the review window closes (issue 18; approval waits for it).
    age_plan_submission(work_dir, plan.id, days=30)
    plan = transfer.ApprovePlan(T.ApprovePlanRequest(plan_id=plan.id, etag=plan.etag)).plan
    transfer.ExecutePlan(T.ExecutePlanRequest(plan_id=plan.id), timeout=30)
    end = time.time() + 30
    while time.time() < end:
        execution = transfer.GetExecution(T.GetExecutionRequest(plan_id=plan.id)).execution
        if execution.plan_state == T.PLAN_STATE_EXECUTED:
            assert execution.applied == plan.moves, execution
            return plan.id
        time.sleep(0.2)
    raise AssertionError(f"plan {plan.id} did not finish executing")

