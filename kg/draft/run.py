"""``bri-kg draft data/sources/FILE.txt``: read the text, find what the graph knows and what is new,
and write the annotation a curator reviews (see docs/annotations.md and the README's "Adding a document")."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.draft.compose import Composer, add_facts, add_known_and_new, quote_for
from kg.draft.figures import find_figures
from kg.draft.gazetteer import Gazetteer
from kg.draft.groups import enumerate_groups, find_ceremonies, find_created, resolve_editions
from kg.draft.header import DateCandidate, Debris, find_dates, find_debris, find_title, resolve_years
from kg.draft.mentions import find_known
from kg.draft.names import find_names
from kg.draft.nlp import Line, read_lines
from kg.draft.people import find_people
from kg.draft.pledges import find_pledges
from kg.draft.records import DraftRecord, Minter, slugify
from kg.draft.relations import add_commitments, add_people, add_statistics
from kg.draft.writer import render

PUBLISHER_WORDS = ("news", "daily", "agency", "service", "press", "times", "post", "xinhua", "net", "academy",
                   "ministry", "television", "radio", "journal", "outlook")


@dataclass
class Draft:
    """A drafted annotation: its YAML text, its records and how long it took."""

    text: str
    records: list[DraftRecord]
    header: dict[str, Any]
    seconds: float


def _issued(dates: list[DateCandidate], title_line: int) -> tuple[Any, str]:
    """The publication date: the first dated mention near the top (year inferred if the text omits it)."""
    near_top = [d for d in dates if d.line <= title_line + 6] or dates[:1]
    if not near_top:
        return None, "no date found: add `issued:` from the page"
    first = near_top[0]
    if first.value is None:
        return None, f"{first.phrase!r} (line {first.line}) gives no year: add `issued:` with the year from the page"
    note = "; ".join(f"{d.value} from {d.phrase!r} (line {d.line})" for d in dates[:6])
    if first.phrase[-4:].isdigit() or "-" in first.phrase[:5]:
        return {"value": first.value.isoformat(), "quote": first.phrase}, f"date candidates: {note}"
    inferred = {"reasoning": f"The text gives {first.phrase!r} without a year; the year is that of the other "
                             "dates the text gives. Check it against the page.", "basis": []}
    return ({"value": first.value.isoformat(), "quote": first.phrase, "inferred": inferred},
            f"year of the issued date inferred; date candidates: {note}")


def _publisher(composer: Composer, lines: list[Line]) -> tuple[str | None, list[str]]:
    """Organizations named in the first or last lines, news outlets first."""
    edge = {line.number for line in lines[:6] + lines[-8:]}
    candidates = [f.ident for f in composer.found if f.line.number in edge and
                  composer.type_of(f.ident) == "Organization"]
    ranked = sorted(dict.fromkeys(candidates),
                    key=lambda i: -any(w in composer.label_of(i).lower() for w in PUBLISHER_WORDS))
    return (ranked[0] if ranked else None), ranked[:4]


def draft_text(text: str, source: str, gazetteer: Gazetteer, slug: str | None = None) -> Draft:
    started = time.perf_counter()
    lines = read_lines(text)
    debris = find_debris(lines)
    title = find_title(lines, debris, set())
    dates = resolve_years(find_dates(lines))
    composer = Composer(gazetteer, Minter(gazetteer.known_ids()))
    # Lines whose names are not content: repeated paragraphs, navigation, page furniture (credit,
    # copyright and source lines still name the publisher and the reporters).
    skip = {d.text for d in debris if not d.line and not d.reason.startswith(("credit", "copyright"))}
    repeats = {d.line for d in debris if d.line}
    lines = [ln for ln in lines if ln.number not in repeats]
    known = [m for m in find_known(lines, gazetteer) if m.line.text.strip() not in skip
             and not m.ids[0].startswith("document/")]
    add_known_and_new(composer, known, find_names(lines), skip, title.text.strip() if title else "")
    resolve_editions(composer, lines)
    find_ceremonies(composer, lines)
    find_created(composer, [ln for ln in lines if ln.text.strip() not in skip])
    add_facts(composer, dates)
    publisher, publishers = _publisher(composer, lines)
    creators = add_people(composer, find_people(lines), publisher)
    figures = find_figures([ln for ln in lines if ln.text.strip() not in skip or (title and ln is title)])
    add_statistics(composer, figures, enumerate_groups(composer, figures))
    add_commitments(composer, find_pledges([ln for ln in lines if ln.text.strip() not in skip]))
    header = _header(text, source, slug, title, dates, debris, publisher, publishers, creators)
    records = list(composer.records.values())
    comment = (f"Draft by `bri-kg draft` from {source} ({dt.date.today().isoformat()}).\n"
               "Review it: every `review:` note is a choice to accept (delete the note), correct, or remove with\n"
               "its record. `bri-kg lookup NAME` finds ids to reuse; `bri-kg check FILE` checks the file.")
    return Draft(render(header, records, comment), records, header, time.perf_counter() - started)


def _header(text: str, source: str, slug: str | None, title: Line | None, dates: list[DateCandidate],
            debris: list[Debris], publisher: str | None, publishers: list[str], creators: list[str]) -> dict[str, Any]:
    title_text = title.text.strip() if title else Path(source).stem
    issued, date_note = _issued(dates, title.number if title else 1)
    issued_value = issued["value"] if isinstance(issued, dict) else ""
    notes = [date_note]
    if publishers:
        notes.append(f"publisher candidates: {', '.join(publishers)}")
    else:
        notes.append("no publisher found: add `publisher:` (and a record for it) if the page names one")
    notes.append("add `url:` and `retrieved:` if known; check `not_content` (debris candidates)")
    return {
        "slug": slug or slugify(f"{issued_value[:10]} {title_text}")[:60].strip("-"),
        "file": source,
        "title": title_text,
        "kind": "NewsArticle",
        "issued": issued,
        "publisher": publisher,
        "creators": creators,
        "language": "en",
        "quote": quote_for(title, title.start, title.start + len(title.text.rstrip())) if title else None,
        "not_content": list({d.text: {"text": d.text, "reason": d.reason} for d in debris if d.text in text}.values()),
        "review": "; ".join(notes),
    }


def draft_file(path: Path, data_dir: Path, gazetteer: Gazetteer, slug: str | None = None) -> Draft:
    """Draft the annotation of *path* (a file under data_dir/sources)."""
    source = str(path.resolve().relative_to(data_dir.resolve())) if path.resolve().is_relative_to(
        data_dir.resolve()) else str(path)
    return draft_text(path.read_text(encoding="utf-8"), source, gazetteer, slug)
