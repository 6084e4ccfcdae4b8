"""Scoring a draft against the curated annotation of the same document."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rapidfuzz import fuzz

from kg.draft.gazetteer import name_key
from kg.draft.records import DraftRecord
from kg.index.schema import normalize

NAMED = {"Person": "people", "Organization": "organizations", "TechnologyTransferCenter": "organizations",
         "City": "places", "Province": "places", "Region": "places", "Country": "countries",
         "Conference": "conferences", "Declaration": "policy documents", "Initiative": "policy documents",
         "ActionPlan": "policy documents", "PolicyDocument": "policy documents", "Alliance": "alliances",
         "JointLab": "joint labs", "Program": "programs"}
GROUPS = ["people", "organizations", "places", "countries", "conferences", "policy documents", "alliances",
          "joint labs", "programs"]


@dataclass
class Curated:
    """What the curated annotation of a document holds, with every entity's names across the corpus."""

    named: dict[str, str]                 # id -> group
    names: dict[str, set[str]]            # id -> label and alts (whole corpus)
    ids: set[str]
    statistics: list[tuple[Decimal, str]]  # (value, qualifier)


@dataclass
class Score:
    document: str
    found: dict[str, int] = field(default_factory=lambda: defaultdict(int))     # group -> curated found
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))     # group -> curated
    proposed: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # group -> draft named
    correct: dict[str, int] = field(default_factory=lambda: defaultdict(int))   # group -> draft named matched
    links: int = 0
    links_right: int = 0
    stats_total: int = 0
    stats_right: int = 0
    stats_proposed: int = 0
    quotes: int = 0
    quotes_verbatim: int = 0
    builds: bool = False
    build_problem: str = ""
    seconds: float = 0.0
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    wrong_links: list[str] = field(default_factory=list)


def _refs(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    values = [i.get("value") if isinstance(i, dict) else i for i in items]
    return [v for v in values if isinstance(v, str) and "/" in v and ":" not in v]


def curated_of(annotation: dict[str, Any], corpus: list[dict[str, Any]]) -> Curated:
    types: dict[str, str] = {}
    names: dict[str, set[str]] = defaultdict(set)
    for doc in corpus:
        for r in doc["entities"]:
            if r.get("type"):
                types[r["id"]] = r["type"]
            names[r["id"]].update([r["label"]] if r.get("label") else [])
            names[r["id"]].update(r.get("alt", []))
    ids = {r["id"] for r in annotation["entities"]}
    header = annotation["document"]
    ids |= {ref for r in annotation["entities"] for v in r.get("facts", {}).values() for ref in _refs(v)}
    ids |= set(header.get("creators", [])) | ({header["publisher"]} if header.get("publisher") else set())
    named = {i: NAMED[types[i]] for i in ids if types.get(i) in NAMED}
    stats = []
    for r in annotation["entities"]:
        if types.get(r["id"]) == "Statistic" and "value" in r.get("facts", {}):
            facts = r["facts"]
            value = facts["value"]["value"] if isinstance(facts["value"], dict) else facts["value"]
            qualifier = facts.get("qualifier", "bri:Exactly")
            qualifier = qualifier["value"] if isinstance(qualifier, dict) else qualifier
            stats.append((Decimal(str(value)), qualifier))
    return Curated(named, names, ids, stats)


def similarity(draft_names: list[str], curated_names: set[str]) -> float:
    """100 for the same name (normalised or order-free), else rapidfuzz's token-sort ratio (0-100)."""
    best = 0.0
    for a in draft_names:
        for b in curated_names:
            if normalize(a) == normalize(b) or name_key(a) == name_key(b):
                return 100.0
            best = max(best, fuzz.token_sort_ratio(normalize(a), normalize(b)))
    return best


SAME_NAME = 90.0


def _candidate_pairs(s: Score, records: list[DraftRecord], curated: Curated, types_of: dict[str, str]) -> tuple[
        list[tuple[float, int, str]], list[tuple[int, DraftRecord, str]]]:
    """Links counted; every (similarity, draft record, curated entity) pair that may be the same thing."""
    pairs: list[tuple[float, int, str]] = []
    named: list[tuple[int, DraftRecord, str]] = []
    for n, r in enumerate(records):
        kind = r.type or types_of.get(r.id, "")
        if r.type is None:  # a reuse record: a link to an existing entity
            s.links += 1
            s.links_right += r.id in curated.ids
            if r.id not in curated.ids:
                s.wrong_links.append(r.id)
        group = NAMED.get(kind)
        if group is None:
            continue
        s.proposed[group] += 1
        named.append((n, r, group))
        if r.type is None and r.id in curated.named:
            pairs.append((101.0, n, r.id))
        elif r.type is not None:
            for ident in curated.named:
                similar = similarity([r.label or ""] + r.alt, curated.names[ident])
                if similar >= SAME_NAME:
                    pairs.append((similar, n, ident))
    return pairs, named


def _statistics(s: Score, records: list[DraftRecord], curated: Curated) -> None:
    drafted = []
    for r in records:
        if r.type == "Statistic":
            q = r.facts["qualifier"]
            drafted.append((Decimal(str(r.facts["value"]["value"])), q["value"] if isinstance(q, dict) else q))
    s.stats_total, s.stats_proposed = len(curated.statistics), len(drafted)
    for stat in curated.statistics:
        if stat in drafted:
            drafted.remove(stat)
            s.stats_right += 1


def score(document: str, records: list[DraftRecord], curated: Curated, types_of: dict[str, str],
          text: str) -> Score:
    """Named entities matched one to one, best similarity first; links; statistics; quotes."""
    s = Score(document)
    for group in curated.named.values():
        s.total[group] += 1
    pairs, named = _candidate_pairs(s, records, curated, types_of)
    matched_curated: set[str] = set()
    matched_draft: set[int] = set()
    for _, n, ident in sorted(pairs, key=lambda p: -p[0]):
        if n in matched_draft or ident in matched_curated:
            continue
        matched_draft.add(n)
        matched_curated.add(ident)
        s.found[curated.named[ident]] += 1
    for n, r, group in named:
        if n in matched_draft:
            s.correct[group] += 1
        else:
            s.wrong.append(f"{r.id} ({r.type or types_of.get(r.id, '')})")
    s.missed = sorted(f"{i} ({g})" for i, g in curated.named.items() if i not in matched_curated)
    _statistics(s, records, curated)
    for r in records:
        for q in r.quotes:
            s.quotes += 1
            s.quotes_verbatim += q in text and "\n" not in q
    return s
