#!/usr/bin/python3
"""Partial updates (AIP-134, issue 20): every Update RPC of the three services honours
update_mask against the running services.

For UpdateUnit, UpdateEmployee, UpdateSettings and UpdatePolicy: a mask naming one field
changes that field and leaves every other field as stored (the request carries nothing
else but the resource's key and etag); a nested path changes that subfield only; "*" is a
full replacement; an unknown path and a path naming an immutable or output-only field are
INVALID_ARGUMENT with a google.rpc.BadRequest violation on `update_mask`, and change
nothing. The merge itself is tested in tests/unit/proto_convert.

Usage: update_mask_test.py SOURCE_DIR BUILD_DIR
"""
import os
import sys
import unittest

SOURCE_DIR, BUILD_DIR = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "e2e"))
from seimbang_flow import (  # noqa: E402
    AGENCY, ServicesTestCase, bad_request_of, generated_stubs, import_agency, pns)

STUBS = generated_stubs(SOURCE_DIR, "seimbang-mask-stubs-")

import grpc  # noqa: E402
from google.protobuf import field_mask_pb2  # noqa: E402
from seimbang.common.v1 import common_pb2  # noqa: E402
from seimbang.personnel.v1 import personnel_pb2 as P  # noqa: E402
from seimbang.transfer.v1 import transfer_pb2 as T  # noqa: E402
from seimbang.workload.v1 import workload_pb2 as W  # noqa: E402

NIP = "198503122010011002"


def mask(*paths):
    return field_mask_pb2.FieldMask(paths=list(paths))


def violations(error):
    bad = bad_request_of(error)
    return [v.field for v in bad.field_violations] if bad else []


def without(message, *fields):
    """A copy of `message` with `fields` (top-level names) cleared."""
    copy = type(message)()
    copy.CopyFrom(message)
    for f in fields:
        copy.ClearField(f)
    return copy


class UpdateMask(ServicesTestCase):
    build_dir, stubs, prefix = BUILD_DIR, STUBS, "seimbang-update-mask-"

    @classmethod
    def prepare(cls):
        andi = pns(NIP, "Andi Pratama", "P1", 2020, rank="III/a",
                   education_level=P.EDUCATION_LEVEL_S1, education_field="Hukum",
                   competency_tags=["hukum"],
                   flags=P.StatusFlags(study_assignment=True,
                                       leave_until=common_pb2.Date(year=2027, month=1, day=31)))
        import_agency(cls.personnel, [andi], units=[(uid, f"Dinas {uid}") for uid in (1, 2)],
                      positions=[P.Position(code="P1", name="Pengadministrasi",
                                            kind=P.POSITION_KIND_PELAKSANA,
                                            job_family="general_administration")],
                      kecamatan="Tamalate",
                      location=common_pb2.LatLng(latitude=-5.15, longitude=119.43))

    def assert_mask_refused(self, update, request, get, path):
        before = get()
        with self.assertRaises(grpc.RpcError) as caught:
            update(request)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.INVALID_ARGUMENT, path)
        found = violations(caught.exception)
        self.assertTrue(found, path)
        self.assertEqual(set(found), {"update_mask"}, path)
        self.assertEqual(get(), before, f"{path}: a refused update changed the resource")

    def check_bad_masks(self, update, make_request, get, fixed_paths):
        for path in ["no_such_field", "name.x"] + fixed_paths:
            with self.subTest(path=path):
                self.assert_mask_refused(update, make_request(mask(path)), get, path)
        self.assert_mask_refused(update, make_request(mask("*", "name")), get, "* with name")

    # ---------------------------------------------------------------- units

    def get_unit(self, uid=2):
        return self.personnel.GetUnit(P.GetUnitRequest(id=uid)).unit

    def test_update_unit(self):
        stored = self.get_unit()
        unit = self.personnel.UpdateUnit(P.UpdateUnitRequest(
            unit=P.Unit(id=2, etag=stored.etag, name="Dinas Baru"),
            update_mask=mask("name"))).unit
        self.assertEqual(unit.name, "Dinas Baru")
        self.assertEqual(without(unit, "name", "etag"), without(stored, "name", "etag"))
        self.assertEqual(self.get_unit(), unit)
        # Nested: only the latitude moves.
        moved = self.personnel.UpdateUnit(P.UpdateUnitRequest(
            unit=P.Unit(id=2, etag=unit.etag, location=common_pb2.LatLng(latitude=-5.2)),
            update_mask=mask("location.latitude"))).unit
        self.assertEqual((moved.location.latitude, moved.location.longitude),
                         (-5.2, stored.location.longitude))
        self.assertEqual(without(moved, "location", "etag"), without(unit, "location", "etag"))
        # "*": everything as sent (kecamatan and location cleared).
        full = self.personnel.UpdateUnit(P.UpdateUnitRequest(
            unit=P.Unit(id=2, etag=moved.etag, agency_code=AGENCY, name="Dinas Penuh",
                        kind=P.UNIT_KIND_DINAS, active=True), update_mask=mask("*"))).unit
        self.assertEqual((full.name, full.kecamatan, full.HasField("location")),
                         ("Dinas Penuh", "", False))
        # A stale etag is still ABORTED or FAILED_PRECONDITION, as for a full replacement.
        with self.assertRaises(grpc.RpcError) as stale:
            self.personnel.UpdateUnit(P.UpdateUnitRequest(
                unit=P.Unit(id=2, etag=stored.etag, name="x"), update_mask=mask("name")))
        self.assertIn(stale.exception.code(),
                      (grpc.StatusCode.ABORTED, grpc.StatusCode.FAILED_PRECONDITION))
        self.check_bad_masks(
            self.personnel.UpdateUnit,
            lambda m: P.UpdateUnitRequest(unit=P.Unit(id=2, etag=full.etag, name="y"),
                                          update_mask=m),
            self.get_unit, ["id", "etag", "agency_code"])

    # ---------------------------------------------------------------- employees

    def get_employee(self):
        return self.personnel.GetEmployee(P.GetEmployeeRequest(nip=NIP)).employee

    def test_update_employee(self):
        stored = self.get_employee()
        # Without a mask, a request with only nip, etag and name fails as before...
        with self.assertRaises(grpc.RpcError) as full_needed:
            self.personnel.UpdateEmployee(P.UpdateEmployeeRequest(
                employee=P.Employee(nip=NIP, etag=stored.etag, name="Andi P.")))
        self.assertEqual(full_needed.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        self.assertIn("employee.employment_type", violations(full_needed.exception))
        # ... and with the mask "name" it changes the name and nothing else.
        e = self.personnel.UpdateEmployee(P.UpdateEmployeeRequest(
            employee=P.Employee(nip=NIP, etag=stored.etag, name="Andi P."),
            update_mask=mask("name"))).employee
        self.assertEqual(e.name, "Andi P.")
        self.assertEqual(without(e, "name", "etag", "version"),
                         without(stored, "name", "etag", "version"))
        self.assertEqual(self.get_employee(), e)
        # Nested: the leave ends earlier; study_assignment stays.
        e2 = self.personnel.UpdateEmployee(P.UpdateEmployeeRequest(
            employee=P.Employee(nip=NIP, etag=e.etag, flags=P.StatusFlags(
                leave_until=common_pb2.Date(year=2026, month=12, day=31))),
            update_mask=mask("flags.leave_until"))).employee
        self.assertEqual(e2.flags.leave_until, common_pb2.Date(year=2026, month=12, day=31))
        self.assertTrue(e2.flags.study_assignment)
        self.assertEqual(without(e2, "flags", "etag", "version"),
                         without(e, "flags", "etag", "version"))
        # The placement rule still holds for a masked placement field.
        with self.assertRaises(grpc.RpcError) as placement:
            self.personnel.UpdateEmployee(P.UpdateEmployeeRequest(
                employee=P.Employee(nip=NIP, etag=e2.etag, unit_id=2),
                update_mask=mask("unit_id")))
        self.assertEqual(violations(placement.exception), ["placement_reason"])
        # "*": a full replacement, validated as one (employment_type required).
        with self.assertRaises(grpc.RpcError) as star:
            self.personnel.UpdateEmployee(P.UpdateEmployeeRequest(
                employee=P.Employee(nip=NIP, etag=e2.etag, name="x"), update_mask=mask("*")))
        self.assertIn("employee.employment_type", violations(star.exception))
        # An unknown NIP with a mask is NOT_FOUND.
        with self.assertRaises(grpc.RpcError) as missing:
            self.personnel.UpdateEmployee(P.UpdateEmployeeRequest(
                employee=P.Employee(nip="199001012015012003", etag="1", name="x"),
                update_mask=mask("name")))
        self.assertEqual(missing.exception.code(), grpc.StatusCode.NOT_FOUND)
        self.check_bad_masks(
            self.personnel.UpdateEmployee,
            lambda m: P.UpdateEmployeeRequest(
                employee=P.Employee(nip=NIP, etag=e2.etag, name="y"), update_mask=m),
            self.get_employee, ["nip", "etag", "version", "agency_code"])

    # ---------------------------------------------------------------- settings

    def get_settings(self):
        return self.workload.GetSettings(W.GetSettingsRequest(agency_code=AGENCY)).settings

    def test_update_settings(self):
        defaults = self.get_settings()
        s = self.workload.UpdateSettings(W.UpdateSettingsRequest(
            settings=W.Settings(agency_code=AGENCY, balanced_max=1.2),
            update_mask=mask("balanced_max"))).settings
        self.assertEqual(s.balanced_max, 1.2)
        self.assertEqual(without(s, "balanced_max", "etag"),
                         without(defaults, "balanced_max", "etag"))
        self.assertEqual(self.get_settings(), s)
        nested = self.workload.UpdateSettings(W.UpdateSettingsRequest(
            settings=W.Settings(agency_code=AGENCY, etag=s.etag,
                                grade_bands=W.GradeBands(b_from=0.85)),
            update_mask=mask("grade_bands.b_from"))).settings
        self.assertEqual(nested.grade_bands.b_from, 0.85)
        self.assertEqual(without(nested.grade_bands, "b_from"),
                         without(s.grade_bands, "b_from"))
        self.assertEqual(without(nested, "grade_bands", "etag"),
                         without(s, "grade_bands", "etag"))
        # "*" is a full replacement: zero values are refused as before.
        with self.assertRaises(grpc.RpcError) as star:
            self.workload.UpdateSettings(W.UpdateSettingsRequest(
                settings=W.Settings(agency_code=AGENCY, balanced_max=1.3), update_mask=mask("*")))
        self.assertEqual(star.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        self.assertNotIn("update_mask", violations(star.exception))
        self.check_bad_masks(
            self.workload.UpdateSettings,
            lambda m: W.UpdateSettingsRequest(
                settings=W.Settings(agency_code=AGENCY, balanced_max=1.4), update_mask=m),
            self.get_settings, ["agency_code", "etag"])

    # ---------------------------------------------------------------- policies

    def test_update_policy(self):
        created = self.transfer.CreatePolicy(T.CreatePolicyRequest(policy=T.Policy(
            agency_code=AGENCY, name="bawaan", weights=T.CostWeights(per_km=3, base_per_move=90),
            rules=T.HardRules(forbid_position_change=True)))).policy
        get = lambda: self.transfer.GetPolicy(T.GetPolicyRequest(id=created.id)).policy  # noqa
        p = self.transfer.UpdatePolicy(T.UpdatePolicyRequest(
            policy=T.Policy(id=created.id, etag=created.etag, weights=T.CostWeights(per_km=7)),
            update_mask=mask("weights.per_km"))).policy
        self.assertEqual((p.weights.per_km, p.weights.base_per_move), (7, 90))
        self.assertEqual(p.version, created.version + 1)
        self.assertEqual(without(p, "weights", "etag", "version", "update_time_ms"),
                         without(created, "weights", "etag", "version", "update_time_ms"))
        self.assertEqual(get(), p)
        renamed = self.transfer.UpdatePolicy(T.UpdatePolicyRequest(
            policy=T.Policy(id=created.id, etag=p.etag, name="baru"),
            update_mask=mask("name"))).policy
        self.assertEqual(without(renamed, "name", "etag", "version", "update_time_ms"),
                         without(p, "name", "etag", "version", "update_time_ms"))
        full = self.transfer.UpdatePolicy(T.UpdatePolicyRequest(
            policy=T.Policy(id=created.id, etag=renamed.etag, agency_code=AGENCY, name="penuh"),
            update_mask=mask("*"))).policy
        self.assertEqual((full.name, full.weights.per_km, full.rules.forbid_position_change),
                         ("penuh", 0, False))
        self.check_bad_masks(
            self.transfer.UpdatePolicy,
            lambda m: T.UpdatePolicyRequest(
                policy=T.Policy(id=created.id, etag=full.etag, name="z"), update_mask=m),
            get, ["id", "agency_code", "version", "etag", "update_time_ms"])


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
