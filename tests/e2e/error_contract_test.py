#!/usr/bin/python3
"""Every INVALID_ARGUMENT of every RPC carries a google.rpc.BadRequest whose field paths
are real fields of the request message (issue 20, AIP-193).

Knows no RPC by name: it walks the three services' descriptors and calls every method
(unary and streaming) twice, with an empty request (required fields missing) and with
every PageRequest's page_size out of range (5000 > 1000), as an admin of the running
services. Each answer must be a status code, never UNKNOWN or INTERNAL; each
INVALID_ARGUMENT must carry a BadRequest with at least one violation; each violation's
field must resolve, part by part ("settings.grade_bands.b_from", "rows[3].unit_id"),
to a field of the request message, and have a description.

Every status code it observes for a method must also be documented (AIP-193): named in the
comment lines right above `rpc Name(` in the .proto source, or in the "Status codes" block
right above `service Name {` (the codes every RPC of the service may return). Services whose
proto has no such block yet are not held to it.

Usage: error_contract_test.py SOURCE_DIR BUILD_DIR
"""
import os
import re
import sys
import unittest

SOURCE_DIR, BUILD_DIR = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "e2e"))
from seimbang_flow import ServicesTestCase, bad_request_of, generated_stubs  # noqa: E402

STUBS = generated_stubs(SOURCE_DIR, "seimbang-error-stubs-")

import grpc  # noqa: E402
from google.protobuf import symbol_database  # noqa: E402
from seimbang.personnel.v1 import personnel_pb2  # noqa: E402
from seimbang.transfer.v1 import transfer_pb2  # noqa: E402
from seimbang.workload.v1 import workload_pb2  # noqa: E402

SERVICES = ((personnel_pb2, "PersonnelService", "personnel"),
            (workload_pb2, "WorkloadAnalysisService", "workload"),
            (transfer_pb2, "TransferPlanningService", "transfer"))
# Codes that tell the caller what was wrong with its call, or that nothing was.
EXPECTED = {grpc.StatusCode.OK, grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND,
            grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.PERMISSION_DENIED,
            grpc.StatusCode.ALREADY_EXISTS, grpc.StatusCode.OUT_OF_RANGE}


CODE_NAMES = re.compile(r"\b(" + "|".join(c.name for c in grpc.StatusCode) + r")\b")


def documented_codes(proto_path, service_name):
    """({rpc name: codes in its comment}, codes of the service's "Status codes" block or None)."""
    with open(os.path.join(SOURCE_DIR, "proto", proto_path), encoding="utf-8") as source:
        lines = source.read().split("\n")
    per_rpc, service_wide, block = {}, None, []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("//"):
            block.append(stripped)
            continue
        text = " ".join(block)
        m = re.match(r"rpc (\w+)\(", stripped)
        if m:
            per_rpc[m.group(1)] = set(CODE_NAMES.findall(text))
        if stripped.startswith(f"service {service_name} ") and "Status codes" in text:
            service_wide = set(CODE_NAMES.findall(text))
        block = []
    return per_rpc, service_wide


def message_class(descriptor):
    return symbol_database.Default().GetSymbol(descriptor.full_name)


def call(channel, service, method, request):
    """Calls `method` with `request` (one message on a client stream); returns the error or None."""
    path = f"/{service.full_name}/{method.name}"
    req_cls, resp_cls = message_class(method.input_type), message_class(method.output_type)
    kinds = {(False, False): channel.unary_unary, (False, True): channel.unary_stream,
             (True, False): channel.stream_unary, (True, True): channel.stream_stream}
    stub = kinds[(method.client_streaming, method.server_streaming)](
        path, req_cls.SerializeToString, resp_cls.FromString)
    arg = iter([request]) if method.client_streaming else request
    try:
        result = stub(arg, timeout=10)
        if method.server_streaming:
            list(result)
        return None
    except grpc.RpcError as e:
        return e


def resolves(descriptor, path):
    """Whether `path` names a field of `descriptor`, through nested messages and indexes."""
    for i, part in enumerate(path.split(".")):
        field = descriptor.fields_by_name.get(part.split("[")[0])
        if field is None:
            return False
        last = i == len(path.split(".")) - 1
        if field.message_type is None:
            return last
        if field.message_type.GetOptions().map_entry and not last:
            return True  # a map key follows: "labels.some_key"
        descriptor = field.message_type
    return True


def with_oversized_pages(request):
    """`request` with every top-level PageRequest asking for 5000 rows; None if it has none."""
    found = False
    for field in request.DESCRIPTOR.fields:
        if field.message_type is not None and field.message_type.name == "PageRequest" \
                and field.label != field.LABEL_REPEATED:
            getattr(request, field.name).page_size = 5000
            found = True
    return request if found else None


class ErrorContract(ServicesTestCase):
    build_dir, stubs, prefix = BUILD_DIR, STUBS, "seimbang-error-contract-"

    def check(self, service, method, request, must_be_invalid):
        channel = self.channel(self.port_name)
        error = call(channel, service, method, request)
        code = grpc.StatusCode.OK if error is None else error.code()
        self.assertIn(code, EXPECTED, f"{method.name}: {code} {error and error.details()}")
        per_rpc, service_wide = documented_codes(service.file.name, service.name)
        if service_wide is not None and code != grpc.StatusCode.OK:
            self.assertIn(code.name, per_rpc.get(method.name, set()) | service_wide,
                          f"{method.name} returned {code.name} ({error.details()}), which its "
                          f"proto comment does not list")
        if must_be_invalid:
            self.assertEqual(code, grpc.StatusCode.INVALID_ARGUMENT, method.name)
        if code != grpc.StatusCode.INVALID_ARGUMENT:
            return
        bad = bad_request_of(error)
        self.assertIsNotNone(bad, f"{method.name}: INVALID_ARGUMENT without a BadRequest")
        self.assertTrue(bad.field_violations, f"{method.name}: a BadRequest with no violation")
        for v in bad.field_violations:
            self.assertTrue(resolves(method.input_type, v.field),
                            f"{method.name}: '{v.field}' is not a field of "
                            f"{method.input_type.full_name}")
            self.assertTrue(v.description, f"{method.name}: '{v.field}' has no description")
        self.assertLessEqual(len(error.details()), 4096, f"{method.name}: unbounded message")

    def test_every_method_of_every_service(self):
        checked = 0
        for module, name, port_name in SERVICES:
            self.port_name = port_name
            service = module.DESCRIPTOR.services_by_name[name]
            for method in service.methods:
                with self.subTest(method=f"{name}.{method.name}", request="empty"):
                    self.check(service, method, message_class(method.input_type)(), False)
                    checked += 1
                paged = with_oversized_pages(message_class(method.input_type)())
                if paged is not None:
                    with self.subTest(method=f"{name}.{method.name}", request="page_size 5000"):
                        self.check(service, method, paged, True)
        self.assertGreater(checked, 50)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
