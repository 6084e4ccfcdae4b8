"""A synthetic source document being written: its lines of text and the annotation records for them.

A :class:`Draft` says sentences and mentions entities of the :class:`~bench.synth.world.World`; the
first document that mentions an entity defines it (type, label, facts), later ones only quote it.
:meth:`Draft.loaded` turns the draft into the :class:`kg.ingest.annotations.LoadedDocument` the build's
loader would produce from the same text and YAML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.synth.names import NEWS_AGENCIES, TOPICS, slugify
from bench.synth.world import BEIJING, Person, World
from kg.ingest.annotations import AnnotationFile, DocumentHeader, EntityRecord, LoadedDocument, NotContent


@dataclass
class Record:
    """One entity's annotation record in one document."""

    id: str
    type: str | None = None
    label: str | None = None
    alt: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def model(self) -> EntityRecord:
        quotes = list(dict.fromkeys(self.quotes))
        return EntityRecord(id=self.id, type=self.type, label=self.label, alt=self.alt, quote=quotes[0],
                            quotes=quotes[1:], facts=self.facts)


class Draft:
    """One source document being written: its lines of text and the records that annotate them."""

    def __init__(self, world: World, slug: str, title: str, kind: str, issued: dt.date) -> None:
        self.world = world
        self.slug, self.title, self.kind, self.issued = slug, title, kind, issued
        self.lines: list[str] = [title]
        self.records: dict[str, Record] = {}
        self.publisher: str | None = None
        self.creators: list[str] = []
        self.debris: list[NotContent] = []

    def say(self, sentence: str) -> str:
        self.lines.append(sentence)
        return sentence

    def record(self, entity_id: str, quote: str) -> Record:
        rec = self.records.get(entity_id)
        if rec is None:
            rec = self.records[entity_id] = Record(entity_id)
        rec.quotes.append(quote)
        return rec

    def loaded(self) -> LoadedDocument:
        text = "\n".join(self.lines) + "\n"
        header = DocumentHeader(slug=self.slug, file=f"sources/{self.slug}.txt", title=self.title, kind=self.kind,
                                issued=self.issued, publisher=self.publisher, creators=self.creators,
                                quote=self.title, not_content=self.debris)
        model = AnnotationFile(document=header, entities=[r.model() for r in self.records.values()])
        raw = text.encode("utf-8")
        return LoadedDocument(Path(f"annotations/{self.slug}.yaml"), model, text, hashlib.sha256(raw).hexdigest())

    # -- defining or mentioning entities ------------------------------------------------------------
    def entity(self, entity_id: str, quote: str, type_name: str, label: str,
               facts: dict[str, Any] | None = None, alt: list[str] | None = None) -> Record:
        """Mention *entity_id*; the first document that mentions an entity defines it."""
        w = self.world
        rec = self.record(entity_id, quote)
        if entity_id not in w.defined:
            w.defined.add(entity_id)
            rec.type, rec.label = type_name, label
            w.labels[entity_id] = label
            rec.facts.update(facts or {})
        elif rec.type is not None and facts:
            rec.facts.update(facts)   # defined earlier in this same document
        if alt:
            rec.alt.extend(a for a in alt if a not in rec.alt)
        return rec

    def place(self, place: str, quote: str | None = None) -> None:
        """Mention a place (its name must be in the text); define it and its parents on first use."""
        w = self.world
        label = w.labels[place]
        parent = w.place_parent[place]
        facts: dict[str, Any] = {}
        if place not in w.defined and parent is not None:
            line = self.say(f"{label} is located in {w.labels[parent]}.")
            self.place(parent, w.labels[parent])
            facts["locatedIn"] = parent
            quote = quote or line
        self.entity(place, quote or label, w.place_type[place], label, facts)

    def topic(self, name: str) -> str:
        tid = f"topic/{slugify(name)}"
        facts: dict[str, Any] = {}
        broader = TOPICS.get(name)
        if (tid not in self.world.defined and broader is not None
                and f"topic/{slugify(broader)}" not in self.world.retired_topics):
            self.say(f"Cooperation in {name} is part of the wider agenda on {broader}.")
            self.topic(broader)
            facts["skos:broader"] = f"topic/{slugify(broader)}"
        self.entity(tid, name, "Topic", name, facts)
        return tid

    def role(self, name: str, quote: str) -> str:
        rid = f"role/{slugify(name)}"
        self.entity(rid, quote, "Role", name)
        return rid

    def org(self, org_id: str) -> str:
        """Mention an existing organization by name (created by :meth:`World.new_or_existing_org`)."""
        w = self.world
        label = w.labels[org_id]
        if org_id not in w.defined:
            place = w.org_place[org_id]
            self.say(f"The {label} is based in {w.labels[place]}.")
            self.place(place)
            self.entity(org_id, label, "Organization", label, {"locatedIn": place})
        else:
            self.entity(org_id, label, "Organization", label)
        return org_id

    def person(self, person: Person, quote: str) -> None:
        """Mention a person, and on first use define their affiliation (organization and role)."""
        w = self.world
        facts: dict[str, Any] = {}
        if person.id not in w.defined and person.affiliation:
            facts["affiliation"] = person.affiliation
        self.entity(person.id, quote, "Person", person.name, facts)
        if not person.affiliation:
            return
        aff_quote = f"{person.name}, {person.title} of the {person.org_name}"
        if person.affiliation in w.defined:
            self.entity(person.affiliation, aff_quote, "Affiliation", "")
            return
        org_id = w.aff_org[person.affiliation]
        self.org(org_id)
        role_id = self.role(w.aff_role[person.affiliation], person.title)
        self.entity(person.affiliation, aff_quote, "Affiliation",
                    f"{person.name} as {person.title} of the {person.org_name}",
                    {"org:member": person.id, "org:organization": org_id, "org:role": role_id,
                     "positionTitle": person.title})

    # -- the lines every news document has ---------------------------------------------------------
    def header(self) -> None:
        """The publishing news agency and, often, a reporter."""
        w = self.world
        agency = w.rng.choice(NEWS_AGENCIES)
        agency_id = f"organization/{slugify(agency)}"
        w.labels.setdefault(agency_id, agency)
        w.org_place.setdefault(agency_id, BEIJING)
        self.say(f"Source: {agency}")
        self.org(agency_id)
        self.publisher = agency_id
        if w.rng.random() < 0.7:
            name = w.chinese_name()
            reporter = Person(w.new_id("person", slugify(name)), name)
            line = self.say(f"Reporter: {name}")
            self.person(reporter, line)
            self.creators.append(reporter.id)

    def footer(self) -> None:
        line = self.say(f"Copyright {self.issued.year} {self.world.labels[self.publisher or '']}. "
                        "All rights reserved.")
        self.debris.append(NotContent(text=line, reason="page footer"))
