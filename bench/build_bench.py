"""Build throughput: `bri-kg build` on generated corpora, stage by stage, with every process's memory.

Run from the project root:  .venv/bin/python -m bench.build_bench [--sizes 10000 100000 1000000] [--reps 1]

Per size and repetition, in this order (so the peers share the machine's state): a full build, the engine's
own raw load of the same N-Quads (pyoxigraph ``bulk_load`` into a fresh on-disk store, what the build's
store step must do at least), and an incremental build after one document is added (the next document of
the same seed's larger corpus), each run as a process of its own. A poller samples the resident memory of
that process and all its descendants (mapping workers, the store writer, the reasoner's JVM) every 50 ms:
the peak of their sum and each kind's own peak are reported. Times are wall and CPU (the process and its
children); on a shared machine CPU is the steadier figure. Writes bench/RESULTS-build.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import threading
import time
from importlib.metadata import version
from pathlib import Path

import yaml

from bench.api_bench import machine
from bench.peers import descendants
from bench.synth import generate
from kg.config import PROJECT_ROOT

OUT = PROJECT_ROOT / "bench" / "out"
STAGES = [("Loading", "load YAML"), ("Mapping", "map"), ("Writing dumps", "line dumps + memory store"),
          ("Validating", "SHACL"), ("Checking OWL", "OWL"), ("Writing the entity index", "entity index"),
          ("Waiting for the store", "store + dumps (wait)"), ("Updating the store", "store update"),
          ("Updating the entity index", "index update"),
          ("Splicing the dumps", "dumps (spliced)")]
CHILD = """
import json, resource, sys, time
from pathlib import Path
from kg.build.pipeline import build
from kg.config import Settings
root, var, incremental = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "1"
def cpu():
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
marks = []
started = time.perf_counter()
result = build(Settings(root=root, var_dir=var / "var", dist_dir=var / "dist"),
               lambda msg: marks.append((msg, time.perf_counter() - started, cpu())), incremental=incremental)
marks.append(("end", time.perf_counter() - started, cpu()))
print(json.dumps({"marks": marks, "counts": result.counts, "dir": str(result.build_dir)}))
"""
RAW = """
import sys, pyoxigraph as ox
ox.Store(sys.argv[2]).bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)
"""


class TreeMemory(threading.Thread):
    """Samples the resident memory of a process tree: the peak of the sum, and each kind's own peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_total = 0
        self.peak_by_kind: dict[str, int] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            total = 0
            for pid in descendants(self.pid):
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
                rss = int(fields.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in fields else 0
                name = fields.get("Name", "?").strip()
                kind = "reasoner JVM" if name == "java" else "build (main)" if pid == self.pid else f"{name} children"
                self.peak_by_kind[kind] = max(self.peak_by_kind.get(kind, 0), rss)
                total += rss
            self.peak_total = max(self.peak_total, total)
            time.sleep(0.05)


def timed(argv: list[str]) -> tuple[dict, float, float, TreeMemory]:
    """Run *argv*; (its JSON output or {}, wall s, CPU s of it and its children, memory)."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = TreeMemory(proc.pid)
    memory.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    memory.done.set()
    memory.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[:4]} failed: {err[-3000:]}")
    data = json.loads(out.strip().splitlines()[-1]) if out.strip() else {}
    cpu = data["marks"][-1][2] if data else float("nan")
    return data, wall, cpu, memory


def stages(marks: list) -> dict[str, tuple[float, float]]:
    """Stage name -> (wall s, CPU s), from the progress marks."""
    out: dict[str, tuple[float, float]] = {}
    for (msg, t, c), (_, t2, c2) in zip(marks, marks[1:], strict=False):
        name = next((n for prefix, n in STAGES if msg.startswith(prefix)), msg[:30])
        old = out.get(name, (0.0, 0.0))
        out[name] = (old[0] + t2 - t, old[1] + c2 - c)
    return out


def corpus(size: int, seed: int) -> tuple[Path, list[tuple[Path, str]]]:
    """The corpus of *size*, and the files (path, path under data/) of the next document the same seed
    generates: the smallest larger corpus that has one more document."""
    root = OUT / f"build-{size}" / "root"
    if not (root / "data" / "annotations").is_dir():
        generate(size, OUT / f"build-{size}" / "corpus.nq", seed=seed, data_root=root)
    mine = {p.name for p in (root / "data" / "annotations").iterdir()}
    extra = 400
    while True:
        bigger = OUT / f"build-{size}" / f"next-{extra}"
        if not (bigger / "data" / "annotations").is_dir():
            generate(size + extra, OUT / f"build-{size}" / f"next-{extra}.nq", seed=seed, data_root=bigger)
        new = sorted(p for p in (bigger / "data" / "annotations").iterdir() if p.name not in mine)
        if new:
            break
        extra *= 2
    source = yaml.safe_load(new[0].read_text(encoding="utf-8"))["document"]["file"]
    return root, [(new[0], f"annotations/{new[0].name}"), (bigger / "data" / source, source)]


def run(size: int, seed: int, rep: int) -> dict:
    root, added = corpus(size, seed)
    work = OUT / f"build-{size}" / "work"
    shutil.rmtree(work, ignore_errors=True)
    row: dict = {"size": size, "rep": rep}
    full, row["full_wall"], row["full_cpu"], memory = timed([sys.executable, "-c", CHILD, str(root), str(work), "0"])
    row["triples"], row["stages"] = full["counts"]["triples"], stages(full["marks"])
    row["full_peak"], row["full_kinds"] = memory.peak_total, memory.peak_by_kind
    nquads = Path(full["dir"]) / "dist" / "bri-kg.nq"
    raw_store = work / "raw-store"
    _, row["raw_wall"], _, raw_memory = timed([sys.executable, "-c", RAW, str(nquads), str(raw_store)])
    row["raw_peak"] = raw_memory.peak_total
    shutil.rmtree(raw_store, ignore_errors=True)
    try:
        for source, name in added:
            shutil.copy(source, root / "data" / name)
        inc, row["inc_wall"], row["inc_cpu"], inc_memory = timed([sys.executable, "-c", CHILD, str(root), str(work),
                                                                  "1"])
    finally:
        for _, name in added:
            (root / "data" / name).unlink(missing_ok=True)
    row["inc_stages"], row["inc_peak"] = stages(inc["marks"]), inc_memory.peak_total
    row["inc_triples"] = inc["counts"]["triples"]
    shutil.rmtree(work, ignore_errors=True)
    return row


def _median_of(rows: list[dict]):  # noqa: ANN202 - a closure over one size's rows
    return lambda key: statistics.median(r[key] for r in rows)


def _mib(kib: float) -> str:
    return f"{kib / 1024:,.0f}"


def render(rows: list[dict], args: argparse.Namespace) -> str:
    names = [n for _, n in STAGES if any(n in r["stages"] for r in rows)]
    lines = [
        "## Build throughput (`bri-kg build` on generated corpora)",
        "",
        f"Date {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; machine: {machine()}; "
        f"pyoxigraph {version('pyoxigraph')}, rdflib {version('rdflib')}, owlready2 {version('owlready2')}. "
        f"Command: `.venv/bin/python -m bench.build_bench --sizes {' '.join(map(str, args.sizes))} "
        f"--reps {args.reps}`. Each cell: median over the repetitions of wall s / CPU s (the process and its "
        "children). Stages overlap: the store and the Turtle/TriG/JSON-LD dumps are written by child processes "
        "while SHACL, OWL and the entity index run, and are waited for last.",
        "",
        "| triples | full build wall / CPU s | triples/s | " + " | ".join(names)
        + " | peak RSS MiB (all processes: sum; main; workers; JVM) | raw bulk_load of the N-Quads wall s "
          "| full build / raw load |",
        "|---|---|---|" + "---|" * len(names) + "---|---|---|",
    ]
    for size in args.sizes:
        rs = [r for r in rows if r["size"] == size]
        if not rs:
            continue
        med = _median_of(rs)
        cells = []
        for n in names:
            walls = [r["stages"][n][0] for r in rs if n in r["stages"]]
            cpus = [r["stages"][n][1] for r in rs if n in r["stages"]]
            cells.append(f"{statistics.median(walls):.1f} / {statistics.median(cpus):.1f}" if walls else "")
        kinds = max(rs, key=lambda r: r["full_peak"])["full_kinds"]
        workers = max((v for k, v in kinds.items() if k.endswith("children")), default=0)
        peak = (f"{_mib(med('full_peak'))}; {_mib(kinds.get('build (main)', 0))}; {_mib(workers)}; "
                f"{_mib(kinds.get('reasoner JVM', 0))}")
        lines.append(f"| {rs[0]['triples']:,} | {med('full_wall'):.1f} / {med('full_cpu'):.1f} "
                     f"| {rs[0]['triples'] / med('full_wall'):,.0f} | " + " | ".join(cells)
                     + f" | {peak} | {med('raw_wall'):.1f} | {med('full_wall') / med('raw_wall'):.1f}x |")
    return "\n".join(lines + ["", render_incremental(rows, args)])


def render_incremental(rows: list[dict], args: argparse.Namespace) -> str:
    inc_names = [n for _, n in STAGES if any(n in r["inc_stages"] for r in rows)]
    lines = ["### Incremental build: one document added to the built corpus", "",
              "| triples before | incremental wall / CPU s | " + " | ".join(inc_names) + " | peak RSS MiB (sum) "
              "| full build / incremental |", "|---|---|" + "---|" * len(inc_names) + "---|---|"]
    for size in args.sizes:
        rs = [r for r in rows if r["size"] == size]
        if not rs:
            continue
        med = _median_of(rs)
        cells = [f"{statistics.median(r['inc_stages'][n][0] for r in rs if n in r['inc_stages']):.2f}"
                 if any(n in r["inc_stages"] for r in rs) else "" for n in inc_names]
        lines.append(f"| {rs[0]['triples']:,} | {med('inc_wall'):.1f} / {med('inc_cpu'):.1f} | " + " | ".join(cells)
                     + f" | {_mib(med('inc_peak'))} | {med('full_wall') / med('inc_wall'):.0f}x |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rows = []
    for rep in range(args.reps):
        for size in args.sizes:
            rows.append(run(size, args.seed, rep))
            print(json.dumps({k: v for k, v in rows[-1].items()}, default=str), flush=True)
    report = render(rows, args)
    print(report)
    (PROJECT_ROOT / "bench" / "RESULTS-build.md").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
