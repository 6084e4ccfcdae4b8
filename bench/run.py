"""Run every benchmark and collect their tables in bench/RESULTS.md.

    .venv/bin/python -m bench.run            # default sizes of each benchmark
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
STEPS = [
    [sys.executable, "-m", "bench.build_bench"],
    [sys.executable, str(BENCH / "validation.py")],
    [sys.executable, "-m", "bench.api_bench"],
]


def main() -> None:
    for step in STEPS:
        print("$", " ".join(step[1:]), flush=True)
        subprocess.run(step, cwd=BENCH.parent, check=True)
    parts = [p.read_text(encoding="utf-8") for p in sorted(BENCH.glob("RESULTS-*.md"))]
    (BENCH / "RESULTS.md").write_text("# Benchmark results\n\n" + "\n\n".join(parts), encoding="utf-8")
    print((BENCH / "RESULTS.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
