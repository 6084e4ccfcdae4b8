"""The build: dumps and metadata, determinism, failure reporting, and atomic replacement."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rdflib import Dataset, Graph

from kg.build.pipeline import build
from kg.config import Settings
from kg.errors import BuildError
from kg.layout import DUMP_FILES as DUMP_FORMATS
from kg.layout import current_build


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _edit_annotation(settings: Settings, edit) -> Path:
    path = settings.data_dir / "annotations" / "mini.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_build_writes_every_dump_with_checksums(mini_settings: Settings) -> None:
    result = build(mini_settings)
    dist = mini_settings.dist_dir
    names = {p.name for p in dist.iterdir()}
    assert {f.filename for f in DUMP_FORMATS} | {"void.ttl", "ontology.ttl", "shapes.ttl", "SHA256SUMS"} <= names
    for line in (dist / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest
    assert result.counts["graphs"] == 2  # the document's graph and graph/dataset (licence, provenance)


def test_dumps_parse_back_to_the_same_data(mini_settings: Settings) -> None:
    result = build(mini_settings)
    dist = mini_settings.dist_dir
    triples = {"bri-kg.ttl": "turtle", "bri-kg.nt": "nt"}
    for name, fmt in triples.items():
        assert len(Graph().parse(dist / name, format=fmt)) == result.counts["triples"]
    for name, fmt in {"bri-kg.nq": "nquads", "bri-kg.trig": "trig", "bri-kg.jsonld": "json-ld"}.items():
        ds = Dataset()
        ds.parse(dist / name, format=fmt)
        assert len(list(ds.quads((None, None, None, None)))) == result.counts["quads"], name


def test_void_describes_counts_classes_licence_and_dumps(mini_settings: Settings) -> None:
    result = build(mini_settings)
    void = Graph().parse(mini_settings.dist_dir / "void.ttl")
    [row] = list(void.query("""
        PREFIX void: <http://rdfs.org/ns/void#> PREFIX dct: <http://purl.org/dc/terms/>
        SELECT ?triples ?lic (COUNT(DISTINCT ?d) AS ?dumps) (COUNT(DISTINCT ?c) AS ?classes) WHERE {
          ?ds a void:Dataset ; void:triples ?triples ; dct:license ?lic ; void:dataDump ?d ; void:classPartition ?c }
        GROUP BY ?triples ?lic"""))
    assert int(row.triples) == result.counts["triples"]
    assert str(row.lic) == "https://creativecommons.org/licenses/by/4.0/"
    assert int(row.dumps) == 6 and int(row.classes) >= 8  # five formats + the compacted JSON-LD


def test_two_builds_are_byte_identical(mini_settings: Settings) -> None:
    build(mini_settings)
    first = _digests(mini_settings.dist_dir)
    build(mini_settings)
    assert _digests(mini_settings.dist_dir) == first


def test_failed_build_names_file_record_and_problem_and_keeps_last_good(mini_settings: Settings) -> None:
    build(mini_settings)
    good_build = current_build(mini_settings)
    good = _digests(mini_settings.dist_dir)

    def break_quote(doc: dict) -> None:
        doc["entities"][0]["quote"] = "The First Mini Science Conference was held in Paris."

    _edit_annotation(mini_settings, break_quote)
    with pytest.raises(BuildError) as info:
        build(mini_settings)
    message = str(info.value)
    assert "mini.yaml" in message and "conference/mini-conference-2025" in message
    assert "not found verbatim" in message
    assert current_build(mini_settings) == good_build
    assert _digests(mini_settings.dist_dir) == good
    assert len([p for p in mini_settings.builds_dir.iterdir()]) == 1


def test_shacl_failure_keeps_last_good(mini_settings: Settings) -> None:
    build(mini_settings)
    good = _digests(mini_settings.dist_dir)

    def drop_value(doc: dict) -> None:
        stat = next(e for e in doc["entities"] if e["id"].startswith("statistic/"))
        del stat["facts"]["value"]

    _edit_annotation(mini_settings, drop_value)
    with pytest.raises(BuildError, match="statistic/china-science-agreements.*exactly one value"):
        build(mini_settings)
    assert _digests(mini_settings.dist_dir) == good


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda d: d["entities"][0]["facts"].update(heldIn="place/atlantis"),
     "refers to place/atlantis, which no document"),
    (lambda d: d["entities"][0]["facts"].update(hostedIn="place/chengdu"), "hostedIn is not a property"),
    (lambda d: d["entities"][0]["facts"].update(editionNumber="second"), "'second' is not a whole number"),
    (lambda d: d["entities"][0].update(type="Conferense"), "'Conferense' is not a class"),
    (lambda d: d["entities"][1].update(id="conference/chengdu"), "type City does not fit the folder"),
    (lambda d: d["entities"][2]["alt"].append("x") if "alt" in d["entities"][2] else
        d["entities"][2].update(label=None, alt=["China"]), "no record gives its preferred `label`"),
    (lambda d: d["entities"][0].update(colour="red"), "Extra inputs are not permitted"),
    (lambda d: d["entities"][0]["facts"].update(startDate="June 10"), "not a date; write YYYY-MM-DD"),
])
def test_bad_annotation_is_reported_precisely(mini_settings: Settings, edit, expected: str) -> None:
    _edit_annotation(mini_settings, edit)
    with pytest.raises(BuildError) as info:
        build(mini_settings)
    assert expected in str(info.value)
    assert "mini.yaml" in str(info.value) or "corpus" in str(info.value)


def test_cli_build_failure_exits_non_zero_with_message(mini_settings: Settings) -> None:
    _edit_annotation(mini_settings, lambda d: d["entities"][0].update(quote="nowhere in the text"))
    env = {"BRI_KG_ROOT": str(mini_settings.root), "BRI_KG_VAR_DIR": str(mini_settings.var_dir),
           "BRI_KG_DIST_DIR": str(mini_settings.dist_dir), "PATH": "/usr/bin:/bin", "COLUMNS": "200"}
    proc = subprocess.run([sys.executable, "-m", "bri_kg", "build"], env=env, capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Build failed" in proc.stderr and "mini.yaml" in proc.stderr
    assert not mini_settings.dist_dir.exists()


def test_cli_validate_reports_violations(mini_settings: Settings, tmp_path: Path) -> None:
    build(mini_settings)
    good = mini_settings.dist_dir / "bri-kg.ttl"
    run = lambda f: subprocess.run([sys.executable, "-m", "bri_kg", "validate", str(f)],  # noqa: E731
                                   capture_output=True, text=True)
    ok = run(good)
    assert ok.returncode == 0 and "Conforms" in ok.stdout
    broken = tmp_path / "broken.nt"
    lines = [ln for ln in (mini_settings.dist_dir / "bri-kg.nt").read_text().splitlines()
             if "ontology#value>" not in ln]
    broken.write_text("\n".join(lines) + "\n")
    bad = run(broken)
    assert bad.returncode == 1
    assert "statistic/china-science-agreements" in bad.stdout and "MinCount" in bad.stdout
    garbage = tmp_path / "garbage.ttl"
    garbage.write_text("this is not turtle <")
    unreadable = run(garbage)
    assert unreadable.returncode == 2 and "garbage.ttl" in unreadable.stderr


@pytest.mark.parametrize("incremental", [False, True], ids=["full", "incremental"])
def test_an_owl_inconsistency_in_a_build_is_explained_down_to_the_fact(mini_settings: Settings,
                                                                       incremental: bool) -> None:
    """The build's fast OWL check (signatures) finds the clash; the report is the curator's one from
    `bri-kg check` (file, record, fact, fix), in a full and in an incremental build alike."""
    from kg.check.domain_shapes import MARKER

    shapes = mini_settings.root / "shapes"  # only the hand-written shapes: the reasoner must catch it
    hand_written = (shapes / "bri-shapes.ttl").read_text(encoding="utf-8").split(MARKER)[0]
    shapes.unlink()
    shapes.mkdir()
    (shapes / "bri-shapes.ttl").write_text(hand_written, encoding="utf-8")
    build(mini_settings)
    good_build = current_build(mini_settings)
    _edit_annotation(mini_settings, lambda d: d["entities"][3]["facts"].update(organizer="place/china"))
    with pytest.raises(BuildError) as info:
        build(mini_settings, incremental=incremental)
    message = str(info.value)
    assert "OWL consistency" in message
    assert "policy/mini-declaration has organizer place/china" in message and "mini.yaml" in message
    assert "remove or correct `organizer`" in message
    assert current_build(mini_settings) == good_build
