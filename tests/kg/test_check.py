"""`bri-kg check`: every stage names file, record (line), fact and fix; an OWL inconsistency is explained."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from rdflib import Graph

from kg.check.axioms import Axioms
from kg.check.domain_shapes import MARKER, OUTPUT, with_generated
from kg.check.run import check_file
from kg.config import PROJECT_ROOT, Settings
from kg.owl.ontology import load_ontology

MINI = "mini.yaml"


def _write(settings: Settings, edit) -> Path:
    """A changed copy of the mini annotation, outside data/ (as a curator's draft would be)."""
    source = settings.data_dir / "annotations" / MINI
    doc = yaml.safe_load(source.read_text(encoding="utf-8"))
    edit(doc)
    out = settings.root / MINI
    out.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return out


def _record_line(path: Path, ident: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if line.strip() == f"- id: {ident}")


def _fact_line(path: Path, ident: str, fact: str) -> int:
    lines = path.read_text().splitlines()
    start = _record_line(path, ident)
    return next(n for n, line in enumerate(lines[start:], start + 1) if line.strip().startswith(f"{fact}:"))


def test_a_good_file_passes_and_nothing_is_published(mini_settings: Settings) -> None:
    report = check_file(mini_settings, mini_settings.data_dir / "annotations" / MINI)
    assert report.ok, report.render()
    assert "nothing was published" in report.render()
    assert not mini_settings.dist_dir.exists() and not mini_settings.current_link.exists()


def test_loading_failure_names_record_line_and_fix(mini_settings: Settings) -> None:
    path = _write(mini_settings, lambda d: d["entities"][1].update(colour="red"))
    report = check_file(mini_settings, path)
    assert report.stage == "loading annotations"
    [problem] = report.problems
    assert problem.file == str(path.relative_to(mini_settings.root)) or MINI in problem.file
    assert problem.record == "entities[1] (id: place/chengdu)"
    assert problem.line == _record_line(path, "place/chengdu")
    assert "colour" in problem.problem and problem.fix


def test_quote_failure_names_the_fact_line(mini_settings: Settings) -> None:
    def edit(d: dict) -> None:
        d["entities"][0]["facts"]["startDate"] = {"value": "2025-06-10", "quote": "June 10, 2024"}

    path = _write(mini_settings, edit)
    report = check_file(mini_settings, path)
    assert report.stage == "mapping annotations to RDF"
    [problem] = report.problems
    assert problem.record == "entity conference/mini-conference-2025, fact startDate"
    assert "not found verbatim" in problem.problem and "copy the passage verbatim" in problem.fix
    assert problem.line == _fact_line(path, "conference/mini-conference-2025", "startDate")


def test_reference_failure_suggests_lookup(mini_settings: Settings) -> None:
    path = _write(mini_settings, lambda d: d["entities"][0]["facts"].update(heldIn="place/atlantis"))
    [problem] = check_file(mini_settings, path).problems
    assert "refers to place/atlantis, which no document defines" in problem.problem
    assert "bri-kg lookup atlantis" in problem.fix and problem.line is not None


def test_shacl_failure_speaks_of_ids_not_iris(mini_settings: Settings) -> None:
    def edit(d: dict) -> None:
        d["entities"][3]["facts"]["organizer"] = "place/china"   # a declaration has no organizer

    path = _write(mini_settings, edit)
    report = check_file(mini_settings, path)
    assert report.stage == "SHACL validation"
    [problem] = report.problems
    assert "https://" not in str(problem)
    assert problem.record == "entity policy/mini-declaration, fact organizer"
    assert "organizer applies to event or program; a policy document cannot be an event or program" in problem.problem
    assert problem.fix.startswith("remove `organizer` from policy/mini-declaration")
    assert problem.line == _fact_line(path, "policy/mini-declaration", "organizer")


def test_owl_inconsistency_is_explained_down_to_the_fact(mini_settings: Settings) -> None:
    """With only the hand-written shapes (no domain-clash shapes), the reasoner catches the clash and the
    check says which fact, which rule and which type: never just "inconsistent"."""
    shapes = mini_settings.root / "shapes"
    shapes.unlink()
    shapes.mkdir()
    hand_written = (PROJECT_ROOT / "shapes" / "bri-shapes.ttl").read_text(encoding="utf-8").split(MARKER)[0]
    (shapes / "bri-shapes.ttl").write_text(hand_written, encoding="utf-8")
    path = _write(mini_settings, lambda d: d["entities"][3]["facts"].update(organizer="place/china"))
    report = check_file(mini_settings, path)
    assert report.stage == "OWL consistency", report.render()
    [problem] = report.problems
    assert problem.problem == ("policy/mini-declaration has organizer place/china; organizer applies to event "
                               "or program; policy/mini-declaration is a declaration, which cannot be an "
                               "event or program")
    assert problem.record == "entity policy/mini-declaration, fact organizer: place/china"
    assert problem.line == _fact_line(path, "policy/mini-declaration", "organizer")
    assert "remove or correct `organizer`" in problem.fix


def test_owl_bisection_finds_the_facts_when_no_rule_explains(tmp_path: Path) -> None:
    from kg.check.owl import minimal_inconsistent

    facts = [(i, "p", "o") for i in range(20)]
    bad = {facts[3], facts[17]}
    runs: list[int] = []

    def inconsistent(subset: list) -> bool:
        runs.append(1)
        return bad <= set(subset)

    assert set(minimal_inconsistent(facts, inconsistent)) == bad and len(runs) < 40


def test_cli_check_exit_codes(mini_settings: Settings) -> None:
    env = {"BRI_KG_ROOT": str(mini_settings.root), "BRI_KG_VAR_DIR": str(mini_settings.var_dir),
           "BRI_KG_DIST_DIR": str(mini_settings.dist_dir), "PATH": "/usr/bin:/bin", "COLUMNS": "200"}
    good = subprocess.run([sys.executable, "-m", "bri_kg", "check", str(mini_settings.data_dir / "annotations" / MINI)],
                          env=env, capture_output=True, text=True)
    assert good.returncode == 0, good.stdout + good.stderr
    bad_path = _write(mini_settings, lambda d: d["entities"][0]["facts"].update(heldIn="place/atlantis"))
    bad = subprocess.run([sys.executable, "-m", "bri_kg", "check", str(bad_path)], env=env, capture_output=True,
                         text=True)
    assert bad.returncode == 1 and f"{MINI}:" in bad.stdout and "place/atlantis" in bad.stdout


def test_domain_shapes_are_current() -> None:
    """After an ontology change, run `python -m kg.check.domain_shapes` and commit its output."""
    current = OUTPUT.read_text(encoding="utf-8")
    assert MARKER in current
    assert current == with_generated(current, load_ontology(PROJECT_ROOT / "ontology"))


def test_axioms_read_union_domains_and_inherited_disjointness() -> None:
    axioms = Axioms.of(load_ontology(PROJECT_ROOT / "ontology"))
    bri = "https://w3id.org/bri-kg/ontology#"
    from rdflib import URIRef
    [organizer_domain] = axioms.domains[URIRef(bri + "organizer")]
    assert {str(c) for c in organizer_domain} == {bri + "Event", bri + "Program"}
    assert axioms.are_disjoint(URIRef(bri + "Conference"), URIRef(bri + "Person"))  # via Event and Agent
    assert not axioms.are_disjoint(URIRef(bri + "Region"), URIRef(bri + "Agent"))
    assert isinstance(axioms.graph, Graph)
