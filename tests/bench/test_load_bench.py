"""The load benchmark, small and bounded: it runs end to end against a real server over the corpus and
writes its table (the full run, 50 clients for 5 minutes, is `python -m bench.load_bench`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kg.config import PROJECT_ROOT, Settings


def test_a_small_load_run_writes_the_table(corpus_settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "RESULTS-load.md"
    # as a process, as it is run (in-process it would meet an event loop another test's browser left running)
    subprocess.run([sys.executable, "-m", "bench.load_bench", "--clients", "8", "--seconds", "3", "--rates", "10,20",
                    "--step-seconds", "1.5", "--var-dir", str(corpus_settings.var_dir), "--out", str(out)],
                   cwd=PROJECT_ROOT, check=True, capture_output=True, timeout=240)
    report = out.read_text()
    assert "## Crowd: 8 clients" in report and "## Capacity" in report and "Flat: " in report
    crowd_row = report.split("|---:|---:|---:|---:|---:|---|\n", 1)[1].splitlines()[0]
    assert crowd_row.endswith("| none |"), crowd_row  # every request answered 200
    assert "**Capacity: 20 requests/s with p95 under 1 s**" in report, report
