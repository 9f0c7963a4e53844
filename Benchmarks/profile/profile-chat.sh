#!/usr/bin/env bash
# Samples where the CPU goes on the chat path: the silo process and the load generator (1,000 phones), each on its own.
# usage: Benchmarks/profile/profile-chat.sh [SECONDS]   (default 10)
#
# Runs `NexusOrleans.Benchmarks chat relay --rounds 1` (silo on SQLite, closed loop, then the open loop and the
# memory-storage run), waits until the SQLite closed loop is past its warm-up, samples both processes with
# `perf record` (cpu-clock at 999 Hz, all threads, call stacks) for SECONDS, lets the run finish, and prints the Markdown
# summary of summarize.py for each process and the run's own figures. Perf maps name JIT-compiled methods
# (DOTNET_PerfMapEnabled; W^X off so perf can read the code). The rates while perf runs are a little lower than without it.
set -Eeuo pipefail
seconds=${1:-10}
here=$(cd "$(dirname "$0")" && pwd)
project="$here/../NexusOrleans.Benchmarks"

command -v perf >/dev/null || { echo "profile-chat.sh: perf is not installed (Debian: apt-get install linux-perf)" >&2; exit 2; }
dotnet build -c Release "$project" -nologo -v q >/dev/null
program="$project/bin/Release/net10.0/NexusOrleans.Benchmarks"

work=$(mktemp -d)
pid=""
silo=""
cleanup() {
  for running in $pid $silo; do
    kill "$running" 2>/dev/null || true
  done
  # The run's processes (the benchmark, both silos, the silo build) each wrote a perf map: remove those of processes
  # started since this script began that have ended.
  for map in $(find /tmp -maxdepth 1 \( -name 'perf-*.map' -o -name 'perfinfo-*.map' \) -newer "$work/started" 2>/dev/null); do
    owner=${map##*-}
    owner=${owner%.map}
    kill -0 "$owner" 2>/dev/null || rm -f "$map"
  done
  rm -rf "$work"
}
touch "$work/started"
trap cleanup EXIT

DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 "$program" chat relay --rounds 1 >"$work/run.log" 2>&1 &
pid=$!
until grep -q "relay (sqlite): closed loop, measuring" "$work/run.log"; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/run.log" >&2; exit 1; }
  sleep 0.5
done

silo=$(pgrep -P "$pid" -f NexusOrleans.Silo.dll | head -1)
[ -n "$silo" ] || { echo "profile-chat.sh: the silo process was not found" >&2; exit 1; }
perf record -e cpu-clock -F 999 -g -p "$pid" -o "$work/phones.data" -- sleep "$seconds" >/dev/null 2>&1 &
phones=$!
perf record -e cpu-clock -F 999 -g -p "$silo" -o "$work/silo.data" -- sleep "$seconds" >/dev/null 2>&1
wait "$phones"
wait "$pid"
pid=""
silo_pid=$silo
silo=""
sleep 1

echo "## The run"
grep -E "^  round|^Machine" "$work/run.log"
echo
echo "## Silo (gateway, inbox grains, SQLite), pid $silo_pid"
perf script -i "$work/silo.data" 2>/dev/null | python3 "$here/summarize.py"
echo
echo "## Load generator (1,000 phones: Seal, send, receive, Decode, Open, ack)"
perf script -i "$work/phones.data" 2>/dev/null | python3 "$here/summarize.py"
