"""A source document as a page: its metadata, its full text, and every annotated passage highlighted
in place and linked to the entity (and property) it supports.

The text comes from the build (``<build>/sources``, ``kg.layout``), exactly the file the evidence
offsets count code points of, so a passage is ``text[start:end]`` with no searching. Passages may
overlap: the text is cut at every passage boundary and each piece is marked with the shortest
passage covering it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from api.services import Services
from api.store.terms import Term
from api.views.refs import ref
from api.web.models import EntityRef
from kg.vocab import terms as bri
from kg.vocab.namespaces import BRI, OA

PASSAGES = f"""
PREFIX bri: <{BRI}>
PREFIX oa: <{OA}>
SELECT ?doc ?ev ?e ?start ?end ?prop WHERE {{
  ?ev bri:sourceDocument ?doc ; oa:hasTarget ?t .
  ?t oa:hasSelector ?ps . ?ps oa:start ?start ; oa:end ?end .
  ?e bri:evidence ?ev .
  OPTIONAL {{ ?ev bri:supportsProperty ?prop }}
}}"""


def passage_anchor(evidence_iri: str, id_base: str) -> str:
    """The fragment id of a passage on its document's page (stable: made from the evidence IRI)."""
    tail = evidence_iri.removeprefix(id_base + "evidence/")
    return "ev-" + re.sub(r"[^A-Za-z0-9_-]+", "-", tail)


@dataclass
class Passage:
    number: int
    anchor: str
    start: int
    end: int
    quote: str
    supports: list[tuple[EntityRef, str | None]] = field(default_factory=list)  # entity, property label
    other_anchors: list[str] = field(default_factory=list)  # evidence quoting the very same characters


@dataclass
class Piece:
    text: str
    passage: Passage | None = None  # the shortest passage covering it
    first: bool = False  # where that passage begins (carries its anchor)


@dataclass
class DocumentView:
    text_available: bool
    pieces: list[Piece]
    passages: list[Passage]


def _passages(svc: Services, rows: list[dict[str, Term]], text: str) -> list[Passage]:
    by_span: dict[tuple[int, int], Passage] = {}  # one passage per span, whichever entities it supports
    # In a fixed order, whatever order the store answers in: the same page from every store.
    for row in sorted(rows, key=lambda r: (r["ev"].value, r["e"].value, r["prop"].value if "prop" in r else "")):
        ev = row["ev"].value
        start, end = int(row["start"].value), int(row["end"].value)
        anchor = passage_anchor(ev, svc.settings.id_base)
        passage = by_span.setdefault((start, end), Passage(0, anchor, start, end, text[start:end] if text else ""))
        if anchor != passage.anchor and anchor not in passage.other_anchors:
            passage.other_anchors.append(anchor)
        prop = svc.index.label(row["prop"].value) if "prop" in row else None
        entity = ref(svc, row["e"].value)
        if all(e.id != entity.id or p != prop for e, p in passage.supports):
            passage.supports.append((entity, prop))
    ordered = sorted(by_span.values(), key=lambda p: (p.start, -p.end, p.anchor))
    for number, passage in enumerate(ordered, 1):
        passage.number = number
    return ordered


def _pieces(text: str, passages: list[Passage]) -> list[Piece]:
    cuts = sorted({0, len(text)} | {p.start for p in passages} | {p.end for p in passages if p.end <= len(text)})
    pieces: list[Piece] = []
    started: set[int] = set()
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [p for p in passages if p.start <= a and b <= p.end]
        best = min(covering, key=lambda p: p.end - p.start) if covering else None
        first = best is not None and best.number not in started
        if best is not None:
            started.add(best.number)
        pieces.append(Piece(text[a:b], best, first))
    return pieces


async def document_view(svc: Services, iri: str, source_file: str | None) -> DocumentView:
    layout = svc.build.layout
    text = layout.source_text(source_file) if layout and source_file else None
    result = await svc.store.select(PASSAGES, {"doc": Term.iri(iri)}, timeout_s=svc.settings.query_timeout_s)
    passages = _passages(svc, result.rows, text or "")
    if text is None:
        return DocumentView(False, [], passages)
    return DocumentView(True, _pieces(text, passages), passages)


def is_document(svc: Services, types: list[str]) -> bool:
    return svc.index.is_a(types, bri.SourceDocument)


DOCUMENT_LIST = f"""
PREFIX bri: <{BRI}>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?doc ?issued ?publisher WHERE {{
  ?doc a bri:SourceDocument .
  OPTIONAL {{ ?doc dcterms:issued ?issued }} OPTIONAL {{ ?doc dcterms:publisher ?publisher }}
}}"""
PASSAGE_COUNTS = f"""
PREFIX bri: <{BRI}>
SELECT ?doc (COUNT(?ev) AS ?n) WHERE {{ ?ev bri:sourceDocument ?doc }} GROUP BY ?doc"""
LISTED = 500


@dataclass
class DocumentRow:
    label: str
    href: str
    issued: str | None
    publisher: EntityRef | None
    passages: int


async def document_list(svc: Services) -> list[DocumentRow]:
    """Every source document, newest first (computed once: the build does not change while serving)."""
    result = await svc.store.select(DOCUMENT_LIST, timeout_s=svc.settings.query_timeout_s)
    counted = await svc.store.select(PASSAGE_COUNTS, timeout_s=svc.settings.query_timeout_s)
    counts = {row["doc"].value: int(row["n"].value) for row in counted.rows}
    rows: dict[str, DocumentRow] = {}
    for row in result.rows:
        iri = row["doc"].value
        if iri in rows:
            continue
        entity = ref(svc, iri)
        rows[iri] = DocumentRow(entity.label, entity.href, row["issued"].value if "issued" in row else None,
                                ref(svc, row["publisher"].value) if "publisher" in row else None,
                                counts.get(iri, 0))
    return sorted(rows.values(), key=lambda d: (d.issued or "", d.label), reverse=True)
