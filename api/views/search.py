"""The search page: hits with the name that matched, type facets with counts, paging, and hints when
nothing matches. Every number comes from the entity index (``api.index.graph``), never the store."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from urllib.parse import urlencode

from api.services import Services
from api.views.refs import ref
from api.web.models import EntityRef
from kg.index.schema import local_name, normalize
from kg.vocab.namespaces import BRI

PAGE_SIZE = 20


@dataclass
class Hit:
    entity: EntityRef
    matched: str  # the name that matched, shown when it is not the display label
    alt: bool


@dataclass
class Facet:
    type: str  # local name for bri: classes, else the IRI
    label: str
    count: int
    href: str
    selected: bool


@dataclass
class SearchPage:
    q: str
    type: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0
    facets: list[Facet] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    prev_href: str | None = None
    next_href: str | None = None
    unfiltered_total: int = 0


def type_param(type_iri: str) -> str:
    return local_name(type_iri) if type_iri.startswith(BRI) else type_iri


def type_iri(param: str) -> str | None:
    if not param:
        return None
    return param if param.startswith(("http://", "https://")) else BRI + param.removeprefix("bri:")


def _href(q: str, type_: str = "", page: int = 1) -> str:
    params = {"q": q}
    if type_:
        params["type"] = type_
    if page > 1:
        params["page"] = str(page)
    return "/search?" + urlencode(params)


def _facets(svc: Services, q: str, selected: str) -> list[Facet]:
    counts = svc.index.type_counts(q)
    facets = [
        Facet(type_param(t), svc.index.label(t), n, _href(q, type_param(t)), type_param(t) == selected)
        for t, n in counts.items()
        if t.startswith(BRI)  # the project's classes; schema.org twins would repeat them
    ]
    return sorted(facets, key=lambda f: (-f.count, f.label.casefold()))


def _hints(svc: Services, page: SearchPage) -> None:
    """Why nothing matched and what to try: the filter, fewer words, a word's beginning, similar names."""
    words = normalize(page.q).split()
    if page.type and page.unfiltered_total:
        page.hints.append(f"{page.unfiltered_total} matches of other types: remove the type filter.")
    if len(words) > 1:
        page.hints.append("Every word must appear in one name: try fewer words.")
    longest = max(words, key=len) if words else ""
    if len(longest) > 3:
        page.suggestions = svc.index.names_starting(longest[: max(3, len(longest) * 2 // 3)])
    page.hints.append("Case and accents are ignored, and names in every spelling the sources use are searched "
                      "(Chinese names too, where the data records them).")


def search_page(svc: Services, q: str, type_: str = "", page_no: int = 1,
                exclude: Collection[str] = ()) -> SearchPage:
    """One page of hits; *exclude*: IRIs not to offer (retired ones, ``api.views.retired``)."""
    page = SearchPage(q=q, type=type_)
    if not q.strip():
        return page
    hits = [h for h in svc.index.search(q, type_iri(type_)) if h.iri not in exclude]
    page.total = len(hits)
    page.pages = max(1, -(-len(hits) // PAGE_SIZE))
    page.page = min(max(1, page_no), page.pages)
    start = (page.page - 1) * PAGE_SIZE
    page.hits = [Hit(ref(svc, h.iri), h.matched, h.matched != h.label) for h in hits[start : start + PAGE_SIZE]]
    page.facets = _facets(svc, q, type_)
    page.unfiltered_total = len(svc.index.search(q)) if type_ else page.total
    if page.page > 1:
        page.prev_href = _href(q, type_, page.page - 1)
    if page.page < page.pages:
        page.next_href = _href(q, type_, page.page + 1)
    if not hits:
        _hints(svc, page)
    return page
