"""How long the command line takes to start (prints; asserts nothing).

Usage: python benchmarks/cli_startup.py [OTHER_SRC]

Runs ``dadkhah --help`` and ``dadkhah names explain "علی رضایی"`` five times each and prints
the median wall time and CPU time, for this tree's ``src`` and, if given, another tree's
``src`` (e.g. an older commit unpacked with ``git archive COMMIT src | tar -x -C /tmp/old``),
so the two are measured side by side under the same load.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
COMMANDS = (["--help"], ["names", "explain", "علی رضایی"])


def measure(src: Path, args: list[str], runs: int = 5) -> tuple[float, float]:
    """Median wall and CPU seconds of ``dadkhah ARGS`` run with ``src`` first on the path."""
    exe = shutil.which("dadkhah") or str(Path(sys.executable).with_name("dadkhah"))
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([exe, *args], env={**os.environ, "PYTHONPATH": str(src)},
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    trees = [("this tree", HERE / "src")]
    if len(sys.argv) > 1:
        trees.append((sys.argv[1], Path(sys.argv[1])))
    for args in COMMANDS:
        for label, src in trees:
            wall, cpu = measure(src, args)
            print(f"dadkhah {' '.join(args)}  [{label}]  wall {wall:.2f} s, CPU {cpu:.2f} s "
                  "(median of 5)")


if __name__ == "__main__":
    main()
