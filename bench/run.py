"""Run every benchmark and collect their tables in bench/RESULTS.md.

    .venv/bin/python -m bench.run                 # all of them, default sizes (about 30 minutes on 2 cores)
    .venv/bin/python -m bench.run --only api      # one or more of: build, validation, api

A benchmark left out keeps its last table (bench/RESULTS-*.md), which RESULTS.md collects as well.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
STEPS = {
    "build": [sys.executable, "-m", "bench.build_bench"],
    "validation": [sys.executable, str(BENCH / "validation.py")],
    "api": [sys.executable, "-m", "bench.api_bench"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", choices=sorted(STEPS), default=list(STEPS))
    args = parser.parse_args()
    for name in args.only:
        step = STEPS[name]
        print("$", " ".join(step[1:]), flush=True)
        subprocess.run(step, cwd=BENCH.parent, check=True)
    parts = [p.read_text(encoding="utf-8") for p in sorted(BENCH.glob("RESULTS-*.md"))]
    (BENCH / "RESULTS.md").write_text("# Benchmark results\n\n" + "\n\n".join(parts), encoding="utf-8")
    print((BENCH / "RESULTS.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
