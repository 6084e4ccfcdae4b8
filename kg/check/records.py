"""From an IRI of the graph back to the annotation record (file and line) that says it.

A SHACL report or a reasoner names nodes by IRI; a curator edits YAML records. This index turns
``https://w3id.org/bri-kg/id/program/x`` into ``program/x`` and the records of it, preferring the
record in the file being checked and the one that states the fact in question.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kg.ingest.annotations import EntityRecord, LoadedDocument
from kg.vocab import namespaces

ID_BASE = namespaces.ID
PREFIXES = {namespaces.BRI: ""} | {base: f"{prefix}:" for prefix, base in namespaces.PREFIXES.items()
                                  if prefix != "bri"}
# Properties the curator does not write as facts, and the key of the record that makes them.
RECORD_KEYS = {
    "rdfs:label": "label", "skos:prefLabel": "label", "skos:altLabel": "alt", "dcterms:description":
    "description", "evidence": "quote", "prov:wasDerivedFrom": "quote", "rdf:type": "type",
}


@dataclass(frozen=True)
class Place:
    """A record of an entity in one file: where to look and what to change."""

    file: str
    line: int | None
    record: EntityRecord | None
    slug: str
    fact_lines: dict[str, int] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def line_of(self, fact: str | None) -> int | None:
        """The line of *fact* in this record if it writes it, else the record's line."""
        return self.fact_lines.get(fact or "", self.line)


def entity_id(iri: str) -> str:
    """``…/id/program/x`` -> ``program/x``; evidence and node parts -> the entity they belong to."""
    if not iri.startswith(ID_BASE):
        return short(iri)
    local = iri[len(ID_BASE):].split("#", 1)[0]
    if local.startswith("evidence/"):
        parts = local.split("/")
        return "/".join(parts[2:4]) if len(parts) >= 4 else local
    return local


def short(iri: str) -> str:
    """A term as a curator writes it: ``heldIn``, ``org:member``, ``place/chengdu``."""
    if iri.startswith(ID_BASE):
        return entity_id(iri)
    for base, prefix in sorted(PREFIXES.items(), key=lambda kv: -len(kv[0])):
        if iri.startswith(base):
            return prefix + iri[len(base):]
    return iri


def fact_name(path: str) -> str:
    """A SHACL path (``bri:heldIn``, ``skos:altLabel``, a full IRI) as the record key that writes it."""
    name = short(path) if "://" in path else path.removeprefix("bri:")
    return RECORD_KEYS.get(name, name)


class RecordIndex:
    """Every record of every loaded annotation file, by entity id."""

    def __init__(self, corpus: list[LoadedDocument]) -> None:
        self.by_id: dict[str, list[Place]] = defaultdict(list)
        self.documents: dict[str, Place] = {}
        for doc in corpus:
            slug = doc.model.document.slug
            self.documents[slug] = Place(doc.name, doc.lines.header or None, None, slug)
            for index, record in enumerate(doc.model.entities):
                facts = {f: line for f in record.facts if (line := doc.lines.facts.get((index, f)))}
                self.by_id[record.id].append(Place(doc.name, doc.record_line(index), record, slug, facts))

    def locate(self, ident: str, fact: str | None = None, prefer_file: str | None = None) -> Place | None:
        """The best record to show for *ident* (and *fact*): in the preferred file first, then one
        that writes the fact, then the defining one (with a type), then any."""
        if ident.startswith("document/"):
            return self.documents.get(ident.split("/", 1)[1])
        places = self.by_id.get(ident, [])
        if not places:
            return None

        def score(p: Place) -> tuple[int, int, int]:
            rec = p.record
            has_fact = rec is not None and fact is not None and (fact in rec.facts or _record_key(rec, fact))
            return (prefer_file is not None and p.file == prefer_file, bool(has_fact),
                    rec is not None and rec.type is not None)

        return max(places, key=score)


def _record_key(record: EntityRecord, key: str) -> bool:
    return key in ("label", "type", "quote", "alt") and bool(getattr(record, key, None) or
                                                            (key == "quote" and record.all_quotes))
