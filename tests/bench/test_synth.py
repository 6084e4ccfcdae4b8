"""bench.synth: a deterministic synthetic corpus with exactly the build's RDF shape, exact counts, and
injected violations that pyshacl finds exactly."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef

from bench.synth import VIOLATION_KINDS, SynthResult, corpus, generate
from kg.ingest.annotations import load_corpus
from kg.ingest.mapping import CorpusMapper, graph_iri
from kg.owl.ontology import OntologyIndex, load_ontology
from kg.shacl import load_shapes, validate_graph

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _quiet_rdflib() -> None:
    logging.getLogger("rdflib").setLevel(logging.ERROR)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology(ROOT / "ontology")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    folder = tmp_path_factory.mktemp("synth")
    return generate(10_000, folder / "c.nq", seed=7, data_root=folder / "root")


def _quads(path: Path) -> set[tuple]:
    dataset = Dataset()
    dataset.parse(path, format="nquads")
    return {(s, p, o, g.identifier if hasattr(g, "identifier") else g)
            for s, p, o, g in dataset.quads((None, None, None, None))}


def test_counts_are_exact(small: SynthResult) -> None:
    lines = small.nquads.read_text(encoding="utf-8").splitlines()
    quads = _quads(small.nquads)
    assert small.quads == len(lines) == len(quads)
    assert small.triples == len({q[:3] for q in quads})
    assert small.triples >= 10_000
    assert small.triples < 10_000 + 2_000   # stops after the document that reaches the target
    assert small.documents == len({q[3] for q in quads})
    assert small.conferences >= 2


def test_same_as_building_the_written_annotations(small: SynthResult, ontology: Graph) -> None:
    """The YAML + sources written for `bri-kg build` map (with the real loader and mapper) to exactly
    the quads of the N-Quads file."""
    root = small.nquads.parent / "root"
    assert (root / "ontology" / "bri.ttl").is_file() and (root / "shapes" / "bri-shapes.ttl").is_file()
    docs = load_corpus(root / "data")
    assert len(docs) == small.documents
    dataset = CorpusMapper(OntologyIndex(ontology)).map(docs)
    built = {(s, p, o, g) for s, p, o, g in dataset.quads((None, None, None, None))}
    assert built == _quads(small.nquads)


def test_in_memory_corpus_matches_the_file(small: SynthResult) -> None:
    docs = corpus(10_000, seed=7)
    assert {graph_iri(d.model.document.slug) for d in docs} == {q[3] for q in _quads(small.nquads)}
    assert len(docs) == small.documents


def test_deterministic_and_nested(tmp_path: Path, small: SynthResult) -> None:
    again = generate(10_000, tmp_path / "again.nq", seed=7)
    assert again.nquads.read_bytes() == small.nquads.read_bytes()
    other = generate(10_000, tmp_path / "other.nq", seed=8)
    assert other.nquads.read_bytes() != small.nquads.read_bytes()
    smaller = generate(3_000, tmp_path / "smaller.nq", seed=7)
    assert small.nquads.read_bytes().startswith(smaller.nquads.read_bytes())


def test_realistic_content(small: SynthResult) -> None:
    types = {str(o).rsplit("#", 1)[-1] for s, p, o, _g in _quads(small.nquads) if str(p).endswith("#type")}
    assert {"Conference", "ConferenceSeries", "City", "Province", "Country", "Organization", "Person",
            "Affiliation", "Participation", "Commitment", "Statistic", "Topic", "Role", "SourceDocument",
            "Evidence"} <= types
    assert types & {"Declaration", "Initiative", "ActionPlan"}
    root = small.nquads.parent / "root" / "data" / "sources"
    text = next(root.glob("*-opening.txt")).read_text(encoding="utf-8")
    assert " opened in " in text and "participants" in text


def test_clean_corpus_conforms(small: SynthResult, ontology: Graph) -> None:
    union = Graph()
    for s, p, o, _g in _quads(small.nquads):
        union.add((s, p, o))
    assert validate_graph(union, load_shapes(ROOT / "shapes"), ontology).conforms


def test_injected_violations_are_found_exactly(tmp_path: Path, ontology: Graph) -> None:
    count = len(VIOLATION_KINDS) + 3   # every kind once, three kinds twice (on other victims)
    result = generate(8_000, tmp_path / "v.nq", seed=11, violations=count)
    assert len(result.injected) == count
    assert sorted(v.kind for v in result.injected) == sorted(list(VIOLATION_KINDS) + list(VIOLATION_KINDS)[:3])
    assert Path(f"{result.nquads}.violations.json").is_file()
    union = Graph()
    for s, p, o, _g in _quads(result.nquads):
        union.add((s, p, o))
    shapes = load_shapes(ROOT / "shapes")
    report = validate_graph(union, shapes, ontology)
    found = sorted((v.focus, v.path, v.component) for v in report.violations)
    nm = shapes.namespace_manager
    expected = sorted((r.focus, nm.normalizeUri(URIRef(r.path)) if r.path else "", r.component)
                      for r in result.expected_results)
    assert found == expected


def test_refuses_bad_requests(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown violation kinds"):
        generate(1_000, tmp_path / "x.nq", violations=1, kinds=["no-such-kind"])
    with pytest.raises(ValueError, match="clean corpora"):
        generate(1_000, tmp_path / "x.nq", violations=1, data_root=tmp_path / "root")
    with pytest.raises(ValueError):
        generate(0, tmp_path / "x.nq")


def test_streaming_mapper_api_matches_map(ontology: Graph) -> None:
    """CorpusMapper.add_definitions + map_document (used by the generator) give what map() gives."""
    docs = load_corpus(ROOT / "tests" / "fixtures" / "mini" / "data")
    whole = CorpusMapper(OntologyIndex(ontology)).map(docs)
    streaming = CorpusMapper(OntologyIndex(ontology))
    streaming.add_definitions(docs)
    graph = Graph()
    for doc in docs:
        streaming.map_document(doc, graph)
    streaming.check_definitions()
    assert not streaming.problems
    assert set(graph) == {(s, p, o) for s, p, o, _g in whole.quads((None, None, None, None))}


def test_module_command_writes_what_generate_writes(tmp_path: Path, small: SynthResult,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m bench.synth` takes the options of `bri-kg synth` and writes the same bytes."""
    from bench.synth.__main__ import main

    out = tmp_path / "m.nq"
    assert main(["10000", "-o", str(out), "--seed", "7"]) == 0
    assert out.read_bytes() == small.nquads.read_bytes()
    assert '"triples": ' in capsys.readouterr().out
    assert main(["1000", "-o", str(out), "--violations", "1", "--data-root", str(tmp_path / "root")]) == 2


def test_generator_is_not_in_the_installed_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """kg has no synth module; without the source tree `bri-kg synth` says to run from a checkout (exit 2)."""
    import importlib.util
    import sys

    from typer.testing import CliRunner

    from bri_kg.cli import app

    assert importlib.util.find_spec("kg.synth") is None
    monkeypatch.setitem(sys.modules, "bench.synth", None)   # as if bench/ were not there
    result = CliRunner().invoke(app, ["synth", "1000", "-o", str(tmp_path / "x.nq")])
    assert result.exit_code == 2
    assert "python -m bench.synth" in result.output
    assert not (tmp_path / "x.nq").exists()
