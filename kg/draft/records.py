"""Draft records: what ``bri-kg draft`` proposes, in the annotation format, and ids minted for new things."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kg.index.schema import normalize

FOLDERS = {
    "ConferenceSeries": "conference-series", "Conference": "conference", "Event": "event",
    "Declaration": "policy", "Initiative": "policy", "ActionPlan": "policy", "PolicyDocument": "policy",
    "Commitment": "commitment", "Program": "program", "JointLab": "joint-lab", "JointLabBatch": "joint-lab-batch",
    "Alliance": "alliance", "Organization": "organization", "TechnologyTransferCenter": "organization",
    "Person": "person", "AgentGroup": "group", "Affiliation": "affiliation", "Participation": "participation",
    "City": "place", "Province": "place", "Country": "place", "Region": "place", "Report": "report",
    "Topic": "topic", "Role": "role", "Statistic": "statistic",
}
MAX_SLUG_WORDS = 9


def slugify(text: str) -> str:
    """A slug of a label: its words, lower case; a long label keeps its first and last words (the
    distinctive end of "... alliance on public health" survives)."""
    words = [w for w in normalize(text).replace("_", " ").split() if w not in ("the", "a", "an", "s")]
    if len(words) > MAX_SLUG_WORDS:
        words = [w for w in words if w not in ("and", "of", "for", "on", "in", "to")]
    if len(words) > MAX_SLUG_WORDS:
        words = words[:4] + words[-(MAX_SLUG_WORDS - 4):]
    slug = "-".join(words)
    return re.sub(r"[^a-z0-9-]", "", slug).strip("-") or "x"


@dataclass
class DraftRecord:
    """One record of the draft. ``type``/``label`` only on new records; ``review`` for the curator."""

    id: str
    type: str | None = None
    label: str | None = None
    alt: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    description: str | None = None
    review: str | None = None
    section: str = "reused"

    def add_quote(self, quote: str) -> None:
        if quote and len(quote) >= 3 and quote not in self.quotes and len(self.quotes) < 3:
            self.quotes.append(quote)

    def add_review(self, note: str) -> None:
        self.review = f"{self.review}; {note}" if self.review else note

    def add_fact(self, prop: str, value: Any) -> None:
        """Add a value; a second distinct value turns the fact into a list."""
        if value is None or value == []:
            return
        current = self.facts.get(prop)
        if current is None:
            self.facts[prop] = value
        elif isinstance(current, list):
            if value not in current:
                current.append(value)
        elif current != value:
            self.facts[prop] = [current, value]


class Minter:
    """New ids: ``folder/slug`` from the label, never one the graph or the draft already has."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = set(taken)

    def mint(self, type_name: str, label: str) -> str:
        folder = FOLDERS[type_name]
        base = f"{folder}/{slugify(label)}"
        ident, n = base, 2
        while ident in self.taken:
            ident, n = f"{base}-{n}", n + 1
        self.taken.add(ident)
        return ident
