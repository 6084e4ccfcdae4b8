"""The load benchmark, small and bounded: it runs end to end against a real server over the corpus and
writes its table (the full run, 50 clients for 5 minutes, is `python -m bench.load_bench`)."""

from __future__ import annotations

from pathlib import Path

from bench.load_bench import main
from kg.config import Settings


def test_a_small_load_run_writes_the_table(corpus_settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "RESULTS-load.md"
    report = main(["--clients", "8", "--seconds", "3", "--rates", "10,20", "--step-seconds", "1.5",
                   "--var-dir", str(corpus_settings.var_dir), "--out", str(out)])
    assert out.read_text() == report
    assert "## Crowd: 8 clients" in report and "## Capacity" in report and "Flat: " in report
    crowd_row = report.split("|---:|---:|---:|---:|---:|---|\n", 1)[1].splitlines()[0]
    assert crowd_row.endswith("| none |"), crowd_row  # every request answered 200
    assert "**Capacity: 20 requests/s with p95 under 1 s**" in report, report
