"""Pledges: clauses of a policy document, speech or statement that commit someone to something
("We are willing to jointly build ...", "China will set up a global scientific research fund")."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span

from kg.draft.lexicon import PLEDGE_CUES
from kg.draft.nlp import Line

MAX_PLEDGES = 40


@dataclass(frozen=True)
class Pledge:
    line: Line
    clause: Span

    @property
    def text(self) -> str:
        return self.clause.text.strip()


def _clauses(sentence: Span) -> list[Span]:
    """A sentence listing several pledges ("proposes: jointly a; jointly b; ...") gives one per clause."""
    parts, start = [], sentence.start
    for token in sentence:
        if token.text in (";", ":"):
            if token.i > start:
                parts.append(sentence.doc[start:token.i])
            start = token.i + 1
    if start < sentence.end:
        parts.append(sentence.doc[start:sentence.end])
    return [p for p in parts if len(p) >= 4]


def find_pledges(lines: list[Line]) -> list[Pledge]:
    found = []
    for line in lines:
        for sentence in line.doc.sents:
            for clause in _clauses(sentence):
                lowered = " " + clause.text.lower() + " "
                if any(cue in lowered for cue in PLEDGE_CUES) and len(clause) >= 6:
                    found.append(Pledge(line, clause))
    return found[:MAX_PLEDGES]
