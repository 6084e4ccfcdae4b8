"""The query gallery: every named query (``queries/*.rq``) as a page with a form for its typed
parameters, its answer as a table (and a bar chart where it has a label and a number), a CSV link,
and a link that opens it in YASGUI with the parameters filled in.

Running goes through the same binding as ``/api/queries/{name}/run`` (values checked by type, bound by
the store, never pasted). The YASGUI text is made by ``api.store.remote.binding``, which writes each
value as a checked, escaped term: the text a remote store would receive, so YASGUI gets the same answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from api.catalog import NamedQuery, bind_params
from api.services import Services
from api.store.remote.binding import bind_parameters
from api.store.terms import Term
from api.views.charts import bar_chart
from api.web.pages import local_href

SHOWN_ROWS = 200
NUMERIC = {"integer", "decimal", "double", "float", "int", "long", "short", "nonNegativeInteger", "positiveInteger"}
INPUT_TYPES = {"iri": "text", "string": "text", "integer": "number", "decimal": "number", "date": "date"}


@dataclass
class Cell:
    text: str
    href: str | None = None


@dataclass
class Field:
    name: str
    type: str
    input_type: str
    required: bool
    description: str
    value: str
    example: str


@dataclass
class GalleryRun:
    query: NamedQuery
    fields: list[Field]
    ran: bool = False
    error: str | None = None
    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    total: int = 0
    truncated: bool = False
    chart: dict[str, Any] | None = None
    csv_href: str = ""
    yasgui_href: str = ""


def _example(description: str) -> str:
    match = re.search(r"e\.g\.\s*([^\s)]+)", description)
    return match.group(1).rstrip(".,;") if match else ""


def _fields(query: NamedQuery, given: dict[str, str], id_base: str) -> list[Field]:
    return [Field(p.name, p.type, INPUT_TYPES[p.type], p.required, p.description, given.get(p.name, ""),
                  _example(p.description).removeprefix(id_base)) for p in query.params]


def _cell(svc: Services, term: Term | None) -> Cell:
    if term is None:
        return Cell("")
    if term.is_iri:
        href = local_href(term.value, svc.settings.base_iri)
        local = href != term.value or svc.index.is_entity(term.value)
        return Cell(svc.index.label(term.value) if local else term.value, href)
    return Cell(term.value)


def _numeric(term: Term | None) -> bool:
    return term is not None and not term.is_iri and term.datatype.rsplit("#", 1)[-1] in NUMERIC


def _chart(name: str, columns: list[str], rows: list[dict[str, Term]]) -> dict[str, Any] | None:
    """A bar per row when the answer pairs a label with a number (counts, figures)."""
    if not rows or len(rows) > 60:
        return None
    number = next((c for c in columns if all(_numeric(r.get(c)) for r in rows)), None)
    labels = [c for c in columns if c != number and all(c in r and not r[c].is_iri for r in rows)]
    if number is None or not labels:
        return None
    label = max(labels, key=lambda c: len({r[c].value for r in rows}))  # the column that tells rows apart
    values = [{label: r[label].value[:70], number: float(r[number].value)} for r in rows]
    return bar_chart(values, label, number, f"{name}: {number} by {label}", value_title=number)


async def run_gallery(svc: Services, query: NamedQuery, given: dict[str, str], run: bool) -> GalleryRun:
    page = GalleryRun(query, _fields(query, given, svc.settings.id_base))
    filled = {k: v for k, v in given.items() if v.strip()}
    page.csv_href = f"/api/queries/{query.name}/run?" + urlencode({**filled, "format": "csv", "limit": 10000})
    try:
        bindings = bind_params(query, filled, svc.settings.id_base)
    except ValueError as exc:
        page.error = str(exc) if run else None
        page.yasgui_href = "/yasgui?" + urlencode({"query": query.sparql})
        return page
    page.yasgui_href = "/yasgui?" + urlencode({"query": bind_parameters(query.sparql, bindings)})
    if not run:
        return page
    # The page shows the first rows (the CSV link has them all): the store stops after one more.
    result = await svc.store.select(query.sparql, bindings, max_rows=SHOWN_ROWS, timeout_s=svc.settings.query_timeout_s)
    page.ran, page.columns, page.total, page.truncated = True, result.variables, len(result.rows), result.truncated
    shown = result.rows[:SHOWN_ROWS]
    page.rows = [[_cell(svc, row.get(c)) for c in result.variables] for row in shown]
    page.chart = _chart(query.name, result.variables, shown)
    return page
