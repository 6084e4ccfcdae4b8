"""What the synthetic documents say: one conference edition at a time, a few documents about it.

An edition of a conference series yields its opening news (venue, dates, organizers, speakers with
their affiliations, attendance statistics), usually the full text of a policy adopted there
(declaration, initiative or action plan, with numbered commitments), often a news item on its
outcomes (alliances, a program with sub-programs, a report, statistics), and sometimes the launch
of a batch of joint laboratories. :meth:`Writer.documents` is the endless stream of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bench.synth.documents import Draft
from bench.synth.names import (
    EVENT_ROLES,
    QUALIFIERS,
    REGIONS,
    SECTIONS,
    STATEMENTS,
    date_text,
    number_text,
    ordinal,
    slugify,
    title_case,
)
from bench.synth.world import CHINA, Series, World
from kg.ingest.annotations import QuotedValue

POLICY_KINDS = ["Declaration", "Initiative", "ActionPlan"]   # classes of the ontology


@dataclass
class Conf:
    """One edition of a conference series."""

    id: str
    label: str
    alt: str
    series: Series
    edition: int
    start: dt.date
    end: dt.date
    city: str

    @property
    def ordinal_word(self) -> str:
        return ordinal(self.edition).lower()

    @property
    def key(self) -> str:
        """The local part of the conference id, the stem of the ids and slugs about it."""
        return self.id.split("/")[1]


class Writer:
    """Writes the documents of the corpus, one conference edition (a few documents) at a time."""

    def __init__(self, seed: int) -> None:
        self.w = World(seed)
        self.rng = self.w.rng

    def documents(self) -> Iterator[Draft]:
        while True:
            yield from self.unit()

    def _draft(self, slug: str, title: str, kind: str, issued: dt.date) -> Draft:
        doc = Draft(self.w, self.w.new_slug(slug), title, kind, issued)
        doc.header()
        return doc

    def unit(self) -> Iterator[Draft]:
        """The documents about one conference edition: opening news, the policy text, outcomes, labs."""
        series = self.w.pick_series()
        series.editions += 1
        edition, year = series.editions, series.start_year + series.editions - 1
        start = dt.date(year, self.rng.randint(3, 11), self.rng.randint(1, 25))
        end = start + dt.timedelta(days=self.rng.randint(1, 2))
        city = series.city if self.rng.random() < 0.7 else self.rng.choice(self.w.cities)
        word = ordinal(edition)
        conf = Conf(self.w.new_id("conference", f"{series.id.split('/')[1]}-{year}"),
                    f"{word} {series.name}", f"{word} {series.alt}", series, edition, start, end, city)
        self.w.units += 1
        yield self._opening(conf)
        if self.rng.random() < 0.85:
            yield self._policy(conf)
        if self.rng.random() < 0.7:
            yield self._outcomes(conf)
        if self.rng.random() < 0.45:
            yield self._labs(conf)

    # -- the opening news ---------------------------------------------------------------------------
    def _opening(self, c: Conf) -> Draft:
        city_label = self.w.labels[c.city]
        province = self.w.province_of(c.city)
        where = f"{city_label}, {self.w.labels[province]}" if province else city_label
        doc = self._draft(f"{c.key}-opening", f"{c.label} opens in {city_label}", "NewsArticle", c.start)
        sentence = doc.say(f"The {c.label} opened in {where}, on {date_text(c.start)}.")
        runs = doc.say(f"The conference runs from {date_text(c.start)} to {date_text(c.end)}.")
        start_q, end_q = f"from {date_text(c.start)}", f"to {date_text(c.end)}"
        series_q = doc.say(f"It is the {c.ordinal_word} edition of the {c.series.name}.")
        doc.place(c.city)
        if province:
            doc.place(province, self.w.labels[province])
        first = c.series.id not in self.w.defined
        doc.entity(c.series.id, series_q, "ConferenceSeries", c.series.name, alt=[c.series.alt] if first else None)
        organizers = list(dict.fromkeys(self.w.new_or_existing_org(CHINA, True)
                                        for _ in range(self.rng.randint(1, 3))))
        names = [self.w.labels[o] for o in organizers]
        hosted = doc.say("The conference is hosted by " + " and ".join(f"the {n}" for n in names) + ".")
        for org_id in organizers:
            doc.org(org_id)
        doc.entity(c.id, sentence, "Conference", c.label,
                   {"inSeries": c.series.id, "editionNumber": c.edition, "heldIn": c.city,
                    "startDate": QuotedValue(value=c.start, quote=start_q),
                    "endDate": QuotedValue(value=c.end, quote=end_q), "organizer": organizers})
        doc.record(c.id, hosted)
        doc.record(c.id, runs)
        self._participants(doc, c)
        participants = self.rng.randint(3, 40) * 50
        countries = self.rng.randint(10, 80)
        qual, qual_text = self.rng.choice(QUALIFIERS)
        line = doc.say(f"{qual_text.capitalize() + ' ' if qual_text else ''}{number_text(participants)} participants "
                       f"from {countries} countries and regions attended the conference.")
        self._statistic(doc, c, line, participants, qual, f"participants in the {c.label}", c.id)
        line = doc.say(f"Delegations from {countries} countries and regions took part.")
        self._statistic(doc, c, line, countries, "bri:Exactly", f"countries and regions represented at the {c.label}",
                        c.id)
        doc.footer()
        return doc

    def _participants(self, doc: Draft, c: Conf) -> None:
        """Speakers, moderators, panelists...: a participation each, in the capacity of their affiliation."""
        seen: set[str] = set()
        for _ in range(self.rng.randint(3, 8)):
            person = self.w.new_or_existing_person()
            if person.id in seen:
                continue
            seen.add(person.id)
            role_name = self.rng.choice(list(EVENT_ROLES))
            topic_name = self.w.pick_topic()
            action = EVENT_ROLES[role_name].format(topic=topic_name)
            line = doc.say(f"{person.name}, {person.title} of the {person.org_name}, {action}.")
            doc.person(person, person.name)
            role_id = doc.role(role_name, action)
            if "{topic}" in EVENT_ROLES[role_name]:
                doc.topic(topic_name)
            doc.entity(self.w.new_id("participation", f"{c.key}-{person.id.split('/')[1]}"),
                       line, "Participation", f"{person.name} as {role_name} at the {c.label}",
                       {"participant": person.id, "event": c.id, "participationRole": role_id,
                        "inCapacityOf": person.affiliation})

    def _statistic(self, doc: Draft, c: Conf, line: str, value: float, qualifier: str, measure: str,
                   of: str, unit: str | None = None, topic: str | None = None) -> str:
        sid = self.w.new_id("statistic", f"{c.key}-{slugify(measure)[:40].strip('-')}")
        facts: dict[str, Any] = {"value": value, "qualifier": qualifier, "measure": measure, "statisticOf": of,
                                 "reportedAt": c.id, "referenceDate": c.start, "year": str(c.start.year)}
        if unit:
            facts["unit"] = unit
        if topic:
            facts["topic"] = topic
        doc.entity(sid, line, "Statistic", f"{measure[:1].upper()}{measure[1:]} ({value:g})", facts)
        return sid

    # -- the policy adopted there ------------------------------------------------------------------
    def _policy(self, c: Conf) -> Draft:
        kind = self.rng.choice(POLICY_KINDS)
        theme = title_case(self.w.pick_topic())
        city_label = self.w.labels[c.city]
        year = c.start.year
        label = {"Declaration": f"{city_label} Declaration on {theme} Cooperation ({year})",
                 "Initiative": f"Initiative on {theme} Cooperation under the Belt and Road ({year})",
                 "ActionPlan": f"Action Plan for {theme} Cooperation {year}-{year + 4}"}[kind]
        pid = self.w.new_id("policy", slugify(label))
        doc = self._draft(f"{pid.split('/')[1]}-full-text", f"Full text: {label}", "Article", c.end)
        adopted = doc.say(f"The {label} was adopted at the {c.alt} in {city_label} on {date_text(c.end)}.")
        doc.entity(c.id, f"the {c.alt}", "Conference", c.label, alt=[c.alt])
        doc.place(c.city)
        issuers = list(dict.fromkeys(self.w.new_or_existing_org(CHINA, True) for _ in range(self.rng.randint(1, 2))))
        doc.say("It was put forward by " + " and ".join(f"the {self.w.labels[o]}" for o in issuers) + ".")
        for org_id in issuers:
            doc.org(org_id)
        doc.entity(pid, adopted, kind, label,
                   {"adoptedAt": c.id, "issuedBy": issuers,
                    "date": QuotedValue(value=c.end, quote=date_text(c.end)), "year": str(c.end.year)})
        self.w.policies.append(pid)
        ordinal_number = 0
        for number, section in enumerate(self.rng.sample(SECTIONS, self.rng.randint(2, 4)), start=1):
            doc.say(f"{'I' * number if number < 4 else 'IV'}. {section}")
            for _ in range(self.rng.randint(1, 4)):
                ordinal_number += 1
                self._commitment(doc, pid, label, section, ordinal_number, issuers)
        doc.footer()
        return doc

    def _commitment(self, doc: Draft, pid: str, label: str, section: str, number: int, issuers: list[str]) -> None:
        topic_name = self.w.pick_topic()
        region = self.rng.choice(REGIONS)
        statement = self.rng.choice(STATEMENTS).format(topic=topic_name, region=region, n=self.rng.randint(2, 50) * 10)
        line = doc.say(f"{number}. We will {statement}.")
        tid = doc.topic(topic_name)
        facts: dict[str, Any] = {"commitmentOf": pid, "statement": statement, "section": section,
                                 "ordinal": number, "topic": tid, "pledgedBy": issuers}
        if region in statement:
            rid = f"place/{slugify(region)}"
            doc.place(rid)
            facts["refersTo"] = rid
        doc.entity(f"commitment/{pid.split('/')[1]}-{number}", line, "Commitment", f"{label}: {statement}", facts)

    # -- the outcomes released there ---------------------------------------------------------------
    def _outcomes(self, c: Conf) -> Draft:
        doc = self._draft(f"{c.key}-outcomes", f"Cooperation outcomes released at the {c.label}", "NewsArticle",
                          c.end)
        released = doc.say(f"A series of cooperation outcomes was released at the {c.label} on {date_text(c.end)}.")
        doc.entity(c.id, released, "Conference", c.label)
        for _ in range(self.rng.randint(0, 2)):
            self._alliance(doc, c)
        if self.rng.random() < 0.5:
            self._program(doc, c)
        if self.rng.random() < 0.4:
            self._report(doc, c)
        count = self.rng.randint(50, 90)
        line = doc.say(f"By the end of {c.start.year - 1}, China had signed intergovernmental science and "
                       f"technology cooperation agreements with {count} countries.")
        doc.place(CHINA)
        self._statistic(doc, c, line, count, "bri:Exactly",
                        f"countries with intergovernmental science and technology cooperation agreements with "
                        f"China ({c.start.year - 1})", CHINA)
        share = round(self.rng.uniform(5, 60), 1)
        topic_name = self.w.pick_topic()
        line = doc.say(f"About {share} percent of the joint projects concern {topic_name}.")
        self._statistic(doc, c, line, share, "bri:Approximately", f"share of joint projects on {topic_name}", c.id,
                        unit="percent", topic=doc.topic(topic_name))
        doc.footer()
        return doc

    def _alliance(self, doc: Draft, c: Conf) -> None:
        topic_name = self.w.pick_topic()
        label = f"Belt and Road {title_case(topic_name)} Alliance"
        aid = self.w.new_id("alliance", slugify(label))
        if aid != f"alliance/{slugify(label)}":
            label = f"{label} of the {c.series.name}"
        founders = list(dict.fromkeys(self.w.new_or_existing_org(CHINA, True) for _ in range(2)))
        partners = list(dict.fromkeys(self.rng.choice(self.w.countries) for _ in range(3)))
        line = doc.say(f"The {label} was launched at the conference by "
                       + " and ".join(f"the {self.w.labels[o]}" for o in founders)
                       + ", bringing together partners from "
                       + ", ".join(self.w.labels[p] for p in partners) + ".")
        field_line = doc.say(f"The alliance focuses on {topic_name}.")
        for org_id in founders:
            doc.org(org_id)
        for p in partners:
            doc.place(p)
        tid = doc.topic(topic_name)
        doc.entity(aid, line, "Alliance", label,
                   {"topic": tid, "launchedAt": c.id, "launchedBy": founders, "partnerCountry": partners,
                    "year": str(c.end.year)})
        doc.record(aid, field_line)

    def _program(self, doc: Draft, c: Conf) -> None:
        topic_name = self.w.pick_topic()
        label = f"Belt and Road {title_case(topic_name)} Cooperation Program ({c.start.year})"
        prog = self.w.new_id("program", slugify(label))
        owner = self.w.new_or_existing_org(CHINA, True)
        line = doc.say(f"The {label} was launched by the {self.w.labels[owner]}.")
        focus = doc.say(f"The program focuses on {topic_name}.")
        doc.org(owner)
        tid = doc.topic(topic_name)
        doc.entity(prog, line, "Program", label, {"launchedAt": c.id, "launchedBy": owner, "topic": tid})
        doc.record(prog, focus)
        for sub_topic in self.rng.sample(self.w.topics, self.rng.randint(1, 3)):
            if f"topic/{slugify(sub_topic)}" in self.w.retired_topics:
                continue
            sub_label = f"{title_case(sub_topic)} Sub-program of the {label}"
            sub = self.w.new_id("program", slugify(f"{sub_topic}-{prog.split('/')[1]}")[:90].strip("-"))
            sub_line = doc.say(f"The program includes a sub-program on {sub_topic}.")
            stid = doc.topic(sub_topic)
            doc.entity(sub, sub_line, "Program", sub_label, {"subProgramOf": prog, "topic": stid})

    def _report(self, doc: Draft, c: Conf) -> None:
        topic_name = self.w.pick_topic()
        label = f"Belt and Road {title_case(topic_name)} Innovation Report {c.start.year}"
        rid = self.w.new_id("report", slugify(label))
        line = doc.say(f"The {label} was also released at the conference; it covers {topic_name}.")
        doc.entity(rid, line, "Report", label, {"launchedAt": c.id, "year": str(c.start.year),
                                                "topic": doc.topic(topic_name)})

    # -- a batch of joint laboratories launched there ------------------------------------------------
    def _labs(self, c: Conf) -> Draft:
        series = c.series
        series.batches += 1
        number = series.batches
        word = ordinal(number).lower()
        doc = self._draft(f"{c.key}-joint-labs", f"The {word} batch of joint laboratories launched at the {c.label}",
                          "NewsArticle", c.end)
        if series.lab_program is None:
            label = f"Joint Laboratory Program of the {series.name}"
            series.lab_program = self.w.new_id("program", slugify(f"joint-labs-{series.id.split('/')[1]}"))
            line = doc.say(f"The joint laboratories are built under the {label}.")
            doc.say("The program was initiated by China.")
            doc.entity(series.lab_program, line, "Program", label, {"launchedBy": CHINA})
            doc.place(CHINA)
        else:
            label = self.w.labels[series.lab_program]
            line = doc.say(f"The joint laboratories are built under the {label}.")
            doc.entity(series.lab_program, line, "Program", label)
        batch = self.w.new_id("joint-lab-batch", f"{series.id.split('/')[1]}-{number}")
        line = doc.say(f"The {word} batch of joint laboratories was launched at the {c.label}.")
        doc.entity(c.id, line, "Conference", c.label)
        doc.entity(batch, line, "JointLabBatch", f"{title_case(word)} batch of joint laboratories of the "
                   f"{series.name}", {"batchNumber": number, "batchOf": series.lab_program, "launchedAt": c.id})
        for _ in range(self.rng.randint(3, 8)):
            self._lab(doc, batch)
        doc.footer()
        return doc

    def _lab(self, doc: Draft, batch: str) -> None:
        country = self.rng.choice(self.w.countries)
        topic_name = self.w.pick_topic()
        label = f"China-{self.w.labels[country]} Joint Laboratory on {title_case(topic_name)}"
        lab = self.w.new_id("joint-lab", slugify(label))
        host = self.w.new_or_existing_org(CHINA, True)
        partner = self.w.new_or_existing_org(country, False)
        city = self.w.org_place[host]
        line = doc.say(f"The {label} will be built by the {self.w.labels[host]} and the "
                       f"{self.w.labels[partner]} in {self.w.labels[city]}, working on {topic_name}.")
        doc.org(host)
        doc.org(partner)
        doc.place(country)
        doc.place(city)
        tid = doc.topic(topic_name)
        doc.entity(lab, line, "JointLab", label,
                   {"inBatch": batch, "partnerCountry": country, "launchedBy": [host, partner],
                    "locatedIn": city, "topic": tid})
