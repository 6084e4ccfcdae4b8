"""Things a text names without a name of their own: "the first conference" (an edition the graph knows),
"Five ... alliances were launched for cooperation on A, B, C, D and E" (five alliances, one per field),
"Special Cooperation Programs for AI and Spatial Information" (two programs)."""

from __future__ import annotations

from rapidfuzz import fuzz
from spacy.tokens import Span

from kg.draft.compose import ORDINALS, Composer, Found, quote_for, sentence_at
from kg.draft.figures import Figure
from kg.draft.gazetteer import singular
from kg.draft.lexicon import HEADS
from kg.draft.names import Name
from kg.draft.nlp import Line
from kg.draft.records import DraftRecord
from kg.index.schema import normalize

EDITION_WORDS = frozenset({"conference", "forum", "summit", "session", "edition", "congress", "expo"})
LIST_CUES = ("for cooperation on", "for cooperation in", "covering", "including", "on", "for", "in")
GROUP_KINDS = frozenset({"Alliance", "JointLab", "Program", "Organization", "TechnologyTransferCenter"})
MAX_ITEMS = 12


def resolve_editions(composer: Composer, lines: list[Line]) -> None:
    """"the first conference": the known conference of that edition nearest in name to the main one."""
    main = composer.main_event()
    if main is None:
        return
    main_label = _without_ordinal(composer.label_of(main))
    for line in lines:
        for token in line.doc[:-1]:
            if token.lower_ not in ORDINALS or token.nbor().lower_ not in EDITION_WORDS:
                continue
            candidates = [k for k in composer.gazetteer.entities.values() if k.type == "Conference"
                          and k.label.split()[0].lower() == token.lower_]
            if not candidates:
                continue
            best = max(candidates, key=lambda k: fuzz.token_sort_ratio(_without_ordinal(k.label), main_label))
            if fuzz.token_sort_ratio(_without_ordinal(best.label), main_label) < 80 or best.ident == main:
                continue
            start = line.offset(token)
            end = start + len(token.text) + 1 + len(token.nbor().text)
            record = composer.records.setdefault(best.ident, _reuse(best.ident))
            record.add_quote(quote_for(line, start, end) if end - start >= 12 else
                             sentence_at(line, start).text.strip()[:200])
            record.add_review(f"{line.text[start - line.start:end - line.start]!r} read as {best.label!r}: check")
            composer.found.append(Found(best.ident, "Conference", start, end, line))


def _reuse(ident: str) -> DraftRecord:
    return DraftRecord(ident, section="reused")


def _without_ordinal(label: str) -> str:
    words = normalize(label).split()
    return " ".join(words[1:] if words and words[0] in ORDINALS else words)


def _items(text: str) -> list[str]:
    parts = [p.strip(" .") for chunk in text.split(",") for p in chunk.replace(" and ", ",").split(",")]
    return [p for p in parts if p]


def enumerate_groups(composer: Composer, figures: list[Figure]) -> dict[int, list[str]]:
    """One record per listed item when a counted plural ("Five ... alliances") is followed by exactly
    that many items; returns, per figure, the ids made (the statistic refers to them)."""
    made: dict[int, list[str]] = {}
    for n, figure in enumerate(figures):
        words = figure.measure.split()
        head_word = singular(words[-1].lower()) if words else ""
        if head_word not in HEADS or HEADS[head_word] not in GROUP_KINDS:
            continue
        if figure.value > MAX_ITEMS or figure.value != int(figure.value):
            continue
        sentence = figure.sentence
        after = sentence.text[figure.phrase.end_char - sentence.start_char:]
        lowered = after.lower()
        cue = next((c for c in LIST_CUES if f" {c} " in lowered), None)
        if cue is None:
            continue
        items = _items(after[lowered.index(f" {cue} ") + len(cue) + 2:])
        if len(items) != int(figure.value):
            continue
        kind = HEADS[head_word]
        head = " ".join(words[:-1] + [singular(words[-1]).lower() if words[-1].lower() != "laboratories"
                                      else "laboratory"])
        ids = []
        line = figure.line
        start = line.offset(figure.phrase)
        for item in items:
            label = f"{head} on {item}"
            ident = composer.new(kind, label, line, start, start + len(figure.phrase.text),
                                 "", "new", with_alt=False)
            record = composer.records[ident]
            record.quotes[:] = [sentence.text.strip()] if len(sentence.text.strip()) <= 300 else record.quotes
            topic, _ = composer.gazetteer.find(item)
            topics = [t for t in topic if composer.type_of(t) == "Topic"]
            if topics:
                record.add_fact("topic", topics[0])
            event = composer.main_event()
            if event and "launch" in sentence.text.lower():
                record.add_fact("launchedAt", event)
            record.review = (f"one of the {int(figure.value)} {figure.measure} the text lists, named by its field "
                             "only: give it its full name if another source has one")
            ids.append(ident)
        made[n] = ids
    return made


def split_coordinated(name: Name) -> list[str]:
    """"Belt and Road Special Cooperation Programs for AI and Spatial Information Science and Technology"
    -> the two programs it names (labels), or [] if the name is one thing."""
    words = name.text.split()
    lower = [w.lower() for w in words]
    for i, word in enumerate(lower[:-2]):
        if word in HEADS and word.endswith("s") and lower[i + 1] in ("for", "on") and "and" in lower[i + 2:]:
            first_and = lower.index("and", i + 2)
            head = " ".join(words[:i] + [words[i][:-1]])
            left = " ".join(words[i + 2:first_and])
            right = " ".join(words[first_and + 1:])
            return [f"{head} {words[i + 1]} {left}", f"{head} {words[i + 1]} {right}"]
    return []


CREATE_VERBS = ("set up", "establish", "established", "create", "created", "launch", "launched", "found",
                "founded", "build", "built", "open", "opened")
CREATED_KINDS = frozenset({"Organization", "Program", "Alliance", "JointLab", "TechnologyTransferCenter", "Report"})
NOT_CREATED = frozenset({"network", "partnership", "zone", "park", "community", "mechanism"})  # ideas, not bodies


def find_created(composer: Composer, lines: list[Line]) -> None:
    """"China will set up a global scientific research fund", "launched ... a cooperation plan for ...":
    a thing a pledge or launch creates, named without capitals; a new record for the curator to check."""
    for line in lines:
        for sentence in line.doc.sents:
            lowered = sentence.text.lower()
            if not any(f"{verb} " in lowered for verb in CREATE_VERBS):
                continue
            for token in sentence:
                if token.lower_ not in ("a", "an") or token.i == 0:
                    continue
                found = _created_phrase(sentence, token.i + 1)
                if found is None:
                    continue
                start, end, kind = found
                label = line.doc[start:end].text
                composer.new(kind, label[:1].upper() + label[1:], line, line.offset(line.doc[start:end]),
                             line.offset(line.doc[start:end]) + len(label),
                             "a thing the text says is set up or launched, named without capitals", "new")


def _created_phrase(sentence: Span, start: int) -> tuple[int, int, str] | None:
    """"a global scientific research fund": lower-case words up to a head noun (and its "for ..." or
    "in ..." complement up to the next comma); None if no head noun comes within six words."""
    doc = sentence.doc
    before = doc[sentence.start:start].text.lower()
    if not any(f"{verb} " in before[-80:] for verb in CREATE_VERBS):
        return None
    for k in range(start, min(start + 6, sentence.end)):
        word = doc[k].lower_
        if doc[k].is_punct or (doc[k].is_title and not doc[k].is_sent_start):
            return None
        kind = HEADS.get(singular(word)) if singular(word) in HEADS else None
        if kind in CREATED_KINDS and singular(word) not in NOT_CREATED:
            end = k + 1
            if end < sentence.end and doc[end].lower_ in ("for", "in", "on"):
                while end < sentence.end and doc[end].text not in (",", ".", ";", ":", "(", ")"):
                    end += 1
            return start, end, "Organization" if kind == "JointLab" and "joint" not in before else kind
    return None


CEREMONY_KINDS = ("opening", "closing", "signing", "launch", "award", "unveiling")


def find_ceremonies(composer: Composer, lines: list[Line]) -> None:
    """"on June 11 at the opening ceremony of the second ... Conference": an event of its own, within
    the conference, with the day the sentence gives (kg.draft.compose adds the date and subEventOf)."""
    for line in lines:
        for token in line.doc[1:]:
            if token.lower_ != "ceremony" or token.nbor(-1).lower_ not in CEREMONY_KINDS:
                continue
            sentence = sentence_at(line, line.offset(token))
            events = composer.in_sentence(sentence, line, frozenset({"Conference"}))
            event = events[0] if events else composer.main_event()
            if event is None:
                continue
            label = f"{token.nbor(-1).text.capitalize()} ceremony of the {composer.label_of(event)}"
            start = line.offset(token.nbor(-1))
            ident = composer.new("Event", label, line, start, start + len(token.nbor(-1).text) + 1 + len(token.text),
                                 "a ceremony the text dates or places within an event", "new", with_alt=False)
            if composer.records[ident].type == "Event":  # new: a reuse record keeps the graph's facts
                composer.records[ident].add_fact("subEventOf", event)
