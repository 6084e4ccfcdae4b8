"""The corpus without one document: the other annotations, with the definitions the left-out one held
moved to another record of the same id (or, where none is left, the facts that need it dropped), so the
other documents build on their own, as if the left-out document had never been curated."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from kg.ingest.annotations import annotation_files

DEFINING_KEYS = ("type", "label", "description")


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value["value"] if isinstance(value, dict) else value


def _refs(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        v = item.get("value") if isinstance(item, dict) else item
        if isinstance(v, str) and "/" in v and ":" not in v:
            out.append(v)
    return out


def _promote(docs: dict[Path, dict[str, Any]], held: dict[str, dict[str, Any]], defined: set[str]) -> None:
    """Give another record of each id the left-out document defined its type, label and facts."""
    for doc in docs.values():
        for record in doc["entities"]:
            source = held.get(record["id"])
            if source is None or record["id"] in defined:
                continue
            for key in DEFINING_KEYS:
                if key in source and key not in record:
                    record[key] = source[key]
            facts = record.setdefault("facts", {})
            for prop, value in source.get("facts", {}).items():
                if prop not in facts:  # plain values: the left-out document's quotes are not in this text
                    facts[prop] = _plain(value)
            defined.add(record["id"])


def _drop_undefined(docs: dict[Path, dict[str, Any]], defined: set[str]) -> None:
    """Leave out the header links and fact values that point at ids no remaining document defines."""
    for doc in docs.values():
        header = doc["document"]
        if header.get("publisher") and header["publisher"] not in defined:
            del header["publisher"]
        header["creators"] = [c for c in header.get("creators", []) if c in defined]
        for record in doc["entities"]:
            facts = record.get("facts", {})
            for prop in list(facts):
                values = facts[prop] if isinstance(facts[prop], list) else [facts[prop]]
                kept = [v for v in values if all(ref in defined for ref in _refs(v))]
                if not kept:
                    del facts[prop]
                elif len(kept) < len(values):
                    facts[prop] = kept


def without(data_dir: Path, left_out: Path, out_dir: Path) -> Path:
    """Write ``out_dir/data`` (annotations minus *left_out*, sources) and return it."""
    target = out_dir / "data"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(data_dir / "sources", target / "sources")
    (target / "annotations").mkdir(parents=True)
    held = {r["id"]: r for r in _load(left_out)["entities"] if any(k in r for k in DEFINING_KEYS)}
    docs = {p: _load(p) for p in annotation_files(data_dir / "annotations") if p != left_out}
    defined = {r["id"] for d in docs.values() for r in d["entities"] if r.get("type")}
    _promote(docs, held, defined)
    _drop_undefined(docs, defined)
    for path, doc in docs.items():
        (target / "annotations" / path.name).write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True),
                                                        encoding="utf-8")
    return target
