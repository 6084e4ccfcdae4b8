"""The generated vocabulary modules are exactly what the ontology says (kg/vocab/generate.py)."""

from __future__ import annotations

import pytest

from kg.vocab import terms
from kg.vocab.generate import outputs
from kg.vocab.rdf import BRI


def test_generated_modules_are_current() -> None:
    """After an ontology change, run `python -m kg.vocab.generate` and commit its output."""
    for path, text in outputs().items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: run python -m kg.vocab.generate"


def test_both_modules_name_the_same_terms() -> None:
    names = {n for n in vars(terms) if not n.startswith("_") and n not in ("Final", "NS")}
    assert names == set(BRI.__annotations__) and "Conference" in names
    assert terms.Conference == str(BRI.Conference)


def test_mistyped_term_fails() -> None:
    with pytest.raises(AttributeError):
        _ = BRI.Conferenec
    with pytest.raises(AttributeError):
        _ = terms.Conferenec  # type: ignore[attr-defined]
