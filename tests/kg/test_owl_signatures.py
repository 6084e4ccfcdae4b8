"""The signature check (kg.owl.signatures) against the check it replaces (every triple to HermiT).

Each kind of contradiction the ontology lets HermiT find is injected into a small consistent graph;
both checks must call it inconsistent, and both must accept the graph without it and the mini corpus.
"""

from __future__ import annotations

import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor

import pytest
from rdflib import Graph

from kg.build.corpus import map_corpus
from kg.config import PROJECT_ROOT
from kg.ingest.annotations import load_corpus
from kg.ingest.mapping import CorpusMapper
from kg.owl.ontology import OntologyIndex, load_ontology
from kg.owl.reason import check_consistency
from kg.owl.signatures import abstract, check_by_signature, unsupported_axioms

ID = "https://w3id.org/bri-kg/id/"
BRI = "https://w3id.org/bri-kg/ontology#"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD = "http://www.w3.org/2001/XMLSchema#"


def i(name: str) -> str:
    return f"<{ID}{name}>"


def b(name: str) -> str:
    return f"<{BRI}{name}>"


BASE = [
    f"{i('conference/c1')} {TYPE} {b('Conference')}",
    f"{i('conference/c1')} {b('inSeries')} {i('conference-series/s1')}",
    f"{i('conference/c1')} {b('heldIn')} {i('place/beijing')}",
    f'{i("conference/c1")} {b("editionNumber")} "1"^^<{XSD}integer>',
    f'{i("conference/c1")} {b("startDate")} "2025-06-10"^^<{XSD}date>',
    f"{i('conference-series/s1')} {TYPE} {b('ConferenceSeries')}",
    f"{i('place/beijing')} {TYPE} {b('City')}",
    f"{i('place/china')} {TYPE} {b('Country')}",
    f"{i('person/p1')} {TYPE} {b('Person')}",
    f"{i('policy/d1')} {TYPE} {b('Declaration')}",
    f"{i('policy/i1')} {TYPE} {b('Initiative')}",
    f"{i('policy/d1')} {b('hasCommitment')} {i('commitment/k1')}",
    f"{i('commitment/k1')} {TYPE} {b('Commitment')}",
    f"{i('commitment/k1')} {b('commitmentOf')} {i('policy/d1')}",
    f"{i('statistic/x')} {TYPE} {b('Statistic')}",
    f'{i("statistic/x")} {b("value")} "5"^^<{XSD}decimal>',
    f"{i('statistic/x')} {b('qualifier')} {b('MoreThan')}",
    f'{i("statistic/x")} {b("measure")} "agreements"',
]

CONTRADICTIONS = {
    "disjoint asserted types": [f"{i('conference/c1')} {TYPE} {b('Person')}"],
    "domain clash": [f'{i("place/beijing")} {b("editionNumber")} "2"^^<{XSD}integer>'],
    "range clash": [f"{i('conference/c1')} {b('heldIn')} {i('person/p1')}"],
    "domain clash with a union of classes": [f"{i('place/beijing')} {b('organizer')} {i('person/p1')}"],
    "functional object property merges disjoint nodes": [
        f"{i('conference/c1')} {b('inSeries')} {i('place/beijing')}",
        f"{i('conference/c1')} {b('inSeries')} {i('place/china')}"],
    "inverse-functional property merges disjoint nodes": [
        f"{i('policy/i1')} {b('hasCommitment')} {i('commitment/k1')}"],
    "functional property through its inverse": [
        f"{i('commitment/k2')} {TYPE} {b('Commitment')}",
        f"{i('commitment/k2')} {b('commitmentOf')} {i('policy/d1')}",
        f"{i('policy/i1')} {b('hasCommitment')} {i('commitment/k2')}"],
    "functional datatype property with two values": [f'{i("statistic/x")} {b("value")} "6"^^<{XSD}decimal>'],
    "individuals that must differ": [f"{i('statistic/x')} {b('qualifier')} {b('Exactly')}"],
    "datatype range clash": [f'{i("conference/c1")} {b("editionNumber")} "second"'],
    "language-tagged text for a string": [f'{i("statistic/x")} {b("measure")} "agreements"@en'],
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology(PROJECT_ROOT / "ontology")


def _graph(lines: list[str]) -> Graph:
    return Graph().parse(data="".join(line + " .\n" for line in lines), format="nt")


def test_the_ontology_is_within_what_signatures_decide(ontology: Graph) -> None:
    assert unsupported_axioms(ontology) == []


def _both(lines: list[str]) -> tuple[bool, bool]:
    """(every triple to HermiT, signatures to HermiT): consistent? -- run in a worker process."""
    ontology = load_ontology(PROJECT_ROOT / "ontology")
    return (check_consistency(ontology + _graph(lines)).consistent,
            check_by_signature(lines, ontology, explain=False).consistent)


@pytest.fixture(scope="module")
def verdicts() -> dict[str, tuple[bool, bool]]:
    """Both checks on the base graph and on each contradiction, two reasoner runs at a time (a JVM each)."""
    cases = {"none": BASE} | {kind: BASE + extra for kind, extra in CONTRADICTIONS.items()}
    with ProcessPoolExecutor(3, mp_context=mp.get_context("fork")) as pool:
        return dict(zip(cases, pool.map(_both, cases.values()), strict=True))


def test_consistent_data_passes_both_checks(verdicts: dict[str, tuple[bool, bool]]) -> None:
    assert verdicts["none"] == (True, True)


@pytest.mark.parametrize("kind", sorted(CONTRADICTIONS))
def test_every_contradiction_hermit_finds_is_found_from_signatures(verdicts: dict[str, tuple[bool, bool]],
                                                                   kind: str) -> None:
    old, new = verdicts[kind]
    assert not old, f"HermiT itself misses: {kind}"
    assert not new, kind


def test_an_inconsistency_names_a_node_that_causes_it(ontology: Graph) -> None:
    lines = [line for line in BASE if "conference/c1" in line or "person/p1" in line]
    result = check_by_signature(lines + CONTRADICTIONS["range clash"], ontology)
    assert not result.consistent
    assert "person/p1" in result.message  # a person as the place a conference is held in


def test_the_mini_corpus_is_consistent_and_has_few_signatures(ontology: Graph) -> None:
    corpus = load_corpus(PROJECT_ROOT / "tests" / "fixtures" / "mini" / "data")
    union = map_corpus(CorpusMapper(OntologyIndex(ontology)), corpus, processes=1).union
    abstraction = abstract(union, ontology)
    assert len(abstraction.signatures) < len({line.split(" ", 1)[0] for line in union}) / 2
    assert check_by_signature(union, ontology).consistent
