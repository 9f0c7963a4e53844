#!/usr/bin/env python3
"""Summarizes `perf script` output of a .NET process (perf map enabled) into the tables BENCHMARKS.md quotes.

Reads the text of `perf script` on stdin. Prints, as Markdown:
  1. where the samples fell: by thread kind and by code kind (JIT-compiled code, native runtime, kernel, ...);
  2. the hottest leaf functions (exclusive time);
  3. the hottest managed methods counting everything they call (inclusive time);
  4. samples in the native runtime (libcoreclr.so, which ships without symbols), charged to the managed method that
     called into it, so allocation, locking and write-barrier costs show up against the code that caused them.
"""
import collections
import re
import sys

HEADER = re.compile(r"^(?P<comm>.+?)\s+(?P<tid>\d+)\s+[\d.]+:\s+\d+\s+\S+:\s*$")
FRAME = re.compile(r"^\s*[0-9a-f]+\s+(?P<sym>.*?)\s+\((?P<dso>[^)]*)\)\s*$")
OFFSET = re.compile(r"\+0x[0-9a-f]+$")
TIER = re.compile(r"\[(OptimizedTier1|Optimized|Tier0|Tier1|QuickJitted|PreJIT|Instrumented[^\]]*|OptimizedTier1OSR)\]$")


def kind_of_thread(comm):
    if comm.startswith(".NET TP Worker"):
        return "thread-pool workers"
    if "GC" in comm:
        return "garbage collector threads"
    return "other threads (" + comm.strip() + ")"


def kind_of_code(dso, sym):
    if dso.startswith("/tmp/perf-") or dso.startswith("[JIT]") or dso.endswith(".dll"):
        if "NexusOrleans.Runtime" in sym:
            return "managed: NexusOrleans runtime"
        if "NexusOrleans.Benchmarks" in sym:
            return "managed: benchmark driver and grain"
        return "managed: .NET libraries (thread pool, tasks, collections)"
    if dso.endswith("libcoreclr.so"):
        return "native .NET runtime (libcoreclr: allocation, locks, GC, stubs)"
    if dso == "[kernel.kallsyms]":
        return "kernel"
    if dso == "[vdso]":
        return "vdso (clock_gettime)"
    if "ld-linux" in dso:
        return "ld.so (thread-local storage lookups)"
    if "libc.so" in dso:
        return "libc"
    if "libclrjit" in dso:
        return "JIT compiler"
    if "libSystem.Native" in dso:
        return "libSystem.Native (timestamps, I/O)"
    return dso.rsplit("/", 1)[-1] or "unknown"


def clean(sym, dso):
    if "WriteBarrier" in sym:
        # The perf map labels the copied write-barrier code with the stub that installed it.
        return "GC write barrier (JIT_WriteBarrier stub)"
    if sym in ("[unknown]", ""):
        return "[" + (dso.rsplit("/", 1)[-1] or "unknown") + "]"
    sym = OFFSET.sub("", sym)
    sym = TIER.sub("", sym)
    sym = re.sub(r"\[[A-Za-z0-9_.]+\] ", "", sym)
    sym = re.sub(r"^(instance )?(class |valuetype )?\S+ ", "", sym, count=1) if " " in sym and "(" in sym else sym
    sym = re.sub(r"\(.*\)$", "()", sym)
    return sym


def is_managed(dso):
    return dso.startswith("/tmp/perf-") or dso.startswith("[JIT]") or dso.endswith(".dll")


def main():
    samples = []
    stack = None
    comm = None
    for line in sys.stdin:
        header = HEADER.match(line)
        if header:
            if stack is not None:
                samples.append((comm, stack))
            comm, stack = header.group("comm"), []
            continue
        frame = FRAME.match(line)
        if frame and stack is not None:
            stack.append((frame.group("sym"), frame.group("dso")))
    if stack is not None:
        samples.append((comm, stack))
    samples = [(c, s) for c, s in samples if s]
    total = len(samples)
    if total == 0:
        print("no samples")
        return

    def pct(n):
        return f"{100.0 * n / total:.1f} %"

    threads = collections.Counter(kind_of_thread(c) for c, _ in samples)
    codes = collections.Counter(kind_of_code(s[0][1], s[0][0]) for _, s in samples)
    leaves = collections.Counter(clean(*s[0]) for _, s in samples)
    inclusive = collections.Counter()
    native_callers = collections.Counter()
    native_total = 0
    for _, s in samples:
        seen = set()
        for sym, dso in s:
            if is_managed(dso):
                name = clean(sym, dso)
                if name.startswith("[") or name.startswith("GC write barrier"):
                    continue  # an unnamed precompiled frame, or a stub: no method to charge
                if name not in seen:
                    seen.add(name)
                    inclusive[name] += 1
        if s[0][1].endswith("libcoreclr.so"):
            native_total += 1
            caller = next((clean(sym, dso) for sym, dso in s[1:] if is_managed(dso)), "(no managed caller: runtime or GC thread)")
            native_callers[caller] += 1

    print(f"Samples: {total:,} (cpu-clock, 999 Hz per CPU).\n")
    print("| thread | share of CPU samples |\n| --- | --- |")
    for name, n in threads.most_common():
        print(f"| {name} | {pct(n)} |")
    print("\n| code the sample was in | share |\n| --- | --- |")
    for name, n in codes.most_common(12):
        print(f"| {name} | {pct(n)} |")
    print("\n| hottest functions (exclusive) | share |\n| --- | --- |")
    for name, n in leaves.most_common(25):
        print(f"| `{name}` | {pct(n)} |")
    print("\n| managed methods (inclusive: with everything they call) | share |\n| --- | --- |")
    for name, n in inclusive.most_common(25):
        print(f"| `{name}` | {pct(n)} |")
    print(f"\nNative runtime (libcoreclr.so, {pct(native_total)} of all samples) charged to the managed method that called it:\n")
    print("| managed caller | share of all samples |\n| --- | --- |")
    for name, n in native_callers.most_common(12):
        print(f"| `{name}` | {pct(n)} |")


if __name__ == "__main__":
    main()
