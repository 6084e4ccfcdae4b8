"""Benchmark: SHACL validation of synthetic corpora, kg.shacl against pySHACL and other validators.

    python bench/validation.py                                   # 10^4, 10^5, 10^6 triples
    python bench/validation.py --sizes 1e4,1e5 --repeat 3 --only kg-store,kg-graph,pyshacl

For each size it generates a corpus (bench.synth, seed fixed, with injected violations so every validator
has something to find) and validates it with each candidate, interleaved, each run in a fresh child
process with a time limit (a run over the limit is reported as such, not waited for):

    kg-store     kg.shacl on a pyoxigraph in-memory Store loaded from the N-Quads file
    kg-disk      kg.shacl on the build's on-disk store (kg.build.store.write_store: union in the default graph)
    kg-graph     kg.shacl on an rdflib Graph (what the build hands it today)
    pyshacl      pySHACL as the reference (kg.shacl.reference), on an rdflib Graph
    turbo        pyshacl-turbo on a pyoxigraph Store (if installed: pip install pyshacl-turbo)
    rudof        pyrudof reading the N-Quads file (if installed: pip install pyrudof)

"load s" is the time to get the input ready (Store bulk load, rdflib parse, opening the on-disk store);
"validate s" the validation alone, the median of --repeat runs (one run at 10^6 and above), and "cpu s"
the processor time it took (less sensitive than wall time to other work on a shared machine). Each
report is compared with pySHACL's on (focus, path, component, value) when pySHACL ran at that size,
and with the injected violations (focus, path, component) always. Not part of the test run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import multiprocessing as mp
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402
from rdflib import Dataset, Graph, URIRef  # noqa: E402

from bench.synth import generate  # noqa: E402
from kg.build.store import write_store  # noqa: E402
from kg.owl.ontology import load_ontology  # noqa: E402
from kg.shacl import ShaclReport, load_shapes, validate  # noqa: E402
from kg.shacl.reference import from_results_graph, validate_pyshacl  # noqa: E402
from kg.shacl.report import Shortener  # noqa: E402

Key = tuple[str, str, str, str]
SH = "http://www.w3.org/ns/shacl#"


def keys(report: ShaclReport) -> list[Key]:
    return sorted((v.focus, v.path, v.component, v.value) for v in report.violations)


def _graph(path: str) -> Graph:
    dataset = Dataset()
    dataset.parse(path, format="nquads")
    union = Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def _memory_store(path: str) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS)
    return store


def _turbo(store: ox.Store, shapes: Graph, ontology: Graph) -> ShaclReport:
    import pyshacl_turbo  # type: ignore[import-not-found]

    conforms, results, _text = pyshacl_turbo.validate(store, shacl_graph=shapes, ont_graph=ontology,
                                                      inference="none", advanced=True, allow_warnings=True)
    return from_results_graph(bool(conforms), results, shapes)


def _rudof(path: str, shapes: Graph, ontology: Graph) -> ShaclReport:
    import pyrudof  # type: ignore[import-not-found]

    from kg.shacl.report import Violation

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(path, format=pyrudof.RDFFormat.NQuads)
    rudof.read_data(ontology.serialize(format="nt"), format=pyrudof.RDFFormat.NTriples, merge=True)
    rudof.read_shacl(shapes.serialize(format="turtle"))
    report = rudof.validate_shacl()
    short = Shortener(shapes)
    rows = []
    for v in report.violations:
        value = v.value or ""
        value = value[1:value.rindex('"')] if value.startswith('"') else value.strip("<>")
        path = (v.path or "").strip("<>")
        rows.append(Violation(v.focus_node.strip("<>"), short(ox.NamedNode(path)) if path else "",
                              str(v.constraint_component).removeprefix(SH).removesuffix("ConstraintComponent"),
                              str(v.message or ""), value, str(v.severity)))
    return ShaclReport(bool(report.conforms), rows)


# name -> (prepare the input from the corpus, validate it)
Loader = Callable[[str], Any]
CANDIDATES: dict[str, tuple[Loader, Callable[[Any, Graph, Graph], ShaclReport]]] = {
    "kg-store": (_memory_store, lambda store, shapes, ontology: validate(store, shapes, ontology)),
    "kg-disk": (lambda path: ox.Store.read_only(path + ".store"),
                lambda store, shapes, _ontology: validate(store, shapes, graph=ox.DefaultGraph())),
    "kg-graph": (_graph, lambda graph, shapes, ontology: validate(graph, shapes, ontology)),
    "pyshacl": (_graph, validate_pyshacl),
    "turbo": (_memory_store, _turbo),
    "rudof": (lambda path: path, _rudof),
}
OPTIONAL = {"turbo": "pyshacl-turbo", "rudof": "pyrudof"}


def _child(name: str, path: str, queue: Any) -> None:
    logging.getLogger("rdflib").setLevel(logging.ERROR)
    shapes, ontology = load_shapes(ROOT / "shapes"), load_ontology(ROOT / "ontology")
    prepare, run = CANDIDATES[name]
    started = time.perf_counter()
    data = prepare(path)
    loaded, cpu = time.perf_counter(), time.process_time()
    report = run(data, shapes, ontology)
    done, cpu = time.perf_counter(), time.process_time() - cpu
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((loaded - started, done - loaded, peak_mib, keys(report), cpu))


def run_child(name: str, path: Path, timeout: float) -> tuple[float, float, float, list[Key], float] | None:
    """One candidate on one corpus in a fresh process; None if it did not finish within *timeout*."""
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_child, args=(name, str(path), queue))
    child.start()
    try:
        result = queue.get(timeout=timeout)
    except Exception:  # noqa: BLE001 - queue.Empty on timeout, or the child died
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
    versions = []
    for name in ("rdflib", "pyshacl", "pyoxigraph", "pyshacl-turbo", "pyrudof"):
        try:
            versions.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            continue
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return (f"{dt.datetime.now().isoformat(timespec='seconds')} | {platform.node()} | nproc {os.cpu_count()} | "
            f"RAM {mem_kb / 1024 / 1024:.1f} GiB | {cpu} | load average {load:.1f} at start\n"
            f"Python {platform.python_version()} | {', '.join(versions)}")


def available(names: list[str]) -> list[str]:
    found = []
    for name in names:
        try:
            if name in OPTIONAL:
                version(OPTIONAL[name])
            found.append(name)
        except PackageNotFoundError:
            print(f"{name}: {OPTIONAL[name]} is not installed, skipped", flush=True)
    return found


def measure(size_path: Path, names: list[str], repeat: int, timeout: float) -> dict[str, list[Any]]:
    """Every candidate *repeat* times, interleaved (candidate order rotates each round)."""
    runs: dict[str, list[Any]] = {name: [] for name in names}
    for round_ in range(repeat):
        order = names[round_ % len(names):] + names[:round_ % len(names)]
        for name in order:
            runs[name].append(run_child(name, size_path, timeout))
            got = runs[name][-1]
            print(f"  {name}: " + ("over the time limit" if got is None else
                                   f"load {got[0]:.2f} s, validate {got[1]:.2f} s (cpu {got[4]:.2f} s), "
                                   f"{len(got[3])} results"),
                  flush=True)
    return runs


def row(name: str, size: int, triples: int, runs: list[Any], reference: list[Key] | None,
        injected: list[tuple[str, str, str]], timeout: float) -> tuple[str, ...]:
    done = [r for r in runs if r is not None]
    if not done:
        return (f"{size:,}", f"{triples:,}", name, "-", f"> {timeout:.0f}", "-", "-", "-", "-", "-")
    load = statistics.median(r[0] for r in done)
    seconds = statistics.median(r[1] for r in done)
    cpu = statistics.median(r[4] for r in done)
    found = done[0][3]
    agrees = "n/a" if reference is None else ("yes" if found == reference else "NO")
    caught = "yes" if sorted((f, p, c) for f, p, c, _v in found) == injected else "NO"
    return (f"{size:,}", f"{triples:,}", name, f"{load:.2f}", f"{seconds:.2f}", f"{cpu:.2f}",
            f"{max(r[2] for r in done):.0f}", str(len(found)), agrees, caught)


HEADER = ("target", "triples", "validator", "load s", "validate s", "cpu s", "peak MiB", "results", "= pyshacl",
          "injected found")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1e4,1e5,1e6", help="target triple counts, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--violations", type=int, default=32, help="injected violations per corpus")
    parser.add_argument("--repeat", type=int, default=3, help="runs per candidate below 10^6 (one at 10^6 and up)")
    parser.add_argument("--only", default=",".join(CANDIDATES), help=f"candidates, of {', '.join(CANDIDATES)}")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds one run may take, loading included")
    parser.add_argument("--workdir", type=Path, default=None, help="where corpora go (default: a temp dir)")
    return parser.parse_args()


def _size_rows(size: int, args: argparse.Namespace, names: list[str], ontology: Graph, nm: Any,
               workdir: Path) -> list[tuple[str, ...]]:
    """Generate the corpus of one size, run every candidate on it, and make its table rows."""
    result = generate(size, workdir / f"corpus-{size}.nq", seed=args.seed, violations=args.violations)
    if "kg-disk" in names and not Path(f"{result.nquads}.store").exists():
        write_store(Path(f"{result.nquads}.store"), result.nquads, ontology)
    print(f"{size:,} target: {result.triples:,} triples", flush=True)
    runs = measure(result.nquads, names, args.repeat if size < 1_000_000 else 1, args.timeout)
    injected = sorted((r.focus, nm.normalizeUri(URIRef(r.path)) if r.path else "", r.component)
                      for r in result.expected_results)
    done = [r for r in runs.get("pyshacl", []) if r is not None]
    reference = done[0][3] if done else None
    return [row(name, size, result.triples, runs[name], reference, injected, args.timeout) for name in names]


def _report(table: list[tuple[str, ...]], started: str, args: argparse.Namespace, names: list[str]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in table)) for i, h in enumerate(HEADER)]
    lines = ["## SHACL validation: kg.shacl, pySHACL and other validators", "", started,
             f"finished {dt.datetime.now().isoformat(timespec='seconds')}, load average {os.getloadavg()[0]:.1f}", "",
             "| " + " | ".join(h.ljust(w) for h, w in zip(HEADER, widths, strict=True)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in table]
    lines += ["", "kg-store: kg.shacl on an in-memory pyoxigraph Store; kg-disk: on the build's on-disk store; "
              "kg-graph: on an rdflib Graph; pyshacl: the reference; turbo: pyshacl-turbo on an in-memory Store; "
              "rudof: pyrudof from the file. Median of the runs; '= pyshacl' compares (focus, path, component, "
              f"value) with pySHACL's report. Command: `.venv/bin/python bench/validation.py --sizes {args.sizes} "
              f"--repeat {args.repeat} --only {','.join(names)}`."]
    return "\n".join(lines)


def main() -> None:
    args = _arguments()
    logging.getLogger("rdflib").setLevel(logging.ERROR)
    names = available([n for n in args.only.split(",") if n])
    shapes, ontology = load_shapes(ROOT / "shapes"), load_ontology(ROOT / "ontology")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bri-kg-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    started = machine()
    print(started, f"\nseed {args.seed}, {args.violations} injected violations, corpora in {workdir}\n", flush=True)
    table: list[tuple[str, ...]] = []
    for size in (int(float(s)) for s in args.sizes.split(",")):
        table += _size_rows(size, args, names, ontology, shapes.namespace_manager, workdir)
    report = _report(table, started, args, names)
    print("\n" + report)
    (Path(__file__).resolve().parent / "RESULTS-validation.md").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
