#!/usr/bin/python3
"""Calls a VaxCert gRPC server with the real gRPC C-core stack (Debian python3-grpcio) and prints one JSON line per case.

The .NET test suite (tests/VaxCert.Grpc.Tests/PythonInteropTests.cs) starts a grpc-dotnet host with the test service and runs
this script; it also works by hand:

    /usr/bin/python3 interop_client.py --target 127.0.0.1:5001 --proto tests/VaxCert.Grpc.Tests/Protos/test_service.proto \
        --proto-root proto echo fail_utf8 stream

Stubs are generated at run time with Debian's grpc_tools.protoc (protoc 3.5, matching Debian's protobuf runtime) into a
temporary directory. Each case is named; an unknown name is an error (exit 2), never a silent pass.
"""
import argparse
import atexit
import json
import os
import shutil
import sys
import tempfile

import grpc
from grpc_tools import protoc

LARGE = 64 * 1024 + 1  # one byte over the test host's message cap


def generate_stubs(proto_path, proto_root):
    out = tempfile.mkdtemp(prefix="vaxcert-pystubs-")
    atexit.register(shutil.rmtree, out, ignore_errors=True)  # generated stubs are only needed while this runs
    well_known = os.path.join(os.path.dirname(protoc.__file__), "_proto")
    protos = [proto_path] + [os.path.join(proto_root, p) for p in
                             ("grpc/health/v1/health.proto", "google/rpc/status.proto", "google/rpc/error_details.proto")]
    for proto in protos:
        # Each file is compiled from its own folder so the modules are top-level (health_pb2, status_pb2): the package
        # paths grpc.* and google.* would collide with the installed grpc and protobuf packages.
        rc = protoc.main(["protoc", "-I" + os.path.dirname(proto), "-I" + well_known, "--python_out=" + out, proto])
        if rc != 0:
            raise SystemExit("protoc failed for %s (rc=%d)" % (proto, rc))
    sys.path.insert(0, out)


def status_of(error):
    return {"code": error.code().name, "details": error.details()}


def error_info(error):
    """Reason and field from grpc-status-details-bin (google.rpc.Status with an ErrorInfo)."""
    import error_details_pb2
    import status_pb2
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status = status_pb2.Status.FromString(value)
            for any_detail in status.details:
                info = error_details_pb2.ErrorInfo()
                if any_detail.Unpack(info):
                    return {"reason": info.reason, "field": info.metadata.get("field", ""), "code": status.code}
    return None


class Cases:
    def __init__(self, channel):
        import test_service_pb2 as pb
        self.pb = pb
        self.channel = channel
        prefix = "/vaxcert.test.TestService/"

        def unary(name, response):
            return channel.unary_unary(prefix + name, request_serializer=lambda m: m.SerializeToString(),
                                       response_deserializer=response.FromString)

        self.echo = unary("Echo", pb.EchoReply)
        self.fail = unary("Fail", pb.EchoReply)
        self.slow = unary("Slow", pb.EchoReply)
        self.whoami = unary("WhoAmI", pb.WhoAmIReply)
        self.throw = unary("Throw", pb.EchoReply)
        self.count = channel.unary_stream(prefix + "Count", request_serializer=lambda m: m.SerializeToString(),
                                          response_deserializer=pb.CountReply.FromString)

    def run(self, name):
        method = getattr(self, "case_" + name, None)
        if method is None:
            raise KeyError(name)
        try:
            result = method()
            result.setdefault("code", "OK")
            return result
        except grpc.RpcError as error:
            return status_of(error)

    def case_echo(self):
        reply = self.echo(self.pb.EchoRequest(text=u"Nguy\u1ec5n \u2713", payload=b"\x00\x01\x02"), timeout=30)
        return {"text": reply.text, "payload_hex": reply.payload.hex()}

    def case_fail_utf8(self):
        self.fail(self.pb.FailRequest(code=3, message=u"h\u1ecd t\u00ean \u2013 \u00fcn\u00efcode \u2713 100%"), timeout=30)
        return {}

    def case_fail_details(self):
        try:
            self.fail(self.pb.FailRequest(code=3, message="dose", reason="DOSE_NUMBER_OUT_OF_RANGE", field="dose_number"),
                      timeout=30)
            return {}
        except grpc.RpcError as error:
            result = status_of(error)
            result["info"] = error_info(error)
            return result

    def case_permission(self):
        self.fail(self.pb.FailRequest(code=7, message="facility not allowed"), timeout=30)
        return {}

    def case_unauthenticated(self):
        self.fail(self.pb.FailRequest(code=16, message="no credentials"), timeout=30)
        return {}

    def case_internal(self):
        self.throw(self.pb.EchoRequest(text="PIN=123456"), timeout=30)
        return {}

    def case_unknown_method(self):
        call = self.channel.unary_unary("/vaxcert.test.TestService/NoSuchMethod")
        call(b"", timeout=30)
        return {}

    def case_too_large(self):
        self.echo(self.pb.EchoRequest(payload=b"a" * LARGE), timeout=30)
        return {}

    def case_compressed(self):
        # Compressible and well above C-core's "not worth compressing" threshold, so the frame really has flag 1.
        self.echo(self.pb.EchoRequest(payload=b"a" * 16384), timeout=30, compression=grpc.Compression.Gzip)
        return {}

    def case_deadline(self):
        self.slow(self.pb.SlowRequest(delay_ms=60000, tag="py-deadline"), timeout=0.3)
        return {}

    def case_stream(self):
        return {"messages": [r.number for r in self.count(self.pb.CountRequest(count=5), timeout=30)]}

    def case_stream_fail(self):
        messages = []
        try:
            for reply in self.count(self.pb.CountRequest(count=10, stop_after=3, fail_code=14), timeout=30):
                messages.append(reply.number)
            return {"messages": messages}
        except grpc.RpcError as error:
            result = status_of(error)
            result["messages"] = messages
            return result

    def case_cancel(self):
        # Read the first message (so the handler is certainly running), then cancel the call.
        call = self.count(self.pb.CountRequest(count=1, stop_after=1, hang=True, tag="py-cancel"), timeout=30)
        first = next(call).number
        call.cancel()
        try:
            next(call)
            return {"first": first}
        except grpc.RpcError as error:
            result = status_of(error)
            result["first"] = first
            return result

    def case_whoami(self):
        reply = self.whoami(self.pb.EchoRequest(), timeout=30, metadata=(("x-facility", "79-HCM-0123"),))
        return {"peer": reply.peer, "client_subject": reply.client_subject, "metadata_value": reply.metadata_value}

    def case_concurrent(self):
        futures = [self.echo.future(self.pb.EchoRequest(text="call %d" % i), timeout=30) for i in range(50)]
        texts = [f.result().text for f in futures]
        return {"all_match": texts == ["call %d" % i for i in range(50)], "count": len(texts)}

    def case_health(self):
        import health_pb2
        check = self.channel.unary_unary("/grpc.health.v1.Health/Check",
                                         request_serializer=lambda m: m.SerializeToString(),
                                         response_deserializer=health_pb2.HealthCheckResponse.FromString)
        overall = check(health_pb2.HealthCheckRequest(service=""), timeout=30)
        try:
            check(health_pb2.HealthCheckRequest(service="nope"), timeout=30)
            unknown = "OK"
        except grpc.RpcError as error:
            unknown = error.code().name
        return {"overall": health_pb2.HealthCheckResponse.ServingStatus.Name(overall.status), "unknown": unknown}


def open_channel(args):
    options = [("grpc.max_receive_message_length", 8 * 1024 * 1024)]
    if not args.ca:
        return grpc.insecure_channel(args.target, options=options)
    read = lambda p: open(p, "rb").read() if p else None
    credentials = grpc.ssl_channel_credentials(root_certificates=read(args.ca), private_key=read(args.key),
                                               certificate_chain=read(args.cert))
    if args.authority:
        options.append(("grpc.ssl_target_name_override", args.authority))
    return grpc.secure_channel(args.target, credentials, options=options)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, help="host:port")
    parser.add_argument("--proto", required=True, help="path to test_service.proto")
    parser.add_argument("--proto-root", required=True, help="the repository's proto/ folder (health, google.rpc)")
    parser.add_argument("--ca", help="PEM CA that signed the server certificate (enables TLS)")
    parser.add_argument("--cert", help="PEM client certificate (mTLS)")
    parser.add_argument("--key", help="PEM client private key (mTLS)")
    parser.add_argument("--authority", help="TLS server name to expect")
    parser.add_argument("cases", nargs="+")
    args = parser.parse_args()

    generate_stubs(os.path.abspath(args.proto), os.path.abspath(args.proto_root))
    channel = open_channel(args)
    cases = Cases(channel)
    for name in args.cases:
        try:
            result = cases.run(name)
        except KeyError:
            print("unknown case: " + name, file=sys.stderr)
            return 2
        result["case"] = name
        print(json.dumps(result, ensure_ascii=False), flush=True)
    channel.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
