"""The relationship graph around an entity, for the graph view: nodes and labelled edges, 1-2 hops,
from the entity index alone (no store query, so it stays fast at any corpus size).

Relation nodes are collapsed into the edges they stand for: an affiliation becomes one edge person
—"Envoy on Technology"→ organization, a participation participant —"speaker"→ event, commitments a
policy's edges to the topics it commits on (counted). The node behind a collapsed edge is kept as
``via``, so the picture still links to it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from api.index.graph import GraphIndex
from api.services import Services
from api.web.models import GraphEdge, GraphNode, GraphOut, RelationCount
from api.web.pages import local_href
from kg.vocab import terms as bri
from kg.vocab.namespaces import ORG

KINDS = (
    (bri.Conference, "conference"), (bri.ConferenceSeries, "series"), (bri.PolicyDocument, "policy"),
    (bri.Alliance, "alliance"), (bri.JointLab, "lab"), (bri.JointLabBatch, "lab"), (bri.Program, "program"),
    (bri.Report, "report"), (bri.Statistic, "statistic"), (bri.SourceDocument, "document"), (bri.Topic, "topic"),
    (bri.Role, "role"), (bri.Commitment, "commitment"), (bri.Affiliation, "affiliation"),
    (bri.Participation, "participation"), (bri.Place, "place"), (bri.Person, "person"),
    (bri.Organization, "organization"),
)
COLLAPSED = {"affiliation", "participation", "commitment"}
# One pass over these gives the two ends and the label of a collapsed relation node.
ENDS = {
    "affiliation": (ORG + "member", ORG + "organization", ORG + "role", "member of"),
    "participation": (bri.participant, bri.event, bri.participationRole, "took part in"),
}
COMMITMENT_TARGETS = (bri.topic, bri.refersTo, bri.pledgedBy)


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    label: str
    relation: str  # a property IRI, or affiliation / participation / commitment
    via: str | None = None


def kind_of(index: GraphIndex, iri: str) -> str:
    types = index.types(iri)
    return next((kind for cls, kind in KINDS if index.is_a(types, cls)), "thing")


class Walker:
    """Logical edges of a node: entity-to-entity edges with relation nodes collapsed."""

    def __init__(self, index: GraphIndex, fanout: int) -> None:
        self.index = index
        self.fanout = fanout
        self.kinds: dict[str, str] = {}

    def kind(self, iri: str) -> str:
        if iri not in self.kinds:
            self.kinds[iri] = kind_of(self.index, iri)
        return self.kinds[iri]

    def _out(self, node: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for edge in self.index.neighbours(node, self.fanout):
            if edge.outgoing:
                out.setdefault(edge.predicate, []).append(edge.target)
        return out

    def collapse(self, node: str, kind: str) -> list[Link]:
        out = self._out(node)
        if kind == "commitment":
            policies = out.get(bri.commitmentOf, [])
            return [Link(p, t, "commits on", "commitment", node)
                    for p in policies for prop in COMMITMENT_TARGETS for t in out.get(prop, [])]
        start_p, end_p, role_p, default = ENDS[kind]
        role = out.get(role_p, [])
        label = self.index.label(role[0]) if role else default
        return [Link(a, b, label, kind, node) for a in out.get(start_p, []) for b in out.get(end_p, [])]

    def links(self, node: str) -> list[Link]:
        found: list[Link] = []
        if self.kind(node) in COLLAPSED:  # a relation node in the centre: show it as it is
            for edge in self.index.neighbours(node, self.fanout):
                a, b = (node, edge.target) if edge.outgoing else (edge.target, node)
                found.append(Link(a, b, self.index.label(edge.predicate), edge.predicate))
            return found
        for edge in self.index.neighbours(node, self.fanout):
            other_kind = self.kind(edge.target)
            if other_kind in COLLAPSED:
                found += self.collapse(edge.target, other_kind)
                continue
            a, b = (node, edge.target) if edge.outgoing else (edge.target, node)
            found.append(Link(a, b, self.index.label(edge.predicate), edge.predicate))
        return found


def _merge(links: list[Link]) -> list[tuple[Link, int]]:
    """Parallel collapsed edges (five commitments on one topic) become one edge with a count."""
    counts = Counter(links)
    merged: dict[tuple[str, str, str], tuple[Link, int]] = {}
    for link, n in counts.items():
        key = (link.source, link.target, link.relation if link.relation == "commitment" else link.label)
        prev = merged.get(key)
        merged[key] = (link, n + (prev[1] if prev else 0))
    return list(merged.values())


def neighbourhood(svc: Services, center: str, hops: int = 1, max_nodes: int = 500) -> GraphOut:
    """Nodes within *hops* logical steps of *center* (at most *max_nodes*, nearest first) and their edges."""
    walker = Walker(svc.index, fanout=max_nodes)
    depth = {center: 0}
    edges: list[Link] = []
    frontier, truncated = [center], False
    for level in range(1, hops + 1):
        following: list[str] = []
        for node in frontier:
            if truncated:  # the picture is full: a hub's neighbours are not expanded one by one
                break
            for link in walker.links(node):
                for end in (link.source, link.target):
                    if end in depth:
                        continue
                    if len(depth) >= max_nodes:
                        truncated = True
                        continue
                    depth[end] = level
                    following.append(end)
                if link.source in depth and link.target in depth:
                    edges.append(link)
        frontier = following
    return _graph_out(svc, walker, center, hops, depth, _merge(edges), truncated)


def _graph_out(svc: Services, walker: Walker, center: str, hops: int, depth: dict[str, int],
               edges: list[tuple[Link, int]], truncated: bool) -> GraphOut:
    base = svc.settings.base_iri
    nodes = [GraphNode(id=iri, label=svc.index.label(iri), kind=walker.kind(iri), depth=d, href=local_href(iri, base))
             for iri, d in depth.items()]
    out_edges = [
        GraphEdge(id=f"e{i}", source=link.source, target=link.target, relation=link.relation, count=n,
                  label=link.label if n == 1 else f"{link.label} ({n})",
                  via=link.via, via_href=local_href(link.via, base) if link.via and n == 1 else None)
        for i, (link, n) in enumerate(edges)
    ]
    tally = Counter(e.relation for e in out_edges)
    relations = [RelationCount(relation=r, label=_relation_label(svc.index, r), count=n)
                 for r, n in sorted(tally.items(), key=lambda kv: -kv[1])]
    return GraphOut(center=center, hops=hops, truncated=truncated, nodes=nodes, edges=out_edges, relations=relations)


def _relation_label(index: GraphIndex, relation: str) -> str:
    return relation + "s" if relation in COLLAPSED else index.label(relation)
