#!/usr/bin/env bash
# SMTP ingress benchmark: Postroom's all-in-one host against a reference Postfix, same machine,
# same load generator (Postfix's smtp-source), same loopback, same disk.
#
#   bench/smtp.sh                         20,000 messages x 20 sessions, 5 KB and 50 KB, both servers
#   bench/smtp.sh --messages 2000         quick smoke run
#   bench/smtp.sh --only postfix          only the reference Postfix
#
# Options:
#   --messages N      messages per measured run (default 20000)
#   --sessions N      parallel SMTP sessions (default 20)
#   --sizes "A B"     message payload sizes in bytes, headers not included (default "5120 51200")
#   --only S          postfix | postroom: run one server only
#   --warmup N        unmeasured messages sent to each server before the runs (default 2000;
#                     lets .NET's tiered JIT settle)
#   --reuse           keep connections open between messages (smtp-source -d); default is one
#                     SMTP session per message (connect, HELO, MAIL, RCPT, DATA, QUIT), as an MX
#                     mostly sees it
#   --postfix-deliver let Postfix deliver (virtual(8) into a Maildir) while the load runs, instead
#                     of holding the accepted mail; see bench/smtp/postfix-instance.sh
#   --repeat N        rounds of runs (default 1); the table shows the median, and every run
#   --idle-timeout S  before each run wait up to S seconds (default 120) for the machine to be idle
#                     (>= 90% idle CPU over a second); a run that starts busy is flagged with *
#   --keep            keep the temporary directory (logs, queues) for a look afterwards
#
# Environment:
#   POSTROOM_PORT           port the Postroom host listens on (default 2525)
#   POSTROOM_CMD            command (run with bash -c from the repository root) that starts the
#                           Postroom host; $POSTROOM_DATA_DIR and $POSTROOM_PORT are exported to it.
#                           Default: build services/Postroom.AllInOne in Release, then
#                             dotnet run --no-build -c Release --project services/Postroom.AllInOne \
#                               -- --data-dir "$POSTROOM_DATA_DIR" --Smtp:Listeners:mx:Port="$POSTROOM_PORT"
#                           (its other listeners, 2587, 2465 and HTTP 2080, must be free too)
#                           POSTROOM_CMD=none: start nothing, benchmark whatever listens on the port.
#   POSTROOM_READY_TIMEOUT  seconds to wait for the 220 greeting (default 120)
#   POSTROOM_COUNT_CMD      optional command printing how many messages Postroom has accepted so
#                           far; its increase over a run must equal the messages sent. Default, when
#                           the script started Postroom: the number of "result=queued" transaction
#                           lines in its log; with POSTROOM_CMD=none, or if the log has no such
#                           lines, only smtp-source's own count of 250 replies to DATA is checked
#   POSTFIX_PORT            port of the reference Postfix (default 2526)
#   BENCH_TMPDIR            where the temporary directory goes (default /tmp); both servers keep
#                           their queues there, so they write to the same filesystem
#
# How it runs: both servers are started (each with a fresh, private data directory under one
# temporary directory) and warmed up; then, for each round, each size, each server (alternating
# which server goes first), it waits until the machine is idle, runs smtp-source, and checks that
# all messages were accepted (Postfix: its queue grew by exactly that many). The table reports the
# median run. Ctrl-C or any failure stops both servers and removes the temporary directory.
#
# What the Postroom host must do: listen on 127.0.0.1:$POSTROOM_PORT, greet with 220 when ready,
# accept HELO (smtp-source does not use EHLO), and accept mail from <bench@example.org> to
# <jane@example.com> (the sample domain in examples/), replying 250 to DATA only once the message
# is durable. It is stopped with SIGTERM to its process group (SIGKILL after 30 s).
#
# Results are printed and written as Markdown to bench/smtp/results.md (overwritten each run).
# Needs root (apt-get, and Postfix's master runs as root). Only loopback traffic.
set -Eeuo pipefail
# A dot for decimals everywhere ($EPOCHREALTIME, awk), whatever the caller's locale.
export LC_ALL=C

repo=$(cd "$(dirname "$0")/.." && pwd)
here="$repo/bench/smtp"
instance="$here/postfix-instance.sh"
results_md="$here/results.md"

messages=20000
sessions=20
sizes="5120 51200"
only=""
warmup=2000
reuse=0
postfix_mode=hold
keep=0
repeat=1
idle_percent=90
idle_timeout=120

postroom_port=${POSTROOM_PORT:-2525}
postfix_port=${POSTFIX_PORT:-2526}
ready_timeout=${POSTROOM_READY_TIMEOUT:-120}

die() { echo "smtp.sh: error: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }
usage() { sed -n '2,/^set -/{/^set -/d;s/^# \{0,1\}//;p}' "$0"; }

is_count() { [[ "$1" =~ ^[0-9]+$ ]]; }

while [ $# -gt 0 ]; do
  case "$1" in
    --messages) [ $# -ge 2 ] || die "--messages needs a value"; messages=$2; shift 2 ;;
    --sessions) [ $# -ge 2 ] || die "--sessions needs a value"; sessions=$2; shift 2 ;;
    --sizes) [ $# -ge 2 ] || die "--sizes needs a value"; sizes=$2; shift 2 ;;
    --only) [ $# -ge 2 ] || die "--only needs a value"; only=$2; shift 2 ;;
    --warmup) [ $# -ge 2 ] || die "--warmup needs a value"; warmup=$2; shift 2 ;;
    --reuse) reuse=1; shift ;;
    --postfix-deliver) postfix_mode=deliver; shift ;;
    --keep) keep=1; shift ;;
    --repeat) [ $# -ge 2 ] || die "--repeat needs a value"; repeat=$2; shift 2 ;;
    --idle-timeout) [ $# -ge 2 ] || die "--idle-timeout needs a value"; idle_timeout=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

is_count "$messages" && [ "$messages" -gt 0 ] || die "--messages must be a positive integer"
is_count "$sessions" && [ "$sessions" -gt 0 ] || die "--sessions must be a positive integer"
is_count "$warmup" || die "--warmup must be a non-negative integer"
is_count "$repeat" && [ "$repeat" -gt 0 ] || die "--repeat must be a positive integer"
is_count "$idle_timeout" || die "--idle-timeout must be a number of seconds"
is_count "$postroom_port" || die "POSTROOM_PORT must be a port number"
is_count "$postfix_port" || die "POSTFIX_PORT must be a port number"
is_count "$ready_timeout" || die "POSTROOM_READY_TIMEOUT must be a number of seconds"
[ "$postroom_port" != "$postfix_port" ] || die "POSTROOM_PORT and POSTFIX_PORT must differ"
read -r -a size_list <<<"$sizes"
[ ${#size_list[@]} -gt 0 ] || die "--sizes is empty"
for s in "${size_list[@]}"; do is_count "$s" && [ "$s" -gt 0 ] || die "bad size '$s' in --sizes"; done
servers=()
case "$only" in
  "") servers=(postfix postroom) ;;
  postfix|postroom) servers=("$only") ;;
  *) die "--only must be postfix or postroom" ;;
esac
[ "$(id -u)" -eq 0 ] || die "run as root: it installs packages and starts a private Postfix (whose master runs as root)"
# $EPOCHREALTIME (bash 5) is the wall clock with microseconds.
[ -n "${EPOCHREALTIME:-}" ] || die "needs bash 5 or later (\$EPOCHREALTIME)"

# ---------------------------------------------------------------------------------------------
# 1. Tools: Postfix (for smtp-source and the reference instance), without a system mailer.
# ---------------------------------------------------------------------------------------------
find_smtp_source() {
  local p
  for p in "$(command -v smtp-source 2>/dev/null || true)" /usr/sbin/smtp-source /usr/lib/postfix/sbin/smtp-source; do
    if [ -n "$p" ] && [ -x "$p" ]; then echo "$p"; return 0; fi
  done
  return 1
}

install_postfix() {
  log "installing postfix (tools and a private instance only; the system mailer stays unconfigured)"
  export DEBIAN_FRONTEND=noninteractive
  # "No configuration": the package leaves /etc/postfix/main.cf absent and configures no system MTA.
  echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends postfix >/dev/null
  # The package enables the system service (and, under a running init, may start it): undo both.
  # 'systemctl disable' works without a running systemd, and also disables the SysV links.
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemctl stop postfix.service >/dev/null 2>&1 || true
  else
    service postfix stop >/dev/null 2>&1 || true
  fi
  if command -v systemctl >/dev/null 2>&1; then
    systemctl disable postfix.service >/dev/null 2>&1 || true
  elif command -v update-rc.d >/dev/null 2>&1 && [ -e /etc/init.d/postfix ]; then
    update-rc.d postfix disable >/dev/null 2>&1 || true
  fi
}

smtp_source=$(find_smtp_source || true)
if [ -z "$smtp_source" ] || ! command -v postfix >/dev/null 2>&1; then
  install_postfix
  smtp_source=$(find_smtp_source) || die "smtp-source not found even after installing postfix"
fi
command -v postfix >/dev/null 2>&1 || die "postfix not found even after installing it"

# ---------------------------------------------------------------------------------------------
# 2. Temporary directory, and cleanup on any exit (success, failure, Ctrl-C).
# ---------------------------------------------------------------------------------------------
tmp=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/postroom-smtp-bench.XXXXXX")
# The postfix user must be able to reach the private queue below it.
chmod 755 "$tmp"
postfix_dir="$tmp/postfix"
postroom_data="$tmp/postroom"
postroom_log="$tmp/postroom.log"
postroom_pgid=""
postfix_started=0

stop_postroom() {
  [ -n "$postroom_pgid" ] || return 0
  local pgid=$postroom_pgid
  postroom_pgid=""
  if kill -0 -- "-$pgid" 2>/dev/null; then
    log "stopping postroom (SIGTERM to process group $pgid)"
    kill -TERM -- "-$pgid" 2>/dev/null || true
    for _ in $(seq 1 150); do
      kill -0 -- "-$pgid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 -- "-$pgid" 2>/dev/null; then
      echo "smtp.sh: warning: postroom did not stop within 30 s of SIGTERM; sending SIGKILL" >&2
      kill -KILL -- "-$pgid" 2>/dev/null || true
    fi
  fi
  wait "$pgid" 2>/dev/null || true
}

stop_postfix() {
  [ "$postfix_started" -eq 1 ] || return 0
  postfix_started=0
  log "stopping the reference postfix"
  "$instance" stop "$postfix_dir" || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM ERR
  stop_postroom
  stop_postfix
  if [ "$keep" -eq 1 ]; then
    echo "smtp.sh: kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
  exit "$rc"
}
trap cleanup EXIT
# Any unexpected failure (set -e) says where it happened.
trap 'echo "smtp.sh: error: \"$BASH_COMMAND\" failed (line $LINENO)" >&2' ERR
trap 'echo "smtp.sh: interrupted" >&2; exit 130' INT
trap 'echo "smtp.sh: terminated" >&2; exit 143' TERM

# ---------------------------------------------------------------------------------------------
# Helpers.
# ---------------------------------------------------------------------------------------------

# Succeeds when something on 127.0.0.1:PORT answers with a 220 greeting (then says QUIT).
smtp_ready() {
  timeout 5 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    IFS= read -r line <&3 || exit 1
    printf "QUIT\r\n" >&3 || true
    [[ "$line" == 220* ]]' _ "$1" 2>/dev/null
}

# Succeeds when anything accepts a TCP connection on 127.0.0.1:PORT.
port_in_use() {
  timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# Sends COUNT messages of SIZE bytes to PORT; sets run_seconds and run_counted.
# smtp-source exits non-zero at the first reply that is not the expected positive one, and with
# -c prints a counter that goes up once per completed DATA (i.e. a 250 to the final dot).
run_load() {
  local port=$1 size=$2 count=$3 out="$tmp/smtp-source.out" err="$tmp/smtp-source.err"
  local -a args=(-c -s "$sessions" -m "$count" -l "$size" -M bench.example.org
                 -f bench@example.org -t jane@example.com)
  [ "$reuse" -eq 1 ] && args+=(-d)
  local start end rc=0
  start=$EPOCHREALTIME
  "$smtp_source" "${args[@]}" "127.0.0.1:$port" >"$out" 2>"$err" || rc=$?
  end=$EPOCHREALTIME
  run_seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
  run_counted=$(tr '\r' '\n' <"$out" | grep -E '^[0-9]+$' | tail -n 1 || true)
  run_counted=${run_counted:-0}
  if [ "$rc" -ne 0 ]; then
    echo "smtp.sh: smtp-source failed (exit $rc) after $run_counted of $count messages to port $port:" >&2
    sed 's/^/  /' "$err" >&2
    return 1
  fi
  if [ "$run_counted" -ne "$count" ]; then
    echo "smtp.sh: smtp-source counted $run_counted completed messages, expected $count" >&2
    return 1
  fi
}

# How Postroom's acceptances are counted: "cmd" (POSTROOM_COUNT_CMD), "log" (its transaction log
# lines, when this script started it), or "" (smtp-source's count only). Set by start_postroom.
postroom_counter=""

# Prints how many messages a server has accepted so far (used before and after each run).
server_count() {
  case "$1" in
    postfix) "$instance" count "$postfix_dir" ;;
    postroom)
      case "$postroom_counter" in
        cmd) bash -c "$POSTROOM_COUNT_CMD" ;;
        log) grep -c 'result=queued' "$postroom_log" || true ;;
      esac ;;
  esac
}

# Machine-wide CPU counters from /proc/stat: "total idle" in clock ticks.
cpu_sample() {
  local _label u n s i w q sq st _rest
  read -r _label u n s i w q sq st _rest </proc/stat
  echo "$((u + n + s + i + w + q + sq + st)) $i"
}

# Before each measured run: flush dirty pages (so a run does not pay for the previous one's
# writes), then wait until the machine is idle (>= $idle_percent % idle over one second), so that
# neither a server's leftover background work (e.g. Postroom delivering what it just accepted) nor
# anything else on the machine runs into the measurement. Returns 1 if it never got idle within
# $idle_timeout seconds; the run then goes ahead and is flagged in the results.
wait_idle() {
  sync
  local deadline=$((SECONDS + idle_timeout)) t1 i1 t2 i2 pct
  while :; do
    read -r t1 i1 < <(cpu_sample)
    sleep 1
    read -r t2 i2 < <(cpu_sample)
    pct=100
    [ "$t2" -gt "$t1" ] && pct=$((100 * (i2 - i1) / (t2 - t1)))
    [ "$pct" -ge "$idle_percent" ] && return 0
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "smtp.sh: warning: the machine is still busy (${pct}% idle) after ${idle_timeout}s; measuring anyway" >&2
      return 1
    fi
  done
}

# CPU time (user + system, in clock ticks) used so far by the processes of session SID, including
# their reaped children: what a server has burnt, whichever of its processes did the work. Postfix's
# master starts a session of its own; Postroom is started in one (setsid).
clk_tck=$(getconf CLK_TCK 2>/dev/null || echo 100)
session_cpu_ticks() {
  # /proc/PID/stat after "(comm) ": state ppid pgrp session ... utime(12) stime cutime cstime(15).
  # (A process may exit between the glob and the read: cat's complaint is not an error here.)
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } |
    awk -v sid="$1" '{ sub(/^.*\) /, ""); if ($4 == sid) t += $12 + $13 + $14 + $15 } END { printf "%d", t }'
}

# The session id whose CPU counts as the server's, or "" if unknown (POSTROOM_CMD=none).
server_sid() {
  case "$1" in
    postfix) tr -dc 0-9 <"$postfix_dir/spool/pid/master.pid" 2>/dev/null || true ;;
    postroom) echo "$postroom_pgid" ;;
  esac
}

# Results: "server:size" -> space-separated per-run values: seconds, server CPU ms per message
# ("-" if unknown), and whether the machine was busy before the run (1) or idle (0).
declare -A result_seconds=() result_cpu=() result_busy=()
any_busy=0

# Sends the warm-up load to a server (not measured); Postfix's queue is emptied afterwards.
warm_up() {
  local server=$1 port=$2
  [ "$warmup" -gt 0 ] || return 0
  log "$server: warm-up, $warmup messages of ${size_list[0]} bytes"
  run_load "$port" "${size_list[0]}" "$warmup" || die "$server: warm-up failed"
  if [ "$server" = postfix ]; then "$instance" clear "$postfix_dir"; fi
}

# One measured run: waits for an idle machine, sends the load, checks what was accepted.
measure() {
  local server=$1 port=$2 size=$3 before="" after accepted busy=0 key="$1:$3"
  wait_idle || { busy=1; any_busy=1; }
  if [ "$server" = postfix ] || [ -n "$postroom_counter" ]; then
    before=$(server_count "$server") || die "$server: counting its messages failed"
  fi
  local sid cpu_before="" cpu_ms="-"
  sid=$(server_sid "$server")
  [ -z "$sid" ] || cpu_before=$(session_cpu_ticks "$sid")
  log "$server: $messages messages of $size bytes over $sessions sessions"
  run_load "$port" "$size" "$messages" || {
    if [ "$server" = postroom ] && [ -s "$postroom_log" ]; then
      echo "smtp.sh: last lines of postroom's log:" >&2
      tail -n 30 "$postroom_log" | sed 's/^/  /' >&2
    fi
    die "$server: run with $size-byte messages failed"
  }
  if [ -n "$cpu_before" ]; then
    cpu_ms=$(awk -v t="$(($(session_cpu_ticks "$sid") - cpu_before))" -v hz="$clk_tck" -v n="$messages" \
      'BEGIN { printf "%.2f", t * 1000 / hz / n }')
  fi
  accepted=$run_counted
  if [ -n "$before" ]; then
    # A log may lag a little behind the replies: give the count up to 15 s to catch up.
    local deadline=$((SECONDS + 15))
    while :; do
      after=$(server_count "$server") || die "$server: counting its messages failed"
      accepted=$((after - before))
      [ "$accepted" -lt "$messages" ] && [ "$SECONDS" -lt "$deadline" ] || break
      sleep 0.5
    done
    if [ "$server" = postroom ] && [ "$postroom_counter" = log ] && [ "$accepted" -eq 0 ]; then
      echo "smtp.sh: note: postroom's log has no 'result=queued' lines; checking smtp-source's count only" >&2
      postroom_counter=""
      accepted=$run_counted
    fi
    [ "$accepted" -eq "$messages" ] ||
      die "$server: smtp-source saw $run_counted messages accepted, but the server counts $accepted new ones (of $messages)"
  fi
  result_seconds[$key]="${result_seconds[$key]:-} $run_seconds"
  result_cpu[$key]="${result_cpu[$key]:-} $cpu_ms"
  result_busy[$key]="${result_busy[$key]:-} $busy"
  log "$server: $accepted accepted in ${run_seconds}s ($(rate "$accepted" "$run_seconds") msg/s, server CPU ${cpu_ms} ms/msg)$([ "$busy" -eq 0 ] || echo ', machine was busy')"
  # Keep Postfix's queue small between runs (the count above has verified it).
  if [ "$server" = postfix ]; then "$instance" clear "$postfix_dir"; fi
}

rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", n / t }'; }

# Median of the numbers on stdin, one per word ("-" if there are none).
median() {
  tr ' ' '\n' | { grep -E '^[0-9.]+$' || true; } | sort -g |
    awk '{ a[NR] = $1 } END { if (NR == 0) printf "-"; else if (NR % 2) printf "%.3f", a[(NR + 1) / 2]; else printf "%.3f", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# ---------------------------------------------------------------------------------------------
# 3. The reference Postfix.
# ---------------------------------------------------------------------------------------------
start_postfix() {
  port_in_use "$postfix_port" && die "port $postfix_port is already in use; free it or set POSTFIX_PORT"
  log "starting a private postfix on 127.0.0.1:$postfix_port (mode: $postfix_mode) in $postfix_dir"
  postfix_started=1
  "$instance" start "$postfix_dir" "$postfix_port" "$postfix_mode" ||
    die "the reference postfix did not start (log: $postfix_dir/maillog)"
  for _ in $(seq 1 50); do smtp_ready "$postfix_port" && break; sleep 0.2; done
  smtp_ready "$postfix_port" || die "the reference postfix does not answer on port $postfix_port"
}

# ---------------------------------------------------------------------------------------------
# 4. Postroom's all-in-one host.
# ---------------------------------------------------------------------------------------------
start_postroom() {
  local cmd=${POSTROOM_CMD:-}
  if [ "$cmd" = none ]; then
    postroom_desc="whatever answered on 127.0.0.1:$postroom_port (POSTROOM_CMD=none)"
    log "POSTROOM_CMD=none: benchmarking whatever answers on 127.0.0.1:$postroom_port"
    smtp_ready "$postroom_port" || die "nothing greets with 220 on port $postroom_port"
    [ -z "${POSTROOM_COUNT_CMD:-}" ] || postroom_counter=cmd
    return 0
  fi
  port_in_use "$postroom_port" &&
    die "port $postroom_port is already in use; stop that server, or set POSTROOM_CMD=none to benchmark it as it is"
  if [ -z "$cmd" ]; then
    [ -d "$repo/services/Postroom.AllInOne" ] ||
      die "services/Postroom.AllInOne does not exist; set POSTROOM_CMD, or use --only postfix"
    # Built first, so that the build is neither timed nor counted against the readiness timeout.
    log "building services/Postroom.AllInOne (Release)"
    (cd "$repo" && dotnet build services/Postroom.AllInOne -c Release -v quiet -nologo) >"$tmp/build.log" 2>&1 ||
      { tail -n 30 "$tmp/build.log" >&2; die "building Postroom.AllInOne failed"; }
    # shellcheck disable=SC2016 # expanded by the bash -c below, where it is exported
    # (The MX listener's port is a configuration key, given on the command line like any other.)
    cmd='exec dotnet run --no-build -c Release --project services/Postroom.AllInOne -- --data-dir "$POSTROOM_DATA_DIR" --Smtp:Listeners:mx:Port="$POSTROOM_PORT"'
  fi
  postroom_desc="\`${cmd#exec }\`, data in a fresh temporary directory, port $postroom_port"
  if [ -n "${POSTROOM_COUNT_CMD:-}" ]; then postroom_counter=cmd; else postroom_counter=log; fi
  mkdir -p "$postroom_data"
  log "starting postroom: $cmd"
  # setsid: its own session and process group (the subshell is not a group leader, so setsid
  # execs without forking and the pid is the group id), so SIGTERM reaches it and its children,
  # and Ctrl-C on this script reaches only the script, whose trap then stops it.
  (cd "$repo" && POSTROOM_DATA_DIR="$postroom_data" POSTROOM_PORT="$postroom_port" \
     exec setsid bash -c "$cmd" </dev/null >"$postroom_log" 2>&1) &
  postroom_pgid=$!
  local deadline=$((SECONDS + ready_timeout))
  until smtp_ready "$postroom_port"; do
    if ! kill -0 "$postroom_pgid" 2>/dev/null; then
      postroom_pgid=""
      echo "smtp.sh: postroom exited before it was ready; last lines of its log:" >&2
      tail -n 30 "$postroom_log" | sed 's/^/  /' >&2
      die "postroom did not start"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "smtp.sh: last lines of postroom's log:" >&2
      tail -n 30 "$postroom_log" | sed 's/^/  /' >&2
      die "postroom did not greet on port $postroom_port within ${ready_timeout}s"
    fi
    sleep 0.5
  done
  log "postroom is ready on 127.0.0.1:$postroom_port"
}

# ---------------------------------------------------------------------------------------------
# 5. Run: start the servers, warm them up, then rounds of (size x server) runs. Within a round the
#    servers alternate which goes first, so that a slow drift of the machine (other load, disk)
#    does not always favour the same one; each run waits for an idle machine first.
# ---------------------------------------------------------------------------------------------
cpu_model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
mem_gib=$(awk '/^MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)
fs_type=$(df -PT "$tmp" 2>/dev/null | awk 'NR == 2 { print $2 }' || true)
machine="nproc $(nproc), ${cpu_model:-unknown CPU}, ${mem_gib:-?} GiB RAM, Linux $(uname -r), queues on ${fs_type:-?} ($(dirname "$tmp"))"
postfix_version=$(postconf -d -h mail_version 2>/dev/null || echo '?')
postroom_desc=""
log "machine: $machine"

declare -A port_of=([postfix]="$postfix_port" [postroom]="$postroom_port")
for server in "${servers[@]}"; do
  case "$server" in
    postfix) start_postfix ;;
    postroom) start_postroom ;;
  esac
done
for server in "${servers[@]}"; do warm_up "$server" "${port_of[$server]}"; done

for round in $(seq 1 "$repeat"); do
  [ "$repeat" -eq 1 ] || log "round $round of $repeat"
  order=("${servers[@]}")
  if [ $((round % 2)) -eq 0 ] && [ ${#servers[@]} -eq 2 ]; then order=("${servers[1]}" "${servers[0]}"); fi
  for size in "${size_list[@]}"; do
    for server in "${order[@]}"; do measure "$server" "${port_of[$server]}" "$size"; done
  done
done
stop_postroom
stop_postfix

# ---------------------------------------------------------------------------------------------
# 6. Report: the median run per (size, server), printed and written as Markdown.
# ---------------------------------------------------------------------------------------------
size_label() { awk -v b="$1" 'BEGIN { if (b % 1024 == 0) printf "%d KB", b / 1024; else printf "%d B", b }'; }
mode_text="one SMTP session per message"
[ "$reuse" -eq 1 ] && mode_text="sessions reused across messages (smtp-source -d)"
declare -A median_seconds=() median_cpu=()
for key in "${!result_seconds[@]}"; do
  median_seconds[$key]=$(median <<<"${result_seconds[$key]}")
  median_cpu[$key]=$(median <<<"${result_cpu[$key]}")
  [ "${median_cpu[$key]}" = - ] || median_cpu[$key]=$(awk -v c="${median_cpu[$key]}" 'BEGIN { printf "%.2f", c }')
done

{
  echo "# SMTP ingress: Postroom vs Postfix"
  echo
  echo "Generated by \`bench/smtp.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'); overwritten by each run."
  echo
  echo "- Machine: $machine"
  echo "- Load: Postfix's smtp-source over 127.0.0.1, $sessions parallel sessions, $messages messages per run, $mode_text,"
  echo "  HELO, \`bench@example.org\` -> \`jane@example.com\`, payload of the given size plus ~150 bytes of headers;"
  echo "  $warmup warm-up messages per server first, not counted; each run starts on an idle machine (sync, then >= ${idle_percent}% idle)"
  echo "- Messages/s counts messages that got their 250 to DATA (smtp-source stops at any other reply), wall time of the whole run;"
  echo "  server CPU is the user + system time of all the server's processes during the run, per message (the client's is not included)"
  for server in "${servers[@]}"; do
    case "$server" in
      postfix)
        if [ "$postfix_mode" = hold ]; then
          echo "- Postfix $postfix_version: private instance on port $postfix_port, MX for example.com (virtual mailbox jane@), no relay;"
          echo "  250 once the queue file is written and fsync()ed; the mail is put on hold (no delivery), the hold queue counted after each run"
        else
          echo "- Postfix $postfix_version: private instance on port $postfix_port, MX for example.com (virtual mailbox jane@), no relay;"
          echo "  250 once the queue file is written and fsync()ed; virtual(8) delivers to a Maildir during the run, queue + Maildir counted after it"
        fi ;;
      postroom)
        echo "- Postroom: $postroom_desc;"
        case "$postroom_counter" in
          cmd) echo "  acceptances checked with POSTROOM_COUNT_CMD after each run" ;;
          log) echo "  acceptances checked against its log (one \`result=queued\` transaction line per message) after each run" ;;
          *) echo "  acceptances checked by smtp-source's count only" ;;
        esac ;;
    esac
  done
  echo
  if [ "$repeat" -gt 1 ]; then
    echo "Median of $repeat runs; every run's msg/s in the last column."
    echo
    echo "| size | server | messages | seconds | msg/s | server CPU ms/msg | runs (msg/s) |"
    echo "|---:|---|---:|---:|---:|---:|---|"
  else
    echo "| size | server | messages | seconds | msg/s | server CPU ms/msg |"
    echo "|---:|---|---:|---:|---:|---:|"
  fi
  for size in "${size_list[@]}"; do
    for server in "${servers[@]}"; do
      key="$server:$size"
      # Every run's msg/s, a * on those that started on a busy machine.
      read -r -a secs <<<"${result_seconds[$key]}"
      read -r -a busy <<<"${result_busy[$key]}"
      runs=""
      for i in "${!secs[@]}"; do
        runs+="${runs:+, }$(rate "$messages" "${secs[$i]}")$([ "${busy[$i]}" -eq 0 ] || echo '\*')"
      done
      row="| $(size_label "$size") | $server | $messages | ${median_seconds[$key]} |"
      if [ "$repeat" -gt 1 ]; then
        row+=" $(rate "$messages" "${median_seconds[$key]}") | ${median_cpu[$key]} | $runs |"
      else
        row+=" $runs | ${median_cpu[$key]} |"
      fi
      echo "$row"
    done
  done
  if [ "$any_busy" -eq 1 ]; then
    echo
    echo "\\* the machine was not idle before this run (it stayed busy for ${idle_timeout}s): treat it with care."
  fi
  if [ ${#servers[@]} -eq 2 ]; then
    echo
    echo "| size | msg/s, Postroom / Postfix | server CPU per message, Postroom / Postfix |"
    echo "|---:|---:|---:|"
    for size in "${size_list[@]}"; do
      ratio=$(awk -v a="${median_seconds[postroom:$size]}" -v b="${median_seconds[postfix:$size]}" 'BEGIN { printf "%.2fx", b / a }')
      cpu_ratio="-"
      if [ "${median_cpu[postroom:$size]}" != - ] && [ "${median_cpu[postfix:$size]}" != - ]; then
        cpu_ratio=$(awk -v a="${median_cpu[postroom:$size]}" -v b="${median_cpu[postfix:$size]}" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else printf "-" }')
      fi
      echo "| $(size_label "$size") | $ratio | $cpu_ratio |"
    done
  fi
} >"$tmp/results.md"

cp "$tmp/results.md" "$results_md"
echo
cat "$tmp/results.md"
echo
echo "(written to ${results_md#"$repo"/})"
