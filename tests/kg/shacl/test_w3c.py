"""The W3C SHACL Core test suite (vendored under w3c/core, see w3c/README.md) against kg.shacl.

The manifests are read as they are: every ``sht:Validate`` entry is one test, run twice, with the data
graph as an rdflib Graph and as a pyoxigraph Store (files parsed with literals as written). The report
must match the expected ``sh:ValidationReport``: the same
``sh:conforms`` and the same results (as a multiset) compared on focus node, path, value, source
constraint component, severity, source shape (exactly when the expected one is an IRI or a blank
node of the same file, as "a blank node" otherwise) and ``sh:resultMessage`` where the expected report
states one. Results nested under a result (``sh:detail``) are not compared: no expected report has any.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node as RDFNode

from kg.shacl import literals_as_written, results
from kg.shacl.paths import Path as ShaclPath
from kg.shacl.paths import parse_path
from kg.shacl.report import Result, message_of
from kg.shacl.terms import IllTyped, Term, from_rdflib

CORE = Path(__file__).parent / "w3c" / "core"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
SH = Namespace("http://www.w3.org/ns/shacl#")

# Tests this validator does not pass, and why. Empty: every Core test passes.
SKIPPED: dict[str, str] = {}

Row = tuple[Term, ShaclPath | None, Term | None, str, str, str, str | None]


@dataclass(frozen=True)
class Case:
    name: str
    file: Path
    node: URIRef


def _parse(path: Path, cache: dict[Path, Graph]) -> Graph:
    if path not in cache:
        with literals_as_written():
            cache[path] = Graph().parse(path, format="turtle", publicID=path.resolve().as_uri())
    return cache[path]


def collect(manifest: Path) -> list[Case]:
    graph = Graph().parse(manifest, format="turtle", publicID=manifest.resolve().as_uri())
    cases: list[Case] = []
    for included in sorted(graph.objects(None, MF.include), key=str):
        cases += collect(Path(str(included).removeprefix("file://")))
    for entries in graph.objects(None, MF.entries):
        for entry in Collection(graph, entries):
            if (entry, RDF.type, SHT.Validate) in graph:
                assert isinstance(entry, URIRef)
                name = f"{manifest.parent.name}/{str(entry).rsplit('/', 1)[-1]}"
                cases.append(Case(name, manifest, entry))
    return cases


CASES = collect(CORE / "manifest.ttl")


def _source_shape(node: RDFNode | None, same_file: bool) -> str:
    if node is None:
        return ""
    return str(node) if isinstance(node, URIRef) or same_file else "_:blank"


def expected_rows(graph: Graph, report: RDFNode, same_file: bool) -> Counter[Row]:
    rows: Counter[Row] = Counter()
    for result in graph.objects(report, SH.result):
        path = graph.value(result, SH.resultPath)
        value = graph.value(result, SH.value)
        message = graph.value(result, SH.resultMessage)
        focus = graph.value(result, SH.focusNode)
        assert focus is not None
        rows[(from_rdflib(focus), parse_path(graph, path) if path is not None else None,
              from_rdflib(value) if value is not None else None,
              str(graph.value(result, SH.sourceConstraintComponent)), str(graph.value(result, SH.resultSeverity)),
              _source_shape(graph.value(result, SH.sourceShape), same_file),
              str(message) if message is not None else None)] += 1
    return rows


def actual_row(result: Result, same_file: bool, with_message: bool) -> Row:
    return (result.focus, result.path, result.value, result.component_iri, result.severity.value,
            _source_shape(result.shape.node, same_file), message_of(result) if with_message else None)


def as_store(path: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
    return store


BLANK = ox.BlankNode("blank")


def as_stored(term: Term | None) -> Term | None:
    """What a Store makes of a term: blank nodes get the Store's own labels (so any blank node matches
    any), and typed literals are stored in canonical form ("1"^^xsd:boolean is "true", "12"^^xsd:byte
    becomes "12"^^xsd:integer: Oxigraph keeps derived integer types as xsd:integer)."""
    if type(term) is ox.BlankNode:
        return BLANK
    if type(term) is IllTyped:
        term = ox.Literal(term.lexical, datatype=ox.NamedNode(term.datatype))
    if type(term) is ox.Literal:
        store = ox.Store()
        store.add(ox.Quad(BLANK, BLANK_PREDICATE, term))
        return next(iter(store)).object
    return term


BLANK_PREDICATE = ox.NamedNode("urn:x:p")


def stored_rows(rows: Counter[Row]) -> Counter[Row]:
    return Counter({(as_stored(r[0]), r[1], as_stored(r[2]), *r[3:]): n for r, n in rows.items()})  # type: ignore[misc]


@pytest.mark.parametrize("source", ["graph", "store"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_w3c_core(case: Case, source: str) -> None:
    if case.name in SKIPPED:
        pytest.skip(SKIPPED[case.name])
    logging.getLogger("rdflib").setLevel(logging.ERROR)
    cache: dict[Path, Graph] = {}
    manifest = _parse(case.file, cache)
    action = manifest.value(case.node, MF.action)
    report = manifest.value(case.node, MF.result)
    assert action is not None and report is not None
    files = [Path(str(manifest.value(action, p)).removeprefix("file://")) for p in (SHT.dataGraph, SHT.shapesGraph)]
    data, shapes = (_parse(f, cache) for f in files)
    same_file = files[1] == case.file.resolve()
    expected = expected_rows(manifest, report, same_file)
    with_message = any(row[-1] is not None for row in expected)
    found = results(data if source == "graph" else as_store(files[0]), shapes)
    actual = Counter(actual_row(r, same_file, with_message) for r in found)
    if source == "store":
        expected, actual = stored_rows(expected), stored_rows(actual)
    conforms = manifest.value(report, SH.conforms)
    assert isinstance(conforms, Literal)
    assert (not found) == conforms.value
    assert actual == expected


def test_the_whole_core_suite_is_collected() -> None:
    """98 sht:Validate entries in the seven Core manifests; none skipped."""
    assert len(CASES) == 98
    assert {c.name.split("/")[0] for c in CASES} == {"complex", "misc", "node", "path", "property", "targets",
                                                     "validation-reports"}
    assert not set(SKIPPED) - {c.name for c in CASES}

