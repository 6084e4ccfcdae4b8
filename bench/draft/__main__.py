"""Leave-one-out benchmark of ``bri-kg draft``: each curated document is drafted against the graph built
from the other four and compared with its curated annotation. One command reproduces the table:

    .venv/bin/python -m bench.draft            # writes bench/RESULTS-draft.md

Per document and in total: recall and precision of named entities by type, links to existing entities
that are correct, statistics with the right value and qualifier, quotes verbatim, whether the draft
passes `bri-kg check` as written, and the time to draft.
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import time
from pathlib import Path

import yaml

from bench.draft.corpus import without
from bench.draft.score import GROUPS, Score, curated_of, score
from kg.build.pipeline import build
from kg.check.run import check_file
from kg.config import PROJECT_ROOT, Settings
from kg.draft.gazetteer import Gazetteer
from kg.draft.nlp import pipeline
from kg.draft.run import draft_text
from kg.ingest.annotations import annotation_files

OUT = Path(__file__).resolve().parents[1] / "RESULTS-draft.md"


def run_one(annotation: Path, work: Path) -> Score:
    data = without(PROJECT_ROOT / "data", annotation, work)
    root = data.parent
    for folder in ("ontology", "shapes"):
        if not (root / folder).exists():
            (root / folder).symlink_to(PROJECT_ROOT / folder)
    settings = Settings(root=root, var_dir=work / "var", dist_dir=work / "dist")
    build(settings)
    gazetteer = Gazetteer.from_index(settings.current_link / "index.sqlite")
    curated = yaml.safe_load(annotation.read_text(encoding="utf-8"))
    source = curated["document"]["file"]
    text = (PROJECT_ROOT / "data" / source).read_text(encoding="utf-8")
    pipeline()  # load spaCy once, outside the timing (a CLI run pays it once too: see the note)
    started = time.perf_counter()
    draft = draft_text(text, source, gazetteer, slug=f"draft-{curated['document']['slug']}")
    seconds = time.perf_counter() - started
    corpus = [yaml.safe_load(p.read_text(encoding="utf-8"))
              for p in annotation_files(PROJECT_ROOT / "data/annotations")]
    types = {r["id"]: r["type"] for d in corpus for r in d["entities"] if r.get("type")}
    result = score(annotation.stem, draft.records, curated_of(curated, corpus), types, text)
    result.seconds = seconds
    path = data / "annotations" / f"draft-{annotation.name}"
    path.write_text(draft.text, encoding="utf-8")
    report = check_file(settings, path)
    result.builds = report.ok
    result.build_problem = "" if report.ok else f"{report.stage}: {report.problems[0] if report.problems else ''}"
    return result


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.0f} %" if b else "–"


def table(scores: list[Score]) -> str:
    lines = ["| document | NE recall | NE precision | links correct | statistics right | quotes verbatim | "
             "passes check | draft time |", "|---|---|---|---|---|---|---|---|"]
    total = Score("total")
    for s in scores + [total]:
        if s is not total:
            for attr in ("found", "total", "proposed", "correct"):
                for k, v in getattr(s, attr).items():
                    getattr(total, attr)[k] += v
            for attr in ("links", "links_right", "stats_total", "stats_right", "stats_proposed", "quotes",
                         "quotes_verbatim", "seconds"):
                setattr(total, attr, getattr(total, attr) + getattr(s, attr))
        found, curated = sum(s.found.values()), sum(s.total.values())
        correct, proposed = sum(s.correct.values()), sum(s.proposed.values())
        builds = "yes" if s.builds else ("–" if s is total else "no")
        if s is total:
            builds = f"{sum(x.builds for x in scores)}/{len(scores)}"
        lines.append(f"| {s.document} | {pct(found, curated)} ({found}/{curated}) | {pct(correct, proposed)} "
                     f"({correct}/{proposed}) | {pct(s.links_right, s.links)} ({s.links_right}/{s.links}) | "
                     f"{pct(s.stats_right, s.stats_total)} ({s.stats_right}/{s.stats_total}) | "
                     f"{pct(s.quotes_verbatim, s.quotes)} | {builds} | {s.seconds:.2f} s |")
    lines += ["", "By type (all five documents): recall = curated entities the draft found; precision = drafted "
              "named records that are curated entities.", "", "| type | recall | precision |", "|---|---|---|"]
    for group in GROUPS:
        lines.append(f"| {group} | {pct(total.found[group], total.total[group])} ({total.found[group]}/"
                     f"{total.total[group]}) | {pct(total.correct[group], total.proposed[group])} "
                     f"({total.correct[group]}/{total.proposed[group]}) |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--details", action="store_true", help="print missed and wrong entities per document")
    args = parser.parse_args()
    scores = []
    with tempfile.TemporaryDirectory(prefix="bri-kg-loo-") as tmp:
        for annotation in annotation_files(PROJECT_ROOT / "data" / "annotations"):
            work = Path(tmp) / annotation.stem
            work.mkdir()
            scores.append(run_one(annotation, work))
            s = scores[-1]
            print(f"{s.document}: drafted in {s.seconds:.2f}s; passes check: {s.builds} {s.build_problem}", flush=True)
            if args.details:
                print("  missed:", "; ".join(s.missed))
                print("  not curated:", "; ".join(s.wrong))
                print("  links not in the curated annotation:", "; ".join(s.wrong_links))
    body = table(scores)
    details = "\n".join(f"- **{s.document}** missed: {', '.join(s.missed) or 'none'}; drafted but not curated: "
                        f"{', '.join(s.wrong) or 'none'}; links the curated annotation does not make: "
                        f"{', '.join(s.wrong_links) or 'none'}" for s in scores)
    header = (f"# Draft benchmark (leave-one-out)\n\n`.venv/bin/python -m bench.draft`, {time.strftime('%Y-%m-%d')}, "
              f"{platform.machine()} {platform.system()}, Python {platform.python_version()}, 2 cores.\n\n"
              "Each curated document is drafted with the graph built from the other four (definitions it held "
              "moved to the others' records of the same id) and compared with its curated annotation. Draft "
              "time excludes loading spaCy (about 1 s, once per process).\n\n")
    kept = ""  # bench.draft.scale's section survives a re-run of this one
    if args.out.is_file() and "\n## Draft time at scale" in (previous := args.out.read_text(encoding="utf-8")):
        kept = "\n## Draft time at scale" + previous.split("\n## Draft time at scale", 1)[1]
    args.out.write_text(header + body + "\n\n## What was missed, what was extra\n\n" + details + "\n" + kept,
                        encoding="utf-8")
    print(body)


if __name__ == "__main__":
    main()
