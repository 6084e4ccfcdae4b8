"""An entity page that reads like a fact sheet: the n-ary relations around it (affiliations,
participations, commitments) as sentences, every other relation once and grouped by property, the
key facts for the header, and links to the views centred on it.

``api.views.entity.describe`` gathers the raw facts (shared with the JSON endpoint); this module
only arranges them. A relation node (the W3C n-ary pattern) is shown as what it says: "Envoy on
Technology, United Nations — opening ceremony speaker at the Second ... Conference", not as an
opaque "Affiliation" link. Its links come from the entity index, its literal parts (position title,
statement, ordinal) from one query over the nodes the index named.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from api.index.graph import GraphIndex
from api.services import Services
from api.store.remote.binding import render_iri
from api.views.entity import EntityFacts
from api.views.refs import ref
from api.web.models import EntityRef, Relation
from kg.vocab import terms as bri
from kg.vocab.namespaces import BRI, DCTERMS, ORG, PROV

NARY = {bri.Affiliation: "affiliation", bri.Participation: "participation", bri.Commitment: "commitment"}
INVERSE = {bri.hasCommitment: bri.commitmentOf, bri.commitmentOf: bri.hasCommitment,
           bri.hasSubProgram: bri.subProgramOf, bri.subProgramOf: bri.hasSubProgram}
# Shown elsewhere on the page: sources (documents, mentions), statistics (their own section).
SKIPPED = {bri.mentions, PROV + "wasDerivedFrom", bri.sourceDocument}
HEADER_PROPERTIES = [bri.startDate, bri.endDate, bri.date, DCTERMS + "issued", bri.year, bri.editionNumber,
                     bri.value, bri.measure, bri.unit, bri.referenceDate]
HEADER_LINKS = [bri.heldIn, bri.locatedIn, bri.inSeries, bri.adoptedAt, bri.launchedAt, bri.issuedBy,
                DCTERMS + "publisher", bri.statisticOf, bri.reportedAt, bri.qualifier, bri.commitmentOf]
# The literal parts of relation nodes whose IRIs the index gave: a VALUES list of checked IRIs (ours,
# from the index, written by the binder's checked renderer) that the plan starts from. Anchoring on the
# entity instead ({ ?n ?l ?e } UNION ...) is planned over the whole corpus: 480 ms at 10^6 triples.
NARY_LITERALS = f"""
PREFIX bri: <{BRI}>
SELECT ?n ?p ?o WHERE {{
  VALUES ?n {{ %s }}
  ?n ?p ?o . FILTER(?p IN (bri:positionTitle, bri:statement, bri:ordinal, bri:section, bri:date))
}}"""
SENTENCES_PER_KIND = 200  # a hub (a topic with thousands of commitments) lists the first ones

Part = tuple[str, str | None]  # text, and where it links (None: plain text)


@dataclass
class Sentence:
    node: EntityRef  # the relation node, for "details"
    parts: list[Part]
    topics: list[EntityRef] = field(default_factory=list)
    sort_key: tuple[object, ...] = ()


@dataclass
class Group:
    label: str
    property: str
    direction: str  # out: this --p--> them; in: them --p--> this
    entities: list[EntityRef]


@dataclass
class FactSheet:
    header: list[tuple[str, list[Part]]] = field(default_factory=list)
    positions: list[Sentence] = field(default_factory=list)  # affiliations (with what they did in them)
    participations: list[Sentence] = field(default_factory=list)
    commitments: list[Sentence] = field(default_factory=list)
    relations: list[Group] = field(default_factory=list)
    literals: list[Relation] = field(default_factory=list)
    views: list[tuple[str, str]] = field(default_factory=list)
    participation_heading: str = "Took part in"


class Nodes:
    """Links (from the index) and literal parts (from one query) of the relation nodes near an entity."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self.index: GraphIndex = svc.index
        self.literals: dict[str, dict[str, str]] = defaultdict(dict)
        self._links: dict[str, dict[str, list[str]]] = {}

    async def load_literals(self, nodes: list[str]) -> None:
        if not nodes:
            return
        query = NARY_LITERALS % " ".join(render_iri(n) for n in nodes)
        result = await self.svc.store.select(query, timeout_s=self.svc.settings.query_timeout_s)
        for row in result.rows:
            self.literals[row["n"].value].setdefault(row["p"].value, row["o"].value)

    def links(self, node: str) -> dict[str, list[str]]:
        if node not in self._links:
            out: dict[str, list[str]] = defaultdict(list)
            for edge in self.index.neighbours(node):
                if edge.outgoing:
                    out[edge.predicate].append(edge.target)
            self._links[node] = out
        return self._links[node]

    def one(self, node: str, prop: str) -> str | None:
        values = self.links(node).get(prop)
        return values[0] if values else None

    def part(self, iri: str | None) -> list[Part]:
        return [(self.index.label(iri), ref(self.svc, iri).href)] if iri else []

    def position(self, affiliation: str) -> list[Part]:
        """"Envoy on Technology, United Nations": the title as the source words it (else the role), the organization."""
        title = self.literals.get(affiliation, {}).get(bri.positionTitle)
        role = self.one(affiliation, ORG + "role")
        parts: list[Part] = [(title, None)] if title else self.part(role) or [("member", None)]
        org = self.one(affiliation, ORG + "organization")
        return parts + ([(", ", None)] + self.part(org) if org else [])


def nary_kind(index: GraphIndex, entity: EntityRef | None) -> str | None:
    if entity is None:
        return None
    return next((kind for cls, kind in NARY.items() if index.is_a(entity.types, cls)), None)


def _affiliation_sentence(nodes: Nodes, iri: str, node: str, done_by: dict[str, list[str]]) -> Sentence:
    """On a person's page: the position, then what they did in it; on an organization's: who holds it."""
    member = nodes.one(node, ORG + "member")
    parts = nodes.position(node) if member == iri else nodes.part(member) + [(" — ", None)] + nodes.position(node)
    for participation in done_by.get(node, []):
        parts += [(" — ", None)] + _role_at(nodes, participation)
    return Sentence(ref(nodes.svc, node), parts, sort_key=(nodes.index.label(node).casefold(),))


def _role_at(nodes: Nodes, participation: str) -> list[Part]:
    role = nodes.one(participation, bri.participationRole)
    event = nodes.one(participation, bri.event)
    parts: list[Part] = nodes.part(role) or [("took part", None)]
    return parts + ([(" at ", None)] + nodes.part(event) if event else [])


def _participation_sentence(nodes: Nodes, iri: str, node: str) -> Sentence:
    participant = nodes.one(node, bri.participant)
    capacity = nodes.one(node, bri.inCapacityOf)
    date = nodes.literals.get(node, {}).get(bri.date, "")
    if participant == iri:  # on the participant's page: "speaker at the conference"
        parts = _role_at(nodes, node)
    else:  # on the event's page: "Amandeep Gill (Envoy on Technology, United Nations) — speaker"
        parts = nodes.part(participant)
        if capacity:
            parts += [(" (", None)] + nodes.position(capacity) + [(")", None)]
        role = nodes.one(node, bri.participationRole)
        parts += [(" — ", None)] + nodes.part(role) if role else []
    if date:
        parts += [(f", {date}", None)]
    return Sentence(ref(nodes.svc, node), parts, sort_key=(date, nodes.index.label(node).casefold()))


def _commitment_sentence(nodes: Nodes, iri: str, node: str) -> Sentence:
    facts = nodes.literals.get(node, {})
    statement = facts.get(bri.statement) or nodes.index.label(node)
    policy = nodes.one(node, bri.commitmentOf)
    parts: list[Part] = [] if policy == iri or not policy else nodes.part(policy) + [(": ", None)]
    parts.append((statement, None))
    topics = [ref(nodes.svc, t) for t in nodes.links(node).get(bri.topic, [])]
    ordinal = facts.get(bri.ordinal, "")
    return Sentence(ref(nodes.svc, node), parts, topics,
                    sort_key=(nodes.index.label(policy or "").casefold(), int(ordinal) if ordinal.isdigit() else 0))


def _header(svc: Services, facts: EntityFacts, out_links: list[Relation]) -> list[tuple[str, list[Part]]]:
    header: list[tuple[str, list[Part]]] = []
    values = {r.property: r.literal.value for r in facts.properties if r.literal}
    start, end = values.get(bri.startDate), values.get(bri.endDate)
    if start:
        header.append(("dates", [(start + (f" – {end}" if end and end != start else ""), None)]))
    for prop in HEADER_PROPERTIES:
        if prop in (bri.startDate, bri.endDate) or prop not in values:
            continue
        header.append((svc.index.label(prop), [(values[prop], None)]))
    for prop in HEADER_LINKS:
        targets = [r.entity for r in out_links if r.property == prop and r.entity]
        if targets:
            parts: list[Part] = []
            for i, target in enumerate(targets):
                parts += ([(", ", None)] if i else []) + [(target.label, target.href)]
            header.append((svc.index.label(prop), parts))
    return header


def _groups(relations: list[Relation]) -> list[Group]:
    groups: dict[tuple[str, str], Group] = {}
    for r in relations:
        if r.entity is None:
            continue
        key = (r.direction, r.property)
        groups.setdefault(key, Group(r.property_label, r.property, r.direction, [])).entities.append(r.entity)
    return sorted(groups.values(), key=lambda g: (g.direction != "out", g.label.casefold()))


def _views(svc: Services, facts: EntityFacts, ident: str, dated: bool) -> list[tuple[str, str]]:
    views = [("Relationship graph", f"/graph?focus={ident}"), ("Paths from here", f"/paths?from={ident}")]
    if dated:
        views.append(("On the timeline", f"/timeline?focus={ident}"))
    placed = any(r.property in (bri.heldIn, bri.locatedIn) for r in facts.relations)
    if placed or svc.index.is_a(facts.types, bri.Place):
        views.append(("On the map", f"/map?focus={ident}"))
    if facts.statistics:
        views.append(("Statistics", f"/statistics?about={ident}"))
    return views


def _keep(r: Relation, out_pairs: set[tuple[str, str]], index: GraphIndex) -> bool:
    """A relation listed in Relations: not provenance, not a statistic (own section), not an inverse
    of an outgoing link already listed, not a relation node (sentences)."""
    if r.property in SKIPPED or r.entity is None:
        return False
    if index.is_a(r.entity.types, bri.Statistic) and r.direction == "in":
        return False
    if r.direction == "in" and (INVERSE.get(r.property, ""), r.entity.id) in out_pairs:
        return False
    return nary_kind(index, r.entity) is None


def _near(index: GraphIndex, facts: EntityFacts) -> dict[str, list[str]]:
    """The relation nodes linked to the entity, by kind (affiliation, participation, commitment)."""
    near: dict[str, list[str]] = defaultdict(list)
    for r in facts.relations:
        kind = nary_kind(index, r.entity)
        if kind and r.entity and r.entity.id not in near[kind] and len(near[kind]) < SENTENCES_PER_KIND:
            near[kind].append(r.entity.id)
    return near


async def _sentences(svc: Services, facts: EntityFacts, near: dict[str, list[str]], sheet: FactSheet) -> None:
    """Positions (with what was done in them), other participations, commitments: as sentences."""
    nodes = Nodes(svc)
    capacities = {p: nodes.one(p, bri.inCapacityOf) for p in near["participation"]}
    wanted = [n for kind in NARY.values() for n in near[kind]] + [c for c in capacities.values() if c]
    await nodes.load_literals(list(dict.fromkeys(wanted)))
    done_in: dict[str, list[str]] = defaultdict(list)  # affiliation -> participations in that capacity
    for p, capacity in capacities.items():
        if capacity and capacity in near["affiliation"]:
            done_in[capacity].append(p)
    attached = {p for ps in done_in.values() for p in ps}
    sheet.positions = sorted((_affiliation_sentence(nodes, facts.iri, a, done_in) for a in near["affiliation"]),
                             key=lambda s: s.sort_key)
    sheet.participations = sorted((_participation_sentence(nodes, facts.iri, p)
                                   for p in near["participation"] if p not in attached), key=lambda s: s.sort_key)
    sheet.commitments = sorted((_commitment_sentence(nodes, facts.iri, c) for c in near["commitment"]),
                               key=lambda s: s.sort_key)


def _listed(facts: EntityFacts, index: GraphIndex) -> list[Relation]:
    """Relations for the Relations section: not in the header, not shown elsewhere, each once."""
    out_links = [r for r in facts.relations if r.direction == "out" and r.entity]
    in_header = {(r.property, r.entity.id) for r in out_links if r.property in HEADER_LINKS and r.entity}
    out_pairs = {(r.property, r.entity.id) for r in out_links if r.entity}
    return [r for r in facts.relations if _keep(r, out_pairs, index)
            and not (r.direction == "out" and r.entity and (r.property, r.entity.id) in in_header)]


async def fact_sheet(svc: Services, facts: EntityFacts) -> FactSheet:
    index = svc.index
    sheet = FactSheet()
    near = _near(index, facts)
    if any(near.values()):
        await _sentences(svc, facts, near, sheet)
    sheet.header = _header(svc, facts, [r for r in facts.relations if r.direction == "out"])
    sheet.relations = _groups(_listed(facts, index))
    sheet.literals = [r for r in facts.properties if r.property not in HEADER_PROPERTIES]
    ident = facts.iri.removeprefix(svc.settings.id_base)
    dated = any(r.property in HEADER_PROPERTIES[:5] for r in facts.properties)
    sheet.views = _views(svc, facts, ident, dated)
    if index.is_a(facts.types, bri.Conference):
        sheet.participation_heading = "Participants"
    return sheet
