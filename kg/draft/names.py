"""Names the graph does not know yet: capitalised spans, typed by their head noun, by ISO 3166 (countries
and subdivisions, from pycountry) or by the list of regions.

Runs of spaCy tokens flagged capitalised (``_.cap``) joined by small words (``_.link``) ("Ministry of Science and
Technology", "Chengdu-Chongqing ... \"Double Thousand\" Plan"); each run is trimmed of sentence-initial
function words and typed. People are found by kg.draft.people, which knows roles and credit lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pycountry
from spacy.tokens import Span, Token

from kg.draft.gazetteer import singular
from kg.draft.lexicon import DEMONYMS, HEAD_PAIRS, HEADS, REGIONS, ROLES
from kg.draft.nlp import Line

# pycountry subdivision names carry the kind in the name ("Sichuan Sheng", "Beijing Shi").
SUBDIVISION_SUFFIXES = ("Sheng", "Shi", "Zizhiqu", "SAR", "Province", "Region", "State", "Oblast")
PROVINCE_KINDS = frozenset({"Province", "Municipality", "Autonomous region", "Special administrative region",
                            "State", "Region", "Oblast", "Republic", "Autonomous province"})


@dataclass(frozen=True)
class Name:
    """A capitalised name in the text and what kind of thing it names (None: not known)."""

    span: Span
    line: Line
    kind: str | None
    why: str

    @property
    def text(self) -> str:
        return self.span.text

    @property
    def start(self) -> int:
        return self.line.offset(self.span)

    @property
    def end(self) -> int:
        return self.start + len(self.span.text)


@cache
def countries() -> dict[str, str]:
    """Every ISO 3166 name, common and official name (lower case) -> the short name."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        short = getattr(country, "common_name", None) or country.name
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names[value.lower()] = short
    for name in DEMONYMS.values():
        found = pycountry.countries.get(name=name)
        if found is not None:
            names.setdefault(name.lower(), getattr(found, "common_name", None) or found.name)
    return names


def country_code(name: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country name, for the review note."""
    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        return None


@cache
def subdivisions(code: str) -> dict[str, str]:
    """Names of a country's first-level subdivisions without their kind word -> the kind."""
    found: dict[str, str] = {}
    for sub in pycountry.subdivisions.get(country_code=code) or []:
        if getattr(sub, "parent_code", None):
            continue
        words = sub.name.split()
        if words and words[-1] in SUBDIVISION_SUFFIXES and len(words) > 1:
            words = words[:-1]
        found[" ".join(words).lower()] = sub.type
    return found


def _trim(span: Span) -> Span | None:
    """Drop sentence-initial function words and trailing joiners; None if nothing name-like is left."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ not in EDITIONS and (
            doc[start].is_stop or doc[start]._.link or doc[start].is_punct
            or (doc[start].is_sent_start and doc[start].lower_.endswith(("ing", "ly", "ed")))):
        start += 1
    while end > start and (doc[end - 1]._.link or doc[end - 1].is_stop or doc[end - 1].is_punct):
        if doc[end - 1].text == ")" and "(" in doc[start:end].text:
            break
        end -= 1
    if not any(t.is_alpha and _cap(t) for t in doc[start:end]):
        return None
    return doc[start:end] if end > start else None


def head_kind(words: list[str]) -> str | None:
    """The kind a name's head noun gives: the first head followed by of/on/for, else the last head."""
    lower = [singular(w.lower()) if w.lower() not in HEADS else w.lower() for w in words]
    for i in range(len(lower) - 1):
        if (lower[i], lower[i + 1]) in HEAD_PAIRS:
            return HEAD_PAIRS[(lower[i], lower[i + 1])]
    for i, word in enumerate(lower[:-1]):
        if word in HEADS and lower[i + 1] in ("of", "on", "for", "in"):
            return HEADS[word]
    for word in reversed(lower):
        if word in HEADS:
            return HEADS[word]
    return None


def classify(text: str, country_codes: set[str]) -> tuple[str | None, str]:
    """(kind, why) of a capitalised name; (None, "") if nothing says what it is."""
    lowered = text.lower()
    if lowered in countries():
        return "Country", f"ISO 3166 country {countries()[lowered]}"
    if text in REGIONS:
        return "Region", "a group of countries or continent (regions list)"
    for code in sorted(country_codes | {"CN"}):
        kind = subdivisions(code).get(lowered.removesuffix(" province").removesuffix(" municipality"))
        if kind is not None:
            return "Province", f"ISO 3166-2 subdivision of {code} ({kind.lower()})"
    words = [w for w in text.replace("-", " ").split()]
    kind = head_kind(words)
    if kind == "JointLab" and "joint" not in lowered:
        kind = "Organization"
    if kind is not None:
        return kind, "its head noun"
    return None, ""


MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                    "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
                    "saturday", "sunday"})
EDITIONS = frozenset({"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"})
CITY_CUES = frozenset({"city", "municipality", "county", "district", "prefecture"})


def _cap(token: Token) -> bool:
    return bool(token._.cap) and token.lower_ not in MONTHS


def _runs(line: Line) -> list[Span]:
    """Maximal runs of capitalised words joined by small words, commas, quotes or an (ACRONYM)."""
    doc, runs, i = line.doc, [], 0
    while i < len(doc):
        if not _cap(doc[i]):
            i += 1
            continue
        j, last = i + 1, i
        while j < len(doc):
            t = doc[j]
            if _cap(t):
                last = j
            elif t.text == "(" and j + 2 < len(doc) and doc[j + 1].is_upper and doc[j + 2].text == ")":
                last = j = j + 2
            elif not (t._.link or (t.text == "," and j + 1 < len(doc) and _cap(doc[j + 1]))):
                break
            j += 1
        runs.append(doc[i:last + 1])
        i = last + 1
    return runs


def _dateline(span: Span) -> list[Span] | None:
    """"China News Service Chengdu, June 12": an outlet, then the city it reports from, then the date."""
    doc = span.doc
    if span.end + 1 < len(doc) and doc[span.end].text == "," and doc[span.end + 1].lower_ in MONTHS \
            and len(span) >= 3 and head_kind([t.text for t in span[:-1]]) == "Organization":
        return [span[:-1], span[-1:]]
    return None


def _pieces(span: Span) -> list[Span]:
    """Split a run into names: at a role word ("Chinese Vice Premier Ding Xuexiang": the part before the
    role is a name of its own; after it kg.draft.people reads a person), before "in <place>", at commas,
    and at "and" between names that each have a kind; a head noun with its complement ("Ministry of
    Higher Education, Science, ...", "Declaration on Jointly Building ...") holds a run together."""
    for rule in (_dateline, _before_role, _before_place):
        split = rule(span)
        if split is not None:
            return split
    words = [t.text for t in span]
    if _head_with_complement(words) or ("," in words and head_kind(words) is not None and not any(
            head_kind([t.text for t in part]) for part in _split(span, {","})[:-1])):
        return [span]
    out = []
    for part in _split(span, {","}):
        pieces = _split(part, {"and", "&"})
        kinds = [classify(trimmed.text, set())[0] if (trimmed := _trim(p)) is not None else None for p in pieces]
        out += pieces if len(pieces) > 1 and all(kinds) else [part]
    return out


def _before_role(span: Span) -> list[Span] | None:
    doc = span.doc
    for k in range(span.start, span.end):
        for size in (3, 2, 1):
            if doc[k:min(k + size, span.end)].text.lower() in ROLES:
                return _pieces(doc[span.start:k]) if k > span.start else []
    return None


def _before_place(span: Span) -> list[Span] | None:
    """"... Exchange in Chengdu, Sichuan": the name ends before "in <place>"."""
    doc = span.doc
    for k in range(span.start + 1, span.end - 1):
        if doc[k].lower_ in ("in", "at") and span.end - k <= 5 and head_kind([t.text for t in doc[span.start:k]]):
            return _pieces(doc[span.start:k]) + _split(doc[k + 1:span.end], {","})
    return None


def _head_with_complement(words: list[str]) -> bool:
    lower = [w.lower() for w in words]
    return any(w in HEADS and lower[i + 1] in ("of", "on", "for", "to") for i, w in enumerate(lower[:-1]))


def _split(span: Span, at: set[str]) -> list[Span]:
    doc, parts, start = span.doc, [], span.start
    for k in range(span.start, span.end):
        if doc[k].text in at:
            if k > start:
                parts.append(doc[start:k])
            start = k + 1
    if start < span.end:
        parts.append(doc[start:span.end])
    return parts


def _city(span: Span) -> bool:
    """"held in X", "in X, Y province", "X city": a single capitalised place name that no list knows."""
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    after = doc[span.end].text if span.end < len(doc) else ""
    after2 = doc[span.end + 1].text if span.end + 1 < len(doc) else ""
    return len(span) <= 2 and (
        (before in ("in", "at", "from") and after == "," and bool(after2[:1].isupper()) and
         (classify(after2, set())[0] in ("Province", "Country")))
        or (after.lower() in CITY_CUES))


def _dateline_city(span: Span) -> bool:
    doc = span.doc
    return (len(span) == 1 and span.end + 1 < len(doc) and doc[span.end].text == ","
            and doc[span.end + 1].lower_ in MONTHS and span.start > 0 and doc[span.start - 1]._.cap)


def find_names(lines: list[Line]) -> list[Name]:
    """Capitalised names of every line, trimmed and typed (kind None where nothing says what it is)."""
    names: list[Name] = []
    present = {c for line in lines for c in _codes_in(line)}
    for line in lines:
        for run in _runs(line):
            for part in _pieces(run):
                trimmed = _trim(part)
                if trimmed is None or trimmed.text.lower() in ROLES:
                    continue
                kind, why = classify(trimmed.text, present)
                if len(trimmed) == 1 and trimmed.text.lower() in HEADS:
                    continue  # "The Declaration says": a head noun alone names nothing new
                if len(trimmed) >= 3 and all(t.is_upper for t in trimmed if t.is_alpha):
                    kind, why = None, "a headline in capitals"
                if kind is None and (_city(trimmed) or _dateline_city(trimmed)):
                    kind, why = "City", "named as a place where something happens"
                names.append(Name(trimmed, line, kind, why))
    return names


def _codes_in(line: Line) -> set[str]:
    codes = set()
    for token in line.doc:
        if token.is_title and token.text.lower() in countries():
            code = country_code(countries()[token.text.lower()])
            if code:
                codes.add(code)
    return codes
