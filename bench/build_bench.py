"""Build throughput: the real `bri-kg build` pipeline on generated corpora, timed stage by stage.

Run from the project root:  .venv/bin/python -m bench.build_bench [--sizes 10000 100000]
The generator writes sources + YAML annotations (bench.synth, data_root=...), then kg.build.build runs
exactly as `bri-kg build` does: load, map, SHACL (fast validator), OWL (HermiT), store, dumps.
Prints a table and writes it to bench/RESULTS-build.md.
"""

from __future__ import annotations

import argparse
import time
from importlib.metadata import version

from bench.api_bench import machine
from bench.synth import generate
from kg.build.pipeline import build
from kg.config import PROJECT_ROOT, Settings

OUT = PROJECT_ROOT / "bench" / "out"
STAGES = ["Loading", "Mapping", "Validating", "Checking OWL", "Writing the embedded", "Writing dumps",
          "Writing the entity index"]
NAMES = ["load YAML", "map to RDF", "SHACL", "OWL (HermiT)", "store", "dumps + VoID", "entity index"]


def run(size: int, seed: int) -> dict:
    root = OUT / f"build-{size}" / "root"
    marks: list[tuple[str, float]] = []
    if not (root / "data" / "annotations").is_dir():
        generate(size, OUT / f"build-{size}" / "corpus.nq", seed=seed, data_root=root)
    settings = Settings(root=root, var_dir=root.parent / "var", dist_dir=root.parent / "dist")
    started = time.perf_counter()
    result = build(settings, lambda msg: marks.append((msg, time.perf_counter())))
    total = time.perf_counter() - started
    times = {}
    stamps = [t for _, t in marks] + [started + total]
    for (msg, t), nxt in zip(marks, stamps[1:], strict=True):
        name = next((n for s, n in zip(STAGES, NAMES, strict=True) if msg.startswith(s)), msg)
        times[name] = nxt - t
    return {"size": size, "triples": result.counts["triples"], "total": total, "stages": times}


def render(rows: list[dict], args: argparse.Namespace) -> str:
    lines = [
        "## Build throughput (`bri-kg build` on generated corpora)",
        "",
        f"Date {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; machine: {machine()}; "
        f"rdflib {version('rdflib')}, pyoxigraph {version('pyoxigraph')}, owlready2 {version('owlready2')}. "
        f"Command: `.venv/bin/python -m bench.build_bench --sizes {' '.join(map(str, args.sizes))}`.",
        "",
        "| triples | total s | triples/s | " + " | ".join(f"{n} s" for n in NAMES) + " |",
        "|---|---|---|" + "---|" * len(NAMES),
    ]
    for r in rows:
        stage_cells = " | ".join(f"{r['stages'].get(n, float('nan')):.1f}" for n in NAMES)
        lines.append(f"| {r['triples']:,} | {r['total']:.1f} | {r['triples'] / r['total']:,.0f} | {stage_cells} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        rows.append(run(size, args.seed))
        print(render(rows[-1:], args), flush=True)
    report = render(rows, args)
    print(report)
    (PROJECT_ROOT / "bench" / "RESULTS-build.md").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
