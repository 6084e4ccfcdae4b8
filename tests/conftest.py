"""Shared fixtures: settings that point builds at temporary directories, never at the project's var/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.build.pipeline import build
from kg.config import PROJECT_ROOT, Settings

FIXTURES = Path(__file__).parent / "fixtures"


def make_root(tmp: Path, data_from: Path) -> Path:
    """A project root in *tmp* with a copy of *data_from* and links to the real ontology and shapes."""
    root = tmp / "root"
    root.mkdir()
    shutil.copytree(data_from, root / "data")
    (root / "ontology").symlink_to(PROJECT_ROOT / "ontology")
    (root / "shapes").symlink_to(PROJECT_ROOT / "shapes")
    return root


def settings_for(root: Path, tmp: Path) -> Settings:
    return Settings(root=root, var_dir=tmp / "var", dist_dir=tmp / "dist")


@pytest.fixture
def mini_settings(tmp_path: Path) -> Settings:
    """Settings for a private copy of the mini corpus (safe to corrupt)."""
    return settings_for(make_root(tmp_path, FIXTURES / "mini" / "data"), tmp_path)


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The real corpus (data/), built once per test session into a temporary var/ and dist/."""
    tmp = tmp_path_factory.mktemp("corpus")
    settings = settings_for(PROJECT_ROOT, tmp)
    build(settings)
    return settings
