"""The analyst endpoints a policy analyst's session hits, with entities sampled from the data.

No peer offers these endpoints (they are ours: search, entity views, paths, timeline, statistics,
named queries by name), so they are reported on their own, per corpus size, next to the SPARQL mix.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx

from bench.latency import Latency
from kg.layout import INDEX_FILE
from kg.vocab.namespaces import BRI

TIMEOUT_S = 30.0


def _one(db: sqlite3.Connection, sql: str, *params: str) -> str:
    row = db.execute(sql, params).fetchone()
    if row is None:
        raise LookupError(f"the benchmark corpus has no sample for: {sql}")
    return row[0]


def analyst_requests(build_dir: Path, id_base: str) -> dict[str, str]:
    """Name -> URL path (with query string) of each analyst request, sampled from the build's index."""
    db = sqlite3.connect(f"file:{build_dir / INDEX_FILE}?mode=ro", uri=True)
    conference = _one(db, "SELECT iri FROM type WHERE type = ? ORDER BY iri LIMIT 1", BRI + "Conference")
    label = _one(db, "SELECT label FROM entity WHERE iri = ?", conference)
    # A path of length 2: conference -> neighbour -> neighbour's other neighbour.
    far = _one(
        db,
        """SELECT b.o FROM edge a JOIN edge b ON b.s = a.o WHERE a.s = ? AND b.o != a.s
           UNION ALL SELECT b.s FROM edge a JOIN edge b ON b.o = a.o WHERE a.s = ? AND b.s != a.s LIMIT 1""",
        conference, conference,
    )
    ident = conference.removeprefix(id_base)
    word = label.split()[-1]
    return {
        "search (one word, many hits)": "/api/search?" + urlencode({"q": word}),
        "search (exact name)": "/api/search?" + urlencode({"q": label}),
        "entity view (JSON)": "/api/entities/" + quote(ident),
        "entity page (HTML)": "/id/" + quote(ident),
        "paths (length 2)": "/api/paths?" + urlencode({"from": ident, "to": far.removeprefix(id_base)}),
        "timeline (first 100)": "/api/timeline?limit=100",
        "statistics (first 100)": "/api/statistics?limit=100",
        "named query by name (100 rows)": "/api/queries/conferences/run?limit=100",
        "named query, parameter bound": "/api/queries/entity-evidence/run?" + urlencode({"entity": ident}),
    }


def measure_endpoints(base_url: str, requests: dict[str, str], reps: int) -> dict[str, Latency]:
    """One warm-up, then *reps* sequential rounds; a non-200 answer counts as a failure."""
    out = {name: Latency() for name in requests}
    with httpx.Client(base_url=base_url, timeout=TIMEOUT_S, headers={"Accept": "application/json"}) as client:
        for round_ in range(reps + 1):
            for name, url in requests.items():
                headers = {"Accept": "text/html"} if url.startswith("/id/") else {}
                started = time.perf_counter()
                try:
                    ok = client.get(url, headers=headers).status_code == 200
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - started
                if not ok:
                    out[name].failures += 1
                elif round_:
                    out[name].samples.append(elapsed)
                else:
                    out[name].first = elapsed
    return out


def render(rows: list[tuple[int, dict[str, Latency]]]) -> str:
    if not rows:
        return ""
    names = list(rows[0][1])
    lines = [
        "### Analyst endpoints (ours only: no peer has them), median / p95 ms (first request)",
        "",
        "The first request of a whole-corpus listing (timeline, statistics) computes it; the server keeps it, "
        "since the store does not change while it runs.",
        "",
        "| endpoint | " + " | ".join(f"{triples:,} triples" for triples, _ in rows) + " |",
        "|---|" + "---|" * len(rows),
    ]
    for name in names:
        cells = []
        for _, measured in rows:
            lat = measured[name]
            cell = f"{lat.median_ms():.1f} / {lat.p95_ms():.1f} ({lat.first * 1000:.0f})"
            cells.append(cell + (f" ({lat.failures} failed)" if lat.failures else ""))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
