#!/usr/bin/python3
"""PageResponse.total_size keeps the promise each list response's proto comment makes
(issue 20): a list documented "total_size: counted" reports, on every page, the number of
items all its pages hold; one documented "total_size: -1" reports -1.

Knows no RPC by name: it reads the comment above each response's `PageResponse page` field
in the .proto sources, runs the shared flow (seimbang_flow.run_flow: an agency, units,
employees, workloads, an analysis, a policy, a plan) plus a few more policies, and pages
through every List method of the three services one item at a time as an admin, with
agency_code set where the request has one.

Usage: total_size_test.py SOURCE_DIR BUILD_DIR
"""
import os
import re
import sys
import unittest

SOURCE_DIR, BUILD_DIR = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "e2e"))
from seimbang_flow import AGENCY, ServicesTestCase, generated_stubs, run_flow  # noqa: E402

STUBS = generated_stubs(SOURCE_DIR, "seimbang-total-stubs-")

import grpc  # noqa: E402
from google.protobuf import symbol_database  # noqa: E402
from seimbang.personnel.v1 import personnel_pb2  # noqa: E402
from seimbang.transfer.v1 import transfer_pb2  # noqa: E402
from seimbang.workload.v1 import workload_pb2  # noqa: E402

SERVICES = ((personnel_pb2, "PersonnelService", "personnel", "personnel"),
            (workload_pb2, "WorkloadAnalysisService", "workload", "workload"),
            (transfer_pb2, "TransferPlanningService", "transfer", "transfer"))


def documented(proto_name):
    """{response message name: "counted" | "-1" | other text} from the comment above `page`."""
    path = os.path.join(SOURCE_DIR, "proto", "seimbang", proto_name, "v1", f"{proto_name}.proto")
    out, message, previous = {}, None, ""
    with open(path, encoding="utf-8") as source:
        lines = source.readlines()
    for line in lines:
        m = re.match(r"message (\w+)", line)
        if m:
            message = m.group(1)
        if "PageResponse page" in line:
            m = re.search(r"total_size: (counted|-1)", previous)
            out[message] = m.group(1) if m else previous.strip()
        previous = line
    return out


def cls_of(descriptor):
    return symbol_database.Default().GetSymbol(descriptor.full_name)


class TotalSize(ServicesTestCase):
    build_dir, stubs, prefix = BUILD_DIR, STUBS, "seimbang-total-size-"

    @classmethod
    def prepare(cls):
        run_flow(cls.services.ports, cls.dir)
        for i in range(3):  # four policies in all: more than one page of one
            cls.transfer.CreatePolicy(transfer_pb2.CreatePolicyRequest(policy=transfer_pb2.Policy(
                agency_code=AGENCY, name=f"kebijakan {i}")), timeout=30)

    def pages(self, channel, service, method):
        """(items, total_size) of every page, one item per page; None if the call fails."""
        req_cls, resp_cls = cls_of(method.input_type), cls_of(method.output_type)
        stub = channel.unary_unary(f"/{service.full_name}/{method.name}",
                                   req_cls.SerializeToString, resp_cls.FromString)
        request = req_cls()
        if "agency_code" in method.input_type.fields_by_name:
            request.agency_code = AGENCY
        request.page.page_size = 1
        items = [f for f in method.output_type.fields if f.label == f.LABEL_REPEATED]
        out = []
        for _ in range(100):
            try:
                resp = stub(request, timeout=10)
            except grpc.RpcError:
                return None
            out.append((sum(len(getattr(resp, f.name)) for f in items), resp.page.total_size))
            if not resp.page.next_page_token:
                return out
            request.page.page_token = resp.page.next_page_token
        self.fail(f"{method.name}: more than 100 pages of one item")

    def test_total_size_is_what_the_proto_says(self):
        counted_checked, minus_one_checked, counted_documented = set(), set(), set()
        for module, name, port_name, proto_name in SERVICES:
            docs = documented(proto_name)
            service = module.DESCRIPTOR.services_by_name[name]
            channel = self.channel(port_name)
            for method in service.methods:
                if method.server_streaming or method.client_streaming:
                    continue
                doc = docs.get(method.output_type.name)
                if doc is None:
                    continue
                self.assertTrue(doc in ("counted", "-1") or doc.startswith("// total_size:"),
                                f"{method.output_type.name}: total_size undocumented: {doc!r}")
                if doc == "counted":
                    counted_documented.add(method.name)
                pages = self.pages(channel, service, method)
                if pages is None or doc not in ("counted", "-1"):
                    continue
                with self.subTest(method=method.name, documented=doc):
                    totals = {t for _, t in pages}
                    if doc == "counted":
                        self.assertEqual(totals, {sum(n for n, _ in pages)}, pages)
                        counted_checked.add(method.name)
                        if method.name == "ListPolicies":
                            self.assertGreaterEqual(len(pages), 4, pages)
                    else:
                        self.assertEqual(totals, {-1}, pages)
                        minus_one_checked.add(method.name)
        # Every counted list was checked with more than zero items somewhere, and -1 too.
        print("counted:", sorted(counted_checked), "-1:", sorted(minus_one_checked))
        self.assertEqual(counted_checked, counted_documented)
        self.assertIn("ListPolicies", counted_checked)
        self.assertIn("ListEmployees", minus_one_checked)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
