"""Known SHACL violations injected into a synthetic corpus, and the results a validator must report.

Each kind of :data:`VIOLATION_KINDS` breaks one constraint of ``shapes/`` on one victim (a focus node
and path not broken before) in the mapped triples of a document, and says exactly which SHACL
results (focus, path, constraint component) that must produce. The :class:`Injector` keeps the
kinds still pending and applies each as soon as a document offers a victim.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS, XSD

from bench.synth.editions import POLICY_KINDS
from bench.synth.world import World
from kg.ingest.annotations import LoadedDocument
from kg.ingest.mapping import entity_iri
from kg.vocab.rdf import BRI, ID, OA

Triple = tuple[URIRef, URIRef, URIRef | Literal]
Results = list["ExpectedResult"] | None


@dataclass(frozen=True)
class ExpectedResult:
    """One SHACL result a validator must report: focus node, path (full IRI, '' for none), component."""

    focus: str
    path: str
    component: str


@dataclass(frozen=True)
class InjectedViolation:
    """One injected defect: its kind, the document it is in, and the results it must produce."""

    kind: str
    document: str
    results: tuple[ExpectedResult, ...]


VIOLATION_KINDS: dict[str, str] = {
    "statistic-without-value": "a statistic loses its bri:value (MinCount)",
    "conference-held-in-non-place": "a conference is bri:heldIn a topic, not a Place (Class)",
    "commitment-of-two-policies": "a commitment gets a second bri:commitmentOf (MaxCount)",
    "year-bad-pattern": "a policy document's bri:year is '2025Z', a gYear that breaks the YYYY pattern (Pattern)",
    "missing-evidence": "a statistic loses its bri:evidence links (MinCount)",
    "ill-typed-value": "a statistic's value is 'about eighty'^^xsd:decimal, an ill-typed literal (Datatype)",
    "statement-with-language": "a commitment's statement is a language-tagged string, not xsd:string (Datatype)",
    "edition-number-zero": "a conference has editionNumber 0 (MinInclusive)",
    "two-english-labels": "an entity gets a second rdfs:label in English (UniqueLang)",
    "topic-outside-scheme": "a topic loses skos:inScheme bri:TopicScheme (HasValue)",
    "start-after-end": "a conference starts after it ends (LessThanOrEquals)",
    "measure-too-short": "a statistic's measure is 'ab' (MinLength)",
    "evidence-position-reversed": "an evidence position selector has start == end (Node, nested QualifiedMinCount)",
    "evidence-two-quote-selectors": "an evidence target has two quote selectors (Node, nested QualifiedMaxCount)",
    "alt-label-without-language": "an entity gets a plain-string skos:altLabel (Datatype)",
    "document-bad-sha256": "a source document's bri:sha256 is upper-case hex (Pattern)",
}


@dataclass
class Victims:
    """One mapped document on offer: its triples (changed in place) and the ids it defines, by type."""

    doc: LoadedDocument
    triples: set[Triple]
    by_type: dict[str, list[str]]
    world: World

    def ids(self, *types: str) -> list[str]:
        return [i for t in types for i in self.by_type.get(t, [])]

    def objects(self, s: URIRef, p: URIRef) -> list[URIRef | Literal]:
        return [o for (s2, p2, o) in self.triples if s2 == s and p2 == p]

    def first(self, s: URIRef, p: URIRef) -> URIRef | Literal:
        return self.objects(s, p)[0]

    def replace(self, s: URIRef, p: URIRef, new: URIRef | Literal | None) -> None:
        for o in self.objects(s, p):
            self.triples.discard((s, p, o))
        if new is not None:
            self.triples.add((s, p, new))

    def evidence_nodes(self) -> list[str]:
        return sorted(str(s) for (s, p, o) in self.triples if p == RDF.type and o == BRI.Evidence)


def _r(focus: URIRef, path: URIRef | None, component: str) -> ExpectedResult:
    return ExpectedResult(str(focus), str(path) if path is not None else "", component)


class Injector:
    """Applies pending injections to a document's triples as soon as a document offers a victim."""

    def __init__(self, count: int, kinds: list[str] | None = None) -> None:
        order = kinds or list(VIOLATION_KINDS)
        unknown = [k for k in order if k not in VIOLATION_KINDS]
        if unknown:
            raise ValueError(f"unknown violation kinds {unknown}; known: {sorted(VIOLATION_KINDS)}")
        self.pending = [order[i % len(order)] for i in range(count)]
        self.done: list[InjectedViolation] = []
        self.used: set[tuple[str, str]] = set()   # (focus, path) already broken
        self.topics: list[URIRef] = []            # topics seen so far (for a wrong-class value)
        self._kinds: dict[str, Callable[[Victims], Results]] = {
            kind: getattr(self, "_" + kind.replace("-", "_")) for kind in VIOLATION_KINDS}

    def apply(self, doc: LoadedDocument, triples: set[Triple], world: World) -> None:
        by_type: dict[str, list[str]] = {}
        for rec in {r.id: r for r in doc.model.entities if r.type}.values():
            by_type.setdefault(rec.type or "", []).append(rec.id)
        self.topics.extend(entity_iri(t) for t in by_type.get("Topic", []))
        victims = Victims(doc, triples, by_type, world)
        remaining = []
        for kind in self.pending:
            result = self._kinds[kind](victims)
            if result is None:
                remaining.append(kind)
            else:
                self.done.append(InjectedViolation(kind, doc.model.document.slug, tuple(result)))
        self.pending = remaining

    def _victim(self, ids: list[str], path: URIRef, need: Callable[[URIRef], bool] = lambda _s: True) -> URIRef | None:
        """The first of *ids* whose (focus, *path*) is not broken yet and that meets *need*; now marked used."""
        for rid in ids:
            s = entity_iri(rid)
            if (str(s), str(path)) not in self.used and need(s):
                self.used.add((str(s), str(path)))
                return s
        return None

    def _drop(self, v: Victims, type_name: str, path: URIRef, component: str) -> Results:
        """A victim of *type_name* loses every value of *path*."""
        s = self._victim(v.ids(type_name), path)
        if s is None:
            return None
        v.replace(s, path, None)
        return [_r(s, path, component)]

    def _set(self, v: Victims, type_name: str, path: URIRef, value: URIRef | Literal, component: str) -> Results:
        """A victim of *type_name* gets *value* instead of its values of *path*."""
        s = self._victim(v.ids(type_name), path)
        if s is None:
            return None
        v.replace(s, path, value)
        return [_r(s, path, component)]

    # -- the kinds ---------------------------------------------------------------------------------
    def _statistic_without_value(self, v: Victims) -> Results:
        return self._drop(v, "Statistic", BRI.value, "MinCount")

    def _missing_evidence(self, v: Victims) -> Results:
        # statistics are never mentioned again by a later document, so their evidence stays removed
        return self._drop(v, "Statistic", BRI.evidence, "MinCount")

    def _ill_typed_value(self, v: Victims) -> Results:
        return self._set(v, "Statistic", BRI.value, Literal("about eighty", datatype=XSD.decimal), "Datatype")

    def _measure_too_short(self, v: Victims) -> Results:
        return self._set(v, "Statistic", BRI.measure, Literal("ab"), "MinLength")

    def _edition_number_zero(self, v: Victims) -> Results:
        return self._set(v, "Conference", BRI.editionNumber, Literal("0", datatype=XSD.integer), "MinInclusive")

    def _conference_held_in_non_place(self, v: Victims) -> Results:
        if not self.topics:
            return None
        return self._set(v, "Conference", BRI.heldIn, self.topics[0], "Class")

    def _commitment_of_two_policies(self, v: Victims) -> Results:
        s = self._victim(v.ids("Commitment"), BRI.commitmentOf)
        if s is None:
            return None
        mine = v.objects(s, BRI.commitmentOf)
        other = next((entity_iri(p) for p in v.world.policies if entity_iri(p) not in mine), None)
        if other is None:
            self.used.discard((str(s), str(BRI.commitmentOf)))
            return None
        v.triples.add((s, BRI.commitmentOf, other))
        return [_r(s, BRI.commitmentOf, "MaxCount")]

    def _year_bad_pattern(self, v: Victims) -> Results:
        s = self._victim(v.ids(*POLICY_KINDS), BRI.year)
        if s is None:
            return None
        v.replace(s, BRI.year, Literal(f"{str(v.first(s, BRI.year))}Z", datatype=XSD.gYear))
        return [_r(s, BRI.year, "Pattern")]

    def _statement_with_language(self, v: Victims) -> Results:
        s = self._victim(v.ids("Commitment"), BRI.statement)
        if s is None:
            return None
        v.replace(s, BRI.statement, Literal(str(v.first(s, BRI.statement)), lang="en"))
        return [_r(s, BRI.statement, "Datatype")]

    def _two_english_labels(self, v: Victims) -> Results:
        s = self._victim(v.ids("Organization", "Person"), RDFS.label)
        if s is None:
            return None
        v.triples.add((s, RDFS.label, Literal(f"{str(v.first(s, RDFS.label))} (second spelling)", lang="en")))
        return [_r(s, RDFS.label, "UniqueLang")]

    def _topic_outside_scheme(self, v: Victims) -> Results:
        # a topic first defined in this document; retired so that no later document mentions it
        # (each mention re-adds skos:inScheme)
        s = self._victim(v.ids("Topic"), SKOS.inScheme)
        if s is None:
            return None
        v.replace(s, SKOS.inScheme, None)
        v.world.retired_topics.add(str(s).removeprefix(str(ID)))
        self.topics = [t for t in self.topics if t != s]
        return [_r(s, SKOS.inScheme, "HasValue")]

    def _start_after_end(self, v: Victims) -> Results:
        s = self._victim(v.ids("Conference"), BRI.startDate, lambda c: bool(v.objects(c, BRI.endDate)))
        if s is None:
            return None
        start, end = v.first(s, BRI.startDate), v.first(s, BRI.endDate)
        v.replace(s, BRI.startDate, end)
        v.replace(s, BRI.endDate, start)
        self.used.add((str(s), str(BRI.endDate)))
        return [_r(s, BRI.startDate, "LessThanOrEquals")]

    def _fresh_evidence(self, v: Victims) -> str | None:
        """An evidence node of this document whose target is not broken yet; now marked used."""
        for ev in v.evidence_nodes():
            if (ev, str(OA.hasTarget)) not in self.used:
                self.used.add((ev, str(OA.hasTarget)))
                return ev
        return None

    def _evidence_position_reversed(self, v: Victims) -> Results:
        ev = self._fresh_evidence(v)
        if ev is None:
            return None
        target, position = URIRef(f"{ev}#target"), URIRef(f"{ev}#position")
        v.replace(position, OA.start, v.first(position, OA.end))
        return [_r(URIRef(ev), OA.hasTarget, "Node"), _r(target, OA.hasSelector, "QualifiedMinCount")]

    def _evidence_two_quote_selectors(self, v: Victims) -> Results:
        ev = self._fresh_evidence(v)
        if ev is None:
            return None
        target, extra = URIRef(f"{ev}#target"), URIRef(f"{ev}#quote-2")
        exact = v.first(URIRef(f"{ev}#quote"), OA.exact)
        v.triples.update({(target, OA.hasSelector, extra), (extra, RDF.type, OA.TextQuoteSelector),
                          (extra, OA.exact, exact)})
        return [_r(URIRef(ev), OA.hasTarget, "Node"), _r(target, OA.hasSelector, "QualifiedMaxCount")]

    def _alt_label_without_language(self, v: Victims) -> Results:
        s = self._victim(v.ids("Participation", "Commitment"), SKOS.altLabel)
        if s is None:
            return None
        v.triples.add((s, SKOS.altLabel, Literal(str(v.first(s, RDFS.label)).lower())))
        return [_r(s, SKOS.altLabel, "Datatype")]

    def _document_bad_sha256(self, v: Victims) -> Results:
        s = ID[f"document/{v.doc.model.document.slug}"]
        if (str(s), str(BRI.sha256)) in self.used:
            return None
        self.used.add((str(s), str(BRI.sha256)))
        v.replace(s, BRI.sha256, Literal(v.doc.sha256.upper()))
        return [_r(s, BRI.sha256, "Pattern")]
