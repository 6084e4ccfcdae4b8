"""The document header: title, date candidates (normalised, with the phrase they come from) and web-page
debris (duplicated paragraphs, page furniture, "See page N", credit and copyright lines)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kg.draft.names import MONTHS
from kg.draft.nlp import Line

MONTH_NUMBER = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                              "september", "october", "november", "december"], start=1)}
MONTH_NUMBER |= {m[:3]: n for m, n in list(MONTH_NUMBER.items())} | {"sept": 9}
# Dates as sources print them: 2023-11-08, June 12, 2025 / JUNE 14-15, 2025 / 7 November 2016 / June 12.
ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
MONTH_DAY = re.compile(r"\b([A-Za-z]{3,9})\.? (\d{1,2})(?:\s*[-–]\s*\d{1,2})?(?:st|nd|rd|th)?(?:,? (\d{4}))?\b")
DAY_MONTH = re.compile(r"\b(\d{1,2}) ([A-Za-z]{3,9}),? (\d{4})\b")
# Page furniture: what a web page or newspaper page prints around an article.
FURNITURE = (
    (re.compile(r"^\s*see page \d+\s*$", re.I), "page furniture (continuation marker)"),
    (re.compile(r"^\s*page \d+\s*$", re.I), "page furniture (page reference)"),
    (re.compile(r"^\s*\((over|continued)\)\s*$|\(over\)\s*$", re.I), "page furniture (continuation marker)"),
    (re.compile(r"copyright|©|all rights reserved|ICP备", re.I), "copyright or licence line"),
    (re.compile(r"@\w|tel[:.]", re.I), "contact details (e-mail, telephone)"),
    (re.compile(r"^\s*(location|you are here)\s*:.*>", re.I), "breadcrumb navigation"),
    (re.compile(r"^\s*(return to list|links|recommended reading.*|share|print|related news|more)\s*$", re.I),
     "website navigation"),
    (re.compile(r"^\s*vol\.?\s*\d+.*no\.?\s*\d+\s*$", re.I), "masthead issue number"),
    (re.compile(r"^\s*special statement:", re.I), "website copyright notice"),
    (re.compile(r"^\s*(\(?editor:|edit:|edited by|responsible editor:|source:)", re.I),
     "credit line (its people are drafted as reporters and editors)"),
)


@dataclass(frozen=True)
class DateCandidate:
    value: dt.date | None   # None: the year is not stated
    month_day: tuple[int, int]
    phrase: str
    line: int


@dataclass(frozen=True)
class Debris:
    text: str
    reason: str
    line: int = 0  # for a repeated paragraph: the line of the repeat (the first occurrence is content)


def _date(year: str | None, month: str, day: str) -> tuple[dt.date | None, tuple[int, int]] | None:
    number = MONTH_NUMBER.get(month.lower().rstrip("."), int(month) if month.isdigit() else 0)
    try:
        md = (number, int(day))
        dt.date(2000, *md)
    except ValueError:
        return None
    return (dt.date(int(year), *md) if year else None), md


def find_dates(lines: list[Line]) -> list[DateCandidate]:
    found = []
    for line in lines:
        for m in ISO_DATE.finditer(line.text):
            parsed = _date(m.group(1), m.group(2), m.group(3))
            if parsed:
                found.append(DateCandidate(parsed[0], parsed[1], m.group(0), line.number))
        for m in MONTH_DAY.finditer(line.text):
            if m.group(1).lower() in MONTHS and m.group(1).lower() in MONTH_NUMBER:
                parsed = _date(m.group(3), m.group(1), m.group(2))
                if parsed:
                    found.append(DateCandidate(parsed[0], parsed[1], m.group(0), line.number))
        for m in DAY_MONTH.finditer(line.text):
            if m.group(2).lower() in MONTH_NUMBER:
                parsed = _date(m.group(3), m.group(2), m.group(1))
                if parsed:
                    found.append(DateCandidate(parsed[0], parsed[1], m.group(0), line.number))
    return found


def resolve_years(dates: list[DateCandidate]) -> list[DateCandidate]:
    """A "June 12" without a year takes the year of the nearest dated mention of the text (flagged)."""
    years = [d.value.year for d in dates if d.value]
    if not years:
        return dates
    year = max(set(years), key=years.count)
    out = []
    for d in dates:
        if d.value is None:
            try:
                out.append(DateCandidate(dt.date(year, *d.month_day), d.month_day, d.phrase, d.line))
            except ValueError:
                continue
        else:
            out.append(d)
    return out


def find_debris(lines: list[Line]) -> list[Debris]:
    seen: dict[str, int] = {}
    found: list[Debris] = []
    for line in lines:
        text = line.text.strip()
        if text in seen:
            found.append(Debris(text, f"the page repeats line {seen[text]} (duplicate of it)", line.number))
            continue
        seen[text] = line.number
        for pattern, reason in FURNITURE:
            if pattern.search(text):
                found.append(Debris(text, reason))
                break
    unique: dict[str, Debris] = {}
    for d in found:
        unique.setdefault(d.text, d)
    return list(unique.values()) + [d for d in found if d.line and unique[d.text] is not d]


def find_title(lines: list[Line], debris: list[Debris], skip: set[str]) -> Line | None:
    """The first short line near the top that is not debris, a date, a headline in capitals or a name."""
    junk = {d.text for d in debris if not d.line}
    for line in lines[:15]:
        text = line.text.strip()
        words = text.split()
        if (text in junk or text in skip or not (2 <= len(words) <= 25) or text.endswith(".")
                or text.isupper() or find_dates([line]) and len(words) <= 5):
            continue
        return line
    return lines[0] if lines else None
