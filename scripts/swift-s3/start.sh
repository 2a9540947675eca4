#!/usr/bin/env bash
# Starts a single-node OpenStack Swift with the s3api middleware, as a local
# S3-compatible server for tests (no MinIO server binary is available here, and
# Swift's s3api verifies SigV4 signatures and lists objects the way S3 does).
#
# Usage: scripts/swift-s3/start.sh DATA_DIR PORT
#
#   DATA_DIR  everything lives here: config (etc/), rings, object data (srv/),
#             logs (log/) and pid files (run/). Created if missing.
#   PORT      the S3 endpoint (Swift proxy) port. The account, container and
#             object servers use PORT+1, PORT+2, PORT+3 and memcached PORT+4.
#
# Credentials: access key "test:tester", secret key "testing", path-style
# addressing, region us-east-1. Everything listens on 127.0.0.1 only.
# Stop with scripts/swift-s3/stop.sh DATA_DIR.
#
# Needs the Debian packages swift swift-proxy swift-account swift-container
# swift-object memcached python3-swift (scripts/install-test-deps.sh).
# Exit codes: 0 ready, 1 a server failed to come up (log tails on stderr),
# 2 usage, 3 not installed, 4 no xattr-capable directory, 5 ring build, 6 port busy.
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: $0 DATA_DIR PORT" >&2
    exit 2
fi

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
data_dir="$(mkdir -p "$1" && cd "$1" && pwd)"
port="$2"
if ! [[ "$port" =~ ^[0-9]+$ ]] || (( port < 1024 || port > 65530 )); then
    echo "PORT must be a number between 1024 and 65530, got '$port'" >&2
    exit 2
fi

# Swift's scripts are Python programs with a /usr/bin/python3 shebang; call them
# through that interpreter's path so a pyenv/virtualenv python3 on PATH can't shadow it.
python=/usr/bin/python3
for bin in swift-proxy-server swift-account-server \
           swift-container-server swift-object-server memcached; do
    if ! command -v "$bin" >/dev/null 2>&1; then
        echo "error: '$bin' not found. Install the local S3 test server with scripts/install-test-deps.sh" >&2
        echo "(apt-get install -y swift swift-proxy swift-account swift-container swift-object memcached python3-swift)." >&2
        exit 3
    fi
done

proxy_port=$port
account_port=$((port + 1))
container_port=$((port + 2))
object_port=$((port + 3))
memcached_port=$((port + 4))

etc="$data_dir/etc"
run="$data_dir/run"
log="$data_dir/log"
mkdir -p "$etc" "$run" "$log"

# Idempotent-ish: a previous instance in the same DATA_DIR is stopped first;
# stored objects are kept.
if compgen -G "$run/*.pid" >/dev/null; then
    POSTROOM_SWIFT_KEEP_DEVICE=1 "$script_dir/stop.sh" "$data_dir" || true
fi

# Every port must be free: a foreign listener on one of them would answer the
# readiness probe below and hide a Swift server that failed to bind.
if ! "$python" - "$proxy_port" "$account_port" "$container_port" "$object_port" "$memcached_port" <<'PY'
import socket, sys
busy = []
for p in sys.argv[1:]:
    s = socket.socket()
    # Like the servers themselves: ports in TIME_WAIT from an earlier run are fine.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", int(p)))
    except OSError:
        busy.append(p)
    finally:
        s.close()
if busy:
    print("error: port(s) already in use on 127.0.0.1: " + ", ".join(busy), file=sys.stderr)
    sys.exit(1)
PY
then
    exit 6
fi

# --- storage device ----------------------------------------------------------
# Swift's object server keeps object metadata in user extended attributes
# (user.swift.metadata*), so the device directory must be on a filesystem that
# supports them. ext4/xfs/btrfs do; tmpfs only on Linux >= 6.6, overlayfs
# depends on the lower filesystem. If DATA_DIR can't hold user xattrs, the
# device lives in the first fallback directory that can (its path is recorded
# in run/device-dir so stop.sh can delete it) and DATA_DIR/srv/node/sdb1 is a
# symlink to it.
supports_xattr() {
    "$python" - "$1" <<'PY' 2>/dev/null
import os, sys, tempfile
fd, path = tempfile.mkstemp(dir=sys.argv[1])
try:
    os.setxattr(path, "user.swift.probe", b"x" * 200)
    assert os.getxattr(path, "user.swift.probe") == b"x" * 200
finally:
    os.close(fd)
    os.unlink(path)
PY
}

node_dir="$data_dir/srv/node"
mkdir -p "$node_dir"
[[ -L "$node_dir/sdb1" && ! -e "$node_dir/sdb1" ]] && rm -f "$node_dir/sdb1" "$run/device-dir"
if [[ ! -e "$node_dir/sdb1" ]]; then
    mkdir -p "$node_dir/sdb1"
    if ! supports_xattr "$node_dir/sdb1"; then
        rmdir "$node_dir/sdb1"
        device=""
        for candidate in /var/tmp "${HOME:-/root}/.cache" /dev/shm; do
            mkdir -p "$candidate" 2>/dev/null || continue
            dir="$(mktemp -d "$candidate/postroom-swift-XXXXXX" 2>/dev/null)" || continue
            if supports_xattr "$dir"; then device="$dir"; break; fi
            rmdir "$dir"
        done
        if [[ -z "$device" ]]; then
            echo "error: neither $data_dir nor /var/tmp, \$HOME/.cache or /dev/shm supports user xattrs," >&2
            echo "which Swift's object server needs. Point DATA_DIR at an ext4/xfs/btrfs directory." >&2
            exit 4
        fi
        echo "$device" > "$run/device-dir"
        ln -s "$device" "$node_dir/sdb1"
        echo "note: $data_dir lacks user xattr support; Swift's device is $device" >&2
    fi
fi

# --- configuration -------------------------------------------------------------
# swift.conf: the hash prefix/suffix salt object placement. Random once per
# DATA_DIR, then kept, because changing it would orphan stored objects.
if [[ ! -s "$etc/hash-suffix" ]]; then
    od -An -N16 -tx1 /dev/urandom | tr -d ' \n' > "$etc/hash-suffix"
fi
hash_suffix="$(cat "$etc/hash-suffix")"
cat > "$etc/swift.conf" <<CONF
[swift-hash]
swift_hash_path_suffix = $hash_suffix
swift_hash_path_prefix = postroom

[storage-policy:0]
name = Policy-0
default = yes
CONF

run_user="$(id -un)"

# Settings every server shares. swift_dir makes Swift read swift.conf and the
# rings from DATA_DIR/etc instead of /etc/swift. workers = 0 runs each server
# as a single process (no forked workers), which is plenty for tests and
# starts faster.
common_conf() {
    cat <<CONF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $1
workers = 0
user = $run_user
swift_dir = $etc
devices = $node_dir
mount_check = false
disable_fallocate = true
log_name = $2
log_level = INFO
CONF
}

{
    common_conf "$account_port" account-server
    cat <<CONF

[pipeline:main]
pipeline = account-server

[app:account-server]
use = egg:swift#account
CONF
} > "$etc/account-server.conf"

{
    common_conf "$container_port" container-server
    cat <<CONF

[pipeline:main]
pipeline = container-server

[app:container-server]
use = egg:swift#container
CONF
} > "$etc/container-server.conf"

{
    common_conf "$object_port" object-server
    cat <<CONF

[pipeline:main]
pipeline = object-server

[app:object-server]
use = egg:swift#object
CONF
} > "$etc/object-server.conf"

{
    common_conf "$proxy_port" proxy-server
    cat <<CONF

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk s3api tempauth copy slo dlo versioned_writes proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
allow_account_management = true

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:proxy-logging]
use = egg:swift#proxy_logging

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$memcached_port

[filter:listing_formats]
use = egg:swift#listing_formats

[filter:bulk]
use = egg:swift#bulk

# S3 API: path-style only (no storage_domain), region us-east-1.
[filter:s3api]
use = egg:swift#s3api
location = us-east-1

# One account "test" with user "tester"; as S3 credentials the access key is
# "test:tester" and the secret key "testing".
[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin

[filter:copy]
use = egg:swift#copy

[filter:slo]
use = egg:swift#slo

[filter:dlo]
use = egg:swift#dlo

[filter:versioned_writes]
use = egg:swift#versioned_writes
CONF
} > "$etc/proxy-server.conf"

# --- rings ---------------------------------------------------------------------
# One device, one replica, 2^3 partitions: the smallest ring that works. Rebuilt
# on every start because the ports may differ from the last run. This is what
# `swift-ring-builder X.builder create 3 1 1 / add r1z1-127.0.0.1:PORT/sdb1 1 /
# rebalance` does, through the same library in one Python process instead of
# nine (each start-up of Python + Swift costs about half a second).
"$python" - "$etc" "$account_port" "$container_port" "$object_port" <<'PY'
import os, sys
from swift.common.ring import RingBuilder
etc = sys.argv[1]
for name, port in zip(("account", "container", "object"), sys.argv[2:]):
    builder = RingBuilder(3, 1, 1)
    builder.add_dev({"id": 0, "region": 1, "zone": 1, "ip": "127.0.0.1", "port": int(port),
                     "device": "sdb1", "weight": 1.0, "meta": ""})
    builder.rebalance()
    builder.save(os.path.join(etc, name + ".builder"))
    builder.get_ring().save(os.path.join(etc, name + ".ring.gz"))
PY
for name in account container object; do
    if [[ ! -s "$etc/$name.ring.gz" ]]; then
        echo "error: could not build $etc/$name.ring.gz" >&2
        exit 5
    fi
done

# --- processes -----------------------------------------------------------------
start_bg() { # name, command...
    local name="$1"
    shift
    nohup "$@" >"$log/$name.log" 2>&1 </dev/null &
    echo $! > "$run/$name.pid"
}

start_bg memcached memcached -l 127.0.0.1 -p "$memcached_port" -U 0 -m 64 -u "$run_user"
# -v makes each server log to its console (here: the log file) as well as to
# syslog, which usually isn't running in a container.
start_bg account-server "$python" /usr/bin/swift-account-server "$etc/account-server.conf" -v
start_bg container-server "$python" /usr/bin/swift-container-server "$etc/container-server.conf" -v
start_bg object-server "$python" /usr/bin/swift-object-server "$etc/object-server.conf" -v
start_bg proxy-server "$python" /usr/bin/swift-proxy-server "$etc/proxy-server.conf" -v

fail() {
    echo "error: $1" >&2
    for f in "$log"/*.log; do
        echo "----- tail of $f -----" >&2
        tail -n 30 "$f" >&2 || true
    done
    "$script_dir/stop.sh" "$data_dir" >/dev/null 2>&1 || true
    exit 1
}

# Wait until the proxy answers /healthcheck and the backend servers accept
# connections: about 5 s on an idle machine; up to SWIFT_S3_START_TIMEOUT
# seconds (default 30) on a busy one.
timeout_s="${SWIFT_S3_START_TIMEOUT:-30}"
deadline=$((SECONDS + timeout_s))
until "$python" - "$proxy_port" "$account_port" "$container_port" "$object_port" <<'PY' 2>/dev/null
import socket, sys, urllib.request
for p in sys.argv[2:]:
    socket.create_connection(("127.0.0.1", int(p)), timeout=1).close()
with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthcheck", timeout=2) as r:
    sys.exit(0 if r.status == 200 else 1)
PY
do
    for f in "$run"/*.pid; do
        if ! kill -0 "$(cat "$f")" 2>/dev/null; then
            fail "$(basename "$f" .pid) exited during startup"
        fi
    done
    if (( SECONDS >= deadline )); then
        fail "Swift proxy did not answer http://127.0.0.1:$proxy_port/healthcheck within $timeout_s s"
    fi
    sleep 0.2
done

echo "Swift S3 endpoint ready at http://127.0.0.1:$proxy_port (access key test:tester, secret testing)"
