"""People, their positions and where they spoke: "Minister X of Y said at Z" gives a person, an
affiliation (position title, role, organization) and a participation.

Read from spaCy tokens around role words (kg.draft.lexicon.ROLES): "Vice Premier Ding Xuexiang",
"Luo Delong, deputy director-general of the ... organization", "Thailand's Minister of ... Supamas
Isarabhakdi", credit lines ("Reporter ...", "Edited by ...", "By A, B & C", "Photo by ..."), and a
name before a speech verb ("... said").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from kg.draft.lexicon import CREDITS, DEMONYMS, HEADS, ROLES, SPEECH_VERBS
from kg.draft.names import MONTHS
from kg.draft.nlp import Line

NAME_MAX = 3


@dataclass(frozen=True)
class Person:
    """A person the text names, with the position it gives them (if any)."""

    name: Span
    line: Line
    role: str = ""          # role slug (reporter, minister, ...)
    title: str = ""         # the position as the text words it
    title_span: Span | None = None
    organization: str = ""  # the organization or country in words, as the text gives it
    spoke: bool = False     # a speech verb follows: took part in an event as a speaker
    credit: bool = False    # a credit line: reporter, editor, photographer of the source

    @property
    def text(self) -> str:
        return self.name.text

    @property
    def start(self) -> int:
        return self.line.offset(self.name)

    @property
    def end(self) -> int:
        return self.start + len(self.name.text)


def _name_token(doc: Doc, i: int) -> bool:
    t = doc[i] if 0 <= i < len(doc) else None
    return (t is not None and t.is_alpha and (t.is_title or t.is_upper) and not t.is_stop
            and t.lower_ not in HEADS and t.lower_ not in ROLES and t.lower_ not in MONTHS
            and t.text not in DEMONYMS)


def _name_after(doc: Doc, i: int) -> Span | None:
    j = i
    while j < len(doc) and j - i < NAME_MAX and _name_token(doc, j):
        j += 1
    return doc[i:j] if j - i >= 2 else None


def _name_before(doc: Doc, end: int) -> Span | None:
    i = end
    while i > 0 and end - i < NAME_MAX and _name_token(doc, i - 1):
        i -= 1
    return doc[i:end] if end - i >= 2 else None


def _role_at(doc: Doc, i: int) -> tuple[int, str] | None:
    for words in (5, 4, 3, 2, 1):
        phrase = doc[i:i + words].text.lower()
        if i + words <= len(doc) and phrase in ROLES:
            return i + words, ROLES[phrase]
    return None


def _cap_run(doc: Doc, i: int) -> int:
    """End of the run of capitalised words (and joiners) starting at *i*."""
    j, last = i, i
    while j < len(doc) and (doc[j]._.cap or doc[j]._.link or doc[j].text in ",()" or doc[j].is_upper):
        if doc[j]._.cap or (doc[j].text == ")" and "(" in doc[i:j].text):
            last = j + 1
        j += 1
    return last


def _owner_before(doc: Doc, i: int) -> tuple[str, int]:
    """"Thailand's Minister", "Chinese Vice Premier", "the UN Secretary-General's Envoy": the agent, and
    where the title starts (a role word before the possessive belongs to the title)."""
    if i > 0 and doc[i - 1].text in DEMONYMS:
        return DEMONYMS[doc[i - 1].text], i
    if i > 1 and doc[i - 1].lower_ in ("'s", "’s"):
        j = i - 1
        while j > 0 and (doc[j - 1]._.cap or doc[j - 1].text == "-"):
            j -= 1
        for k in range(j, i - 1):
            if _role_at(doc, k) is not None:
                return doc[j:k].text, k
        return doc[j:i - 1].text, i
    return "", i


def _name_then_of(doc: Doc, start: int, run_end: int) -> tuple[Span, str] | None:
    """"Minister of Science and Technology Wang Ceshi of China": the name before a second "of", and
    the organization or country after it."""
    for k in range(start + 2, run_end):
        if doc[k].lower_ == "of" and _name_token(doc, k - 1) and _name_token(doc, k - 2) and k - 2 > start:
            return doc[k - 2:k], doc[k + 1:run_end].text
    return None


def _title_and_name(doc: Doc, start: int, end: int) -> tuple[int, Span | None]:
    """After a role word: an "of/on ..." complement, then the name (its last two capitalised words)."""
    if end < len(doc) and doc[end].lower_ in ("of", "on", "for") and end + 1 < len(doc) and doc[end + 1]._.cap:
        run_end = _cap_run(doc, end + 1)
        tail = _name_then_of(doc, end + 1, run_end)
        if tail is not None:
            return tail[0].start, tail[0]
        name = _name_before(doc, run_end)
        if name is not None and run_end - (end + 1) > 2:
            name = doc[name.end - 2:name.end] if len(name) > 2 else name
            return name.start, name
        return run_end, None
    return end, _name_after(doc, end)


def _spoke(span: Span) -> bool:
    """A speech verb in the sentence: the person spoke (at the event the text is about)."""
    return any(t.lower_ in SPEECH_VERBS for t in span.sent)


def _name_comma_role(line: Line, i: int, end: int, role: str) -> tuple[Person, int] | None:
    """"Luo Delong, deputy director-general of the ITER organization": the name before the comma, the
    organization after "of/at/from"."""
    doc = line.doc
    after_comma = i >= 2 and (doc[i - 1].text == "," or (doc[i - 1].lower_ in ("a", "an", "the")
                                                           and doc[i - 2].text == ","))
    if not after_comma:
        return None
    name = _name_before(doc, i - 1 if doc[i - 1].text == "," else i - 2)
    if name is None:
        return None
    org_start = end + (2 if end + 1 < len(doc) and doc[end + 1].lower_ == "the" else 1)
    linked = end < len(doc) and doc[end].lower_ in ("of", "at", "from")
    org_end = _cap_run(doc, org_start) if linked else end
    if org_end < len(doc) and doc[org_end].lower_ in HEADS:
        org_end += 1
    org = doc[org_start:org_end].text if org_end > org_start else ""
    return Person(name, line, role, doc[i:end].text, doc[i:end], org, _spoke(name)), org_end


def _role_then_name(line: Line, i: int, end: int, role: str) -> Person | None:
    """"Chinese Vice Premier Ding Xuexiang", "Minister of Science and Technology Wang Ceshi of China"."""
    doc = line.doc
    title_end, name = _title_and_name(doc, i, end)
    if name is None:
        return None
    owner, first = _owner_before(doc, i)
    if not owner and name.end + 1 < len(doc) and doc[name.end].lower_ == "of" and doc[name.end + 1]._.cap:
        owner = doc[name.end + 1:_cap_run(doc, name.end + 1)].text
    title = doc[first:title_end]
    return Person(name, line, role, title.text, title, owner, _spoke(name))


def _people_with_roles(line: Line) -> list[Person]:
    doc, found, i = line.doc, [], 0
    while i < len(doc):
        hit = _role_at(doc, i)
        if hit is None or (i > 0 and doc[i - 1].lower_ in ("deputy", "vice")):
            i += 1
            continue
        end, role = hit
        before = _name_comma_role(line, i, end, role)
        if before is not None:
            found.append(before[0])
            i = before[1]
            continue
        after = _role_then_name(line, i, end, role)
        if after is not None:
            found.append(after)
            i = after.name.end
            continue
        i = end
    return found


def _credits(line: Line) -> list[Person]:
    """Reporter, editor and photographer credits: "(Reporter A B C D)", "Edited by X", "By A, B & C"."""
    doc, found, skip = line.doc, [], -1
    for i in range(len(doc)):
        if i <= skip:
            continue
        for words in (2, 1):
            cue = doc[i:i + words].text.lower()
            if i + words > len(doc) or cue not in CREDITS:
                continue
            role = CREDITS[cue]
            j = i + words
            if j < len(doc) and doc[j].text in (":", "by") and cue != "by":
                j += 1
            if cue == "by" and not (i == 0 or doc[i - 1].text in ("(", ":")):
                continue
            names = _credit_names(line, doc, j, role)
            found += names
            skip = names[-1].name.end if names else i + words - 1
            break
    return found


def _credit_names(line: Line, doc: Doc, j: int, role: str) -> list[Person]:
    names = []
    while j < len(doc):
        end = j
        while end < len(doc) and end - j < 4 and _name_token(doc, end):
            end += 1
        if end - j < 2:
            break
        name = doc[j:j + 2] if end - j == 4 else doc[j:end]
        names.append(Person(name, line, role, role.replace("-", " ").capitalize(), None, "", credit=True))
        j = name.end
        if j < len(doc) and doc[j].text in (",", "&", "and"):
            j += 1
        elif not _name_token(doc, j):
            break
    return names


def _speakers(line: Line, taken: set[int]) -> list[Person]:
    """"Mustafa Shenhu said ...": two or three capitalised words right before a speech verb, not the
    tail of a longer name ("... Innovation Community pledged")."""
    doc, found = line.doc, []
    for i, token in enumerate(doc):
        if token.lower_ not in SPEECH_VERBS:
            continue
        name = _name_before(doc, i)
        if name is None or taken & set(range(name.start, name.end)):
            continue
        before = doc[name.start - 1] if name.start > 0 else None
        if before is not None and (before._.cap or before.lower_ in ("and", "of", "the")):
            continue
        found.append(Person(name, line, spoke=True))
    return found


def find_people(lines: list[Line]) -> list[Person]:
    people: list[Person] = []
    for line in lines:
        credits = _credits(line)
        taken = {k for p in credits for k in range(p.name.start, p.name.end)}
        here = credits + [p for p in _people_with_roles(line)
                          if not taken & set(range(p.name.start, p.name.end))]
        taken |= {k for p in here for k in range(p.name.start, p.name.end)}
        people += here + _speakers(line, taken)
    return people
