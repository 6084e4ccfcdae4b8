"""From what was found in the text to draft records: reuse records for known entities, typed records for
new ones with the facts their sentence gives (where held, launched at, located in), each with a
verbatim quote and, where the choice is uncertain, a ``review:`` note."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Span

from kg.draft.gazetteer import Gazetteer, name_key
from kg.draft.header import DateCandidate
from kg.draft.mentions import Mention
from kg.draft.names import Name, country_code
from kg.draft.nlp import Line
from kg.draft.records import FOLDERS, DraftRecord, Minter
from kg.index.schema import normalize

PLACE_TYPES = frozenset({"City", "Province", "Country", "Region"})
AGENT_TYPES = frozenset({"Organization", "TechnologyTransferCenter", "Person", "City", "Province", "Country",
                         "Region", "AgentGroup", "Alliance", "JointLab"})
EVENT_TYPES = frozenset({"Conference", "Event"})
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10}
MAX_QUOTE = 300


@dataclass(frozen=True)
class Found:
    """A resolved passage: which id it names, where, and of what type."""

    ident: str
    type: str
    start: int
    end: int
    line: Line


@dataclass
class Composer:
    """Collects the draft's records, keyed by id, in the order they were first found."""

    gazetteer: Gazetteer
    minter: Minter
    records: dict[str, DraftRecord] = field(default_factory=dict)
    found: list[Found] = field(default_factory=list)
    new_by_key: dict[tuple[str, str], str] = field(default_factory=dict)

    # -- records ----------------------------------------------------------------------------
    def type_of(self, ident: str) -> str:
        if ident in self.records and self.records[ident].type:
            return self.records[ident].type or ""
        known = self.gazetteer.entities.get(ident)
        return known.type if known else ""

    def reuse(self, mention: Mention) -> str:
        ident = mention.ids[0]
        record = self.records.setdefault(ident, DraftRecord(ident, section="reused"))
        record.add_quote(quote_for(mention.line, mention.start, mention.end))
        known = self.gazetteer.entities[ident]
        if mention.how != "exact" and mention.text not in known.names and mention.text not in record.alt:
            record.alt.append(mention.text)
            record.add_review(f"found by {mention.how} ({mention.text!r} for {known.label!r}): check it is the same")
        if len(mention.ids) > 1 and "ambiguous" not in (record.review or ""):
            others = ", ".join(f"{i} ({self.gazetteer.entities[i].type})" for i in mention.ids[1:4])
            record.add_review(f"ambiguous: {mention.text!r} also names {others}; keep the right id")
        self.found.append(Found(ident, known.type, mention.start, mention.end, mention.line))
        return ident

    def new(self, kind: str, label: str, line: Line, start: int, end: int, why: str, section: str,
            with_alt: bool = True) -> str:
        key = (kind if kind not in PLACE_TYPES else "Place", name_key(re.sub(r"\([^)]*\)", " ", label)))
        ident = self.new_by_key.get(key)
        near = None if ident else self.gazetteer.same_kind_near(label, FOLDERS[kind])
        if near is not None:
            record = self.records.setdefault(near, DraftRecord(near, section="reused"))
            record.add_quote(quote_for(line, start, end))
            text = line.text[start - line.start:end - line.start]
            if with_alt and text not in self.gazetteer.entities[near].names and text not in record.alt:
                record.alt.append(text)
            record.add_review(f"{text!r} taken for {self.gazetteer.entities[near].label!r} (a near or shorter "
                              f"name): check it is the same {kind}, else give it a new record")
            self.found.append(Found(near, self.gazetteer.entities[near].type, start, end, line))
            return near
        if ident is None:
            ident = self.minter.mint(kind, label)
            self.new_by_key[key] = ident
            self.records[ident] = DraftRecord(ident, kind, clean_label(label), section=section)
            note = f"new {kind} ({why})" if why else f"new {kind}"
            close = self.gazetteer.near(label, limit=2)
            if close:
                note += "; close to " + ", ".join(f"{i} ({score:.0f}%)" for i, score in close)
            self.records[ident].add_review(note)
        record = self.records[ident]
        record.add_quote(quote_for(line, start, end))
        text = line.text[start - line.start:end - line.start]
        if with_alt and text != record.label and text not in record.alt and \
                normalize(text) != normalize(record.label or ""):
            record.alt.append(text)
        self.found.append(Found(ident, kind, start, end, line))
        return ident

    # -- what a sentence holds ----------------------------------------------------------------
    def in_sentence(self, sentence: Span, line: Line, types: frozenset[str] | None = None,
                    before: int | None = None) -> list[str]:
        lo, hi = line.start + sentence.start_char, line.start + sentence.end_char
        out = []
        for f in self.found:
            if (f.line is line and lo <= f.start < hi and (types is None or f.type in types)
                    and (before is None or f.start < before) and f.ident not in out):
                out.append(f.ident)
        return out

    def label_of(self, ident: str) -> str:
        if ident in self.records and self.records[ident].label:
            return self.records[ident].label or ident
        known = self.gazetteer.entities.get(ident)
        return known.label if known else ident

    def main_event(self) -> str | None:
        """The conference the text is most about (most mentioned)."""
        counts = Counter(f.ident for f in self.found if f.type == "Conference")
        return counts.most_common(1)[0][0] if counts else None


def clean_label(text: str) -> str:
    """A label as a name is written: no leading article, no wrapping quotes, names in capitals tamed."""
    words = text.strip().strip('"“”').split()
    if words and words[0].lower() == "the":
        words = words[1:]
    if len(words) <= 3 and all(w.isalpha() for w in words) and any(w.isupper() and len(w) > 1 for w in words) \
            and not all(w.isupper() for w in words):
        words = [w.capitalize() for w in words]
    return " ".join(words)


def quote_for(line: Line, start: int, end: int) -> str:
    """A verbatim quote around a passage: the passage itself if it is long enough, else its sentence."""
    local_start, local_end = start - line.start, end - line.start
    text = line.text[local_start:local_end]
    if len(text) >= 4:
        return text
    lo = line.text.rfind(" ", 0, max(0, local_start - 25)) + 1
    hi = line.text.find(" ", min(len(line.text), local_end + 25))
    return line.text[lo:hi if hi > 0 else len(line.text)].strip()


def sentence_at(line: Line, start: int) -> Span:
    local = start - line.start
    for sentence in line.doc.sents:
        if sentence.start_char <= local < sentence.end_char:
            return sentence
    return line.doc[:]


def _reuse_mentions(composer: Composer, mentions: list[Mention], names: list[Name], skip: set[str]) -> list[
        tuple[int, int]]:
    """Reuse records for known mentions, except one inside a longer new name ("China" in "China News
    Service" is part of the name, not a mention of its own); returns the passages covered."""
    covered: list[tuple[int, int]] = []
    typed = [(n.start, n.end) for n in names if n.kind and n.kind not in PLACE_TYPES
             and n.line.text.strip() not in skip]
    for mention in mentions:
        if any(s <= mention.start and mention.end <= e and (e - s) > (mention.end - mention.start) * 2
               for s, e in typed):
            continue
        composer.reuse(mention)
        covered.append((mention.start, mention.end))
    return covered


def add_known_and_new(composer: Composer, mentions: list[Mention], names: list[Name], skip: set[str],
                      title: str = "") -> None:
    """Reuse records for known mentions; new records for typed names no mention covers. Names in the
    title only link to what the graph has (a headline is not where a new thing is introduced)."""
    from kg.draft.groups import split_coordinated

    covered = _reuse_mentions(composer, mentions, names, skip)
    for name in names:
        if name.kind is None or name.line.text.strip() in skip:
            continue
        if title and name.line.text.strip() == title:
            if composer.gazetteer.same_kind_near(name.text, FOLDERS[name.kind]) is not None:
                composer.new(name.kind, name.text, name.line, name.start, name.end, name.why, "new")
            continue
        if any(s <= name.start and name.end <= e for s, e in covered) or (
                name.kind in PLACE_TYPES and any(s < name.end and name.start < e for s, e in covered)):
            continue
        parts = split_coordinated(name)
        for label in parts or [name.text]:
            composer.new(name.kind, label, name.line, name.start, name.end,
                         name.why + ("; one of the things a coordinated name lists" if parts else ""), "new",
                         with_alt=not parts)


def add_facts(composer: Composer, dates: list[DateCandidate]) -> None:
    """The facts a new record's own sentences give."""
    for record in list(composer.records.values()):
        if record.section != "new" or record.type is None:
            continue
        for f in [f for f in composer.found if f.ident == record.id][:3]:
            context = Context(composer, record, f, sentence_at(f.line, f.start), dates)
            FACTS_BY_KIND.get(record.type, _no_facts)(context)


@dataclass
class Context:
    """A new record's sentence and what else the sentence names."""

    composer: Composer
    record: DraftRecord
    found: Found
    sentence: Span
    dates: list[DateCandidate]

    def named(self, types: frozenset[str]) -> list[str]:
        return [i for i in self.composer.in_sentence(self.sentence, self.found.line, types) if i != self.record.id]

    def says(self, *stems: str) -> bool:
        lowered = self.sentence.text.lower()
        return any(stem in lowered for stem in stems)


def _no_facts(c: Context) -> None:
    return None


PLACE_ORDER = {"City": 0, "Province": 1, "Country": 2, "Region": 3}  # the most specific place is where


def _event_facts(c: Context) -> None:
    places = sorted(c.named(PLACE_TYPES), key=lambda p: PLACE_ORDER.get(c.composer.type_of(p), 4))
    events = c.named(EVENT_TYPES)
    if places and "heldIn" not in c.record.facts:
        c.record.add_fact("heldIn", places[0])
    _dates_of(c.record, c.found.line, c.sentence, c.dates, "date" if c.record.type == "Event" else "startDate")
    ordinal = (c.record.label or "").split()[0].lower() if c.record.label else ""
    if ordinal in ORDINALS:
        c.record.add_fact("editionNumber", ORDINALS[ordinal])
    if c.record.type == "Event" and events:
        c.record.add_fact("subEventOf", events[0])


def _policy_facts(c: Context) -> None:
    events = c.named(EVENT_TYPES)
    if events and c.says("adopt", "release", "issue", "put forward", "unveil", "sign"):
        c.record.add_fact("adoptedAt", events[0])
        c.record.add_review(f"adopted at {events[0]}? (same sentence)")


def _outcome_facts(c: Context) -> None:
    events = c.named(EVENT_TYPES)
    if events and c.says("launch", "release", "initiat", "unveil", "announce"):
        c.record.add_fact("launchedAt", events[0])
    if c.record.type in ("Alliance", "Program"):
        for topic in c.named(frozenset({"Topic"}))[:3]:
            c.record.add_fact("topic", topic)
    if c.record.type == "JointLab":
        for place in c.named(PLACE_TYPES)[:3]:
            c.record.add_fact("partnerCountry", place)


def _city_facts(c: Context) -> None:
    """"Chengdu, Sichuan province": the larger place named with it, the most specific one."""
    larger = sorted((p for p in c.named(PLACE_TYPES) if c.composer.type_of(p) in ("Province", "Country")),
                    key=lambda p: PLACE_ORDER[c.composer.type_of(p)])
    if larger and "locatedIn" not in c.record.facts:
        c.record.add_fact("locatedIn", larger[0])


def _country_facts(c: Context) -> None:
    code = country_code(c.record.label or "")
    if code:
        c.record.description = f"ISO 3166-1 alpha-2 {code}."


def _organization_facts(c: Context) -> None:
    """"China's Ministry of ...": a country that opens the name is where the organization is."""
    countries = [p for p in c.named(PLACE_TYPES) if c.composer.type_of(p) == "Country"]
    if countries and "locatedIn" not in c.record.facts and \
            (c.record.label or "").lower().startswith(c.composer.label_of(countries[0]).lower()):
        c.record.add_fact("locatedIn", countries[0])


FACTS_BY_KIND = {
    "Conference": _event_facts, "Event": _event_facts,
    **dict.fromkeys(["Declaration", "Initiative", "ActionPlan", "PolicyDocument"], _policy_facts),
    **dict.fromkeys(["Program", "Alliance", "Report", "JointLab", "TechnologyTransferCenter"], _outcome_facts),
    "City": _city_facts, "Country": _country_facts, "Organization": _organization_facts,
}


def _dates_of(record: DraftRecord, line: Line, sentence: Span, dates: list[DateCandidate],
              prop: str = "startDate") -> None:
    here = [d for d in dates if d.line == line.number and d.phrase in sentence.text and d.value]
    if not here or prop in record.facts:
        return
    first = here[0]
    assert first.value is not None
    record.add_fact(prop, {"value": first.value.isoformat(), "quote": first.phrase})
    record.add_review(f"{prop} from the same sentence" + ("; add endDate if the text gives one"
                                                           if prop == "startDate" else ""))


def group_by_line(found: list[Found]) -> dict[int, list[Found]]:
    out: dict[int, list[Found]] = defaultdict(list)
    for f in found:
        out[f.line.number].append(f)
    return out
