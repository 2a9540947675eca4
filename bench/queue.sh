#!/usr/bin/env bash
# Queue throughput benchmark on real Redis 7 (AOF, appendfsync always) and embedded Garnet
# (AOF, commit per operation, wait for commit). Needs redis-server on PATH.
# Extra arguments go to the benchmark, e.g.: bench/queue.sh --entries 5000 --backend garnet
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Postroom.Bench.Queue -c Release -v quiet -nologo
exec dotnet bench/Postroom.Bench.Queue/bin/Release/net10.0/Postroom.Bench.Queue.dll "$@"
