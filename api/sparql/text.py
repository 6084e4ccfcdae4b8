r"""A small SPARQL lexer: what kind of operation a request holds, before any engine sees it.

Why not parse with an engine? The endpoint must decide *before* running anything whether the text
is an update (refused), uses SERVICE (refused unless allowed), names its own dataset (FROM), and
which result formats fit (SELECT/ASK vs CONSTRUCT/DESCRIBE). Keywords are only recognised as bare
words: strings, IRIs, comments, variables, prefixed names and language tags are skipped, so
``?service``, ``ex:service``, ``"SERVICE"`` or ``<http://x/SERVICE>`` never count.
Prefixed names are read with their escapes (``ex:a\#b`` is one name, not a name and a comment),
and ``classify`` first replaces ``\uXXXX`` codepoint escapes as the SPARQL grammar does before
parsing, so an escaped keyword is still seen. This reading gives clients a clear refusal; it is not
what keeps queries off the network: the query workers cannot open a socket at all (``api.confine``).
Syntax errors are left to Oxigraph, whose message the client receives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urljoin

TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>(?:[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*)?:
               (?:[\w\-.:\u00B7\u00C0-\uFFFF]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%])*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


@dataclass(frozen=True)
class Operation:
    """What the lexer learnt about a SPARQL text."""

    form: str | None  # SELECT, CONSTRUCT, DESCRIBE, ASK, or None if no query form was found
    is_update: bool
    uses_service: bool
    has_dataset_clause: bool  # FROM / FROM NAMED in the query itself

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def bare_words(text: str) -> list[str]:
    """The upper-cased keywords and bare names of *text*, in order."""
    words: list[str] = []
    for match in TOKEN.finditer(text):
        if match.lastgroup == "word":
            words.append(match.group().upper())
    return words


_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def unescape_codepoints(text: str) -> str:
    """*text* with ``\\uXXXX`` / ``\\UXXXXXXXX`` replaced by their characters (SPARQL 1.1 §19.2)."""

    def char(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group()

    return _CODEPOINT_ESCAPE.sub(char, text)


@lru_cache(maxsize=1024)
def classify(text: str) -> Operation:
    """Classify a SPARQL request text (query or update). Cached (the Operation is immutable): a query a
    client repeats is lexed once."""
    words = bare_words(unescape_codepoints(text))
    form = next((w for w in words if w in QUERY_FORMS), None)
    first = next((w for w in words if w not in ("BASE", "PREFIX")), None)
    return Operation(
        form=form,
        is_update=first in UPDATE_KEYWORDS,
        uses_service="SERVICE" in words,
        has_dataset_clause="FROM" in words,
    )


class Token(NamedTuple):
    """One lexical token: ``kind`` is a group name of the lexer (ws, comment, string, iri, var, ...)."""

    kind: str
    text: str


SKIPPED = ("ws", "comment")


def tokens(text: str) -> list[Token]:
    """Every token of *text*, whitespace and comments included, so joining their texts gives *text* back."""
    return [Token(m.lastgroup or "other", m.group()) for m in TOKEN.finditer(text)]


class _Dataset:
    """The state of reading a query's prologue and dataset clauses: prefixes, base, graphs found."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.prefixes: dict[str, str] = {}
        self.default: list[str] = []
        self.named: list[str] = []

    def resolve(self, token: Token) -> str | None:
        if token.kind == "iri":
            return urljoin(self.base, token.text[1:-1]) if self.base else token.text[1:-1]
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            return self.prefixes[prefix] + local if prefix in self.prefixes else None
        return None

    def read(self, words: list[Token], i: int) -> None:
        """Take in the clause that starts at ``words[i]``, if it is BASE, PREFIX or FROM."""
        word = words[i].text.upper() if words[i].kind == "word" else ""
        after = words[i + 1] if i + 1 < len(words) else None
        third = words[i + 2] if i + 2 < len(words) else None
        if word == "BASE" and after is not None and after.kind == "iri":
            self.base = self.resolve(after) or self.base
        elif word == "PREFIX" and after is not None and third is not None and third.kind == "iri":
            self.prefixes[after.text.rstrip(":")] = self.resolve(third) or ""
        elif word == "FROM" and after is not None:
            is_named = after.kind == "word" and after.text.upper() == "NAMED"
            target = third if is_named else after
            iri = self.resolve(target) if target is not None else None
            if iri is not None:
                (self.named if is_named else self.default).append(iri)


def dataset_clauses(text: str, base_iri: str | None = None) -> tuple[list[str], list[str]]:
    """The graph IRIs of the query's own ``FROM`` and ``FROM NAMED`` clauses.

    Prefixed names are expanded with the query's PREFIX declarations and relative IRIs resolved
    against its BASE (or *base_iri*), so a store that is sent an explicit dataset can be given the
    same graphs the query names."""
    significant = [t for t in tokens(text) if t.kind not in SKIPPED]
    state = _Dataset(base_iri or "")
    for i in range(len(significant)):
        state.read(significant, i)
    return state.default, state.named
