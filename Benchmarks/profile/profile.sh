#!/usr/bin/env bash
# Samples where the CPU goes in the closed loop of the `calls` suite, for the runtime or the channel-loop baseline.
# usage: Benchmarks/profile/profile.sh [runtime|baseline] [TARGETS] [CALLERS] [SECONDS]   (defaults: runtime 1000 1024 10)
#
# Runs `NexusOrleans.Benchmarks loop ...` (one side only, no BenchmarkDotNet), waits until its warm-up is over, samples
# the process with `perf record` (cpu-clock at 999 Hz, all threads, call stacks) for SECONDS, and prints the Markdown
# summary of summarize.py. The runtime writes a perf map (DOTNET_PerfMapEnabled) so JIT-compiled methods have names;
# W^X is off (DOTNET_EnableWriteXorExecute=0) because perf cannot name code in the double-mapped W^X region. Needs
# perf (Debian: apt-get install linux-perf); cpu-clock is a software event, so it also works in virtual machines.
set -Eeuo pipefail
side=${1:-runtime}
targets=${2:-1000}
callers=${3:-1024}
seconds=${4:-10}
here=$(cd "$(dirname "$0")" && pwd)
project="$here/../NexusOrleans.Benchmarks"

command -v perf >/dev/null || { echo "profile.sh: perf is not installed (Debian: apt-get install linux-perf)" >&2; exit 2; }
dotnet build -c Release "$project" -nologo -v q >/dev/null
program="$project/bin/Release/net10.0/NexusOrleans.Benchmarks"

work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    rm -f "/tmp/perf-$pid.map" "/tmp/perfinfo-$pid.map"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 \
  "$program" loop "$side" "$targets" "$callers" "$((seconds + 2))" >"$work/loop.log" 2>&1 &
pid=$!
until grep -q "loop: measuring" "$work/loop.log"; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/loop.log" >&2; exit 1; }
  sleep 0.2
done

perf record -e cpu-clock -F 999 -g -p "$pid" -o "$work/perf.data" -- sleep "$seconds" >/dev/null 2>&1
wait "$pid"
cat "$work/loop.log"
echo
perf script -i "$work/perf.data" 2>/dev/null | python3 "$here/summarize.py"
