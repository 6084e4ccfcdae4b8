"""OWL 2 DL consistency check with HermiT (through owlready2).

HermiT supports only the OWL 2 datatype map, which lacks ``xsd:date`` and ``xsd:gYear``.
We therefore reason over a *copy* of the graph in which ranges of those datatypes become
``rdfs:Literal`` and literals of those datatypes are left out. Dates are checked exactly by
SHACL (datatype and pattern), which runs first; the reasoner checks classes, disjointness,
functional/inverse-functional properties and the other OWL 2 datatypes.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import owlready2
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

UNSUPPORTED_BY_HERMIT = frozenset(
    {XSD.date, XSD.gYear, XSD.gYearMonth, XSD.gMonthDay, XSD.gDay, XSD.gMonth, XSD.time, XSD.duration}
)


@dataclass(frozen=True)
class ConsistencyResult:
    """Outcome of a reasoner run: consistent or not, with the reasoner's explanation."""

    consistent: bool
    message: str = ""


# The ontology's own datatypes that stand for unsupported ones (bri:DateOrYear: a date or a year).
STANDS_FOR_UNSUPPORTED = frozenset({URIRef("https://w3id.org/bri-kg/ontology#DateOrYear")})


def reasoning_copy(graph: Graph) -> Graph:
    """Return the triples of *graph* that HermiT can reason over (see module docstring)."""
    copy = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype in UNSUPPORTED_BY_HERMIT:
            continue
        if s in STANDS_FOR_UNSUPPORTED:
            continue
        if p == RDFS.range and isinstance(o, URIRef) and (o in UNSUPPORTED_BY_HERMIT or o in STANDS_FOR_UNSUPPORTED):
            o = RDFS.Literal
        copy.add((s, p, o))
    return copy


def check_consistency(graph: Graph) -> ConsistencyResult:
    """Run HermiT over the ontology + data in *graph*; report whether they are consistent."""
    with tempfile.TemporaryDirectory(prefix="bri-kg-owl-") as tmp:
        path = Path(tmp) / "kb.nt"
        reasoning_copy(graph).serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return ConsistencyResult(False, str(exc) or "HermiT: the ontology and data are inconsistent")
        finally:
            world.close()
        return ConsistencyResult(True)
