"""Benchmark: SHACL validation of synthetic corpora with pyshacl (kg.shacl) and the fast validator.

    python bench/validation.py                      # 10^4, 10^5, 10^6 triples
    python bench/validation.py --sizes 1e4,1e5 --violations 0

For each size it generates a corpus (kg.synth, seed fixed, with injected violations so both
validators have something to find), validates it with the fast validator (kg.fastshacl: read the
N-Quads file + validate; best of --repeat runs) and with pyshacl as the build calls it
(kg.shacl.validate_graph, inference none; rdflib parsing timed separately), in a child process with
a time limit so a size pyshacl cannot finish in time is reported as skipped, not waited for.
It checks that both reports are identical (focus, path, component, value, message) and that the
fast validator found exactly the injected violations. Not part of the test run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import multiprocessing as mp
import os
import platform
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rdflib import Dataset, Graph, URIRef  # noqa: E402

from kg.ontology import load_ontology  # noqa: E402
from kg.shacl import ShaclReport, load_shapes  # noqa: E402
from kg.shacl import validate as validate_fast  # noqa: E402
from kg.shacl.reference import validate_pyshacl as validate_graph  # noqa: E402
from kg.synth import generate  # noqa: E402

Row = tuple[str, str, str, str, str, str]


def rows(report: ShaclReport) -> list[Row]:
    return sorted((v.focus, v.path, v.component, v.value, v.message, v.severity) for v in report.violations)


def _pyshacl_child(path: str, queue: Any) -> None:
    """Parse with rdflib and validate with pyshacl; send timings and the result rows back."""
    logging.getLogger("rdflib").setLevel(logging.ERROR)
    started = time.perf_counter()
    dataset = Dataset()
    dataset.parse(path, format="nquads")
    union = Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    del dataset
    parsed = time.perf_counter()
    report = validate_graph(union, load_shapes(ROOT / "shapes"), load_ontology(ROOT / "ontology"))
    queue.put((parsed - started, time.perf_counter() - parsed, rows(report)))


def run_pyshacl(path: Path, timeout: float) -> tuple[float, float, list[Row]] | None:
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_pyshacl_child, args=(str(path), queue))
    child.start()
    try:
        result = queue.get(timeout=timeout)
    except Exception:  # noqa: BLE001 - queue.Empty on timeout
        result = None
    if child.is_alive():
        child.terminate()
    child.join()
    return result


def machine() -> str:
    mem_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:")), 0) if Path("/proc/meminfo").exists() else 0
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    versions = ", ".join(f"{name} {version(name)}" for name in ("rdflib", "pyshacl", "pyoxigraph"))
    return (f"{dt.datetime.now().isoformat(timespec='seconds')} | {platform.node()} | nproc {os.cpu_count()} | "
            f"RAM {mem_kb / 1024 / 1024:.1f} GiB | {cpu}\nPython {platform.python_version()} | {versions}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1e4,1e5,1e6", help="target triple counts, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--violations", type=int, default=32, help="injected violations per corpus")
    parser.add_argument("--repeat", type=int, default=3, help="fast-validator runs per size (best is reported)")
    parser.add_argument("--pyshacl-timeout", type=float, default=900.0,
                        help="seconds to wait for rdflib parsing + pyshacl before reporting the size as skipped")
    parser.add_argument("--workdir", type=Path, default=None, help="where corpora go (default: a temp dir)")
    args = parser.parse_args()
    logging.getLogger("rdflib").setLevel(logging.ERROR)
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    shapes, ontology = load_shapes(ROOT / "shapes"), load_ontology(ROOT / "ontology")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bri-kg-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(machine())
    print(f"seed {args.seed}, {args.violations} injected violations per corpus, fast = best of {args.repeat}, "
          f"pyshacl time limit {args.pyshacl_timeout:.0f} s, corpora in {workdir}\n")
    header = ("target", "triples", "quads", "generate s", "rdflib parse s", "pyshacl s", "fast s",
              "pyshacl/fast", "results", "reports agree", "injected found")
    table: list[tuple[str, ...]] = []
    for size in sizes:
        result = generate(size, workdir / f"corpus-{size}.nq", seed=args.seed, violations=args.violations)
        best, fast = float("inf"), None
        for _ in range(args.repeat):
            started = time.perf_counter()
            fast = validate_fast(result.nquads, shapes, ontology)
            best = min(best, time.perf_counter() - started)
        assert fast is not None
        nm = shapes.namespace_manager
        expected = sorted((r.focus, nm.normalizeUri(URIRef(r.path)) if r.path else "", r.component)
                          for r in result.expected_results)
        found = sorted((v.focus, v.path, v.component) for v in fast.violations) == expected
        slow = run_pyshacl(result.nquads, args.pyshacl_timeout)
        if slow is None:
            parse_s = pyshacl_s = ratio = f"skipped (> {args.pyshacl_timeout:.0f} s)"
            agree = "n/a"
        else:
            parse, validate, slow_rows = slow
            parse_s, pyshacl_s, ratio = f"{parse:.1f}", f"{validate:.2f}", f"{validate / best:.0f}x"
            agree = "yes" if slow_rows == rows(fast) else "NO"
        table.append((f"{size:,}", f"{result.triples:,}", f"{result.quads:,}", f"{result.seconds:.1f}", parse_s,
                      pyshacl_s, f"{best:.2f}", ratio, str(len(fast.violations)), agree,
                      "yes" if found else "NO"))
        print(" | ".join(table[-1]), flush=True)
    widths = [max(len(h), *(len(r[i]) for r in table)) for i, h in enumerate(header)]
    lines = ["## SHACL validation: pyshacl vs the fast validator", "", machine(), "",
             "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in table]
    lines += ["", "pyshacl s: kg.shacl.validate_graph on an rdflib Graph already parsed (parse time in its own "
              "column); fast s: kg.fastshacl.validate_fast(path) end to end: read + index the N-Quads file, then "
              f"validate. Command: `.venv/bin/python bench/validation.py --sizes {args.sizes}`."]
    report = "\n".join(lines)
    print("\n" + report)
    (Path(__file__).resolve().parent / "RESULTS-validation.md").write_text(report + "\n", encoding="utf-8")

if __name__ == "__main__":
    main()
