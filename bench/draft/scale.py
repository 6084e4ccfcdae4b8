"""Draft time at scale: a 1,500-word article drafted against the current corpus and a 10^6-triple graph.

    .venv/bin/python -m bench.draft.scale       # appends its table to bench/RESULTS-draft.md

The 10^6 graph is bench.synth's corpus (cached in bench/out/), loaded into an Oxigraph store whose
entity index is written as a build writes it. Each time is the whole ``bri-kg draft`` command as a
process (Python start, spaCy load, index read, draft), the median of three runs.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from kg.build.pipeline import build
from kg.config import PROJECT_ROOT, Settings
from kg.index.writer import rows_from_store, write_index
from kg.vocab import namespaces

OUT = PROJECT_ROOT / "bench" / "out"
RESULTS = PROJECT_ROOT / "bench" / "RESULTS-draft.md"
ARTICLE_SOURCES = ["002_32a7fa6aabee1bdd.txt", "003_f0897f0955dc58db.txt"]  # 1,229 + 357 words


def synthetic_index(triples: int) -> Path:
    nq = OUT / f"draft-{triples:.0e}.nq".replace("+0", "")
    index = OUT / f"draft-{triples}-index.sqlite"
    if index.is_file():
        return index
    if not nq.is_file():
        subprocess.run([sys.executable, "-m", "bench.synth", str(triples), "--out", str(nq)], check=True,
                       cwd=PROJECT_ROOT)
    store_dir = OUT / f"draft-{triples}-store"
    store = ox.Store(str(store_dir))
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object)  # the union in the default graph, as a build
                      for q in ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS))
    store.optimize()
    write_index(index, rows_from_store(store, namespaces.ID), namespaces.ID)
    return index


def corpus_index(work: Path) -> Path:
    settings = Settings(root=PROJECT_ROOT, var_dir=work / "var", dist_dir=work / "dist")
    build(settings)
    return settings.current_link / "index.sqlite"


def timed_draft(article: Path, index: Path, runs: int = 3) -> tuple[float, int]:
    times, records = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "bri_kg", "draft", str(article), "--index", str(index)],
                              capture_output=True, text=True, cwd=PROJECT_ROOT, check=True)
        times.append(time.perf_counter() - started)
        records = proc.stdout.count("\n  - id: ")
    return statistics.median(times), records


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bri-kg-draft-scale-") as tmp:
        work = Path(tmp)
        article = work / "article.txt"
        article.write_text("\n\n".join((PROJECT_ROOT / "data" / "sources" / s).read_text(encoding="utf-8")
                                       for s in ARTICLE_SOURCES), encoding="utf-8")
        words = len(article.read_text(encoding="utf-8").split())
        rows = []
        for name, index in (("current corpus (5 documents)", corpus_index(work)),
                            ("10^6 triples (bench.synth)", synthetic_index(1_000_000))):
            seconds, records = timed_draft(article, index)
            size = index.stat().st_size / 2**20
            rows.append(f"| {name} | {size:.1f} MiB | {words} | {records} | {seconds:.2f} s |")
            print(rows[-1], flush=True)
    table = ("\n## Draft time at scale\n\n`.venv/bin/python -m bench.draft.scale`: `bri-kg draft` as a whole "
             "process (median of 3), on an article of two sources joined. Targets: under 5 s on the current "
             "corpus, under 30 s at 10^6 triples.\n\n| graph | entity index | words | records drafted | time |\n"
             "|---|---|---|---|---|\n" + "\n".join(rows) + "\n")
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else ""
    text = text.split("\n## Draft time at scale")[0].rstrip() + "\n" + table
    RESULTS.write_text(text, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
