"""Vega-Lite specifications the pages embed (drawn in the browser by the vendored vega-embed), and the
statistics page's table, counts and charts. Specs are plain dicts: the page writes them as JSON and
``static/views/charts.js`` draws every one it finds."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from api.services import Services
from api.views.statistics import statistics
from api.web.models import StatisticOut
from kg.index.schema import normalize

PAGE_SIZE = 50
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


def bar_chart(rows: list[dict[str, Any]], category: str, value: str, title: str, *, log: bool = False,
              href: str | None = None, value_title: str = "") -> dict[str, Any]:
    """A horizontal bar chart of *rows* (one bar per row), categories in the rows' order."""
    x: dict[str, Any] = {"field": value, "type": "quantitative", "title": value_title or value,
                         "axis": {"tickMinStep": 1, "format": ",~r"}}
    if log:
        x["scale"] = {"type": "symlog"}  # bars start at zero, which a log scale cannot show
    encoding: dict[str, Any] = {
        "y": {"field": category, "type": "nominal", "sort": None, "title": None,
              "axis": {"labelLimit": 420}},
        "x": x,
        "tooltip": [{"field": category, "type": "nominal"}, {"field": value, "type": "quantitative"}],
    }
    if href:
        encoding["href"] = {"field": href}
    return {"$schema": SCHEMA, "title": title, "width": "container", "height": {"step": 18},
            "data": {"values": rows}, "mark": {"type": "bar", "color": "#1f4fa3"}, "encoding": encoding}


@dataclass
class StatisticsPage:
    about: str
    q: str
    rows: list[StatisticOut] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1
    charts: list[dict[str, Any]] = field(default_factory=list)
    csv_href: str = ""
    prev_href: str | None = None
    next_href: str | None = None


def _year(s: StatisticOut) -> str | None:
    if s.year:
        return s.year[:4]
    return s.reference_date[:4] if s.reference_date else None


def _charts(stats: list[StatisticOut], shown: list[StatisticOut]) -> list[dict[str, Any]]:
    charts = []
    values = [{"measure": (s.measure or s.label)[:70], "value": float(s.value), "href": s.href}
              for s in shown if s.value and _number(s.value) and float(s.value) > 0]
    if values:
        charts.append(bar_chart(values, "measure", "value", "Value by measure (this page; log scale)", log=True,
                                href="href"))
    years = Counter(y for s in stats if (y := _year(s)))
    if years:
        rows = [{"year": y, "statistics": n} for y, n in sorted(years.items())]
        charts.append(bar_chart(rows, "year", "statistics", "Statistics by year"))
    conferences = Counter(s.reported_at.label for s in stats if s.reported_at)
    if conferences:
        rows = [{"conference": c[:70], "statistics": n} for c, n in conferences.most_common(25)]
        charts.append(bar_chart(rows, "conference", "statistics", "Statistics by conference reported at"))
    measures = Counter((s.measure or "")[:70] for s in stats if s.measure)
    if len(measures) > 1 and measures.most_common(1)[0][1] > 1:  # counts tell something only when measures repeat
        rows = [{"measure": m, "statistics": n} for m, n in measures.most_common(25)]
        charts.append(bar_chart(rows, "measure", "statistics", "Statistics by measure (most frequent)"))
    return charts


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


async def statistics_page(svc: Services, about: str | None, about_param: str, q: str, page_no: int) -> StatisticsPage:
    stats = await (statistics(svc, about) if about else svc.views.get("statistics", lambda: statistics(svc)))
    if q.strip():
        words = normalize(q).split()
        stats = [s for s in stats if all(w in normalize(f"{s.label} {s.measure or ''}") for w in words)]
    page = StatisticsPage(about=about_param, q=q, total=len(stats))
    page.pages = max(1, -(-len(stats) // PAGE_SIZE))
    page.page = min(max(1, page_no), page.pages)
    start = (page.page - 1) * PAGE_SIZE
    page.rows = stats[start : start + PAGE_SIZE]
    page.charts = _charts(stats, page.rows)
    params = {k: v for k, v in (("about", about_param), ("q", q)) if v}
    page.csv_href = "/api/statistics?" + urlencode({**params, "format": "csv", "limit": 1000})
    if page.page > 1:
        page.prev_href = "/statistics?" + urlencode({**params, "page": page.page - 1})
    if page.page < page.pages:
        page.next_href = "/statistics?" + urlencode({**params, "page": page.page + 1})
    return page
