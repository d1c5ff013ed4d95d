#!/usr/bin/env bash
# Throughput benchmarks: one JSON line per scenario with its same-process baseline and ratio.
# Usage: scripts/bench.sh [--seconds N] [scenario...]   (scripts/bench.sh --list shows the scenarios)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/VaxCert.Bench -c Release -nologo -v q >/dev/null
exec dotnet bench/VaxCert.Bench/bin/Release/net10.0/VaxCert.Bench.dll "$@"
