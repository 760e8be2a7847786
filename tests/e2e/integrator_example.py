#!/usr/bin/python3
"""What a provincial platform's integrator writes in Python, as a test (issue 20).

Uses only the stubs `make proto-python` ships (build/python: the contracts and the
google.rpc messages they return in error details) and Debian's python3-grpcio:

1. page through every employee of an agency with ListEmployees;
2. follow the change feed (WatchChanges) from a saved position, so a restart delivers
   each change once;
3. decode the google.rpc.BadRequest an INVALID_ARGUMENT carries, whose field paths name
   fields of the request message.

Usage: integrator_example.py SOURCE_DIR BUILD_DIR
"""
import os
import sys
import unittest

SOURCE_DIR, BUILD_DIR = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "e2e"))
from seimbang_flow import (  # noqa: E402
    AGENCY, ServicesTestCase, generated_stubs, import_agency, pns)

# The shipped stubs, generated exactly as `make proto-python` does.
STUBS = generated_stubs(SOURCE_DIR, "seimbang-integrator-stubs-")

import grpc  # noqa: E402
from google.rpc import error_details_pb2, status_pb2  # noqa: E402
from seimbang.common.v1 import common_pb2  # noqa: E402
from seimbang.personnel.v1 import personnel_pb2 as P, personnel_pb2_grpc  # noqa: E402


def import_employees(stub, first, count, with_catalogue):
    """Nurses `first`.. (`count` of them), with the agency, unit 1 and their position first
    when `with_catalogue`."""
    nurses = [pns(f"199001012015032{seq:03d}", f"Perawat {seq}", "JF-PRW-TRP", 2020, rank="II/c",
                  education_level=P.EDUCATION_LEVEL_D3, education_field="Keperawatan")
              for seq in range(first, first + count)]
    if not with_catalogue:
        import_agency(stub, nurses)
        return
    import_agency(stub, nurses, units=[(1, "Dinas Kesehatan")], positions=[P.Position(
        code="JF-PRW-TRP", name="Perawat Terampil",
        kind=P.POSITION_KIND_FUNCTIONAL_SKILL, level=P.FUNCTIONAL_LEVEL_TERAMPIL,
        job_family="health", rank_min="II/c", rank_max="III/b",
        min_education=P.EDUCATION_LEVEL_D3)])


def all_employees(stub, page_size):
    """Every employee of the agency, following next_page_token until it is empty."""
    employees, token, pages = [], "", 0
    while True:
        response = stub.ListEmployees(P.ListEmployeesRequest(
            page=common_pb2.PageRequest(page_size=page_size, page_token=token),
            filter=P.EmployeeFilter(agency_code=AGENCY)), timeout=10)
        employees.extend(response.employees)
        pages += 1
        token = response.page.next_page_token
        if not token:
            return employees, pages


def changes_after(stub, position):
    """The changes after `position` (a saved sequence number), without following."""
    return list(stub.WatchChanges(P.WatchChangesRequest(
        after_sequence=position, agency_code=AGENCY, follow=False), timeout=10))


def bad_request_of(error):
    """The google.rpc.BadRequest in a failed call's grpc-status-details-bin trailer."""
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status = status_pb2.Status.FromString(value)
            for detail in status.details:
                bad = error_details_pb2.BadRequest()
                if detail.Unpack(bad):
                    return bad
    return None


def field_path_exists(message_class, path):
    """Whether a dotted path ("employee.nip") names fields of a request message."""
    descriptor = message_class.DESCRIPTOR
    for part in path.split("."):
        name = part.split("[")[0]
        field = descriptor.fields_by_name.get(name)
        if field is None:
            return False
        descriptor = field.message_type
        if descriptor is None:
            return part == path.split(".")[-1]
    return True


class IntegratorExample(ServicesTestCase):
    build_dir, stubs, prefix = BUILD_DIR, STUBS, "seimbang-integrator-"

    @classmethod
    def prepare(cls):
        cls.stub = personnel_pb2_grpc.PersonnelServiceStub(
            cls.channel("personnel"))
        import_employees(cls.stub, first=1, count=7, with_catalogue=True)

    def test_paging_returns_every_employee_once(self):
        employees, pages = all_employees(self.stub, page_size=3)
        nips = [e.nip for e in employees]
        self.assertGreaterEqual(pages, 3)  # 7 or more employees, 3 per page
        self.assertEqual(len(nips), len(set(nips)), "an employee came twice")
        for seq in range(1, 8):
            self.assertIn(f"199001012015032{seq:03d}", nips)

    def test_the_change_feed_resumes_from_a_saved_position(self):
        seen = changes_after(self.stub, 0)
        self.assertTrue(seen)
        saved = seen[-1].sequence  # what an integrator stores after processing
        import_employees(self.stub, first=100, count=2, with_catalogue=False)
        new = changes_after(self.stub, saved)
        self.assertEqual(sorted(c.resource_id for c in new),
                         ["199001012015032100", "199001012015032101"])
        self.assertTrue(all(c.kind == P.CHANGE_KIND_EMPLOYEE_CREATED for c in new))
        self.assertTrue(all(c.sequence > saved for c in new))

    def test_an_invalid_argument_carries_a_bad_request_with_real_field_paths(self):
        with self.assertRaises(grpc.RpcError) as caught:
            self.stub.CreateEmployee(P.CreateEmployeeRequest(employee=P.Employee(
                nip="123", name="", employment_type=P.EMPLOYMENT_TYPE_PNS)), timeout=10)
        error = caught.exception
        self.assertEqual(error.code(), grpc.StatusCode.INVALID_ARGUMENT)
        bad = bad_request_of(error)
        self.assertIsNotNone(bad, "no google.rpc.BadRequest in the error details")
        self.assertTrue(bad.field_violations)
        for v in bad.field_violations:
            self.assertTrue(field_path_exists(P.CreateEmployeeRequest, v.field),
                            f"{v.field} is not a field path of CreateEmployeeRequest")
            self.assertTrue(v.description)
        self.assertIn("employee.nip", [v.field for v in bad.field_violations])


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
