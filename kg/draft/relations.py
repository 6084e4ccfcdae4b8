"""Relation records of a draft: affiliations and participations of people, statistics, commitments."""

from __future__ import annotations

from kg.draft.compose import AGENT_TYPES, Composer, clean_label, quote_for, sentence_at
from kg.draft.figures import Figure
from kg.draft.gazetteer import name_key
from kg.draft.people import Person
from kg.draft.pledges import Pledge
from kg.draft.records import DraftRecord, slugify
from kg.index.schema import normalize

POLICY_TYPES = frozenset({"Declaration", "Initiative", "ActionPlan", "PolicyDocument"})


def _role_id(composer: Composer, slug: str, quote: str) -> str:
    """The graph's role/<slug> if it has one, else a new Role record quoting where the text gives it."""
    ident = f"role/{slug}"
    if ident in composer.gazetteer.entities or ident in composer.records:
        return ident
    label = slug.replace("-", " ").capitalize()
    record = DraftRecord(ident, "Role", label, section="people",
                         review="new role: keep it, or use an existing one (`bri-kg lookup`)")
    record.add_quote(quote)
    composer.records[ident] = record
    composer.minter.taken.add(ident)
    return ident


def _person(composer: Composer, person: Person) -> str:
    ids, _ = composer.gazetteer.find(person.text)
    ids = [i for i in ids if composer.type_of(i) == "Person"]
    if ids:
        record = composer.records.setdefault(ids[0], DraftRecord(ids[0], section="reused"))
        record.add_quote(quote_for(person.line, person.start, person.end))
        return ids[0]
    key = ("Person", name_key(person.text))
    if key in composer.new_by_key:
        ident = composer.new_by_key[key]
        composer.records[ident].add_quote(quote_for(person.line, person.start, person.end))
        return ident
    label = clean_label(person.text)
    ident = composer.minter.mint("Person", label)
    composer.new_by_key[key] = ident
    record = DraftRecord(ident, "Person", label, section="people", review="new person: check the name's spelling")
    if person.text != label:
        record.alt.append(person.text)
    record.add_quote(quote_for(person.line, person.start, person.end))
    composer.records[ident] = record
    return ident


def _ministry(composer: Composer, person: Person, owner: str | None) -> str | None:
    """"Minister of X" heads the Ministry of X: the graph's, or a new organization named only in the
    title (located in the country that owns the title)."""
    if not person.title.lower().startswith("minister of ") or person.title_span is None:
        return None
    ministry = "Ministry" + person.title[len("minister"):]
    for name in ([f"{ministry} of {person.organization}"] if person.organization else []) + [ministry]:
        ids, _ = composer.gazetteer.find(name)
        found = next((i for i in ids if composer.type_of(i) == "Organization"), None)
        if found is not None:
            record = composer.records.setdefault(found, DraftRecord(found, section="reused"))
            record.add_quote(person.title_span.text)
            record.add_review(f"named only in the title {person.title!r}: check it is this ministry")
            return found
    if owner is None or composer.type_of(owner) != "Country":
        return None
    span = person.title_span
    label = f"{ministry} of {composer.label_of(owner)}"
    ident = composer.new("Organization", label, person.line, person.line.offset(span),
                         person.line.offset(span) + len(span.text), "named only in its minister's title", "new",
                         with_alt=False)
    composer.records[ident].add_fact("locatedIn", owner)
    return ident


def _organization(composer: Composer, person: Person) -> str | None:
    """The agent of a position: the ministry a minister's title names, else a known or new
    organization or country named with the title."""
    owner = _agent_named(composer, person) if person.organization else None
    ministry = _ministry(composer, person, owner)
    return ministry or owner


def _agent_named(composer: Composer, person: Person) -> str | None:
    ids, _ = composer.gazetteer.find(person.organization)
    ids = [i for i in ids if composer.type_of(i) in AGENT_TYPES]
    if ids:
        return ids[0]
    for ident, record in composer.records.items():
        if record.type in AGENT_TYPES and normalize(record.label or "") == normalize(person.organization):
            return ident
    line = person.line
    at = line.text.find(person.organization)
    if at < 0:
        return None
    from kg.draft.names import classify

    kind, why = classify(person.organization, set())
    if kind not in AGENT_TYPES:
        kind, why = "Organization", "named in a person's position"
    return composer.new(kind, person.organization, line, line.start + at, line.start + at + len(person.organization),
                        why, "new")


def add_people(composer: Composer, people: list[Person], publisher: str | None) -> list[str]:
    """Person, Affiliation and Participation records; returns the credited reporters/editors (creators)."""
    creators: list[str] = []
    event = composer.main_event()
    for person in people:
        ident = _person(composer, person)
        if person.credit and ident not in creators:
            creators.append(ident)
        org = _organization(composer, person) if not person.credit else publisher
        affiliation = _affiliation(composer, person, ident, org) if person.role else None
        if person.spoke and event and not person.credit:
            _participation(composer, person, ident, event, affiliation)
    return creators


def _affiliation(composer: Composer, person: Person, ident: str, org: str | None) -> str:
    slug = f"affiliation/{ident.split('/', 1)[1]}-{slugify(person.role)}"
    if slug in composer.records:
        return slug
    title = person.title or person.role.replace("-", " ")
    context = quote_for(person.line, person.start, person.end)
    if person.title_span is not None:
        context = person.title_span.text if len(person.title_span.text) >= 3 else context
    elif person.credit:
        around = sentence_at(person.line, person.start).text.strip()
        context = around if len(around) <= 200 else context
    role = _role_id(composer, person.role, context)
    label = f"{composer.records[ident].label or composer.gazetteer.entities[ident].label}, {title}"
    record = DraftRecord(slug, "Affiliation", label, section="people")
    quote = person.line.text[min(person.name.start_char, person.title_span.start_char if person.title_span else
                                 person.name.start_char):max(person.name.end_char, person.title_span.end_char
                                                             if person.title_span else person.name.end_char)]
    record.add_quote(quote if len(quote) >= 3 else quote_for(person.line, person.start, person.end))
    record.add_fact("org:member", ident)
    if org:
        record.add_fact("org:organization", org)
    record.add_fact("org:role", role)
    record.add_fact("positionTitle", title)
    record.add_review("position as the text gives it" + ("" if org else "; the text names no organization"))
    composer.records[slug] = record
    composer.minter.taken.add(slug)
    if ident in composer.records and composer.records[ident].type == "Person":
        composer.records[ident].add_fact("affiliation", slug)
    return slug


def _participation(composer: Composer, person: Person, ident: str, event: str, affiliation: str | None) -> None:
    slug = f"participation/{event.split('/', 1)[1][:40].strip('-')}-{ident.split('/', 1)[1]}"
    if slug in composer.records:
        return
    sentence = sentence_at(person.line, person.start)
    role = "opening-ceremony-speaker" if "opening ceremony" in sentence.text.lower() else "speaker"
    role_id = (f"role/{role}" if f"role/{role}" in composer.gazetteer.entities else
               _role_id(composer, "speaker", sentence.text.strip()[:200]))
    name = composer.records[ident].label or composer.gazetteer.entities[ident].label
    record = DraftRecord(slug, "Participation", f"{name} at {event.split('/', 1)[1]} ({role.replace('-', ' ')})",
                         section="people")
    record.add_quote(sentence.text.strip()[:300] if len(sentence.text.strip()) <= 300 else
                     quote_for(person.line, person.start, person.end))
    record.add_fact("participant", ident)
    record.add_fact("event", event)
    record.add_fact("participationRole", role_id)
    if affiliation:
        record.add_fact("inCapacityOf", affiliation)
    record.add_review(f"spoke at the event the text is most about ({event}): check")
    composer.records[slug] = record
    composer.minter.taken.add(slug)


QUALIFIER_WORDS = {"Exactly": "", "MoreThan": "More than", "AtLeast": "At least", "Approximately": "About"}


def add_statistics(composer: Composer, figures: list[Figure], listed: dict[int, list[str]] | None = None) -> None:
    event = composer.main_event()
    for n, figure in enumerate(figures):
        value = f"{figure.value.normalize():f}"
        measure = figure.measure or figure.unit
        label = " ".join(w for w in (QUALIFIER_WORDS[figure.qualifier], value, figure.unit, measure) if w)
        ident = composer.minter.mint("Statistic", label)
        record = DraftRecord(ident, "Statistic", label[:1].upper() + label[1:], section="statistics")
        sentence = figure.sentence
        quote = sentence.text.strip() if len(sentence.text.strip()) <= 300 else figure.phrase.text
        record.add_quote(quote)
        record.add_fact("value", {"value": value, "quote": figure.phrase.text})
        record.add_fact("qualifier", f"bri:{figure.qualifier}" if not figure.qualifier_text else
                        {"value": f"bri:{figure.qualifier}", "quote": figure.phrase.text})
        record.add_fact("measure", measure if len(measure) >= 3 else f"{measure} (count)")
        if figure.unit:
            record.add_fact("unit", figure.unit)
        start = figure.line.offset(figure.number)
        agents = composer.in_sentence(sentence, figure.line, AGENT_TYPES, before=start)
        if agents:
            record.add_fact("statisticOf", agents[0])
        topics = composer.in_sentence(sentence, figure.line, frozenset({"Topic"}))
        for topic in topics[:3]:
            record.add_fact("topic", topic)
        for listed_id in (listed or {}).get(n, []):
            record.add_fact("refersTo", listed_id)
        note = "check what is counted (measure) and whose count it is (statisticOf)"
        if event:
            note += f"; reported at {event}?"
        record.add_review(note)
        composer.records[ident] = record


KIND_WORDS = {"declaration": "Declaration", "initiative": "Initiative", "action plan": "ActionPlan",
              "agenda": "PolicyDocument", "plan": "ActionPlan"}


def _policy_named(composer: Composer, text: str, policies: set[str]) -> str | None:
    """"The declaration calls for ...": the one policy document of that kind the text names."""
    lowered = text.lower()
    for word, kind in KIND_WORDS.items():
        if word in lowered:
            of_kind = sorted(p for p in policies if composer.type_of(p) == kind)
            if len(of_kind) == 1:
                return of_kind[0]
    return None


def add_commitments(composer: Composer, pledges: list[Pledge]) -> None:
    """One commitment per pledge clause, of the policy document the text is most about (if any)."""
    policies = [f.ident for f in composer.found if f.type in POLICY_TYPES]
    if not policies:
        return
    main = max(set(policies), key=policies.count)
    for n, pledge in enumerate(pledges, start=1):
        text = pledge.text
        policy = _policy_named(composer, text, set(policies)) or main
        base = policy.split("/", 1)[1][:30].strip("-")
        ident = composer.minter.mint("Commitment", f"{base} {n} {text}")
        statement = text[:1].upper() + text[1:].rstrip(".;:, ") + "."
        record = DraftRecord(ident, "Commitment", f"{clean_label(composer.label_of(policy))}: {text[:80]}",
                             section="commitments")
        record.add_quote(text)
        record.add_fact("commitmentOf", policy)
        record.add_fact("statement", statement)
        start = pledge.line.offset(pledge.clause)
        end = start + len(pledge.clause.text)
        for f in composer.found:
            if f.line is pledge.line and start <= f.start < end and f.type == "Topic":
                record.add_fact("topic", f.ident)
        record.add_review(f"a pledge of {policy}? check it, its statement and topics")
        composer.records[ident] = record
