"""Server time of every analyst view, per corpus size, against the issue's target (300 ms at 10^6 triples),
and how the graph view draws a 500-node neighbourhood in the system's headless Chromium.

Run from the project root:  .venv/bin/python -m bench.views_bench [--sizes 10000 100000 1000000] [--reps 5]
Corpora and their stores come from ``bench.api_bench.prepare`` (``bench.synth``, seeded, cached in
bench/out). Each view is requested once untimed (whole-corpus views such as the timeline, the map and
the statistics are computed then and kept by the server), then *reps* times; median and p95 are
reported, with the first request beside. Writes bench/RESULTS-views.md. Measures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import time
from pathlib import Path
from urllib.parse import quote, urlencode

from bench import analyst_mix, peers
from bench.api_bench import machine, prepare
from bench.latency import Latency
from kg.config import PROJECT_ROOT, Settings
from kg.layout import INDEX_FILE
from kg.vocab.namespaces import BRI, ORG

TARGET_MS = 300.0
OUT = PROJECT_ROOT / "bench" / "RESULTS-views.md"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


def _one(db: sqlite3.Connection, sql: str, *params: str) -> str:
    row = db.execute(sql, params).fetchone()
    if row is None:
        raise LookupError(f"the benchmark corpus has no sample for: {sql}")
    return str(row[0])


def view_requests(build_dir: Path, id_base: str) -> tuple[dict[str, str], str]:
    """Name -> path of each view (pages and the JSON they load), sampled from the build's index; and the
    most linked entity, whose 2-hop neighbourhood fills the graph view's 500 nodes (for the browser)."""
    db = sqlite3.connect(f"file:{build_dir / INDEX_FILE}?mode=ro", uri=True)
    conference = _one(db, "SELECT iri FROM type WHERE type = ? ORDER BY iri LIMIT 1", BRI + "Conference")
    person = _one(db, "SELECT o FROM edge WHERE p = ? ORDER BY o LIMIT 1", ORG + "member")
    policy = _one(db, "SELECT s FROM edge WHERE p = ? GROUP BY s ORDER BY COUNT(*) DESC, s LIMIT 1",
                  BRI + "hasCommitment")
    document = _one(db, "SELECT iri FROM type WHERE type = ? ORDER BY iri LIMIT 1", BRI + "SourceDocument")
    # The most linked entity: its neighbourhood fills the 500 nodes the graph view draws at most.
    hub = _one(db, "SELECT o FROM edge GROUP BY o ORDER BY COUNT(*) DESC, o LIMIT 1")
    word = _one(db, "SELECT label FROM entity WHERE iri = ?", conference).split()[-1]
    ids = {name: iri.removeprefix(id_base) for name, iri in
           (("conference", conference), ("person", person), ("policy", policy), ("document", document),
            ("hub", hub))}
    c = quote(ids["conference"])
    return {
        "search page (one word, facets)": "/search?" + urlencode({"q": word}),
        "search page (type facet chosen)": "/search?" + urlencode({"q": word, "type": "Conference"}),
        "search page (no match: hints)": "/search?q=zzqxv",
        "fact sheet: conference": f"/id/{c}",
        "fact sheet: person (positions)": "/id/" + quote(ids["person"]),
        "fact sheet: policy (commitments)": "/id/" + quote(ids["policy"]),
        "source document page (text, passages)": "/id/" + quote(ids["document"]),
        "documents list": "/documents",
        "graph page": f"/graph?focus={c}",
        "graph JSON, 1 hop": f"/api/graph?focus={c}",
        "graph JSON, 2 hops (<= 500 nodes)": f"/api/graph?focus={c}&hops=2&max_nodes=500",
        "graph JSON, most linked entity, 2 hops (500 nodes)": "/api/graph?" + urlencode(
            {"focus": ids["hub"], "hops": 2, "max_nodes": 500}),
        "path finder page": "/paths?" + urlencode({"from": ids["conference"], "to": ids["person"]}),
        "paths JSON": "/api/paths?" + urlencode({"from": ids["conference"], "to": ids["person"]}),
        "timeline page": "/timeline",
        "timeline JSON (what the page loads)": "/api/timeline?limit=1000",
        "map page": "/map",
        "map JSON": "/api/map",
        "statistics page": "/statistics",
        "statistics page, about one entity": f"/statistics?about={c}",
        "query gallery": "/queries",
        "gallery: a query run": "/queries/conferences",
        "gallery: a query with a parameter":
            "/queries/entity-evidence?" + urlencode({"run": 1, "entity": ids["conference"]}),
    }, ids["hub"]


def browser_graph(base_url: str, focus: str) -> dict[str, float]:
    """Load the graph page at 2 hops / 500 nodes and pan and zoom it for two seconds: time to drawn, frames/s."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        started = time.perf_counter()
        page.goto(f"{base_url}/graph?focus={quote(focus)}&hops=2&max_nodes=500")
        page.wait_for_selector("#graph[data-ready=true]", timeout=120_000)
        drawn = time.perf_counter() - started
        nodes = page.evaluate("window.briGraph.nodes().length")
        fps = page.evaluate("""() => new Promise(done => {
            const cy = window.briGraph; let frames = 0; const t0 = performance.now();
            function step(now) {
              frames++; const t = (now - t0) / 1000;
              cy.zoom({ level: 0.6 + 0.4 * Math.sin(t * 3), renderedPosition: { x: 600, y: 350 } });
              cy.panBy({ x: Math.cos(t * 5) * 8, y: Math.sin(t * 5) * 8 });
              if (now - t0 < 2000) { requestAnimationFrame(step); } else { done(frames / ((now - t0) / 1000)); }
            }
            requestAnimationFrame(step);
        })""")
        browser.close()
    return {"nodes": float(nodes), "drawn_s": drawn, "fps": float(fps)}


def render(rows: list[tuple[int, dict[str, Latency]]], graph: dict[str, float] | None, reps: int) -> str:
    names = list(rows[0][1])
    largest = rows[-1][0]
    lines = [
        "## Analyst views: server time (median / p95 ms, first request in brackets)",
        "",
        f"{dt.date.today().isoformat()} · {machine()} · `python -m bench.views_bench` · {reps} timed rounds after "
        f"one untimed; loopback HTTP from a Python client. Target: every view under {TARGET_MS:.0f} ms at 10^6 "
        "triples (median; whole-corpus listings are computed by the first request and kept).",
        "",
        "| view | " + " | ".join(f"{n:,} triples" for n, _ in rows) + f" | under {TARGET_MS:.0f} ms at {largest:,} |",
        "|---|" + "---|" * len(rows) + "---|",
    ]
    for name in names:
        cells = [f"{m[name].median_ms():.1f} / {m[name].p95_ms():.1f} ({m[name].first * 1000:.0f})"
                 + (f" ({m[name].failures} failed)" if m[name].failures else "") for _, m in rows]
        met = rows[-1][1][name].median_ms() < TARGET_MS and not rows[-1][1][name].failures
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {'met' if met else '**not met**'} |")
    if graph:
        lines += ["", f"Graph view in headless Chromium at {largest:,} triples (2 hops, at most 500 nodes): "
                  f"{graph['nodes']:.0f} nodes drawn {graph['drawn_s']:.2f} s after navigation; "
                  f"{graph['fps']:.0f} frames/s while panning and zooming for 2 s (software rendering, --disable-gpu)."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-browser", action="store_true", help="skip the graph view in Chromium")
    args = parser.parse_args()
    id_base = Settings().id_base
    rows: list[tuple[int, dict[str, Latency]]] = []
    graph = None
    for size in args.sizes:
        _, var, triples = prepare(size, args.seed)
        requests, focus = view_requests(var / "current", id_base)
        with peers.ours(var) as server:
            base = server.query_url.removesuffix("/sparql")
            rows.append((triples, analyst_mix.measure_endpoints(base, requests, args.reps)))
            if size == args.sizes[-1] and not args.no_browser:
                graph = browser_graph(base, focus)
        print(f"{triples:,} triples measured", flush=True)
    report = render(rows, graph, args.reps)
    OUT.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
