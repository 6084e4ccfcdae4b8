"""``bri-kg release`` and ``bri-kg diff``: dated, versioned releases kept side by side, a changelog from the diff."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kg.build.pipeline import build
from kg.config import Settings
from kg.errors import BuildError
from kg.publish.diff import apply_patch, read_statements
from kg.publish.release import list_releases, make_release, next_version, releases_dir

PROJECT = Path(__file__).resolve().parents[2]


def _cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRI_KG_")}
    env |= {"BRI_KG_ROOT": str(settings.root), "BRI_KG_VAR_DIR": str(settings.var_dir),
            "BRI_KG_DIST_DIR": str(settings.dist_dir), "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "bri_kg", *args], cwd=PROJECT, env=env, capture_output=True,
                          text=True, timeout=300, check=False)


def _rename_conference(settings: Settings) -> None:
    path = settings.data_dir / "annotations" / "mini.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    conference = next(r for r in doc["entities"] if r["id"] == "conference/mini-conference-2025")
    conference["alt"] = ["Mini Conference 2025"]
    doc["entities"].append({"id": "topic/clean-energy", "type": "Topic", "label": "clean energy",
                            "quote": "science agreements"})
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_two_releases_with_a_change_between_and_a_changelog_that_names_it(mini_settings: Settings) -> None:
    build(mini_settings)
    make_release(mini_settings, day=dt.date(2026, 12, 1))
    with pytest.raises(BuildError, match="nothing changed since release 2026.12.0"):
        make_release(mini_settings, day=dt.date(2026, 12, 1))
    _rename_conference(mini_settings)
    build(mini_settings)
    second = _cli(mini_settings, "release", "--date", "2026-12-02")  # the command, as an operator runs it
    assert second.returncode == 0, second.stderr
    assert [r.version for r in list_releases(mini_settings)] == ["2026.12.0", "2026.12.1"]
    folder = releases_dir(mini_settings)
    assert (folder / "2026.12.0" / "bri-kg.nq").is_file() and (folder / "2026.12.1" / "bri-kg.nq").is_file()
    changelog = (folder / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.index("## 2026.12.1 (2026-12-02)") < changelog.index("## 2026.12.0 (2026-12-01)")
    assert "clean energy (topic/clean-energy)" in changelog  # the entity added
    assert "First Mini Science Conference (conference/mini-conference-2025)" in changelog  # the one changed
    meta = json.loads((folder / "2026.12.1" / "release.json").read_text(encoding="utf-8"))
    assert meta["previous"] == "2026.12.0" and meta["changes"]["entities_added"] == 1
    # bri-kg diff agrees with the changelog, and its patch turns the old release into the new one
    patch_file = mini_settings.var_dir / "changes.patch"
    shown = _cli(mini_settings, "diff", "2026.12.0", "2026.12.1", "--patch", str(patch_file))
    assert shown.returncode == 0, shown.stderr
    assert "1 entities added" in shown.stdout and "clean energy (topic/clean-energy)" in shown.stdout
    assert shown.stdout in (folder / "2026.12.1" / "CHANGES.md").read_text(encoding="utf-8")
    patch = patch_file.read_text(encoding="utf-8")
    assert '+ <https://w3id.org/bri-kg/id/conference/mini-conference-2025> ' \
           '<http://www.w3.org/2004/02/skos/core#altLabel> "Mini Conference 2025"@en' in patch
    old, new = read_statements(folder / "2026.12.0"), read_statements(folder / "2026.12.1")
    assert apply_patch(old, patch) == new
    assert patch == (folder / "2026.12.1" / "CHANGES.patch").read_text(encoding="utf-8")


def test_a_release_describes_itself_with_its_version_dates_and_urls(mini_settings: Settings) -> None:
    build(mini_settings)
    release = make_release(mini_settings, day=dt.date(2026, 12, 5))
    void = (release.path / "void.ttl").read_text(encoding="utf-8")
    assert "https://w3id.org/bri-kg/releases/2026.12.0/bri-kg.nq" in void
    assert '"2026.12.0"' in void and '"2026-12-05"^^xsd:date' in void
    sums = (release.path / "SHA256SUMS").read_text(encoding="utf-8")
    for name in ("bri-kg.nq", "bri-kg.compact.jsonld", "ontology.ttl", "shapes.ttl", "void.ttl", "release.json"):
        assert f"  {name}\n" in sums


def test_versions_count_within_the_month_and_never_go_back(mini_settings: Settings) -> None:
    assert next_version([], dt.date(2026, 12, 31)) == "2026.12.0"
    build(mini_settings)
    make_release(mini_settings, "2026.12.4", dt.date(2026, 12, 1))
    assert next_version(list_releases(mini_settings), dt.date(2026, 12, 9)) == "2026.12.5"
    assert next_version(list_releases(mini_settings), dt.date(2027, 1, 2)) == "2027.01.0"
    with pytest.raises(BuildError, match="not after the latest release"):
        make_release(mini_settings, "2026.11.0", dt.date(2026, 12, 1))
    with pytest.raises(ValueError, match="not a data version"):
        make_release(mini_settings, "v1", dt.date(2026, 12, 1))


def test_diff_refuses_what_is_not_a_dump(mini_settings: Settings, tmp_path: Path) -> None:
    result = _cli(mini_settings, "diff", str(tmp_path), str(tmp_path))
    assert result.returncode == 2 and "no bri-kg.nq there" in result.stderr
