#!/usr/bin/python3
"""Calls the VaxCert signing server (vaxcert.v1.Issuer + grpc.health.v1) with the real gRPC C-core stack (Debian
python3-grpcio) and prints one JSON line per call.

Input: a JSON file with a list of calls, each {"method": "Issue"|"IssueBatch"|"Revoke"|"GetCertificate"|"GetTrustList"|
"Health", "request": <the request in protobuf JSON form>, "timeout": seconds (optional)}. Output per call:
{"index": i, "code": "OK"|status name, "details": str, "reason": str, "field": str, "responses": [message as JSON with
proto field names]}; for IssueBatch the responses are the stream messages received before the status.

Used by tests/VaxCert.Server.Tests (PythonServerClient.cs); by hand:

    /usr/bin/python3 server_client.py --target 127.0.0.1:50051 --proto-root proto calls.json

Stubs are generated at run time with Debian's grpc_tools.protoc (protoc 3.5 matches Debian's protobuf runtime).
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


def generate_stubs(proto_root):
    out = tempfile.mkdtemp(prefix="vaxcert-server-pystubs-")
    atexit.register(shutil.rmtree, out, ignore_errors=True)  # generated stubs are only needed while this runs
    well_known = os.path.join(os.path.dirname(protoc.__file__), "_proto")
    # issuer.proto keeps its package path (vaxcert.v1); the others are compiled from their own folder so that grpc.* and
    # google.* do not shadow the installed grpc and protobuf packages.
    rc = protoc.main(["protoc", "-I" + proto_root, "-I" + well_known, "--python_out=" + out,
                      os.path.join(proto_root, "vaxcert/v1/issuer.proto")])
    if rc != 0:
        raise SystemExit("protoc failed for issuer.proto (rc=%d)" % rc)
    for rel in ("grpc/health/v1/health.proto", "google/rpc/status.proto", "google/rpc/error_details.proto"):
        proto = os.path.join(proto_root, rel)
        rc = protoc.main(["protoc", "-I" + os.path.dirname(proto), "-I" + well_known, "--python_out=" + out, proto])
        if rc != 0:
            raise SystemExit("protoc failed for %s (rc=%d)" % (rel, rc))
    sys.path.insert(0, out)


def error_info(error):
    """Reason and field from grpc-status-details-bin (google.rpc.Status with one google.rpc.ErrorInfo)."""
    import error_details_pb2
    import status_pb2
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status = status_pb2.Status.FromString(value)
            for detail in status.details:
                info = error_details_pb2.ErrorInfo()
                if detail.Unpack(info):
                    return info.reason, info.metadata.get("field", "")
    return "", ""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", required=True)
    parser.add_argument("--proto-root", required=True)
    parser.add_argument("--ca")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--authority", default="localhost")
    parser.add_argument("calls")
    args = parser.parse_args()

    generate_stubs(args.proto_root)
    from google.protobuf import json_format
    from vaxcert.v1 import issuer_pb2 as pb
    import health_pb2

    options = [("grpc.max_receive_message_length", 64 * 1024 * 1024), ("grpc.max_send_message_length", 64 * 1024 * 1024)]
    if args.ca:
        read = lambda p: open(p, "rb").read() if p else None
        creds = grpc.ssl_channel_credentials(read(args.ca), read(args.key), read(args.cert))
        channel = grpc.secure_channel(args.target, creds, options + [("grpc.ssl_target_name_override", args.authority)])
    else:
        channel = grpc.insecure_channel(args.target, options)

    def serializer(message):
        return message.SerializeToString()

    methods = {
        "Issue": ("unary", "/vaxcert.v1.Issuer/Issue", pb.IssueRequest, pb.IssueResponse),
        "IssueBatch": ("stream", "/vaxcert.v1.Issuer/IssueBatch", pb.IssueBatchRequest, pb.IssueBatchResult),
        "Revoke": ("unary", "/vaxcert.v1.Issuer/Revoke", pb.RevokeRequest, pb.RevokeResponse),
        "GetCertificate": ("unary", "/vaxcert.v1.Issuer/GetCertificate", pb.GetCertificateRequest, pb.IssueResponse),
        "GetTrustList": ("unary", "/vaxcert.v1.Issuer/GetTrustList", pb.GetTrustListRequest, pb.TrustList),
        "Health": ("unary", "/grpc.health.v1.Health/Check", health_pb2.HealthCheckRequest, health_pb2.HealthCheckResponse),
    }

    with open(args.calls, encoding="utf-8") as f:
        calls = json.load(f)
    for index, call in enumerate(calls):
        kind, path, request_type, response_type = methods[call["method"]]  # unknown method: KeyError, exit != 0
        request = json_format.ParseDict(call.get("request", {}), request_type())
        timeout = call.get("timeout")
        responses = []
        result = {"index": index, "method": call["method"], "code": "OK", "details": "", "reason": "", "field": ""}
        try:
            if kind == "unary":
                stub = channel.unary_unary(path, request_serializer=serializer, response_deserializer=response_type.FromString)
                responses.append(stub(request, timeout=timeout))
            else:
                stub = channel.unary_stream(path, request_serializer=serializer, response_deserializer=response_type.FromString)
                for message in stub(request, timeout=timeout):
                    responses.append(message)
        except grpc.RpcError as error:
            result["code"] = error.code().name
            result["details"] = error.details() or ""
            result["reason"], result["field"] = error_info(error)
        result["responses"] = [json_format.MessageToDict(m, preserving_proto_field_name=True) for m in responses]
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
