#!/usr/bin/python3
"""A reflection client, as grpcurl is, lists and calls every service.

Knows nothing of Seimbang's contracts: it asks each running service for its
service names and their descriptors over gRPC server reflection, builds the
message types from those descriptors, and calls a List method with them.

Usage: reflection_client_test.py SOURCE_DIR BUILD_DIR
"""
import os
import sys
import tempfile
import unittest

SOURCE_DIR, BUILD_DIR = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "e2e"))
from seimbang_flow import AGENCY, Services, run_flow  # noqa: E402

import grpc  # noqa: E402
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory  # noqa: E402

_FIELD = descriptor_pb2.FieldDescriptorProto


def _field(name, number, kind, label=_FIELD.LABEL_OPTIONAL, **more):
    """A field; `kind` is a scalar type or the name of another message of the protocol."""
    if isinstance(kind, str):
        kind, more["type_name"] = _FIELD.TYPE_MESSAGE, f".grpc.reflection.v1alpha.{kind}"
    return _FIELD(name=name, number=number, type=kind, label=label, **more)


def _reflection_messages():
    """(request class, response class) of gRPC's server reflection protocol
    (grpc/reflection/v1alpha/reflection.proto), with just the fields this client sends and
    reads, under the protocol's field numbers; a server's other fields stay unknown fields.
    Debian ships neither that .proto nor a Python reflection client."""
    message = descriptor_pb2.DescriptorProto
    request_kind = dict(kind=_FIELD.TYPE_STRING, oneof_index=0)  # oneof message_request
    file = descriptor_pb2.FileDescriptorProto(
        name="seimbang_e2e/reflection_subset.proto", package="grpc.reflection.v1alpha",
        syntax="proto3", message_type=[
            message(name="ServerReflectionRequest",
                    oneof_decl=[descriptor_pb2.OneofDescriptorProto(name="message_request")],
                    field=[_field("file_by_filename", 3, **request_kind),
                           _field("file_containing_symbol", 4, **request_kind),
                           _field("list_services", 7, **request_kind)]),
            message(name="ServerReflectionResponse",
                    field=[_field("file_descriptor_response", 4, "FileDescriptorResponse"),
                           _field("list_services_response", 6, "ListServiceResponse")]),
            message(name="FileDescriptorResponse", field=[_field(
                "file_descriptor_proto", 1, _FIELD.TYPE_BYTES, _FIELD.LABEL_REPEATED)]),
            message(name="ListServiceResponse",
                    field=[_field("service", 1, "ServiceResponse", _FIELD.LABEL_REPEATED)]),
            message(name="ServiceResponse", field=[_field("name", 1, _FIELD.TYPE_STRING)]),
        ])
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    factory = message_factory.MessageFactory(pool)
    return tuple(factory.GetPrototype(pool.FindMessageTypeByName(
        f"grpc.reflection.v1alpha.ServerReflection{kind}")) for kind in ("Request", "Response"))


ReflectionRequest, ReflectionResponse = _reflection_messages()


class Reflector:
    """Just enough of grpcurl: list services, resolve descriptors, call a unary method."""

    def __init__(self, address):
        self.channel = grpc.insecure_channel(address)
        self.reflection_info = self.channel.stream_stream(
            "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
            request_serializer=ReflectionRequest.SerializeToString,
            response_deserializer=ReflectionResponse.FromString)
        self.pool = descriptor_pool.DescriptorPool()
        self.added = set()

    def _ask(self, request):
        return next(iter(self.reflection_info(iter([request]), timeout=10)))

    def services(self):
        r = self._ask(ReflectionRequest(list_services=""))
        return sorted(s.name for s in r.list_services_response.service)

    def _add_files(self, response):
        files = [descriptor_pb2.FileDescriptorProto.FromString(b)
                 for b in response.file_descriptor_response.file_descriptor_proto]
        # Dependencies first: add a file once all it imports is in the pool.
        pending = {f.name: f for f in files if f.name not in self.added}
        while pending:
            ready = [f for f in pending.values() if all(d in self.added for d in f.dependency)]
            if not ready:
                for dep in {d for f in pending.values() for d in f.dependency} - self.added:
                    self._add_files(self._ask(ReflectionRequest(file_by_filename=dep)))
                continue
            for f in ready:
                self.pool.Add(f)
                self.added.add(f.name)
                del pending[f.name]

    def service(self, name):
        self._add_files(self._ask(ReflectionRequest(file_containing_symbol=name)))
        return self.pool.FindServiceByName(name)

    def call(self, service_name, method_name, fields):
        method = self.service(service_name).FindMethodByName(method_name)
        # protobuf 3.21 (Debian 12): the factory API, not GetMessageClass.
        factory = message_factory.MessageFactory(self.pool)
        request_cls = factory.GetPrototype(method.input_type)
        response_cls = factory.GetPrototype(method.output_type)
        rpc = self.channel.unary_unary(f"/{service_name}/{method_name}",
                                       request_serializer=request_cls.SerializeToString,
                                       response_deserializer=response_cls.FromString)
        return rpc(request_cls(**fields), timeout=10)


EXPECTED = {
    "personnel": ("seimbang.personnel.v1.PersonnelService", "ListAgencies", {}, "agencies"),
    "workload": ("seimbang.workload.v1.WorkloadAnalysisService", "ListAnalyses",
                 {"agency_code": AGENCY}, "runs"),
    "transfer": ("seimbang.transfer.v1.TransferPlanningService", "ListPlans",
                 {"agency_code": AGENCY}, "plans"),
}


class ReflectionClients(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="seimbang-reflection-")
        cls.services = Services(BUILD_DIR, cls.tmp.name)
        run_flow(cls.services.ports, cls.services.dir)

    @classmethod
    def tearDownClass(cls):
        cls.services.stop()
        cls.tmp.cleanup()

    def test_each_service_lists_itself_health_and_reflection(self):
        for name, (service, _, _, _) in EXPECTED.items():
            listed = Reflector(f"127.0.0.1:{self.services.ports[name]}").services()
            self.assertIn(service, listed, name)
            self.assertIn("grpc.health.v1.Health", listed, name)
            self.assertIn("grpc.reflection.v1alpha.ServerReflection", listed, name)

    def test_each_service_is_called_with_types_learned_by_reflection(self):
        for name, (service, method, fields, repeated) in EXPECTED.items():
            reflector = Reflector(f"127.0.0.1:{self.services.ports[name]}")
            descriptor = reflector.service(service)
            self.assertGreater(len(descriptor.methods), 10, name)
            response = reflector.call(service, method, fields)
            # The flow made one agency, one analysis run and one plan.
            self.assertEqual(len(getattr(response, repeated)), 1, f"{name}: {response}")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
