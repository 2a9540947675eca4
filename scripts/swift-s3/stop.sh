#!/usr/bin/env bash
# Stops what scripts/swift-s3/start.sh DATA_DIR started, using the pid files in
# DATA_DIR/run. Stored data stays; delete DATA_DIR to drop it. If start.sh had
# to put the storage device outside DATA_DIR (no xattr support there), that
# directory is deleted here too, since it belongs to this DATA_DIR only
# (unless POSTROOM_SWIFT_KEEP_DEVICE=1, which start.sh sets when it restarts).
set -uo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 DATA_DIR" >&2
    exit 2
fi
data_dir="$1"
run="$data_dir/run"
[[ -d "$run" ]] || exit 0

pids=()
for f in "$run"/*.pid; do
    [[ -e "$f" ]] || continue
    pid="$(cat "$f")"
    if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
    fi
    rm -f "$f"
done

# Give them up to 5 s to exit, then kill what is left.
for _ in $(seq 50); do
    alive=()
    for pid in "${pids[@]}"; do
        kill -0 "$pid" 2>/dev/null && alive+=("$pid")
    done
    (( ${#alive[@]} == 0 )) && break
    sleep 0.1
done
for pid in "${pids[@]}"; do
    kill -KILL "$pid" 2>/dev/null || true
done

if [[ -s "$run/device-dir" && "${POSTROOM_SWIFT_KEEP_DEVICE:-0}" != 1 ]]; then
    device="$(cat "$run/device-dir")"
    case "$device" in
        */postroom-swift-*) rm -rf -- "$device" ;;
    esac
    rm -f "$run/device-dir"
fi
exit 0
