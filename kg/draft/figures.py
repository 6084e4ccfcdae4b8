"""Statistics: a number in the text with its qualifier ("more than", "over", "nearly"), its unit and
what it counts ("more than 80 co construction countries" -> 80, MoreThan, "co construction countries").

Numbers are spaCy's ``like_num`` tokens (digits and number words); dates, years, page and issue
numbers and numbers inside names are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from spacy.tokens import Doc, Span

from kg.draft.names import MONTHS
from kg.draft.nlp import Line

WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
         "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
         "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
         "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
         "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000}
# Words before a number -> qualifier (longest first when matched).
QUALIFIERS = {"more than": "MoreThan", "over": "MoreThan", "above": "MoreThan", "exceeding": "MoreThan",
              "in excess of": "MoreThan", "upwards of": "MoreThan", "at least": "AtLeast", "no less than": "AtLeast",
              "not less than": "AtLeast", "nearly": "Approximately", "almost": "Approximately",
              "about": "Approximately", "around": "Approximately", "approximately": "Approximately",
              "some": "Approximately", "roughly": "Approximately", "close to": "Approximately",
              "an estimated": "Approximately", "a total of": "Exactly", "a total": "Exactly"}
UNITS = {"percent": "percent", "%": "percent", "per cent": "percent", "yuan": "yuan", "dollars": "US dollars",
         "usd": "US dollars", "euros": "euros", "kilometers": "kilometres", "kilometres": "kilometres",
         "tons": "tonnes", "tonnes": "tonnes", "hectares": "hectares", "times": "times"}
STOP = frozenset({",", ".", ";", ":", "(", ")", "were", "was", "are", "is", "have", "has", "had", "that", "which",
                  "who", "to", "will", "would", "can", "could", "through", "since", "while", "as", "by",
                  "from", "between", "with", "together"})
BEFORE_NOT = frozenset({"page", "vol", "no", "section", "chapter", "article", "tel", "phase", "number"})


@dataclass(frozen=True)
class Figure:
    """A stated number: value, qualifier, unit, what it counts, and the passage."""

    line: Line
    number: Span      # the number words ("a thousand", "1.5 million", "95")
    value: Decimal
    qualifier: str    # Exactly, MoreThan, AtLeast, Approximately
    qualifier_text: str
    unit: str
    measure: str
    phrase: Span      # qualifier + number + unit + measure

    @property
    def sentence(self) -> Span:
        return self.number.sent


def _value(tokens: list[str]) -> Decimal | None:
    total, current = Decimal(0), Decimal(0)
    for word in tokens:
        w = word.lower().replace(",", "")
        if w in ("a", "an"):
            current = Decimal(1)
            continue
        try:
            number = Decimal(w)
        except InvalidOperation:
            if w not in WORDS:
                return None
            number = Decimal(WORDS[w])
        if w in SCALES:
            current = (current or Decimal(1)) * number
            if number >= 1000:
                total, current = total + current, Decimal(0)
        else:
            current += number
    return total + current


def _date_like(doc: Doc, start: int, end: int) -> bool:
    """A day, a year, a page or issue number, a range's end: not a count."""
    last = doc[end - 1]
    before = doc[start - 1] if start > 0 else None
    after = doc[end] if end < len(doc) else None
    return ((before is not None and (before.lower_.rstrip(".") in BEFORE_NOT or before.lower_ in MONTHS))
            or (after is not None and (after.lower_ in MONTHS or after.text in ("-", "–")))
            or (last.text.isdigit() and len(last.text) == 4 and 1900 <= int(last.text) <= 2100))


def _excluded(doc: Doc, start: int, end: int) -> bool:
    first = doc[start]
    before = doc[start - 1] if start > 0 else None
    after = doc[end] if end < len(doc) else None
    if _date_like(doc, start, end):
        return True
    if first.lower_ == "one" and after is not None and after.lower_ == "of":
        return True
    if before is not None and before.text in ("to", "and", "-", "–") and start > 1 and doc[start - 2].like_num:
        return True  # the end of a range of days: "June 10 to 12"
    if first.is_alpha and first.is_title and not first.is_sent_start:
        return True  # "Thousand Cooperation Projects Initiative": a number inside a name
    return after is None or after.is_punct and after.text not in ("%", '"', "“", "'")


def _number_end(doc: Doc, i: int) -> int:
    j = i + 1
    while j < len(doc) and (doc[j].like_num or doc[j].lower_ in SCALES) and doc[j].lower_ != "one":
        j += 1
    return j


def _qualifier(doc: Doc, start: int) -> tuple[str, str, int]:
    for words in (3, 2, 1):
        if start - words < 0:
            continue
        phrase = doc[start - words:start].text.lower()
        if phrase in QUALIFIERS:
            return QUALIFIERS[phrase], doc[start - words:start].text, start - words
    return "Exactly", "", start


def _measure(doc: Doc, end: int) -> tuple[str, str, int]:
    unit = ""
    for words in (2, 1):
        phrase = doc[end:end + words].text.lower()
        if end + words <= len(doc) and phrase in UNITS:
            unit, end = UNITS[phrase], end + words
            break
    if unit and end < len(doc) and doc[end].lower_ == "of":
        end += 1
    stop = end
    while stop < len(doc) and stop - end < 10 and (doc[stop].text in ("-", '"', "'", "“", "”") or (
            doc[stop].lower_ not in STOP and not doc[stop].is_punct)):
        nxt = doc[stop + 1] if stop + 1 < len(doc) else None
        if doc[stop].lower_ == "and" and (nxt is None or nxt.like_num or nxt.lower_ in ("more", "over", "has", "have")):
            break
        stop += 1
    while stop > end and doc[stop - 1].lower_ in ("in", "of", "for", "the", "on", "at", "a"):
        stop -= 1
    return unit, doc[end:stop].text, stop


def find_figures(lines: list[Line]) -> list[Figure]:
    found: list[Figure] = []
    for line in lines:
        doc, i = line.doc, 0
        while i < len(doc):
            token = doc[i]
            if not token.like_num or token.lower_ == "one" and doc[i - 1:i].text.lower() != "a":
                i += 1
                continue
            start = i - 1 if i > 0 and doc[i - 1].lower_ == "a" and token.lower_ in SCALES else i
            end = _number_end(doc, i)
            value = _value([t.text for t in doc[start:end]])
            if value is None or _excluded(doc, start, end):
                i = end
                continue
            qualifier, qualifier_text, q_start = _qualifier(doc, start)
            unit, measure, stop = _measure(doc, end)
            if unit or any(c.isalpha() for c in measure):
                found.append(Figure(line, doc[start:end], value, qualifier, qualifier_text, unit, measure,
                                    doc[q_start:stop]))
            i = end
    return found
