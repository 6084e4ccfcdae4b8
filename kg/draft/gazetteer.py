"""What the graph already holds, as names to find in a new text: the build's entity index (index.sqlite).

A name is found whatever its case, accents, punctuation, word order around "of"/"on"/"for", plural
or possessive: "the Belt and Road Conference on Science and Technology Exchange" finds the series
labelled "Belt and Road Science and Technology Exchange Conference", "China's Ministry of Science and
Technology" finds "Ministry of Science and Technology of China". Each name is reduced to a key, the
sorted bag of its content words (normalised, singular); the text's word n-grams are reduced the same
way and looked up. An exact normalised match outranks a key match; rapidfuzz ranks near misses.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from kg.index.schema import local_name, normalize

GLUE = frozenset({"of", "and", "for", "on", "the", "in", "to", "a", "an", "s", "at", "by", "with", "its"})
SYNONYMS = {"programme": "program", "programmes": "program", "plan": "program", "plans": "program",
            "centre": "center", "centres": "center",
            "lab": "laboratory", "labs": "laboratory", "organisation": "organization"}
MAX_WORDS = 12
# Relation nodes and documents have descriptive labels ("Amandeep Gill, UN Envoy ..."), not names a text uses.
NOT_NAMED = frozenset({"Affiliation", "Participation", "Commitment", "Statistic", "SourceDocument", "Evidence"})


def singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def content_words(norm: str) -> list[str]:
    return [singular(SYNONYMS.get(w, w)) for w in norm.split() if w not in GLUE]


def name_key(name: str) -> str:
    """The order-free key of a name: its content words, normalised, singular, sorted."""
    return " ".join(sorted(content_words(normalize(name))))


def initials(name: str) -> str:
    """``Belt and Road Initiative`` -> ``BRI``: the capitals of its words, for matching acronyms."""
    return "".join(w[0] for w in name.replace("-", " ").split() if w[:1].isupper())


@dataclass(frozen=True)
class Known:
    """An entity the graph already has."""

    ident: str
    type: str
    label: str
    names: tuple[str, ...]


@dataclass
class Gazetteer:
    """Names of the graph's entities, looked up by normalised form and by order-free key."""

    entities: dict[str, Known] = field(default_factory=dict)
    exact: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    keyed: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_initials: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    max_words: int = 1

    @classmethod
    def from_index(cls, path: Path) -> Gazetteer:
        """Read the entity index a build wrote (``var/current/index.sqlite``)."""
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            base = dict(db.execute("SELECT key, value FROM meta"))["id_base"]
            types: dict[str, str] = {}
            for iri, cls_iri in db.execute("SELECT iri, type FROM type"):
                if "/ontology#" in cls_iri:
                    types[iri] = local_name(cls_iri)
            names: dict[str, list[str]] = defaultdict(list)
            for iri, name in db.execute("SELECT iri, name FROM name ORDER BY iri, position"):
                names[iri].append(name)
            labels = dict(db.execute("SELECT iri, label FROM entity"))
        finally:
            db.close()
        gazetteer = cls()
        for iri, kind in types.items():
            if kind in NOT_NAMED:
                continue
            ident = iri[len(base):] if iri.startswith(base) else iri
            found = names.get(iri, [])
            gazetteer.add(Known(ident, kind, labels.get(iri, found[0] if found else ident), tuple(found)))
        return gazetteer

    def add(self, known: Known) -> None:
        self.entities[known.ident] = known
        for name in known.names:
            norm = normalize(name)
            if not norm:
                continue
            self.exact[norm].add(known.ident)
            key = name_key(name)
            if key:
                self.keyed[key].add(known.ident)
                self.max_words = min(MAX_WORDS, max(self.max_words, len(key.split())))
            caps = initials(name)
            if len(caps) >= 2 and len(name.split()) >= 2:
                self.by_initials[caps].add(known.ident)

    def find(self, text: str) -> tuple[list[str], str]:
        """Ids whose names match *text* and how ("exact" or "key"), best first; ([], "") if none.
        A parenthesised acronym may be left out ("Belt and Road Initiative (BRI)")."""
        norm = normalize(text)
        if norm in self.exact:
            return sorted(self.exact[norm]), "exact"
        key = name_key(text)
        if key in self.keyed:
            return sorted(self.keyed[key]), "key"
        if "(" in text and ")" in text:
            bare = text[:text.index("(")] + text[text.index(")") + 1:]
            ids, how = self.find(" ".join(bare.split()))
            return ids, how and "key"
        return [], ""

    def find_words(self, words: list[str]) -> tuple[list[str], str]:
        """As ``find``, for text already normalised into words (the n-grams of kg.draft.mentions)."""
        norm = " ".join(words)
        if norm in self.exact:
            return sorted(self.exact[norm]), "exact"
        key = " ".join(sorted(singular(SYNONYMS.get(w, w)) for w in words if w not in GLUE))
        if key in self.keyed:
            return sorted(self.keyed[key]), "key"
        return [], ""

    def same_kind_near(self, text: str, folder: str, cutoff: float = 85.0) -> str | None:
        """A known entity of the same id folder whose name is nearly *text* (one clear candidate),
        or whose name *text* starts ("Chengdu Declaration" for "Chengdu Declaration on ...")."""
        close = [i for i, _ in self.near(text, limit=3, cutoff=cutoff) if i.startswith(folder + "/")]
        if len(close) == 1:
            return close[0]
        norm = normalize(text)
        if len(norm.split()) >= 2:
            starts = {i for n, ids in self.exact.items() if n.startswith(norm + " ") for i in ids
                      if i.startswith(folder + "/")}
            if len(starts) == 1:
                return next(iter(starts))
        return None

    def near(self, text: str, limit: int = 3, cutoff: float = 88.0) -> list[tuple[str, float]]:
        """Entities whose names are close to *text* (rapidfuzz token-set ratio), for a review note."""
        choices = self._choices()
        found = process.extract(normalize(text), choices, scorer=fuzz.token_sort_ratio, limit=limit * 3,
                                score_cutoff=cutoff)
        ranked: dict[str, float] = {}
        for _, score, idx in found:
            for ident in self._choice_ids[idx]:
                ranked[ident] = max(ranked.get(ident, 0.0), score)
        return sorted(ranked.items(), key=lambda kv: -kv[1])[:limit]

    def _choices(self) -> list[str]:
        if not hasattr(self, "_choice_list"):
            self._choice_list = list(self.exact)
            self._choice_ids = [sorted(self.exact[c]) for c in self._choice_list]
        return self._choice_list

    def known_ids(self) -> set[str]:
        return set(self.entities)
