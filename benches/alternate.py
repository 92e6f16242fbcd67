#!/usr/bin/env python3
"""Time shell commands in turn, round after round, and print each one's median wall seconds,
peak RSS (kB, GNU time, one run of its own) and median CPU seconds (user + system), one line per
command in the order given.

    benches/alternate.py RUNS 'COMMAND A' 'COMMAND B' ...

On a virtual machine whose speed swings from one minute to the next, timing each command in a
block of its own (hyperfine's way) compares commands measured in different spells of the host;
in turn, a slow spell hits them all alike, so their ratios hold. Each round takes them in a
new order (seeded, so reruns repeat it): a command was seen to run 10% slower in one place of a
fixed order than in another. One round is run first and not counted (it warms the page cache
and the binaries).
"""

import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time


def wall(command: str) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, the command's processes) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(["sh", "-c", command], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def peak_rss_kb(command: str) -> int:
    with tempfile.NamedTemporaryFile("r") as out:
        subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", out.name, "sh", "-c", command],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        text = out.read().strip().splitlines()
        return int(text[-1]) if text and text[-1].isdigit() else 0


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    runs = max(1, int(sys.argv[1]))
    commands = sys.argv[2:]
    for command in commands:
        wall(command)
    times = [[] for _ in commands]
    cpus = [[] for _ in commands]
    order = list(range(len(commands)))
    shuffle = random.Random(5).shuffle
    for _ in range(runs):
        shuffle(order)
        for index in order:
            elapsed, cpu = wall(commands[index])
            times[index].append(elapsed)
            cpus[index].append(cpu)
    have_time = os.path.exists("/usr/bin/time")
    for index, command in enumerate(commands):
        rss = peak_rss_kb(command) if have_time else 0
        wall_s, cpu_s = statistics.median(times[index]), statistics.median(cpus[index])
        print(f"{wall_s:.4f} {rss} {cpu_s:.4f}")


if __name__ == "__main__":
    main()
