#!/usr/bin/python3
"""Every command tools/seimbangctl/README.md documents runs against live services (issue 19).

Reads the README's command list, then walks the Makassar dataset through one concrete
invocation of each command, as the people who use them would (admin, operator, approver and
the employee a move concerns, with real tokens), in the order the ids they need come into
being: run, policy, plans, moves, objection, projection. Fails when a documented command has
no invocation here (a command added to the README without a live check), when an invocation
uses a command the README does not document, or when one exits other than 0 or prints
nothing where it must print something.

Usage: readme_commands_test.py SOURCE_DIR BUILD_DIR
"""
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

SOURCE_DIR, BUILD_DIR = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "e2e"))
from seimbang_flow import AGENCY, age_plan_submission, wait_for_file  # noqa: E402

BIN = os.path.join(BUILD_DIR, "bin")
CTL = os.path.join(BIN, "seimbangctl")


def documented_commands():
    """The command names (leading lower-case words) of the README's command list."""
    with open(os.path.join(SOURCE_DIR, "tools", "seimbangctl", "README.md")) as f:
        text = f.read()
    block = text.split("## Commands", 1)[1]
    names = []
    for line in block.splitlines()[1:]:
        if line.startswith("(`") or line.startswith("- "):
            break
        m = re.match(r"^    ((?:[a-z]+ ?)+)", line)
        if m:
            names.append(m.group(1).strip())
    return names


def find_key(value, key):
    """The first value of `key` anywhere in a parsed JSON document."""
    if isinstance(value, dict):
        if key in value:
            return value[key]
        value = list(value.values())
    if isinstance(value, list):
        for v in value:
            found = find_key(v, key)
            if found is not None:
                return found
    return None


class ReadmeCommandsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="seimbang-readme-")
        cls.procs = []
        cls.secret = os.path.join(cls.dir, "hs256.secret")
        with open(cls.secret, "w") as f:
            f.write(os.urandom(32).hex())
        cls.env = dict(os.environ, SEIMBANG_LANG="id")
        cls.env.pop("SEIMBANG_TOKEN", None)
        cls.exercised = set()
        cls.tokens = {role: cls.mint(role) for role in ("admin", "operator", "approver")}
        service_token = os.path.join(cls.dir, "service.token")
        with open(service_token, "w") as f:
            f.write(cls.mint("service"))
        ports = {}
        for name, extra in (("personnel", []),
                            ("workload", ["--personnel-addr=127.0.0.1:{personnel}",
                                          f"--service-token-file={service_token}"]),
                            ("transfer", ["--personnel-addr=127.0.0.1:{personnel}",
                                          "--workload-addr=127.0.0.1:{workload}",
                                          f"--service-token-file={service_token}"])):
            port_file = os.path.join(cls.dir, f"{name}.port")
            log = open(os.path.join(cls.dir, f"{name}.log"), "w")
            proc = subprocess.Popen(
                [os.path.join(BIN, f"{name}-service"), "--listen=127.0.0.1:0",
                 "--metrics-listen=127.0.0.1:0", f"--db=sqlite:{cls.dir}/{name}.db",
                 f"--auth-hs256-secret-file={cls.secret}", f"--port-file={port_file}"]
                + [e.format(**ports) for e in extra], stdout=log, stderr=log)
            cls.procs.append((proc, log))
            ports[name] = wait_for_file(port_file, proc, name)
        for name in ports:
            cls.env[f"SEIMBANG_{name.upper()}_ADDR"] = f"127.0.0.1:{ports[name]}"

    @classmethod
    def tearDownClass(cls):
        for proc, _ in cls.procs:
            proc.terminate()
        for proc, log in cls.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.close()
        shutil.rmtree(cls.dir, ignore_errors=True)

    @classmethod
    def mint(cls, role, nip=None):
        args = [CTL, "token", "--role", role, "--secret-file", cls.secret, "--ttl", "1h"]
        if role not in ("admin", "service"):
            args += ["--agency", AGENCY]
        if nip:
            args += ["--nip", nip]
        cls.exercised.add("token")
        out = subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()
        assert out, "token printed nothing"
        return out

    def ctl(self, command, *args, role="operator", token=None, output=None, prints=True):
        """Runs `seimbangctl COMMAND ARGS` and returns its stdout; fails on a non-zero exit."""
        words = command.split()
        argv = [CTL] + words + [str(a) for a in args]
        if output:
            argv += ["--output", output]
        env = dict(self.env, SEIMBANG_TOKEN=token or self.tokens[role])
        r = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)
        self.assertEqual(r.returncode, 0, f"{' '.join(argv[1:])}\nstdout:\n{r.stdout}\n"
                                          f"stderr:\n{r.stderr}")
        if prints:
            self.assertTrue(r.stdout.strip(), f"{' '.join(argv[1:])} printed nothing")
        type(self).exercised.add(command)
        return r.stdout

    def json_id(self, out, key):
        value = find_key(json.loads(out), key)
        self.assertTrue(value, f"no {key} in {out[:500]}")
        return value

    def csv_rows(self, out):
        lines = [line for line in out.splitlines() if not line.startswith("#")]
        return list(csv.DictReader(io.StringIO("\n".join(lines))))

    def test_every_documented_command_runs(self):
        data = os.path.join(self.dir, "data")
        subprocess.run([os.path.join(BIN, "seimbang-datagen"), "--profile", "makassar", "--seed",
                        "1", "--out", data], check=True, stdout=subprocess.DEVNULL)
        catalogue = os.path.join(self.dir, "catalogue")
        os.makedirs(catalogue)
        for name in ("agencies", "units", "employees", "workloads", "signals"):
            with open(os.path.join(data, f"{name}.csv")) as src:
                header = src.readline()
            with open(os.path.join(catalogue, f"{name}.csv"), "w") as dst:
                dst.write(header)
        shutil.copy(os.path.join(data, "positions.csv"), catalogue)
        self.ctl("import", catalogue, role="admin")
        self.assertIn("employees.csv", self.ctl("import", data))

        self.ctl("help")
        self.assertIn("plan moves", self.ctl("help", "plan", "moves"))
        employees = self.csv_rows(self.ctl("employees list", "--agency", AGENCY, "--page-size",
                                           "5", output="csv"))
        self.assertEqual(len(employees), 5)
        self.assertIn(employees[0]["nip"], self.ctl("employees get", employees[0]["nip"]))
        # Search: a word of the first person's name (in another case) and their NIP's first
        # eight digits each find them, and every row found matches what was asked.
        word = employees[0]["name"].split()[0]
        by_name = self.csv_rows(self.ctl("employees list", "--agency", AGENCY, "--name",
                                         word.swapcase(), "--all", output="csv"))
        self.assertIn(employees[0]["nip"], [e["nip"] for e in by_name])
        self.assertTrue(all(word.lower() in e["name"].lower() for e in by_name))
        prefix = employees[0]["nip"][:8]
        by_nip = self.csv_rows(self.ctl("employees list", "--agency", AGENCY, "--nip", prefix,
                                        "--all", output="csv"))
        self.assertIn(employees[0]["nip"], [e["nip"] for e in by_nip])
        self.assertTrue(all(e["nip"].startswith(prefix) for e in by_nip))
        units = self.csv_rows(self.ctl("units list", "--agency", AGENCY, "--page-size", "5",
                                       output="csv"))
        self.assertEqual(len(units), 5)

        run = self.json_id(self.ctl("analysis run", "--agency", AGENCY, "--as-of", "2026-10-31",
                                    output="json"), "runId")
        self.ctl("analysis show", run)
        self.assertIn(run, self.ctl("analysis list", "--agency", AGENCY))
        self.ctl("analysis compare", run, run)

        policy = self.json_id(self.ctl("policy create", "--agency", AGENCY, "--name", "README",
                                       output="json"), "id")
        self.ctl("policy show", policy)
        self.assertIn(policy, self.ctl("policy list", "--agency", AGENCY))

        def create_plan():
            return self.json_id(self.ctl("plan create", "--agency", AGENCY, "--run", run,
                                         "--policy", policy, "--effective", "2027-01-01",
                                         output="json"), "id")

        plan = create_plan()
        self.assertIn(plan, self.ctl("plan list", "--agency", AGENCY))
        self.ctl("plan show", plan)
        moves = self.csv_rows(self.ctl("plan moves", plan, "--top", "5", output="csv"))
        self.assertTrue(moves, "the Makassar plan has no move")
        move, nip = moves[0]["move_id"], moves[0]["nip"]
        self.ctl("plan explain", plan, move)
        self.ctl("plan story", plan, "--unit-name", "Dinas Pekerjaan Umum")
        self.ctl("plan export", plan, "--format", "csv")
        self.ctl("plan export", plan, "--format", "sk")
        decrees = os.path.join(self.dir, "sk")
        self.assertIn("sk_kolektif.html", self.ctl("plan decrees", plan, "--out", decrees))
        with open(os.path.join(decrees, "sk_%s.html" % move), encoding="utf-8") as f:
            self.assertIn(nip, f.read())
        report = os.path.join(self.dir, "report.html")
        self.ctl("report", plan, "--out", report, "--projection", "none", prints=False)
        self.assertGreater(os.path.getsize(report), 10000)

        projection = self.json_id(self.ctl("projection run", "--agency", AGENCY, "--plan", plan,
                                           output="json"), "projectionId")
        self.ctl("projection get", projection)
        self.assertIn(projection, self.ctl("projection list", "--agency", AGENCY))
        self.ctl("projection formasi", projection, prints=False)

        # Other plans from the same run, before the execution below makes the run stale.
        draft = create_plan()
        revision = self.json_id(self.ctl("plan revise", draft, "--label", "revisi",
                                         output="json"), "id")
        self.ctl("plan compare", draft, revision)
        self.ctl("plan submit", revision)
        self.ctl("plan reject", revision, "--reason", "Perlu kajian ulang", role="approver")
        # The reason is kept with the plan and shown with it (PlanSummary.decision_note).
        self.assertIn("catatan keputusan: Perlu kajian ulang", self.ctl("plan show", revision))
        self.ctl("plan cancel", create_plan(), "--reason", "Tidak jadi")

        self.ctl("plan submit", plan)
        employee = self.mint("employee", nip)
        self.ctl("objection file", plan, move, "--reason", "Saya merawat orang tua di sini",
                 token=employee)
        self.assertIn(move, self.ctl("me", token=employee))
        objections = self.csv_rows(self.ctl("objection list", plan, output="csv"))
        self.assertEqual(len(objections), 1)
        self.ctl("objection resolve", objections[0]["objection_id"], "--reject", "--note",
                 "Kebutuhan unit tujuan lebih mendesak", role="approver")
        age_plan_submission(self.dir, plan, 30)  # the review window has closed
        self.ctl("plan approve", plan, "--note", "Disetujui", role="approver")
        self.ctl("plan execute", plan)

        # The lists without a command group of their own.
        history = self.csv_rows(self.ctl("employees history", nip, output="csv"))
        self.assertEqual(history[0]["plan_id"], plan)  # newest first: the executed move
        self.assertEqual(history[0]["reason"], "mutasi")
        agencies = self.csv_rows(self.ctl("agencies list", "--all", role="admin", output="csv"))
        self.assertIn(AGENCY, [a["agency"] for a in agencies])
        agency = self.ctl("agencies show", AGENCY, output="csv")
        self.assertIn("pemerintah kota", agency)  # Kota Makassar, its kind in words
        unit = self.ctl("units show", "Dinas Pekerjaan Umum", "--agency", AGENCY)
        self.assertIn("Dinas Pekerjaan Umum", unit)
        positions = self.csv_rows(self.ctl("positions list", "--family", "kesehatan", "--all",
                                           output="csv"))
        self.assertTrue(positions)
        self.assertTrue(all(p["job_family"] == positions[0]["job_family"] for p in positions))
        self.assertIn(positions[0]["name"], self.ctl("positions show", positions[0]["position"]))
        for command in ("workloads list", "signals list"):
            rows = self.csv_rows(self.ctl(command, "--agency", AGENCY, "--page-size", "5",
                                          output="csv"))
            self.assertEqual(len(rows), 5, command)
        self.ctl("preferences list", "--agency", AGENCY)
        execute = "/seimbang.transfer.v1.TransferPlanningService/ExecutePlan"
        audit = self.csv_rows(self.ctl("audit list", "--service", "transfer", "--method",
                                       execute, "--all", role="admin", output="csv"))
        self.assertEqual([e["method"] for e in audit], [execute])

        documented = documented_commands()
        self.assertIn("plan create", documented)
        self.assertEqual(sorted(set(documented) - self.exercised), [],
                         "documented in the README but not run here")
        self.assertEqual(sorted(self.exercised - set(documented)), [],
                         "run here but not documented in the README")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
