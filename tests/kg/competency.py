"""Running competency questions: each states rows that must be present and rows that must be absent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from kg.ingest.annotations import QUESTIONS_SUFFIX

HERE = Path(__file__).parent


def load_questions(annotations: Path | None = None) -> list[dict[str, Any]]:
    """tests/kg/competency.yaml, then every document's own ``SLUG.questions.yaml`` under *annotations*."""
    questions = yaml.safe_load((HERE / "competency.yaml").read_text(encoding="utf-8"))
    for path in sorted(annotations.glob(f"*{QUESTIONS_SUFFIX}")) if annotations else []:
        questions += yaml.safe_load(path.read_text(encoding="utf-8"))
    return questions


def _text(term: object) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)


def _matches(row: dict[str, str], wanted: dict[str, Any]) -> bool:
    return all(row.get(k) == str(v) for k, v in wanted.items())


def failures(store: ox.Store, question: dict[str, Any]) -> list[str]:
    """What is wrong with the store's answer to *question* (empty: it answers as the question states)."""
    result = store.query(question["sparql"])
    if isinstance(result, ox.QueryBoolean):
        return [] if bool(result) is question["expected"] else [f"ASK answered {bool(result)}"]
    names = [v.value for v in result.variables]
    rows = [{n: _text(r[n]) for n in names if r[n] is not None} for r in result]
    problems = [f"missing {w}" for w in question.get("present", []) if not any(_matches(r, w) for r in rows)]
    problems += [f"unexpected {w}" for w in question.get("absent", []) if any(_matches(r, w) for r in rows)]
    return problems
