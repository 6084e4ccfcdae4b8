"""The draft as annotation YAML: header, then records grouped by section, every uncertain choice with a
``review:`` note. Strings are written as JSON strings (valid YAML, every character kept as is)."""

from __future__ import annotations

import json
import re
from typing import Any

from kg.draft.records import DraftRecord

SECTIONS = [
    ("reused", "entities the graph already has (reuse records: id and quote; `alt:` for a new spelling)"),
    ("new", "new named things (type, label, quote, facts from their sentence)"),
    ("people", "people, their positions and their part in events"),
    ("statistics", "figures: value, qualifier, what is counted"),
    ("commitments", "pledges"),
]
PLAIN = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d+|-?\d+\.\d+|bri:[A-Za-z]+|[a-z-]+/[a-z0-9-]+)$")


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return text if PLAIN.match(text) else json.dumps(text, ensure_ascii=False)


TEXT_KEYS = frozenset({"quote", "reasoning", "text", "reason"})


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False) if k in TEXT_KEYS else _value(v)}"
                               for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return scalar(value)


def _record(record: DraftRecord) -> list[str]:
    out = [f"  - id: {record.id}"]
    if record.type:
        out.append(f"    type: {record.type}")
    if record.label:
        out.append(f"    label: {scalar(record.label)}")
    if record.alt:
        out.append("    alt:")
        out += [f"      - {scalar(a)}" for a in record.alt]
    if record.description:
        out.append(f"    description: {scalar(record.description)}")
    if len(record.quotes) == 1:
        out.append(f"    quote: {scalar(record.quotes[0])}")
    else:
        out.append("    quotes:")
        out += [f"      - {scalar(q)}" for q in record.quotes]
    if record.facts:
        out.append("    facts:")
        for prop, value in record.facts.items():
            if isinstance(value, list) and any(isinstance(v, dict) for v in value):
                out.append(f"      {prop}:")
                out += [f"        - {_value(v)}" for v in value]
            else:
                out.append(f"      {prop}: {_value(value)}")
    if record.review:
        out.append(f"    review: {scalar(record.review)}")
    return out


def render(header: dict[str, Any], records: list[DraftRecord], comment: str) -> str:
    lines = [f"# {line}" if line else "#" for line in comment.splitlines()]
    lines.append("document:")
    for key, value in header.items():
        if value in (None, [], ""):
            continue
        if key == "not_content":
            lines.append("  not_content:")
            for item in value:
                lines.append(f"    - text: {scalar(item['text'])}")
                lines.append(f"      reason: {scalar(item['reason'])}")
        else:
            lines.append(f"  {key}: {_value(value)}")
    lines.append("")
    lines.append("entities:")
    for section, title in SECTIONS:
        chosen = [r for r in records if r.section == section]
        if not chosen:
            continue
        lines.append(f"  # ---- {title}")
        for record in chosen:
            lines += _record(record)
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
