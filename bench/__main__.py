"""`make bench`: run every benchmark module under bench/ in its own process and print their tables.

Each module is runnable alone (`python -m bench.<name>`) and prints its figures next to the floor measured in the
same run. Results are copied by hand into docs/benchmarks.md together with the machine they ran on.
"""

import os
import pkgutil
import platform
import subprocess
import sys
from pathlib import Path


def machine() -> str:
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return f"{platform.node()} · {os.cpu_count()} cores · {mem} · Python {platform.python_version()}"


def main(argv: list[str]) -> int:
    names = argv or sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]))
    print(f"# MotCua benchmarks — {machine()}")
    failed = 0
    for name in names:
        print(f"\n## bench.{name}", flush=True)
        failed |= subprocess.call([sys.executable, "-m", f"bench.{name}"]) != 0
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
