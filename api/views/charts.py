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


def _value_chart(shown: list[StatisticOut]) -> dict[str, Any] | None:
    values = [{"measure": (s.measure or s.label)[:70], "value": float(s.value), "href": s.href}
              for s in shown if s.value and _number(s.value) and float(s.value) > 0]
    if not values:
        return None
    return bar_chart(values, "measure", "value", "Value by measure (this page; log scale)", log=True, href="href")


def _count_chart(counts: Counter[str], name: str, title: str, *, by_key: bool = False) -> dict[str, Any] | None:
    if not counts:
        return None
    pairs = sorted(counts.items()) if by_key else counts.most_common(25)
    return bar_chart([{name: k[:70], "statistics": n} for k, n in pairs], name, "statistics", title)


def _charts(stats: list[StatisticOut], shown: list[StatisticOut]) -> list[dict[str, Any]]:
    years = Counter(y for s in stats if (y := _year(s)))
    conferences = Counter(s.reported_at.label for s in stats if s.reported_at)
    measures = Counter((s.measure or "")[:70] for s in stats if s.measure)
    repeated = len(measures) > 1 and measures.most_common(1)[0][1] > 1  # counts tell something only then
    charts = [
        _value_chart(shown),
        _count_chart(years, "year", "Statistics by year", by_key=True),
        _count_chart(conferences, "conference", "Statistics by conference reported at"),
        _count_chart(measures, "measure", "Statistics by measure (most frequent)") if repeated else None,
    ]
    return [c for c in charts if c is not None]


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
