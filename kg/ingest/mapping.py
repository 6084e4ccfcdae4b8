"""Map curated annotations to RDF: one named graph per source document, evidence on every record.

Every check here reports *all* problems of the corpus at once, each naming the file, the record,
the problem and the fix, so a curator can correct a batch in one pass.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from rdflib import RDF, RDFS, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS, XSD

from kg.errors import BuildError, DataProblem
from kg.ingest.annotations import ENTITY_ID_PATTERN, EntityRecord, LoadedDocument, QuotedValue, Scalar
from kg.ingest.evidence import QuoteLocation, QuoteNotFound, locate_quote
from kg.ingest.values import MEMBERSHIP_BOUNDS, ValueMismatch, add_interval_bound, typed_literal
from kg.owl.ontology import OntologyIndex
from kg.vocab.rdf import BRI, GRAPH, ID, OA, SCHEMA

FOLDER_TYPES: dict[str, frozenset[str]] = {
    "conference-series": frozenset({"ConferenceSeries"}),
    "conference": frozenset({"Conference"}),
    "event": frozenset({"Event"}),
    "policy": frozenset({"Declaration", "Initiative", "ActionPlan", "PolicyDocument"}),
    "commitment": frozenset({"Commitment"}),
    "program": frozenset({"Program"}),
    "joint-lab": frozenset({"JointLab"}),
    "joint-lab-batch": frozenset({"JointLabBatch"}),
    "alliance": frozenset({"Alliance"}),
    "organization": frozenset({"Organization", "TechnologyTransferCenter"}),
    "person": frozenset({"Person"}),
    "group": frozenset({"AgentGroup"}),
    "affiliation": frozenset({"Affiliation"}),
    "participation": frozenset({"Participation"}),
    "place": frozenset({"City", "Province", "Country", "Region"}),
    "report": frozenset({"Report"}),
    "topic": frozenset({"Topic"}),
    "role": frozenset({"Role"}),
    "statistic": frozenset({"Statistic"}),
}
SCHEME_OF_TYPE = {"Topic": BRI.TopicScheme, "Role": BRI.RoleScheme}


def entity_iri(entity_id: str) -> URIRef:
    return ID[entity_id]


def document_iri(slug: str) -> URIRef:
    return ID[f"document/{slug}"]


def graph_iri(slug: str) -> URIRef:
    return GRAPH[slug]


@dataclass
class _Definition:
    """The canonical facts about an entity gathered across the corpus: its type and preferred label."""

    types: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # type -> files (file:line)
    labels: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # label -> files (file:line)
    records: list[str] = field(default_factory=list)  # every record of it (file:line)
    successor: str | None = None  # the entity it was merged into or renamed to (``replaced_by``)


class TripleSink(Protocol):
    """Where a document's triples go: an rdflib Graph, or any object with ``add`` (e.g. a set-backed
    buffer that a streaming writer flushes per document, see bench.synth)."""

    def add(self, triple: tuple[URIRef, URIRef, URIRef | Literal], /) -> object: ...



class CorpusMapper:
    """Turns loaded annotation files into an rdflib Dataset, collecting problems as it goes."""

    def __init__(self, ontology: OntologyIndex) -> None:
        self.ontology = ontology
        self.problems: list[DataProblem] = []
        self.definitions: dict[str, _Definition] = defaultdict(_Definition)

    # -- entry point ------------------------------------------------------------------------
    def map(self, corpus: list[LoadedDocument]) -> Dataset:
        self._collect_definitions(corpus)
        self._check_definitions()
        dataset = Dataset()
        self._check_unique_slugs(corpus)
        for doc in corpus:
            self._map_document(doc, dataset.graph(graph_iri(doc.model.document.slug)))
        if self.problems:
            raise BuildError("mapping annotations to RDF", self.problems)
        return dataset

    # -- streaming entry points (one document at a time, for corpora too large for one Dataset) --
    def add_definitions(self, corpus: Iterable[LoadedDocument]) -> None:
        """Record the types and preferred labels *corpus* gives; call for every document (in any
        order, e.g. each one just before it is mapped) before mapping the documents that use them."""
        self._collect_definitions(corpus)

    def map_document(self, doc: LoadedDocument, graph: TripleSink) -> None:
        """Map one document into *graph* (its named graph, or any TripleSink); problems accumulate in
        ``self.problems``. Its records' types must already be known through ``add_definitions``."""
        self._map_document(doc, graph)

    def check_definitions(self) -> None:
        """The corpus-wide checks (one type, exactly one preferred label per entity), once every
        document's definitions are in; adds to ``self.problems``."""
        self._check_definitions()

    # -- corpus-wide checks -----------------------------------------------------------------
    def _collect_definitions(self, corpus: Iterable[LoadedDocument]) -> None:
        for doc in corpus:
            for index, record in enumerate(doc.model.entities):
                definition = self.definitions[record.id]
                line = doc.record_line(index)
                where = f"{doc.name}:{line}" if line else doc.name
                definition.records.append(where)
                if record.type:
                    definition.types[record.type].append(where)
                if record.label:
                    definition.labels[record.label].append(where)
                if record.replaced_by:
                    definition.successor = record.replaced_by

    def _check_definitions(self) -> None:
        for entity_id, definition in sorted(self.definitions.items()):
            where = f"entity {entity_id}"
            files = ", ".join(sorted({f for fs in definition.types.values() for f in fs})) or "corpus"
            if not definition.types:
                self._problem(", ".join(definition.records) or "corpus", where, "no record gives its type",
                              "add `type:` (and `label:`) to one record of it, or fix a mistyped id")
            elif len(definition.types) > 1:
                self._problem(files, where, f"records disagree on its type: {sorted(definition.types)}",
                              "one thing has one type; give the same `type:` everywhere")
            else:
                type_name = next(iter(definition.types))
                if self.ontology.bri_class(type_name) is None:
                    self._problem(files, where, f"type {type_name!r} is not a class of the ontology",
                                  "use a class of ontology/bri.ttl (e.g. Conference, Organization)")
                allowed = FOLDER_TYPES.get(entity_id.split("/")[0])
                if allowed is None:
                    self._problem(files, where, f"unknown id folder {entity_id.split('/')[0]!r}",
                                  f"use one of: {', '.join(sorted(FOLDER_TYPES))}")
                elif type_name not in allowed:
                    self._problem(files, where, f"type {type_name} does not fit the folder",
                                  f"ids of this folder are of type {' or '.join(sorted(allowed))}")
            label_files = [f for fs in definition.labels.values() for f in fs]
            if not definition.labels:
                self._problem(", ".join(definition.records) or "corpus", where, "no record gives its preferred `label`",
                              "give `label:` in exactly one document")
            elif len(label_files) > 1:
                self._problem(", ".join(sorted(label_files)), where,
                              f"preferred label given {len(label_files)} times: {sorted(definition.labels)}",
                              "keep `label:` in one document and move other spellings to `alt:`")

    def _check_unique_slugs(self, corpus: list[LoadedDocument]) -> None:
        seen: dict[str, str] = {}
        for doc in corpus:
            slug = doc.model.document.slug
            if slug in seen:
                self._problem(doc.name, "document.slug", f"slug {slug!r} is also used by {seen[slug]}",
                              "every document needs its own slug")
            seen[slug] = doc.name

    # -- one document -----------------------------------------------------------------------
    def _map_document(self, doc: LoadedDocument, graph: TripleSink) -> None:
        header = doc.model.document
        doc_iri = document_iri(header.slug)
        graph.add((doc_iri, RDF.type, BRI.SourceDocument))
        if SCHEMA[header.kind] in self.ontology.classes:
            graph.add((doc_iri, RDF.type, SCHEMA[header.kind]))
        else:
            self._problem(doc.name, "document.kind", f"{header.kind!r} is not a document class of the ontology",
                          "use NewsArticle, Article, WebPage or Report")
        graph.add((doc_iri, RDFS.label, Literal(header.title, lang=header.language)))
        graph.add((doc_iri, DCTERMS.title, Literal(header.title, lang=header.language)))
        graph.add((doc_iri, DCTERMS.language, Literal(header.language)))
        graph.add((doc_iri, BRI.sourceFile, Literal(header.file)))
        graph.add((doc_iri, BRI.sha256, Literal(doc.sha256)))
        self._map_header_facts(doc, doc_iri, graph)
        line = doc.lines.header or None
        for prop, ref in [(DCTERMS.publisher, header.publisher)] + [(DCTERMS.creator, c) for c in header.creators]:
            if ref:
                self._check_reference(doc, "document", ref, line)
                graph.add((doc_iri, prop, entity_iri(ref)))
        if header.quote:
            self._locate(doc, "document.quote", header.quote, line)
        for index, debris in enumerate(header.not_content):
            if debris.text not in doc.text:
                self._problem(doc.name, f"document.not_content[{index}]",
                              f"{debris.text!r} does not occur in the document",
                              "copy the debris passage verbatim, or remove the entry", line)
        for index, record in enumerate(doc.model.entities):
            self._map_record(doc, doc_iri, index, record, graph)

    def _map_header_facts(self, doc: LoadedDocument, doc_iri: URIRef, graph: TripleSink) -> None:
        """Issued date (stated or inferred, with its passage), the source's address and retrieval date."""
        header = doc.model.document
        issued = header.issued_date
        if issued:
            graph.add((doc_iri, DCTERMS.issued, Literal(issued.isoformat(), datatype=XSD.date)))
        if isinstance(header.issued, QuotedValue):
            ev = self._add_evidence(doc, doc_iri, doc_iri, "document/issued", header.issued.quote,
                                    "document.issued", graph, doc.lines.header or None)
            if ev is not None:
                graph.add((ev, BRI.supportsProperty, DCTERMS.issued))
                self._mark_inferred(doc, ev, header.issued, "document.issued", graph, doc.lines.header or None)
        if header.url:
            graph.add((doc_iri, SCHEMA.url, URIRef(header.url)))
        if header.retrieved:
            graph.add((doc_iri, BRI.retrievedOn, Literal(header.retrieved.isoformat(), datatype=XSD.date)))

    def _mark_inferred(self, doc: LoadedDocument, ev: URIRef, value: QuotedValue, where: str,
                       graph: TripleSink, line: int | None) -> None:
        """An inferred value's evidence says so, with the reasoning and what it rests on."""
        if value.inferred is None:
            return
        graph.add((ev, BRI.inferred, Literal(True)))
        graph.add((ev, BRI.reasoning, Literal(value.inferred.reasoning)))
        for basis in value.inferred.basis:
            if basis.startswith("document/"):
                graph.add((ev, BRI.inferredFrom, ID[basis]))
            elif (ref := self._check_reference(doc, where, basis, line)) is not None:
                graph.add((ev, BRI.inferredFrom, ref))

    def _map_record(self, doc: LoadedDocument, doc_iri: URIRef, index: int, record: EntityRecord,
                    graph: TripleSink) -> None:
        where = f"entity {record.id}"
        line = doc.record_line(index)
        subject = entity_iri(record.id)
        definition = self.definitions[record.id]
        if len(definition.types) == 1:
            type_name = next(iter(definition.types))
            cls = self.ontology.bri_class(type_name)
            if cls is not None:
                graph.add((subject, RDF.type, cls))
                if type_name in SCHEME_OF_TYPE:
                    graph.add((subject, SKOS.inScheme, SCHEME_OF_TYPE[type_name]))
        if record.label:
            graph.add((subject, RDFS.label, Literal(record.label, lang="en")))
            graph.add((subject, SKOS.prefLabel, Literal(record.label, lang="en")))
        for alt in record.alt:
            graph.add((subject, SKOS.altLabel, Literal(alt, lang="en")))
        if record.description:
            graph.add((subject, DCTERMS.description, Literal(record.description, lang="en")))
        if record.replaced_by:
            self._map_retired(doc, record, subject, graph)
        graph.add((subject, PROV.wasDerivedFrom, doc_iri))
        graph.add((doc_iri, BRI.mentions, subject))
        if not record.all_quotes:
            self._problem(doc.name, where, "has no quote",
                          "add `quote:` with the passage of this document that names it", line)
        for n, quote in enumerate(record.all_quotes, start=1):
            self._add_evidence(doc, doc_iri, subject, f"{record.id}/q{n}", quote, where, graph, line)
        for prop_name, values in record.facts.items():
            self._map_fact(doc, doc_iri, record, subject, prop_name, values, graph,
                           doc.lines.fact(index, prop_name))

    def _map_fact(self, doc: LoadedDocument, doc_iri: URIRef, record: EntityRecord, subject: URIRef,
                  prop_name: str, values: object, graph: TripleSink, line: int | None = None) -> None:
        where = f"entity {record.id}, fact {prop_name}"
        prop = self.ontology.expand(prop_name)
        if prop is None:
            self._problem(doc.name, where, "unknown prefix", f"use one of {', '.join(self.ontology.prefixes)}", line)
            return
        is_object = prop in self.ontology.object_properties
        if not is_object and prop not in self.ontology.datatype_properties:
            self._problem(doc.name, where, f"{prop_name} is not a property of the ontology",
                          "use an object or datatype property declared in ontology/bri.ttl "
                          "(`bri-kg lookup` lists none; see docs/annotations.md)", line)
            return
        items = values if isinstance(values, list) else [values]
        for k, item in enumerate(items, start=1):
            value, quote = (item.value, item.quote) if isinstance(item, QuotedValue) else (item, None)
            try:
                obj = self._object_value(doc, where, value, line) if is_object else self._literal(prop, value)
            except ValueMismatch as exc:
                self._problem(doc.name, where, str(exc), "see docs/annotations.md, 'Facts'", line)
                continue
            if obj is None:
                continue
            graph.add((subject, prop, obj))
            if prop in MEMBERSHIP_BOUNDS and isinstance(obj, Literal):
                add_interval_bound(graph, subject, prop, obj)
            inverse = self.ontology.inverses.get(prop)
            if inverse is not None and isinstance(obj, URIRef):
                graph.add((obj, inverse, subject))
            if quote:
                local = prop_name.replace(":", "-")
                suffix = f"{local}-{k}" if len(items) > 1 else local
                ev = self._add_evidence(doc, doc_iri, subject, f"{record.id}/{suffix}", quote, where, graph, line)
                if ev is not None:
                    graph.add((ev, BRI.supportsProperty, prop))
                    if isinstance(item, QuotedValue):
                        self._mark_inferred(doc, ev, item, where, graph, line)

    # -- values -----------------------------------------------------------------------------
    def _object_value(self, doc: LoadedDocument, where: str, value: Scalar, line: int | None) -> URIRef | None:
        if not isinstance(value, str):
            raise ValueMismatch(f"{value!r} is not an entity id; this property links to another entity")
        if re.fullmatch(ENTITY_ID_PATTERN, value):
            return self._check_reference(doc, where, value, line)
        if ":" in value:
            iri = self.ontology.expand(value)
            if iri is None or iri not in self.ontology.individuals:
                raise ValueMismatch(f"{value!r} is not an individual of the ontology (e.g. bri:MoreThan)")
            return iri
        raise ValueMismatch(f"{value!r} is neither an entity id (folder/slug) nor an ontology term (prefix:Name)")

    def _check_reference(self, doc: LoadedDocument, where: str, ref: str, line: int | None = None) -> URIRef | None:
        definition = self.definitions.get(ref)
        if definition is None or not definition.types:
            self._problem(doc.name, where, f"refers to {ref}, which no document defines",
                          f"add a record for it (with type, label and quote), or fix the id "
                          f"(`bri-kg lookup {ref.split('/', 1)[-1].replace('-', ' ')}` finds existing ones)", line)
            return None
        if definition.successor:
            self._problem(doc.name, where, f"refers to {ref}, which was replaced by {definition.successor}",
                          f"refer to {definition.successor} instead")
            return None
        return entity_iri(ref)

    def _map_retired(self, doc: LoadedDocument, record: EntityRecord, subject: URIRef, graph: TripleSink) -> None:
        """A merged or renamed entity: it stays, deprecated, pointing at its successor (the server
        redirects its IRI there). Its facts belong to the successor, so a retired record has none."""
        where = f"entity {record.id}"
        if record.facts:
            self._problem(doc.name, where, "a record with `replaced_by` cannot state facts",
                          f"move its facts to {record.replaced_by}")
        successor = self._check_reference(doc, where, record.replaced_by or "")
        if successor is not None:
            graph.add((subject, OWL.deprecated, Literal(True)))
            graph.add((subject, DCTERMS.isReplacedBy, successor))

    def _literal(self, prop: URIRef, value: Scalar) -> Literal:
        return typed_literal(self.ontology.range_of(prop), value)

    # -- evidence ---------------------------------------------------------------------------
    def _locate(self, doc: LoadedDocument, where: str, quote: str, line: int | None = None) -> QuoteLocation | None:
        try:
            return locate_quote(doc.text, quote)
        except QuoteNotFound as exc:
            self._problem(doc.name, where, f"quote {quote[:80]!r} {exc}",
                          f"copy the passage verbatim from {doc.model.document.file}", line)
            return None

    def _add_evidence(self, doc: LoadedDocument, doc_iri: URIRef, subject: URIRef, key: str, quote: str,
                      where: str, graph: TripleSink, line: int | None = None) -> URIRef | None:
        location = self._locate(doc, where, quote, line)
        if location is None:
            return None
        ev = ID[f"evidence/{doc.model.document.slug}/{key}"]
        target = URIRef(f"{ev}#target")
        quote_sel = URIRef(f"{ev}#quote")
        position_sel = URIRef(f"{ev}#position")
        graph.add((subject, BRI.evidence, ev))
        graph.add((ev, RDF.type, BRI.Evidence))
        graph.add((ev, RDF.type, OA.Annotation))
        graph.add((ev, OA.motivatedBy, OA.identifying))
        graph.add((ev, OA.hasBody, subject))
        graph.add((ev, OA.hasTarget, target))
        graph.add((ev, BRI.sourceDocument, doc_iri))
        graph.add((target, RDF.type, OA.SpecificResource))
        graph.add((target, OA.hasSource, doc_iri))
        graph.add((target, OA.hasSelector, quote_sel))
        graph.add((target, OA.hasSelector, position_sel))
        graph.add((quote_sel, RDF.type, OA.TextQuoteSelector))
        graph.add((quote_sel, OA.exact, Literal(location.exact)))
        graph.add((quote_sel, OA.prefix, Literal(location.prefix)))
        graph.add((quote_sel, OA.suffix, Literal(location.suffix)))
        graph.add((position_sel, RDF.type, OA.TextPositionSelector))
        graph.add((position_sel, OA.start, Literal(location.start, datatype=XSD.integer)))
        graph.add((position_sel, OA.end, Literal(location.end, datatype=XSD.integer)))
        return ev

    def _problem(self, file: str, record: str, problem: str, fix: str = "", line: int | None = None) -> None:
        self.problems.append(DataProblem(file, record, problem, fix, line))


