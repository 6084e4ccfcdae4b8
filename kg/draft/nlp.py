"""The text as spaCy sees it: one Doc per line (a quote may not span a line), with offsets into the file.

Only spaCy's rule-based parts are used (``spacy.blank("en")``: tokenizer, sentencizer, stop words):
nothing is downloaded. Two token flags help the matchers find names: ``_.cap`` (a capitalised word,
an acronym, or a number inside a name) and ``_.link`` (a small word that joins a name's words).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

LINK_WORDS = frozenset({"of", "and", "for", "on", "the", "in", "&", "-", "'s", "’s", "de", "to", '"', "“", "”"})

if not Token.has_extension("cap"):
    Token.set_extension("cap", getter=lambda t: (t.is_title or (t.is_upper and len(t) > 1) or
                                                 (t.text[:1].isupper() and any(c.isupper() for c in t.text[1:])))
                        and t.is_alpha or (t.like_num and t.i > 0 and t.nbor(-1)._.cap))
if not Token.has_extension("link"):
    Token.set_extension("link", getter=lambda t: t.lower_ in LINK_WORDS)


@cache
def pipeline() -> Language:
    """spaCy's blank English pipeline with the rule-based sentencizer (loaded once per process)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@dataclass(frozen=True)
class Line:
    """One line of the source with its start offset (code points) and its spaCy Doc."""

    number: int
    start: int
    text: str
    doc: Doc

    def offset(self, span: Span | Token) -> int:
        return self.start + (span.start_char if isinstance(span, Span) else span.idx)


def read_lines(text: str) -> list[Line]:
    """Every non-blank line of *text* as a Doc (``nlp.pipe`` batches them)."""
    nlp = pipeline()
    raw: list[tuple[int, int, str]] = []
    pos = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            raw.append((number, pos, line))
        pos += len(line) + 1
    docs = nlp.pipe(line for _, _, line in raw)
    return [Line(n, start, line, doc) for (n, start, line), doc in zip(raw, docs, strict=True)]


def sentence_of(span: Span | Token) -> Span:
    return span.sent
