"""``bri-kg lookup NAME``: the entities a name may mean, with what a curator needs to reuse an id:
type, preferred and alternative labels, and the annotation file and line that define it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.draft.gazetteer import Gazetteer, Known
from kg.ingest.annotations import annotation_files, parse_yaml


@dataclass
class Hit:
    known: Known
    how: str
    score: float
    defined_at: str = ""
    mentioned_in: list[str] = field(default_factory=list)

    def render(self) -> str:
        alts = [n for n in self.known.names if n != self.known.label]
        lines = [f"{self.known.ident}  ({self.known.type}; {self.how})",
                 f"  label: {self.known.label}"]
        if alts:
            lines.append(f"  alt:   {'; '.join(alts)}")
        lines.append(f"  defined at {self.defined_at or '(no annotation record gives its type: check the corpus)'}")
        others = [m for m in self.mentioned_in if m != self.defined_at]
        if others:
            lines.append(f"  also in {', '.join(others[:6])}" + (" ..." if len(others) > 6 else ""))
        return "\n".join(lines)


def find(name: str, gazetteer: Gazetteer, limit: int = 5) -> list[Hit]:
    """Exact and order-free name matches first, then ids containing the words, then near names."""
    hits: dict[str, Hit] = {}
    ids, how = gazetteer.find(name)
    for ident in ids:
        hits[ident] = Hit(gazetteer.entities[ident], f"{how} name match", 100.0)
    if "/" in name and name in gazetteer.entities:
        hits.setdefault(name, Hit(gazetteer.entities[name], "id", 100.0))
    slug = "-".join(name.lower().split())
    for ident in sorted(gazetteer.entities):
        if len(hits) >= limit:
            break
        if slug and slug in ident.split("/", 1)[-1]:
            hits.setdefault(ident, Hit(gazetteer.entities[ident], "id contains the words", 90.0))
    for ident, score in gazetteer.near(name, limit=limit, cutoff=70.0):
        hits.setdefault(ident, Hit(gazetteer.entities[ident], f"similar name ({score:.0f}%)", score))
    return sorted(hits.values(), key=lambda h: -h.score)[:limit]


def locate_definitions(hits: list[Hit], annotations: Path, root: Path | None = None) -> None:
    """Fill in the file and line of the record that gives each hit's type (and where else it occurs);
    paths are shown relative to *root* (the project) where they lie under it."""
    wanted = {h.known.ident: h for h in hits}
    for path in annotation_files(annotations):
        text = path.read_text(encoding="utf-8")
        present = [i for i in wanted if f"id: {i}\n" in text or f"id: {i}\r" in text]
        if not present:
            continue
        raw, lines = parse_yaml(text)
        for index, record in enumerate((raw or {}).get("entities") or []):
            ident = record.get("id") if isinstance(record, dict) else None
            if ident not in present:
                continue
            shown = path.relative_to(root) if root is not None and path.is_relative_to(root) else path
            where = f"{shown}:{lines.record(index)}"
            hit = wanted[ident]
            hit.mentioned_in.append(where)
            if record.get("type") and not hit.defined_at:
                hit.defined_at = where
