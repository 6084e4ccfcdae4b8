"""What VoID says of a set of dumps, counted once: sizes, class partitions, graph sizes, the dates stated.

Counted from the N-Triples lines a build writes (``of_lines``), or from parsed quads (a release,
``of_quads``); an incremental build updates a copy with what changed (``kg.build.incremental``)
instead of counting 10^6 triples again, which is why the figures are counters, not sets.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.vocab.namespaces import DCTERMS, RDF_TYPE

TYPE_PREFIX = f"<{RDF_TYPE}> <"
ISSUED = f"<{DCTERMS}issued>"
DEFAULT_DAY = dt.date(2026, 1, 1)  # a corpus that states no date at all


@dataclass
class DatasetStats:
    """Counted over the union's triples and the document graphs' quads."""

    triples: int
    subjects: int
    objects: int
    properties: int
    class_counts: Counter[str]  # class IRI -> triples ``?x rdf:type <class>``
    graph_sizes: dict[str, int]  # graph IRI -> quads
    issued: Counter[str] = field(default_factory=Counter)  # dcterms:issued lexical value -> triples stating it

    @classmethod
    def of_lines(cls, union: list[str], graph_sizes: dict[str, int]) -> DatasetStats:
        """From the union's distinct N-Triples lines (without `` .``) and each graph's size."""
        subjects: set[str] = set()
        properties: set[str] = set()
        objects: set[str] = set()
        classes: Counter[str] = Counter()
        issued: Counter[str] = Counter()
        for line in union:
            s, rest = line.split(" ", 1)
            subjects.add(s)
            p, o = rest.split(" ", 1)
            properties.add(p)
            objects.add(o)
            if rest.startswith(TYPE_PREFIX):
                classes[o[1:-1]] += 1
            elif p == ISSUED:
                issued[literal_value(o)] += 1
        return cls(len(union), len(subjects), len(objects), len(properties), classes, dict(graph_sizes), issued)

    @classmethod
    def of_quads(cls, quads: Iterable[ox.Quad]) -> DatasetStats:
        """From parsed quads (their named graphs; the union is their distinct triples)."""
        sizes: Counter[str] = Counter()
        union: set[str] = set()
        for q in quads:
            if isinstance(q.graph_name, ox.NamedNode):
                sizes[q.graph_name.value] += 1
            union.add(f"{q.subject} {q.predicate} {q.object}")
        return cls.of_lines(sorted(union), dict(sizes))

    def count(self, lines: Iterable[str], sign: int) -> None:
        """Move the class partitions and the dates stated by *lines* (N-Triples, no `` .``) added (+1) or
        removed (-1); counters that reach zero are dropped, as a count from scratch would not have them."""
        for line in lines:
            _, p, o = line.split(" ", 2)
            if p == TYPE_PREFIX[:-2] and o.startswith("<"):
                self.class_counts[o[1:-1]] += sign
            elif p == ISSUED:
                self.issued[literal_value(o)] += sign
        self.class_counts = Counter({k: v for k, v in self.class_counts.items() if v > 0})
        self.issued = Counter({k: v for k, v in self.issued.items() if v > 0})

    def latest_date(self) -> dt.date:
        """The newest ``dcterms:issued`` date the data states (its documents'): a build's modification date
        that depends on its inputs alone, so two builds of the same inputs stay byte-identical."""
        parsed = []
        for value, count in self.issued.items():
            try:
                if count > 0:
                    parsed.append(dt.date.fromisoformat(value[:10]))
            except ValueError:
                continue
        return max(parsed, default=DEFAULT_DAY)


def literal_value(term: str) -> str:
    """The lexical value of an N-Triples literal as Oxigraph writes it (no escapes in dates)."""
    if not term.startswith('"'):
        return ""
    return term[1:term.rindex('"')]
