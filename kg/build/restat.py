"""VoID's figures after an incremental build's change, without counting the whole union again.

Sizes and partitions move by what was added and removed; whether a subject, predicate or object still
occurs anywhere is asked of the stores before and after the change (the union is their default graph,
less the ontology's own triples).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.publish.stats import DatasetStats

if TYPE_CHECKING:
    from kg.build.incremental import Change

DEFAULT = ox.DefaultGraph()

Pattern = tuple[ox.NamedNode | None, ox.NamedNode | None, ox.NamedNode | ox.Literal | None]


def _still_there(store: ox.Store, pattern: Pattern, ontology_lines: set[str]) -> bool:
    """Whether the union (the default graph less the ontology's own triples) has a triple like *pattern*."""
    s, p, o = pattern
    for quad in store.quads_for_pattern(s, p, o, DEFAULT):
        if f"{quad.subject} {quad.predicate} {quad.object}" not in ontology_lines:
            return True
    return False


def _patterns(quads: list[ox.Quad]) -> list[tuple[str, Pattern]]:
    """The changed predicates and objects, each with the figure its presence counts towards."""
    patterns: list[tuple[str, Pattern]] = [("properties", (None, p, None)) for p in {q.predicate for q in quads}]
    patterns += [("objects", (None, None, o)) for o in {q.object for q in quads}
                 if isinstance(o, ox.NamedNode | ox.Literal)]
    return patterns


def update_stats(stats: DatasetStats, change: Change, before: ox.Store, after: ox.Store,
                 subjects: dict[str, list[str]], ontology_lines: set[str]) -> DatasetStats:
    """VoID's figures after *change*: existence of each changed subject, predicate and object asked of the
    store before and after, class partitions counted up and down, graph sizes replaced."""
    stats = copy.deepcopy(stats)
    stats.triples += len(change.added) - len(change.gone)
    quads = _parsed(change.lines)
    for s in {q.subject for q in quads if isinstance(q.subject, ox.NamedNode)}:
        had = _still_there(before, (s, None, None), ontology_lines)
        stats.subjects += int(bool(subjects.get(str(s)))) - int(had)
    for attribute, pattern in _patterns(quads):
        delta = int(_still_there(after, pattern, ontology_lines)) - int(_still_there(before, pattern, ontology_lines))
        setattr(stats, attribute, getattr(stats, attribute) + delta)
    stats.count(change.gone, -1)
    stats.count(change.added, 1)
    for graph in change.old.keys() | change.new.keys():
        stats.graph_sizes.pop(graph, None)
        if change.new.get(graph):
            stats.graph_sizes[graph] = len(change.new[graph])
    return stats


def _parsed(lines: list[str]) -> list[ox.Quad]:
    return list(ox.parse(input="".join(line + " .\n" for line in lines).encode(), format=ox.RdfFormat.N_TRIPLES))
