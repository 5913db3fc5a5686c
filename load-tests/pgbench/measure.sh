#!/bin/bash
# Runs one pgbench script of make-scripts.py against DB for SECONDS and prints what a message cost
# Postgres: messages a second, CPU µs (the machine's busy time from /proc/stat less pgbench's own:
# run nothing else beside it), WAL bytes and full-page images. It checkpoints first, so every run
# starts a checkpoint cycle alike. The connection comes from libpq's environment (PGHOST, PGPORT,
# PGUSER).
# Usage: measure.sh DB SCRIPT [SECONDS]
set -euo pipefail
[[ $# -ge 2 ]] || { echo "usage: measure.sh DB SCRIPT [SECONDS]" >&2; exit 2; }
db=$1 script=$2 seconds=${3:-30}
q() { psql -qtAX -d "$db" -c "$1"; }
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
own=$(mktemp)
trap 'rm -f "$own"' EXIT

q "checkpoint" >/dev/null
q "select pg_stat_reset_shared('wal')" >/dev/null
n0=$(q "select sum(last_seq) from conversations")
b0=$(busy)
/usr/bin/time -o "$own" -f "%U %S" pgbench -n -M prepared -f "$script" -c 1 -T "$seconds" "$db" >/dev/null
b1=$(busy)
n1=$(q "select sum(last_seq) from conversations")
sleep 1 # pgbench's backend adds its WAL counts to pg_stat_wal as it exits, which can be after pgbench has
IFS='|' read -r fpi bytes <<<"$(q "select wal_fpi, wal_bytes from pg_stat_wal")"
awk -v n=$((n1 - n0)) -v s="$seconds" -v b=$((b1 - b0)) -v hz="$(getconf CLK_TCK)" -v own="$(tail -1 "$own")" \
    -v fpi="$fpi" -v bytes="$bytes" -v what="$(basename "$script")" 'BEGIN {
    split(own, o, " ")
    printf "%s: %d messages, %.0f/s, Postgres CPU %.1f µs/message, WAL %.0f bytes and %.3f full-page images a message\n",
        what, n, n / s, (b / hz - o[1] - o[2]) * 1e6 / n, bytes / n, fpi / n }'
