"""`bri-kg draft` and `bri-kg lookup` on real files and real builds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bench.draft.corpus import without
from kg.build.pipeline import build
from kg.check.run import check_file
from kg.config import PROJECT_ROOT, Settings
from kg.draft.gazetteer import Gazetteer, name_key
from kg.draft.run import draft_text
from kg.layout import current_build
from tests.conftest import settings_for

CAS = PROJECT_ROOT / "data" / "annotations" / "cas-2016-beijing-declaration.yaml"
CAS_SOURCE = "sources/003_f0897f0955dc58db.txt"


@pytest.fixture(scope="module")
def gazetteer(corpus_settings: Settings) -> Gazetteer:
    build_dir = current_build(corpus_settings)
    assert build_dir is not None
    return Gazetteer.from_index(build_dir.index)


def test_a_left_out_document_is_drafted_and_builds_as_written(tmp_path: Path) -> None:
    """The CAS page drafted against the graph of the other four documents: known entities become reuse
    records, new ones typed records with review notes, and the draft passes `bri-kg check` unedited."""
    data = without(PROJECT_ROOT / "data", CAS, tmp_path)
    for folder in ("ontology", "shapes"):
        (tmp_path / folder).symlink_to(PROJECT_ROOT / folder)
    settings = settings_for(tmp_path, tmp_path / "out")
    build(settings)
    build_dir = current_build(settings)
    assert build_dir is not None
    text = (data / CAS_SOURCE).read_text(encoding="utf-8")
    draft = draft_text(text, CAS_SOURCE, Gazetteer.from_index(build_dir.index), slug="cas-draft")
    records = {r.id: r for r in draft.records}
    assert records["place/china"].type is None                       # reused: the graph has it
    assert records["policy/belt-and-road-initiative"].type is None
    new = {r.label: r for r in draft.records if r.type}
    assert new["Beijing Declaration"].type == "Declaration"           # new to the graph
    assert new["Xi Jinping"].type == "Person" and "XI Jinping" in new["Xi Jinping"].alt
    assert all(r.review for r in draft.records if r.type)             # every new record asks for review
    values = {(r.facts["value"]["value"], str(r.facts["qualifier"])) for r in draft.records if r.type == "Statistic"}
    assert ("120", "{'value': 'bri:MoreThan', 'quote': 'more than 120 countries and international organizations'}") \
        in values
    assert all(q in text for r in draft.records for q in r.quotes)
    header = yaml.safe_load(draft.text)["document"]
    assert header["publisher"] == "organization/chinese-academy-of-sciences"
    assert any(d["text"] == "Location: Home > News" for d in header["not_content"])
    path = data / "annotations" / "cas-draft.yaml"
    path.write_text(draft.text, encoding="utf-8")
    report = check_file(settings, path)
    assert report.ok, report.render()


def test_translation_variants_and_acronyms_find_the_same_entity(gazetteer: Gazetteer) -> None:
    series = "conference-series/belt-and-road-science-and-technology-exchange-conference"
    assert name_key("Belt and Road Conference on Science and Technology Exchange") == \
        name_key("Belt and Road Science and Technology Exchange Conference")
    assert gazetteer.find("the BELT AND ROAD Science & Technology Exchange Conference")[0] == [series]
    assert gazetteer.find("China's Ministry of Science and Technology")[0] == \
        ["organization/ministry-of-science-and-technology-of-china"]
    assert "policy/belt-and-road-initiative" in gazetteer.by_initials["BRI"]


def test_people_positions_speeches_and_figures(gazetteer: Gazetteer) -> None:
    text = ("Minister of Science and Technology Wang Ceshi of China said at the Second Belt and Road Science "
            "and Technology Exchange Conference that nearly 40 joint laboratories will open.\n")
    draft = draft_text(text, "sources/x.txt", gazetteer)
    by_type: dict[str, list] = {}
    for r in draft.records:
        by_type.setdefault(r.type or "reuse", []).append(r)
    [person] = by_type["Person"]
    assert person.label == "Wang Ceshi"
    [affiliation] = by_type["Affiliation"]
    assert affiliation.facts["positionTitle"] == "Minister of Science and Technology"
    assert affiliation.facts["org:organization"] == "organization/ministry-of-science-and-technology-of-china"
    [participation] = by_type["Participation"]
    assert participation.facts["event"] == "conference/2025-belt-and-road-science-and-technology-exchange-conference"
    [statistic] = by_type["Statistic"]
    assert statistic.facts["value"]["value"] == "40" and statistic.facts["measure"] == "joint laboratories"
    assert statistic.facts["qualifier"]["value"] == "bri:Approximately"


def _run(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"BRI_KG_ROOT": str(settings.root), "BRI_KG_VAR_DIR": str(settings.var_dir),
           "BRI_KG_DIST_DIR": str(settings.dist_dir), "PATH": "/usr/bin:/bin", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "bri_kg", *args], env=env, capture_output=True, text=True)


def test_cli_lookup_and_draft(corpus_settings: Settings, tmp_path: Path) -> None:
    found = _run(corpus_settings, "lookup", "Belt and Road Conference on Science and Technology Exchange")
    assert found.returncode == 0, found.stderr
    first = found.stdout.split("\n\n")[0]
    assert first.startswith("conference-series/belt-and-road-science-and-technology-exchange-conference  "
                            "(ConferenceSeries")
    assert "label: Belt and Road Science and Technology Exchange Conference" in first
    assert "defined at data/annotations/chinanews-2025-06-12-chengdu-declaration.yaml:" in first
    assert _run(corpus_settings, "lookup", "zzzz qqqq xxxx").returncode == 1
    out = tmp_path / "draft.yaml"
    source = str(PROJECT_ROOT / "data/sources/003_f0897f0955dc58db.txt")
    drafted = _run(corpus_settings, "draft", source, "-o", str(out))
    assert drafted.returncode == 0, drafted.stderr
    assert "review notes" in drafted.stderr and out.read_text(encoding="utf-8").count("review:") > 3
    again = _run(corpus_settings, "draft", source, "-o", str(out))
    assert again.returncode == 2 and "exists" in again.stderr
