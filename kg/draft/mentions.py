"""Where the text names an entity the graph already has: longest matches, line by line."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from kg.draft.gazetteer import GLUE, Gazetteer
from kg.draft.nlp import Line
from kg.index.schema import normalize

COMMON_TYPES = frozenset({"Topic", "Role"})  # common nouns: found in lower case too
BREAKS = frozenset({",", ";", ":", "(", ")"})  # a reordered (key) match does not cross these
QUOTES = frozenset({'"', "“", "”"})


def _quotes_balanced(tokens: list[Token]) -> bool:
    """Quotes inside a reordered match open before they close ('"the Belt and Road" Science ...'), so a
    match does not join the end of one quoted name to the start of the next."""
    marks = [t for t in tokens if t.text in QUOTES]
    if len(marks) % 2:
        return False
    return all(i % 2 or m.i == 0 or bool(m.doc[m.i - 1].whitespace_) for i, m in enumerate(marks))


@dataclass(frozen=True)
class Mention:
    """A passage of one line that names known entities (best candidate first)."""

    line: Line
    start: int  # offsets in the file
    end: int
    text: str
    ids: tuple[str, ...]
    how: str  # "exact", "key" (word order, plural, possessive), "acronym"


def _edge(token: Token) -> bool:
    return not (token.is_punct or token.lower_ in GLUE or token.is_space)


def _allowed(tokens: list[Token], ids: list[str], gazetteer: Gazetteer) -> bool:
    """A one-word match counts for a common noun (topic, role) or a capitalised word that is not a
    sentence's first ("Energy" at a sentence start is still a topic, "Links" alone is not an organization)."""
    if len(tokens) > 1:
        return True
    token = tokens[0]
    if token.is_stop:
        return False
    kinds = {gazetteer.entities[i].type for i in ids}
    if kinds <= COMMON_TYPES:  # one common word: only a topic's or role's own label ("Energy", not "resources")
        return any(normalize(gazetteer.entities[i].label) == normalize(token.text) for i in ids)
    return token.is_upper or (token.is_title and (not token.is_sent_start or len(token) > 3))


def _candidates(tokens: list[Token], gazetteer: Gazetteer) -> list[tuple[int, int, list[str], str]]:
    """For each start token, the longest n-gram that names a known entity."""
    window = gazetteer.max_words * 2 + 2
    norms = [normalize(t.text).split() for t in tokens]  # once per token; an n-gram joins them
    found: list[tuple[int, int, list[str], str]] = []
    for i, first in enumerate(tokens):
        opening = first.text in QUOTES and i + 1 < len(tokens) and (i == 0 or bool(tokens[i - 1].whitespace_))
        if not (_edge(first) or opening):
            continue
        for j in range(min(len(tokens), i + window), i, -1):
            if not _edge(tokens[j - 1]):
                continue
            ids, how = gazetteer.find_words([w for ws in norms[i:j] for w in ws])
            if how == "key" and (any(t.text in BREAKS for t in tokens[i:j]) or not _quotes_balanced(tokens[i:j])):
                continue
            if ids and _allowed(tokens[i:j], ids, gazetteer):
                found.append((i, j, ids, how))
                break
    return found


def find_known(lines: list[Line], gazetteer: Gazetteer) -> list[Mention]:
    """Every longest, non-overlapping mention of a known entity."""
    found: list[Mention] = []
    for line in lines:
        tokens = list(line.doc)
        taken: set[int] = set()
        for i, j, ids, how in sorted(_candidates(tokens, gazetteer), key=lambda c: (-(c[1] - c[0]), c[0])):
            if taken & set(range(i, j)):
                continue
            taken |= set(range(i, j))
            start, end = tokens[i].idx, tokens[j - 1].idx + len(tokens[j - 1])
            found.append(Mention(line, line.start + start, line.start + end, line.text[start:end], tuple(ids), how))
        found += _acronyms(line, tokens, taken, gazetteer)
    return sorted(found, key=lambda m: m.start)


def _acronyms(line: Line, tokens: list[Token], taken: set[int], gazetteer: Gazetteer) -> list[Mention]:
    """An all-capitals word no name matched, read as the initials of a known multi-word name."""
    out = []
    for i, token in enumerate(tokens):
        if i in taken or not (token.is_upper and token.is_alpha and 2 <= len(token) <= 8):
            continue
        ids = gazetteer.by_initials.get(token.text)
        if ids:
            out.append(Mention(line, line.offset(token), line.offset(token) + len(token), token.text,
                               tuple(sorted(ids)), "acronym"))
    return out
