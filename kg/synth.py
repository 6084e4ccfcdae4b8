"""A synthetic but realistic corpus at any size (10^4 to 10^7 triples), for benchmarks and scale tests.

Why synthetic: the curated corpus is a few thousand triples; the store, the API and validation must be
measured at 10^6 and beyond. Why realistic: timings depend on the shape of the data (how many labels,
how deep the evidence, how often an entity is re-mentioned), so the generator writes source texts and
annotation records in the ontology's own terms -- conference series and editions held in cities,
organizers, speakers with affiliations, declarations with numbered commitments, alliances, programs
with sub-programs, batches of joint laboratories, statistics -- and runs them through
:class:`kg.mapping.CorpusMapper`, so the RDF has exactly the shape a build produces (one named graph
per source document, an evidence node with a verbatim quote and its offsets for every record).

It streams: documents are generated, mapped and written to N-Quads one at a time, every document
referring only to entities defined in it or before it, so memory stays bounded by the entity index,
and generation stops as soon as the target number of distinct triples is reached. The same seed gives
byte-identical output; a larger target extends the smaller corpus of the same seed.

``violations=N`` injects N defects of known kinds (see :data:`VIOLATION_KINDS`) into the mapped
triples and returns the exact SHACL results a validator must report for them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS, XSD

from kg.config import PROJECT_ROOT
from kg.errors import BuildError
from kg.ingest.annotations import AnnotationFile, DocumentHeader, EntityRecord, LoadedDocument, NotContent, QuotedValue
from kg.ingest.mapping import CorpusMapper, entity_iri, graph_iri
from kg.owl.ontology import OntologyIndex, load_ontology
from kg.vocab import BRI, ID, OA

Progress = Callable[[str], None]
Triple = tuple[URIRef, URIRef, URIRef | Literal]

# ------------------------------------------------------------------------------------------------
# The world the documents talk about
# ------------------------------------------------------------------------------------------------
# (province, capital, other cities)
CHINESE_PROVINCES: list[tuple[str, str, list[str]]] = [
    ("Sichuan", "Chengdu", ["Mianyang", "Deyang"]), ("Guangdong", "Guangzhou", ["Shenzhen", "Zhuhai"]),
    ("Zhejiang", "Hangzhou", ["Ningbo", "Wenzhou"]), ("Jiangsu", "Nanjing", ["Suzhou", "Wuxi"]),
    ("Shaanxi", "Xi'an", ["Xianyang", "Baoji"]), ("Yunnan", "Kunming", ["Dali", "Yuxi"]),
    ("Guangxi", "Nanning", ["Guilin", "Liuzhou"]), ("Xinjiang", "Urumqi", ["Kashgar", "Karamay"]),
    ("Fujian", "Fuzhou", ["Xiamen", "Quanzhou"]), ("Hubei", "Wuhan", ["Yichang", "Xiangyang"]),
    ("Hunan", "Changsha", ["Zhuzhou", "Xiangtan"]), ("Shandong", "Jinan", ["Qingdao", "Yantai"]),
    ("Hainan", "Haikou", ["Sanya"]), ("Heilongjiang", "Harbin", ["Daqing"]),
    ("Gansu", "Lanzhou", ["Dunhuang", "Tianshui"]), ("Ningxia", "Yinchuan", ["Shizuishan"]),
    ("Inner Mongolia", "Hohhot", ["Baotou", "Ordos"]), ("Jilin", "Changchun", ["Jilin City"]),
    ("Liaoning", "Shenyang", ["Dalian"]), ("Henan", "Zhengzhou", ["Luoyang", "Kaifeng"]),
    ("Anhui", "Hefei", ["Wuhu"]), ("Jiangxi", "Nanchang", ["Ganzhou"]), ("Guizhou", "Guiyang", ["Zunyi"]),
    ("Shanxi", "Taiyuan", ["Datong"]), ("Hebei", "Shijiazhuang", ["Baoding", "Tangshan"]),
    ("Qinghai", "Xining", ["Golmud"]),
]
CHINESE_MUNICIPALITIES = ["Beijing", "Shanghai", "Tianjin", "Chongqing"]
# (country, capital, other city, region)
PARTNER_COUNTRIES: list[tuple[str, str, str, str]] = [
    ("Pakistan", "Islamabad", "Lahore", "South Asia"), ("Kazakhstan", "Astana", "Almaty", "Central Asia"),
    ("Uzbekistan", "Tashkent", "Samarkand", "Central Asia"), ("Kyrgyzstan", "Bishkek", "Osh", "Central Asia"),
    ("Tajikistan", "Dushanbe", "Khujand", "Central Asia"), ("Mongolia", "Ulaanbaatar", "Darkhan", "Central Asia"),
    ("Russia", "Moscow", "Novosibirsk", "Europe"), ("Belarus", "Minsk", "Gomel", "Europe"),
    ("Serbia", "Belgrade", "Novi Sad", "Europe"), ("Hungary", "Budapest", "Debrecen", "Europe"),
    ("Greece", "Athens", "Thessaloniki", "Europe"), ("Egypt", "Cairo", "Alexandria", "Africa"),
    ("Ethiopia", "Addis Ababa", "Bahir Dar", "Africa"), ("Kenya", "Nairobi", "Mombasa", "Africa"),
    ("Nigeria", "Abuja", "Lagos", "Africa"), ("South Africa", "Pretoria", "Cape Town", "Africa"),
    ("Tanzania", "Dodoma", "Dar es Salaam", "Africa"), ("Zambia", "Lusaka", "Ndola", "Africa"),
    ("Morocco", "Rabat", "Casablanca", "Arab States"), ("Algeria", "Algiers", "Oran", "Arab States"),
    ("Saudi Arabia", "Riyadh", "Jeddah", "Arab States"), ("United Arab Emirates", "Abu Dhabi", "Dubai", "Arab States"),
    ("Iran", "Tehran", "Isfahan", "West Asia"), ("Turkey", "Ankara", "Istanbul", "West Asia"),
    ("Indonesia", "Jakarta", "Bandung", "ASEAN"), ("Malaysia", "Kuala Lumpur", "Penang", "ASEAN"),
    ("Thailand", "Bangkok", "Chiang Mai", "ASEAN"), ("Viet Nam", "Hanoi", "Ho Chi Minh City", "ASEAN"),
    ("Laos", "Vientiane", "Luang Prabang", "ASEAN"), ("Cambodia", "Phnom Penh", "Siem Reap", "ASEAN"),
    ("Myanmar", "Naypyidaw", "Yangon", "ASEAN"), ("Philippines", "Manila", "Cebu", "ASEAN"),
    ("Singapore", "Singapore City", "Jurong", "ASEAN"), ("Sri Lanka", "Colombo", "Kandy", "South Asia"),
    ("Bangladesh", "Dhaka", "Chittagong", "South Asia"), ("Nepal", "Kathmandu", "Pokhara", "South Asia"),
    ("Brazil", "Brasilia", "Sao Paulo", "Latin America"), ("Argentina", "Buenos Aires", "Cordoba", "Latin America"),
    ("Chile", "Santiago", "Valparaiso", "Latin America"), ("Peru", "Lima", "Arequipa", "Latin America"),
    ("Cuba", "Havana", "Santiago de Cuba", "Latin America"), ("New Zealand", "Wellington", "Auckland", "Oceania"),
    ("Fiji", "Suva", "Nadi", "Oceania"), ("Papua New Guinea", "Port Moresby", "Lae", "Oceania"),
]
REGIONS = ["ASEAN", "Africa", "Central Asia", "Latin America", "Arab States", "South Asia", "West Asia",
           "Europe", "Oceania"]
# topic -> broader topic (None for a top concept)
TOPICS: dict[str, str | None] = {
    "agriculture": None, "food security": "agriculture", "smart agriculture": "agriculture",
    "seed industry": "agriculture", "health": None, "public health": "health",
    "traditional medicine": "health", "vaccine research": "health", "digital technology": None,
    "artificial intelligence": "digital technology", "digital economy": "digital technology",
    "big data": "digital technology", "energy": None, "renewable energy": "energy",
    "hydrogen energy": "energy", "environment": None, "climate change": "environment",
    "biodiversity": "environment", "water resources": "environment",
    "disaster risk reduction": "environment", "space technology": None,
    "satellite remote sensing": "space technology", "satellite navigation": "space technology",
    "transport": None, "high-speed rail": "transport", "smart ports": "transport",
    "materials science": None, "marine science": None, "earth observation": None,
    "technology transfer": None, "innovation and entrepreneurship": None, "science parks": None,
    "talent exchange": None, "science popularization": None, "standardization": None,
    "intellectual property": None,
}
EVENT_ROLES = {"keynote speaker": "delivered a keynote speech at the opening ceremony",
               "speaker": "spoke at the plenary session", "moderator": "moderated the session on {topic}",
               "panelist": "joined the panel discussion on {topic}", "guest of honor": "attended as a guest of honor"}
POSITIONS = {"president": "President", "vice president": "Vice President", "director": "Director",
             "director general": "Director General", "professor": "Professor", "dean": "Dean",
             "chief scientist": "Chief Scientist", "secretary general": "Secretary-General",
             "minister": "Minister", "vice minister": "Vice Minister", "chair": "Chair"}
QUALIFIERS = [("bri:MoreThan", "more than"), ("bri:Exactly", ""), ("bri:AtLeast", "at least"),
              ("bri:Approximately", "about")]
NEWS_AGENCIES = ["Xinhua News Agency", "China News Service", "China Daily", "Science and Technology Daily",
                 "CGTN", "People's Daily", "Guangming Daily", "China Science Daily"]
SERIES_FORMS = ["Forum on {field} Cooperation", "Conference on {field} Innovation", "{field} Cooperation Summit",
                "Dialogue on {field}"]
SEED_SERIES: list[tuple[str, str, str]] = [  # (name, alternative spelling, host city)
    ("Belt and Road Conference on Science and Technology Exchange",
     "Belt and Road Science and Technology Exchange Conference", "Chengdu"),
    ("China-ASEAN Technology Transfer and Collaborative Innovation Conference",
     "China-ASEAN Conference on Technology Transfer and Collaborative Innovation", "Nanning"),
    ("China-South Asia Science and Technology Cooperation Forum",
     "China-South Asia Forum on Science and Technology Cooperation", "Kunming"),
    ("China-Arab States Technology Transfer Conference", "China-Arab States Conference on Technology Transfer",
     "Yinchuan"),
    ("China-Central Asia Innovation Cooperation Forum", "China-Central Asia Forum on Innovation Cooperation",
     "Urumqi"),
    ("Silk Road Green Development Forum", "Forum on Green Development along the Silk Road", "Lanzhou"),
    ("China-Africa Innovation Cooperation Conference", "China-Africa Conference on Innovation Cooperation",
     "Changsha"),
    ("Belt and Road Digital Economy Forum", "Belt and Road Forum on the Digital Economy", "Hangzhou"),
]
CN_SURNAMES = [
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Hu", "Zhu", "Gao",
    "Lin", "He", "Guo", "Ma", "Luo", "Liang", "Song", "Zheng", "Xie", "Han", "Tang", "Feng", "Yu", "Dong", "Xiao",
    "Cheng", "Cao", "Yuan", "Deng", "Fu", "Shen", "Zeng", "Peng", "Lu", "Jiang"
]
CN_GIVEN = [
    "Wei", "Fang", "Na", "Min", "Jing", "Qiang", "Lei", "Jun", "Yong", "Yan", "Jie", "Tao", "Ming", "Chao", "Hua",
    "Gang", "Ping", "Hui", "Xin", "Bin", "Hong", "Zhiqiang", "Jianguo", "Haiyan", "Xiaoming", "Lijuan", "Guohua",
    "Yufei", "Zhiwei", "Jianhua", "Dongmei", "Wenjun", "Xiaohong", "Zifa", "Yuxuan", "Haoran", "Ruoxi", "Jiaming"
]
INTL_FIRST = [
    "Ahmed", "Nurlan", "Maria", "Ivan", "Amina", "Samuel", "Fatima", "Dmitri", "Elena", "Kofi", "Aisha", "Carlos",
    "Ana", "Bilal", "Olga", "Tariq", "Grace", "Yusuf", "Sofia", "Nikola", "Layla", "Omar", "Nadia", "Rustam",
    "Dilnoza", "Bayarma", "Somchai", "Nguyen", "Siti", "Rahul", "Anil", "Joao", "Lucia", "Mateo", "Aroha", "Ratu",
    "Hassan", "Zainab", "Peter", "Miriam"
]
INTL_LAST = [
    "Khan", "Bekov", "Silva", "Petrov", "Mensah", "Okafor", "Haddad", "Rahimov", "Ivanova", "Garcia", "Mohamed",
    "Tesfaye", "Kariuki", "Nasser", "Kovacs", "Papadopoulos", "Jovanovic", "Karimov", "Ali", "Perera", "Rahman",
    "Shrestha", "Santos", "Fernandez", "Rojas", "Suharto", "Abdullah", "Wongsakul", "Tran", "Phommachanh", "Sok",
    "Aung", "Reyes", "Tan", "Yilmaz", "Hosseini", "Banda", "Mwale", "Moyo", "Novak"
]
CN_ORG_FORMS = ["{city} University", "{province} Academy of Sciences",
                "{province} Academy of Agricultural Sciences",
                "{city} Institute of {field}", "{province} Department of Science and Technology",
                "{city} Science and Technology Bureau", "{city} University of Technology",
                "{province} Normal University", "{city} Center for {field} Research"]
CN_NATIONAL_ORGS = ["Chinese Academy of Sciences", "Ministry of Science and Technology of China",
                    "China Association for Science and Technology", "Chinese Academy of Agricultural Sciences",
                    "National Natural Science Foundation of China", "Alliance of International Science Organizations",
                    "China Science and Technology Exchange Center", "Chinese Academy of Engineering"]
INTL_ORG_FORMS = ["{country} Academy of Sciences", "University of {city}", "National Research Council of {country}",
                  "Ministry of Science and Technology of {country}", "{city} Institute of {field}",
                  "National University of {country}", "{country} Agricultural Research Institute",
                  "{country} Space Agency", "{city} Technical University", "{country} Centre for {field}"]
FIELDS = ["Agricultural Engineering", "Remote Sensing", "Marine Biology", "Renewable Energy", "Public Health",
          "Materials Science", "Water Resources", "Information Technology", "Earth Sciences", "Biotechnology",
          "Climate Studies", "Transport Engineering"]
SECTIONS = ["Deepening scientific and technological exchanges", "Jointly building innovation platforms",
            "Strengthening talent cooperation", "Promoting green and sustainable development",
            "Improving the environment for open innovation", "Advancing technology transfer"]
STATEMENTS = ["jointly build joint laboratories in the field of {topic}", "strengthen policy dialogue on {topic}",
              "support young scientists from partner countries to carry out research on {topic}",
              "share data and research infrastructure related to {topic}",
              "promote the transfer and application of technologies in {topic}",
              "establish a long-term mechanism for cooperation in {topic}",
              "carry out joint research on {topic} with partners in {region}",
              "train {n} scientists and engineers in {topic} over the next five years"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
ORDINALS = ["First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
            "Eleventh", "Twelfth", "Thirteenth", "Fourteenth"]
POLICY_KINDS = ["Declaration", "Initiative", "ActionPlan"]
CHINA = "place/china"


def slugify(text: str) -> str:
    """A slug of the id pattern: lower-case ASCII words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def _title(text: str) -> str:
    return " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in text.split())


def _date_text(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def _number_text(value: int) -> str:
    return f"{value:,}"


# ------------------------------------------------------------------------------------------------
# Documents under construction
# ------------------------------------------------------------------------------------------------
@dataclass
class _Record:
    id: str
    type: str | None = None
    label: str | None = None
    alt: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def model(self) -> EntityRecord:
        quotes = list(dict.fromkeys(self.quotes))
        return EntityRecord(id=self.id, type=self.type, label=self.label, alt=self.alt, quote=quotes[0],
                            quotes=quotes[1:], facts=self.facts)


class _Doc:
    """One source document being written: its lines of text and the records that annotate them."""

    def __init__(self, slug: str, title: str, kind: str, issued: dt.date) -> None:
        self.slug, self.title, self.kind, self.issued = slug, title, kind, issued
        self.lines: list[str] = [title]
        self.records: dict[str, _Record] = {}
        self.publisher: str | None = None
        self.creators: list[str] = []
        self.debris: list[NotContent] = []

    def say(self, sentence: str) -> str:
        self.lines.append(sentence)
        return sentence

    def record(self, entity_id: str, quote: str) -> _Record:
        rec = self.records.get(entity_id)
        if rec is None:
            rec = self.records[entity_id] = _Record(entity_id)
        rec.quotes.append(quote)
        return rec

    def loaded(self) -> LoadedDocument:
        text = "\n".join(self.lines) + "\n"
        header = DocumentHeader(slug=self.slug, file=f"sources/{self.slug}.txt", title=self.title, kind=self.kind,
                                issued=self.issued, publisher=self.publisher, creators=self.creators,
                                quote=self.title, not_content=self.debris)
        model = AnnotationFile(document=header, entities=[r.model() for r in self.records.values()])
        raw = text.encode("utf-8")
        return LoadedDocument(Path(f"annotations/{self.slug}.yaml"), model, text, hashlib.sha256(raw).hexdigest())


@dataclass
class _Person:
    id: str
    name: str
    affiliation: str | None = None
    title: str = ""
    org_name: str = ""


@dataclass
class _Series:
    id: str
    name: str
    alt: str
    city: str
    start_year: int
    editions: int = 0
    batches: int = 0
    lab_program: str | None = None


class _World:
    """Everything generated so far: which ids are defined, and the pools later documents draw from.

    Every document refers only to entities defined in it or in an earlier document, so any prefix of
    the document stream is a consistent corpus (that is what lets generation stop at a target size).
    """

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.defined: set[str] = set()
        self.labels: dict[str, str] = {}
        self.place_parent: dict[str, str | None] = {}
        self.place_type: dict[str, str] = {}
        self.cities: list[str] = []          # ids of Chinese cities, conference hosts
        self.foreign_cities: dict[str, list[str]] = {}
        self.countries: list[str] = []
        self._init_places()
        self.orgs_by_place: dict[str, list[str]] = {}
        self.org_names: set[str] = set()
        self.orgs: list[str] = []
        self.people: list[_Person] = []
        self.person_ids: set[str] = set()
        self.series: list[_Series] = []
        self.series_names: set[str] = set()
        self.policies: list[str] = []
        self.topics = list(TOPICS)
        self.retired_topics: set[str] = set()
        self.units = 0
        self.slugs: set[str] = set()
        self.used_ids: set[str] = set()

    # -- places ---------------------------------------------------------------------------------
    def _init_places(self) -> None:
        china = CHINA
        self.labels[china] = "China"
        self.place_parent[china], self.place_type[china] = None, "Country"
        for province, capital, others in CHINESE_PROVINCES:
            pid = f"place/{slugify(province)}"
            self.labels[pid], self.place_parent[pid], self.place_type[pid] = f"{province} Province", china, "Province"
            for city in [capital, *others]:
                cid = f"place/{slugify(city)}"
                self.labels[cid], self.place_parent[cid], self.place_type[cid] = city, pid, "City"
                self.cities.append(cid)
        for city in CHINESE_MUNICIPALITIES:
            cid = f"place/{slugify(city)}"
            self.labels[cid], self.place_parent[cid], self.place_type[cid] = city, china, "City"
            self.cities.append(cid)
        for country, capital, other, _region in PARTNER_COUNTRIES:
            kid = f"place/{slugify(country)}"
            self.labels[kid], self.place_parent[kid], self.place_type[kid] = country, None, "Country"
            self.countries.append(kid)
            self.foreign_cities[kid] = []
            for city in (capital, other):
                cid = f"place/{slugify(city)}"
                if cid in self.labels:
                    cid = f"place/{slugify(city)}-{slugify(country)}"
                self.labels[cid], self.place_parent[cid], self.place_type[cid] = city, kid, "City"
                self.foreign_cities[kid].append(cid)
        for region in REGIONS:
            rid = f"place/{slugify(region)}"
            self.labels[rid], self.place_parent[rid], self.place_type[rid] = region, None, "Region"

    def province_of(self, city: str) -> str | None:
        parent = self.place_parent[city]
        return parent if parent and self.place_type[parent] == "Province" else None

    def country_of(self, place: str) -> str:
        while self.place_type[place] != "Country":
            parent = self.place_parent[place]
            assert parent is not None
            place = parent
        return place

    def new_id(self, folder: str, base: str) -> str:
        """A fresh id ``folder/base`` (``-2``, ``-3``... appended on a clash)."""
        candidate, n = f"{folder}/{base}", 1
        while candidate in self.used_ids:
            n += 1
            candidate = f"{folder}/{base}-{n}"
        self.used_ids.add(candidate)
        return candidate

    def new_slug(self, base: str) -> str:
        slug, n = base, 1
        while slug in self.slugs:
            n += 1
            slug = f"{base}-{n}"
        self.slugs.add(slug)
        return slug


# ------------------------------------------------------------------------------------------------
# The generator: documents about one conference edition at a time
# ------------------------------------------------------------------------------------------------
class _Writer:
    """Writes the documents of the corpus, one conference edition (a few documents) at a time."""

    def __init__(self, seed: int) -> None:
        self.w = _World(seed)
        self.rng = self.w.rng
        self._org_place: dict[str, str] = {}     # organization -> the place it is based in
        self._aff_org: dict[str, str] = {}       # affiliation -> organization
        self._aff_role: dict[str, str] = {}      # affiliation -> position role

    # -- defining or mentioning entities in a document ---------------------------------------------
    def _entity(self, doc: _Doc, entity_id: str, quote: str, type_name: str, label: str,
                facts: dict[str, Any] | None = None, alt: list[str] | None = None) -> _Record:
        """Mention *entity_id* in *doc*; the first document that mentions an entity defines it."""
        rec = doc.record(entity_id, quote)
        if entity_id not in self.w.defined:
            self.w.defined.add(entity_id)
            rec.type, rec.label = type_name, label
            self.w.labels[entity_id] = label
            rec.facts.update(facts or {})
        elif rec.type is not None and facts:
            rec.facts.update(facts)   # defined earlier in this same document
        if alt:
            rec.alt.extend(a for a in alt if a not in rec.alt)
        return rec

    def place(self, doc: _Doc, place: str, quote: str | None = None) -> None:
        """Mention a place (its name must be in the text); define it and its parents on first use."""
        label = self.w.labels[place]
        parent = self.w.place_parent[place]
        facts: dict[str, Any] = {}
        if place not in self.w.defined and parent is not None:
            line = doc.say(f"{label} is located in {self.w.labels[parent]}.")
            self.place(doc, parent, self.w.labels[parent])
            facts["locatedIn"] = parent
            quote = quote or line
        self._entity(doc, place, quote or label, self.w.place_type[place], label, facts)

    def topic(self, doc: _Doc, name: str) -> str:
        tid = f"topic/{slugify(name)}"
        facts: dict[str, Any] = {}
        broader = TOPICS.get(name)
        if (tid not in self.w.defined and broader is not None
                and f"topic/{slugify(broader)}" not in self.w.retired_topics):
            doc.say(f"Cooperation in {name} is part of the wider agenda on {broader}.")
            self.topic(doc, broader)
            facts["skos:broader"] = f"topic/{slugify(broader)}"
        self._entity(doc, tid, name, "Topic", name, facts)
        return tid

    def pick_topic(self) -> str:
        """A topic name; retired topics (victims of an injected violation) are skipped without using the RNG
        differently, so a corpus with violations differs from the clean one only where it must."""
        name = self.rng.choice(self.w.topics)
        if f"topic/{slugify(name)}" in self.w.retired_topics:
            alive = [t for t in self.w.topics if f"topic/{slugify(t)}" not in self.w.retired_topics]
            name = alive[self.w.topics.index(name) % len(alive)]
        return name

    def role(self, doc: _Doc, name: str, quote: str) -> str:
        rid = f"role/{slugify(name)}"
        self._entity(doc, rid, quote, "Role", name)
        return rid

    def org(self, doc: _Doc, org_id: str) -> str:
        """Mention an existing organization by name (it was created by :meth:`new_or_existing_org`)."""
        label = self.w.labels[org_id]
        if org_id not in self.w.defined:
            place = self._org_place[org_id]
            place_label = self.w.labels[place]
            doc.say(f"The {label} is based in {place_label}.")
            self.place(doc, place)
            self._entity(doc, org_id, label, "Organization", label, {"locatedIn": place})
        else:
            self._entity(doc, org_id, label, "Organization", label)
        return org_id

    def new_or_existing_org(self, place: str, chinese: bool) -> str:
        """An organization based at *place*'s country: reused often, new while names last."""
        country = self.w.country_of(place)
        pool = self.w.orgs_by_place.setdefault(country, [])
        if pool and (self.rng.random() < 0.55 or len(pool) > 60):
            return self.rng.choice(pool)
        for _attempt in range(6):
            if chinese:
                if self.rng.random() < 0.25:
                    name, where = self.rng.choice(CN_NATIONAL_ORGS), "place/beijing"
                else:
                    city = self.rng.choice(self.w.cities)
                    province = self.w.province_of(city)
                    form = self.rng.choice(CN_ORG_FORMS)
                    if "{province}" in form and province is None:
                        continue
                    name = form.format(city=self.w.labels[city], field=self.rng.choice(FIELDS),
                                       province=self.w.labels[province].removesuffix(" Province") if province else "")
                    where = city
            else:
                city = self.rng.choice(self.w.foreign_cities[country])
                name = self.rng.choice(INTL_ORG_FORMS).format(country=self.w.labels[country], city=self.w.labels[city],
                                                              field=self.rng.choice(FIELDS))
                where = city
            if name not in self.w.org_names:
                self.w.org_names.add(name)
                oid = self.w.new_id("organization", slugify(name))
                self.w.labels[oid] = name
                self._org_place[oid] = where
                self.w.orgs.append(oid)
                pool.append(oid)
                return oid
        return self.rng.choice(pool) if pool else self.new_or_existing_org(place, chinese)

    def person(self, doc: _Doc, person: _Person, quote: str) -> None:
        facts: dict[str, Any] = {}
        if person.id not in self.w.defined and person.affiliation:
            facts["affiliation"] = person.affiliation
        self._entity(doc, person.id, quote, "Person", person.name, facts)
        if person.affiliation:
            aff_quote = f"{person.name}, {person.title} of the {person.org_name}"
            if person.affiliation not in self.w.defined:
                org_id = self._aff_org[person.affiliation]
                self.org(doc, org_id)
                role_name = self._aff_role[person.affiliation]
                role_id = self.role(doc, role_name, person.title)
                self._entity(doc, person.affiliation, aff_quote, "Affiliation",
                             f"{person.name} as {person.title} of the {person.org_name}",
                             {"org:member": person.id, "org:organization": org_id, "org:role": role_id,
                              "positionTitle": person.title})
            else:
                self._entity(doc, person.affiliation, aff_quote, "Affiliation", "")

    def new_or_existing_person(self) -> _Person:
        if self.w.people and self.rng.random() < 0.3:
            return self.rng.choice(self.w.people)
        chinese = self.rng.random() < 0.55
        if chinese:
            name = f"{self.rng.choice(CN_SURNAMES)} {self.rng.choice(CN_GIVEN)}"
            org_id = self.new_or_existing_org(CHINA, True)
        else:
            country = self.rng.choice(self.w.countries)
            name = f"{self.rng.choice(INTL_FIRST)} {self.rng.choice(INTL_LAST)}"
            org_id = self.new_or_existing_org(country, False)
        role_name = self.rng.choice(list(POSITIONS))
        pid = self.w.new_id("person", slugify(name))
        org_name = self.w.labels[org_id]
        aff = self.w.new_id("affiliation", f"{pid.split('/')[1]}-{slugify(role_name)}")
        self._aff_org[aff], self._aff_role[aff] = org_id, role_name
        person = _Person(pid, name, aff, POSITIONS[role_name], org_name)
        self.w.people.append(person)
        return person

    def _header(self, doc: _Doc) -> None:
        agency = self.rng.choice(NEWS_AGENCIES)
        agency_id = f"organization/{slugify(agency)}"
        self.w.labels.setdefault(agency_id, agency)
        self._org_place.setdefault(agency_id, "place/beijing")
        doc.say(f"Source: {agency}")
        self.org(doc, agency_id)
        doc.publisher = agency_id
        if self.rng.random() < 0.7:
            name = f"{self.rng.choice(CN_SURNAMES)} {self.rng.choice(CN_GIVEN)}"
            reporter = _Person(self.w.new_id("person", slugify(name)), name)
            line = doc.say(f"Reporter: {name}")
            self.person(doc, reporter, line)
            doc.creators.append(reporter.id)

    def _footer(self, doc: _Doc) -> None:
        line = doc.say(f"Copyright {doc.issued.year} {self.w.labels[doc.publisher or '']}. All rights reserved.")
        doc.debris.append(NotContent(text=line, reason="page footer"))

    # -- the documents of one conference edition ------------------------------------------------------
    def _pick_series(self) -> _Series:
        open_series = [s for s in self.w.series if s.start_year + s.editions <= 2026]
        if open_series and self.rng.random() < 0.8:
            return self.rng.choice(open_series)
        n = len(self.w.series)
        if n < len(SEED_SERIES):
            name, alt, city = SEED_SERIES[n]
        else:
            while True:
                partner = self.rng.choice([*REGIONS, *(self.w.labels[c] for c in self.w.countries)])
                field_name = _title(self.rng.choice(self.w.topics))
                form = self.rng.choice(SERIES_FORMS)
                name = f"China-{partner} " + form.format(field=field_name)
                if name not in self.w.series_names:
                    break
            alt = f"China-{partner} {field_name} " + ("Forum" if "Forum" in form else "Conference")
            city = self.w.labels[self.rng.choice(self.w.cities)]
        self.w.series_names.add(name)
        series = _Series(self.w.new_id("conference-series", slugify(name)), name, alt,
                         f"place/{slugify(city)}", self.rng.randint(2013, 2024))
        self.w.series.append(series)
        return series

    def unit(self) -> Iterator[_Doc]:
        """The documents about one conference edition: opening news, the policy text, outcomes, labs."""
        series = self._pick_series()
        series.editions += 1
        edition, year = series.editions, series.start_year + series.editions - 1
        start = dt.date(year, self.rng.randint(3, 11), self.rng.randint(1, 25))
        end = start + dt.timedelta(days=self.rng.randint(1, 2))
        city = series.city if self.rng.random() < 0.7 else self.rng.choice(self.w.cities)
        ordinal = ORDINALS[edition - 1] if edition <= len(ORDINALS) else f"{edition}th"
        conf = _Conf(self.w.new_id("conference", f"{series.id.split('/')[1]}-{year}"),
                     f"{ordinal} {series.name}", f"{ordinal} {series.alt}", series, edition, start, end, city)
        self.w.units += 1
        yield self._opening(conf)
        if self.rng.random() < 0.85:
            yield self._policy(conf)
        if self.rng.random() < 0.7:
            yield self._outcomes(conf)
        if self.rng.random() < 0.45:
            yield self._labs(conf)

    def _opening(self, c: _Conf) -> _Doc:
        city_label = self.w.labels[c.city]
        province = self.w.province_of(c.city)
        where = f"{city_label}, {self.w.labels[province]}" if province else city_label
        doc = _Doc(self.w.new_slug(f"{c.id.split('/')[1]}-opening"), f"{c.label} opens in {city_label}",
                   "NewsArticle", c.start)
        self._header(doc)
        sentence = doc.say(f"The {c.label} opened in {where}, on {_date_text(c.start)}.")
        runs = doc.say(f"The conference runs from {_date_text(c.start)} to {_date_text(c.end)}.")
        start_q, end_q = f"from {_date_text(c.start)}", f"to {_date_text(c.end)}"
        series_q = doc.say(f"It is the {c.ordinal_word} edition of the {c.series.name}.")
        self.place(doc, c.city)
        if province:
            self.place(doc, province, self.w.labels[province])
        first = c.series.id not in self.w.defined
        self._entity(doc, c.series.id, series_q, "ConferenceSeries", c.series.name,
                     alt=[c.series.alt] if first else None)
        organizers = list(dict.fromkeys(self.new_or_existing_org(CHINA, True)
                                        for _ in range(self.rng.randint(1, 3))))
        names = [self.w.labels[o] for o in organizers]
        hosted = doc.say("The conference is hosted by " + " and ".join(f"the {n}" for n in names) + ".")
        for org_id in organizers:
            self.org(doc, org_id)
        self._entity(doc, c.id, sentence, "Conference", c.label,
                     {"inSeries": c.series.id, "editionNumber": c.edition, "heldIn": c.city,
                      "startDate": QuotedValue(value=c.start, quote=start_q),
                      "endDate": QuotedValue(value=c.end, quote=end_q), "organizer": organizers})
        doc.record(c.id, hosted)
        doc.record(c.id, runs)
        seen: set[str] = set()
        for _ in range(self.rng.randint(3, 8)):
            person = self.new_or_existing_person()
            if person.id in seen:
                continue
            seen.add(person.id)
            role_name = self.rng.choice(list(EVENT_ROLES))
            topic_name = self.pick_topic()
            action = EVENT_ROLES[role_name].format(topic=topic_name)
            line = doc.say(f"{person.name}, {person.title} of the {person.org_name}, {action}.")
            self.person(doc, person, person.name)
            role_id = self.role(doc, role_name, action)
            if "{topic}" in EVENT_ROLES[role_name]:
                self.topic(doc, topic_name)
            self._entity(doc, self.w.new_id("participation", f"{c.id.split('/')[1]}-{person.id.split('/')[1]}"),
                         line, "Participation", f"{person.name} as {role_name} at the {c.label}",
                         {"participant": person.id, "event": c.id, "participationRole": role_id,
                          "inCapacityOf": person.affiliation})
        participants = self.rng.randint(3, 40) * 50
        countries = self.rng.randint(10, 80)
        qual, qual_text = self.rng.choice(QUALIFIERS)
        line = doc.say(f"{qual_text.capitalize() + ' ' if qual_text else ''}{_number_text(participants)} participants "
                       f"from {countries} countries and regions attended the conference.")
        self._statistic(doc, c, line, participants, qual, f"participants in the {c.label}", c.id)
        line = doc.say(f"Delegations from {countries} countries and regions took part.")
        self._statistic(doc, c, line, countries, "bri:Exactly", f"countries and regions represented at the {c.label}",
                        c.id)
        self._footer(doc)
        return doc

    def _statistic(self, doc: _Doc, c: _Conf, line: str, value: float, qualifier: str, measure: str,
                   of: str, unit: str | None = None, topic: str | None = None) -> str:
        sid = self.w.new_id("statistic", f"{c.id.split('/')[1]}-{slugify(measure)[:40].strip('-')}")
        facts: dict[str, Any] = {"value": value, "qualifier": qualifier, "measure": measure, "statisticOf": of,
                                 "reportedAt": c.id, "referenceDate": c.start, "year": str(c.start.year)}
        if unit:
            facts["unit"] = unit
        if topic:
            facts["topic"] = topic
        self._entity(doc, sid, line, "Statistic", f"{measure[:1].upper()}{measure[1:]} ({value:g})", facts)
        return sid

    def _policy(self, c: _Conf) -> _Doc:
        kind = self.rng.choice(POLICY_KINDS)
        theme = self.pick_topic()
        city_label = self.w.labels[c.city]
        label = {"Declaration": f"{city_label} Declaration on {_title(theme)} Cooperation ({c.start.year})",
                 "Initiative": f"Initiative on {_title(theme)} Cooperation under the Belt and Road ({c.start.year})",
                 "ActionPlan": f"Action Plan for {_title(theme)} Cooperation {c.start.year}-{c.start.year + 4}"
                 }[kind]
        pid = self.w.new_id("policy", slugify(label))
        doc = _Doc(self.w.new_slug(f"{pid.split('/')[1]}-full-text"), f"Full text: {label}", "Article", c.end)
        self._header(doc)
        adopted = doc.say(f"The {label} was adopted at the {c.alt} in {city_label} on {_date_text(c.end)}.")
        self._entity(doc, c.id, f"the {c.alt}", "Conference", c.label, alt=[c.alt])
        self.place(doc, c.city)
        issuers = list(dict.fromkeys(self.new_or_existing_org(CHINA, True) for _ in range(self.rng.randint(1, 2))))
        doc.say("It was put forward by " + " and ".join(f"the {self.w.labels[o]}" for o in issuers) + ".")
        for org_id in issuers:
            self.org(doc, org_id)
        self._entity(doc, pid, adopted, kind, label,
                     {"adoptedAt": c.id, "issuedBy": issuers,
                      "date": QuotedValue(value=c.end, quote=_date_text(c.end)), "year": str(c.end.year)})
        self.w.policies.append(pid)
        ordinal = 0
        for number, section in enumerate(self.rng.sample(SECTIONS, self.rng.randint(2, 4)), start=1):
            doc.say(f"{'I' * number if number < 4 else 'IV'}. {section}")
            for _ in range(self.rng.randint(1, 4)):
                ordinal += 1
                topic_name = self.pick_topic()
                region = self.rng.choice(REGIONS)
                statement = self.rng.choice(STATEMENTS).format(topic=topic_name, region=region,
                                                               n=self.rng.randint(2, 50) * 10)
                line = doc.say(f"{ordinal}. We will {statement}.")
                tid = self.topic(doc, topic_name)
                facts: dict[str, Any] = {"commitmentOf": pid, "statement": statement, "section": section,
                                         "ordinal": ordinal, "topic": tid, "pledgedBy": issuers}
                if region in statement:
                    rid = f"place/{slugify(region)}"
                    self.place(doc, rid)
                    facts["refersTo"] = rid
                self._entity(doc, f"commitment/{pid.split('/')[1]}-{ordinal}", line, "Commitment",
                             f"{label}: {statement}", facts)
        self._footer(doc)
        return doc

    def _outcomes(self, c: _Conf) -> _Doc:
        doc = _Doc(self.w.new_slug(f"{c.id.split('/')[1]}-outcomes"), f"Cooperation outcomes released at the {c.label}",
                   "NewsArticle", c.end)
        self._header(doc)
        released = doc.say(f"A series of cooperation outcomes was released at the {c.label} on {_date_text(c.end)}.")
        self._entity(doc, c.id, released, "Conference", c.label)
        for _ in range(self.rng.randint(0, 2)):
            topic_name = self.pick_topic()
            label = f"Belt and Road {_title(topic_name)} Alliance"
            aid = self.w.new_id("alliance", slugify(label))
            if aid != f"alliance/{slugify(label)}":
                label = f"{label} of the {c.series.name}"
            founders = list(dict.fromkeys(self.new_or_existing_org(CHINA, True) for _ in range(2)))
            partners = list(dict.fromkeys(self.rng.choice(self.w.countries) for _ in range(3)))
            line = doc.say(f"The {label} was launched at the conference by "
                           + " and ".join(f"the {self.w.labels[o]}" for o in founders)
                           + ", bringing together partners from "
                           + ", ".join(self.w.labels[p] for p in partners) + ".")
            field_line = doc.say(f"The alliance focuses on {topic_name}.")
            for org_id in founders:
                self.org(doc, org_id)
            for p in partners:
                self.place(doc, p)
            tid = self.topic(doc, topic_name)
            self._entity(doc, aid, line, "Alliance", label,
                         {"topic": tid, "launchedAt": c.id, "launchedBy": founders, "partnerCountry": partners,
                          "year": str(c.end.year)})
            doc.record(aid, field_line)
        if self.rng.random() < 0.5:
            topic_name = self.pick_topic()
            label = f"Belt and Road {_title(topic_name)} Cooperation Program ({c.start.year})"
            prog = self.w.new_id("program", slugify(label))
            owner = self.new_or_existing_org(CHINA, True)
            line = doc.say(f"The {label} was launched by the {self.w.labels[owner]}.")
            focus = doc.say(f"The program focuses on {topic_name}.")
            self.org(doc, owner)
            tid = self.topic(doc, topic_name)
            self._entity(doc, prog, line, "Program", label,
                         {"launchedAt": c.id, "launchedBy": owner, "topic": tid})
            doc.record(prog, focus)
            for sub_topic in self.rng.sample(self.w.topics, self.rng.randint(1, 3)):
                if f"topic/{slugify(sub_topic)}" in self.w.retired_topics:
                    continue
                sub_label = f"{_title(sub_topic)} Sub-program of the {label}"
                sub = self.w.new_id("program", slugify(f"{sub_topic}-{prog.split('/')[1]}")[:90].strip("-"))
                sub_line = doc.say(f"The program includes a sub-program on {sub_topic}.")
                stid = self.topic(doc, sub_topic)
                self._entity(doc, sub, sub_line, "Program", sub_label, {"subProgramOf": prog, "topic": stid})
        if self.rng.random() < 0.4:
            topic_name = self.pick_topic()
            label = f"Belt and Road {_title(topic_name)} Innovation Report {c.start.year}"
            rid = self.w.new_id("report", slugify(label))
            line = doc.say(f"The {label} was also released at the conference; it covers {topic_name}.")
            self._entity(doc, rid, line, "Report", label, {"launchedAt": c.id, "year": str(c.start.year),
                                                           "topic": self.topic(doc, topic_name)})
        count = self.rng.randint(50, 90)
        line = doc.say(f"By the end of {c.start.year - 1}, China had signed intergovernmental science and "
                       f"technology cooperation agreements with {count} countries.")
        self.place(doc, CHINA)
        self._statistic(doc, c, line, count, "bri:Exactly",
                        f"countries with intergovernmental science and technology cooperation agreements with "
                        f"China ({c.start.year - 1})", CHINA)
        share = round(self.rng.uniform(5, 60), 1)
        topic_name = self.pick_topic()
        line = doc.say(f"About {share} percent of the joint projects concern {topic_name}.")
        self._statistic(doc, c, line, share, "bri:Approximately", f"share of joint projects on {topic_name}", c.id,
                        unit="percent", topic=self.topic(doc, topic_name))
        self._footer(doc)
        return doc

    def _labs(self, c: _Conf) -> _Doc:
        series = c.series
        series.batches += 1
        number = series.batches
        ordinal = (ORDINALS[number - 1] if number <= len(ORDINALS) else f"{number}th").lower()
        doc = _Doc(self.w.new_slug(f"{c.id.split('/')[1]}-joint-labs"),
                   f"The {ordinal} batch of joint laboratories launched at the {c.label}", "NewsArticle", c.end)
        self._header(doc)
        if series.lab_program is None:
            label = f"Joint Laboratory Program of the {series.name}"
            series.lab_program = self.w.new_id("program", slugify(f"joint-labs-{series.id.split('/')[1]}"))
            line = doc.say(f"The joint laboratories are built under the {label}.")
            doc.say("The program was initiated by China.")
            self._entity(doc, series.lab_program, line, "Program", label, {"launchedBy": CHINA})
            self.place(doc, CHINA)
        else:
            label = self.w.labels[series.lab_program]
            line = doc.say(f"The joint laboratories are built under the {label}.")
            self._entity(doc, series.lab_program, line, "Program", label)
        batch = self.w.new_id("joint-lab-batch", f"{series.id.split('/')[1]}-{number}")
        line = doc.say(f"The {ordinal} batch of joint laboratories was launched at the {c.label}.")
        self._entity(doc, c.id, line, "Conference", c.label)
        self._entity(doc, batch, line, "JointLabBatch", f"{_title(ordinal)} batch of joint laboratories of the "
                     f"{series.name}", {"batchNumber": number, "batchOf": series.lab_program, "launchedAt": c.id})
        for _ in range(self.rng.randint(3, 8)):
            country = self.rng.choice(self.w.countries)
            topic_name = self.pick_topic()
            label = f"China-{self.w.labels[country]} Joint Laboratory on {_title(topic_name)}"
            lab = self.w.new_id("joint-lab", slugify(label))
            host = self.new_or_existing_org(CHINA, True)
            partner = self.new_or_existing_org(country, False)
            city = self._org_place[host]
            line = doc.say(f"The {label} will be built by the {self.w.labels[host]} and the "
                           f"{self.w.labels[partner]} in {self.w.labels[city]}, working on {topic_name}.")
            self.org(doc, host)
            self.org(doc, partner)
            self.place(doc, country)
            self.place(doc, city)
            tid = self.topic(doc, topic_name)
            self._entity(doc, lab, line, "JointLab", label,
                         {"inBatch": batch, "partnerCountry": country, "launchedBy": [host, partner],
                          "locatedIn": city, "topic": tid})
        self._footer(doc)
        return doc

    def documents(self) -> Iterator[_Doc]:
        while True:
            yield from self.unit()


@dataclass
class _Conf:
    id: str
    label: str
    alt: str
    series: _Series
    edition: int
    start: dt.date
    end: dt.date
    city: str

    @property
    def ordinal_word(self) -> str:
        return (ORDINALS[self.edition - 1] if self.edition <= len(ORDINALS) else f"{self.edition}th").lower()


# ------------------------------------------------------------------------------------------------
# Injected violations
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExpectedResult:
    """One SHACL result a validator must report: focus node, path (full IRI, '' for none), component."""

    focus: str
    path: str
    component: str


@dataclass(frozen=True)
class InjectedViolation:
    """One injected defect: its kind, the document it is in, and the results it must produce."""

    kind: str
    document: str
    results: tuple[ExpectedResult, ...]


VIOLATION_KINDS: dict[str, str] = {
    "statistic-without-value": "a statistic loses its bri:value (MinCount)",
    "conference-held-in-non-place": "a conference is bri:heldIn a topic, not a Place (Class)",
    "commitment-of-two-policies": "a commitment gets a second bri:commitmentOf (MaxCount)",
    "year-bad-pattern": "a policy document's bri:year is '2025Z', a gYear that breaks the YYYY pattern (Pattern)",
    "missing-evidence": "a statistic loses its bri:evidence links (MinCount)",
    "ill-typed-value": "a statistic's value is 'about eighty'^^xsd:decimal, an ill-typed literal (Datatype)",
    "statement-with-language": "a commitment's statement is a language-tagged string, not xsd:string (Datatype)",
    "edition-number-zero": "a conference has editionNumber 0 (MinInclusive)",
    "two-english-labels": "an entity gets a second rdfs:label in English (UniqueLang)",
    "topic-outside-scheme": "a topic loses skos:inScheme bri:TopicScheme (HasValue)",
    "start-after-end": "a conference starts after it ends (LessThanOrEquals)",
    "measure-too-short": "a statistic's measure is 'ab' (MinLength)",
    "evidence-position-reversed": "an evidence position selector has start == end (Node, nested QualifiedMinCount)",
    "evidence-two-quote-selectors": "an evidence target has two quote selectors (Node, nested QualifiedMaxCount)",
    "alt-label-without-language": "an entity gets a plain-string skos:altLabel (Datatype)",
    "document-bad-sha256": "a source document's bri:sha256 is upper-case hex (Pattern)",
}


class _Injector:
    """Applies pending injections to a document's triples as soon as a document offers a victim."""

    def __init__(self, count: int, kinds: list[str] | None = None) -> None:
        order = kinds or list(VIOLATION_KINDS)
        unknown = [k for k in order if k not in VIOLATION_KINDS]
        if unknown:
            raise ValueError(f"unknown violation kinds {unknown}; known: {sorted(VIOLATION_KINDS)}")
        self.pending = [order[i % len(order)] for i in range(count)]
        self.done: list[InjectedViolation] = []
        self.used: set[tuple[str, str]] = set()   # (focus, path) already broken
        self.topics: list[URIRef] = []            # topics seen so far (for a wrong-class value)

    def apply(self, doc: LoadedDocument, triples: set[Triple], writer: _Writer) -> None:
        home = {r.id: r for r in doc.model.entities if r.type}
        by_type: dict[str, list[str]] = {}
        for rid, rec in home.items():
            by_type.setdefault(rec.type or "", []).append(rid)
        self.topics.extend(entity_iri(t) for t in by_type.get("Topic", []))
        remaining = []
        for kind in self.pending:
            result = getattr(self, "_" + kind.replace("-", "_"))(doc, triples, by_type, writer)
            if result is None:
                remaining.append(kind)
            else:
                self.done.append(InjectedViolation(kind, doc.model.document.slug, tuple(result)))
        self.pending = remaining

    # helpers
    def _victim(self, ids: list[str], path: URIRef, need: Callable[[URIRef], bool] = lambda _s: True) -> URIRef | None:
        for rid in ids:
            s = entity_iri(rid)
            if (str(s), str(path)) not in self.used and need(s):
                self.used.add((str(s), str(path)))
                return s
        return None

    @staticmethod
    def _objects(triples: set[Triple], s: URIRef, p: URIRef) -> list[URIRef | Literal]:
        return [o for (s2, p2, o) in triples if s2 == s and p2 == p]

    def _replace(self, triples: set[Triple], s: URIRef, p: URIRef, new: URIRef | Literal | None) -> None:
        for o in self._objects(triples, s, p):
            triples.discard((s, p, o))
        if new is not None:
            triples.add((s, p, new))

    @staticmethod
    def _r(focus: URIRef, path: URIRef | None, component: str) -> ExpectedResult:
        return ExpectedResult(str(focus), str(path) if path is not None else "", component)

    # the kinds
    def _statistic_without_value(self, doc, triples, by_type, writer):
        s = self._victim(by_type.get("Statistic", []), BRI.value)
        if s is None:
            return None
        self._replace(triples, s, BRI.value, None)
        return [self._r(s, BRI.value, "MinCount")]

    def _conference_held_in_non_place(self, doc, triples, by_type, writer):
        if not self.topics:
            return None
        s = self._victim(by_type.get("Conference", []), BRI.heldIn)
        if s is None:
            return None
        self._replace(triples, s, BRI.heldIn, self.topics[0])
        return [self._r(s, BRI.heldIn, "Class")]

    def _commitment_of_two_policies(self, doc, triples, by_type, writer):
        others = writer.w.policies
        s = self._victim(by_type.get("Commitment", []), BRI.commitmentOf)
        if s is None:
            return None
        mine = self._objects(triples, s, BRI.commitmentOf)
        other = next((entity_iri(p) for p in others if entity_iri(p) not in mine), None)
        if other is None:
            self.used.discard((str(s), str(BRI.commitmentOf)))
            return None
        triples.add((s, BRI.commitmentOf, other))
        return [self._r(s, BRI.commitmentOf, "MaxCount")]

    def _year_bad_pattern(self, doc, triples, by_type, writer):
        ids = [i for t in POLICY_KINDS for i in by_type.get(t, [])]
        s = self._victim(ids, BRI.year)
        if s is None:
            return None
        year = str(self._objects(triples, s, BRI.year)[0])
        self._replace(triples, s, BRI.year, Literal(f"{year}Z", datatype=XSD.gYear))
        return [self._r(s, BRI.year, "Pattern")]

    def _missing_evidence(self, doc, triples, by_type, writer):
        # statistics are never mentioned again by a later document, so their evidence stays removed
        s = self._victim(by_type.get("Statistic", []), BRI.evidence)
        if s is None:
            return None
        self._replace(triples, s, BRI.evidence, None)
        return [self._r(s, BRI.evidence, "MinCount")]

    def _ill_typed_value(self, doc, triples, by_type, writer):
        s = self._victim(by_type.get("Statistic", []), BRI.value)
        if s is None:
            return None
        self._replace(triples, s, BRI.value, Literal("about eighty", datatype=XSD.decimal))
        return [self._r(s, BRI.value, "Datatype")]

    def _statement_with_language(self, doc, triples, by_type, writer):
        s = self._victim(by_type.get("Commitment", []), BRI.statement)
        if s is None:
            return None
        text = str(self._objects(triples, s, BRI.statement)[0])
        self._replace(triples, s, BRI.statement, Literal(text, lang="en"))
        return [self._r(s, BRI.statement, "Datatype")]

    def _edition_number_zero(self, doc, triples, by_type, writer):
        s = self._victim(by_type.get("Conference", []), BRI.editionNumber)
        if s is None:
            return None
        self._replace(triples, s, BRI.editionNumber, Literal("0", datatype=XSD.integer))
        return [self._r(s, BRI.editionNumber, "MinInclusive")]

    def _two_english_labels(self, doc, triples, by_type, writer):
        ids = [i for i in by_type.get("Organization", []) + by_type.get("Person", [])]
        s = self._victim(ids, RDFS.label)
        if s is None:
            return None
        label = str(self._objects(triples, s, RDFS.label)[0])
        triples.add((s, RDFS.label, Literal(f"{label} (second spelling)", lang="en")))
        return [self._r(s, RDFS.label, "UniqueLang")]

    def _topic_outside_scheme(self, doc, triples, by_type, writer):
        # a topic first defined in this document; retired so that no later document mentions it
        # (each mention re-adds skos:inScheme)
        s = self._victim(by_type.get("Topic", []), SKOS.inScheme)
        if s is None:
            return None
        self._replace(triples, s, SKOS.inScheme, None)
        writer.w.retired_topics.add(str(s).removeprefix(str(ID)))
        self.topics = [t for t in self.topics if t != s]
        return [self._r(s, SKOS.inScheme, "HasValue")]

    def _start_after_end(self, doc, triples, by_type, writer):
        s = self._victim(by_type.get("Conference", []), BRI.startDate,
                         lambda c: bool(self._objects(triples, c, BRI.endDate)))
        if s is None:
            return None
        start, end = self._objects(triples, s, BRI.startDate)[0], self._objects(triples, s, BRI.endDate)[0]
        self._replace(triples, s, BRI.startDate, end)
        self._replace(triples, s, BRI.endDate, start)
        self.used.add((str(s), str(BRI.endDate)))
        return [self._r(s, BRI.startDate, "LessThanOrEquals")]

    def _measure_too_short(self, doc, triples, by_type, writer):
        s = self._victim(by_type.get("Statistic", []), BRI.measure)
        if s is None:
            return None
        self._replace(triples, s, BRI.measure, Literal("ab"))
        return [self._r(s, BRI.measure, "MinLength")]

    def _evidence_nodes(self, triples: set[Triple]) -> list[str]:
        return sorted(str(s) for (s, p, o) in triples if p == RDF.type and o == BRI.Evidence)

    def _evidence_position_reversed(self, doc, triples, by_type, writer):
        for ev in self._evidence_nodes(triples):
            if (ev, str(OA.hasTarget)) in self.used:
                continue
            self.used.add((ev, str(OA.hasTarget)))
            target, position = URIRef(f"{ev}#target"), URIRef(f"{ev}#position")
            end = self._objects(triples, position, OA.end)[0]
            self._replace(triples, position, OA.start, end)
            return [self._r(URIRef(ev), OA.hasTarget, "Node"), self._r(target, OA.hasSelector, "QualifiedMinCount")]
        return None

    def _evidence_two_quote_selectors(self, doc, triples, by_type, writer):
        for ev in self._evidence_nodes(triples):
            if (ev, str(OA.hasTarget)) in self.used:
                continue
            self.used.add((ev, str(OA.hasTarget)))
            target, extra = URIRef(f"{ev}#target"), URIRef(f"{ev}#quote-2")
            exact = self._objects(triples, URIRef(f"{ev}#quote"), OA.exact)[0]
            triples.update({(target, OA.hasSelector, extra), (extra, RDF.type, OA.TextQuoteSelector),
                            (extra, OA.exact, exact)})
            return [self._r(URIRef(ev), OA.hasTarget, "Node"), self._r(target, OA.hasSelector, "QualifiedMaxCount")]
        return None

    def _alt_label_without_language(self, doc, triples, by_type, writer):
        ids = by_type.get("Participation", []) + by_type.get("Commitment", [])
        s = self._victim(ids, SKOS.altLabel)
        if s is None:
            return None
        label = str(self._objects(triples, s, RDFS.label)[0])
        triples.add((s, SKOS.altLabel, Literal(label.lower())))
        return [self._r(s, SKOS.altLabel, "Datatype")]

    def _document_bad_sha256(self, doc, triples, by_type, writer):
        s = ID[f"document/{doc.model.document.slug}"]
        if (str(s), str(BRI.sha256)) in self.used:
            return None
        self.used.add((str(s), str(BRI.sha256)))
        self._replace(triples, s, BRI.sha256, Literal(doc.sha256.upper()))
        return [self._r(s, BRI.sha256, "Pattern")]


# ------------------------------------------------------------------------------------------------
# N-Quads output and the entry point
# ------------------------------------------------------------------------------------------------
def _escape(text: str) -> str:
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return text


def nt_term(term: URIRef | Literal) -> str:
    """The N-Triples form of an IRI or literal, as rdflib's N-Quads serializer writes it."""
    if isinstance(term, Literal):
        if term.language:
            return f'"{_escape(str(term))}"@{term.language}'
        if term.datatype is not None:
            return f'"{_escape(str(term))}"^^<{term.datatype}>'
        return f'"{_escape(str(term))}"'
    return f"<{term}>"


@dataclass
class SynthResult:
    """What was generated, with exact counts."""

    nquads: Path
    target: int
    seed: int
    triples: int          # distinct (s, p, o) over all graphs: what a validator of the union sees
    quads: int            # lines of the N-Quads file (a triple stated by two documents counts twice)
    documents: int
    records: int
    entities: int
    conferences: int
    seconds: float
    injected: list[InjectedViolation] = field(default_factory=list)

    @property
    def expected_results(self) -> list[ExpectedResult]:
        return [r for v in self.injected for r in v.results]

    def summary(self) -> dict[str, Any]:
        data = asdict(self)
        data["nquads"] = str(self.nquads)
        return data


class _Buffer(set):
    """A per-document TripleSink (``add`` is set.add): rdflib Graph indexing would triple the cost."""


# Subjects that only ever occur in their own document's graph (their IRI carries the document slug);
# their triples need no corpus-wide de-duplication, which keeps the memory for counting small.
_PER_DOCUMENT = ("<" + str(ID) + "evidence/", "<" + str(ID) + "document/")


def iter_documents(seed: int = 0) -> Iterator[LoadedDocument]:
    """The endless, deterministic stream of synthetic documents for *seed* (each refers only to
    entities defined in it or before it)."""
    writer = _Writer(seed)
    for doc in writer.documents():
        yield doc.loaded()


def generate(target_triples: int, out: Path, seed: int = 0, violations: int = 0,
             data_root: Path | None = None, kinds: list[str] | None = None,
             progress: Progress | None = None) -> SynthResult:
    """Write a corpus of about *target_triples* distinct triples to the N-Quads file *out*.

    Stops after the first document that reaches the target, so the count exceeds it by less than one
    document. ``violations`` injects that many defects (kinds cycle through *kinds*, default all of
    :data:`VIOLATION_KINDS`); the expected SHACL results are in the returned ``injected`` and in
    ``<out>.violations.json``. ``data_root`` also writes ``data/sources``, ``data/annotations`` (YAML)
    and copies of ``ontology/`` and ``shapes/`` there, so ``BRI_KG_ROOT=<data_root> bri-kg build``
    builds the same graphs (clean corpora only: injected defects cannot be written as annotations).
    """
    if target_triples < 1:
        raise ValueError("target_triples must be positive")
    if data_root is not None and violations:
        raise ValueError("data_root is for clean corpora: the build refuses injected defects")
    started = time.perf_counter()
    ontology = OntologyIndex(load_ontology(PROJECT_ROOT / "ontology"))
    mapper = CorpusMapper(ontology)
    writer = _Writer(seed)
    injector = _Injector(violations, kinds) if violations else None
    if data_root is not None:
        _prepare_root(data_root)
    seen: set[int] = set()
    triples = quads = documents = records = per_doc_triples = overshoot = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    next_report = 0.0
    with out.open("w", encoding="utf-8", newline="\n") as sink:
        for draft in writer.documents():
            doc = draft.loaded()
            mapper.add_definitions([doc])
            buffer = _Buffer()
            mapper.map_document(doc, buffer)
            if mapper.problems:
                raise BuildError("generating the synthetic corpus", mapper.problems)
            if injector is not None:
                injector.apply(doc, buffer, writer)
            graph = f" <{graph_iri(doc.model.document.slug)}> .\n"
            lines = sorted(f"{nt_term(s)} {nt_term(p)} {nt_term(o)}" for s, p, o in buffer)
            sink.writelines(line + graph for line in lines)
            for line in lines:
                if line.startswith(_PER_DOCUMENT):
                    per_doc_triples += 1
                else:
                    seen.add(hash(line))
            quads += len(lines)
            documents += 1
            records += len(doc.model.entities)
            triples = per_doc_triples + len(seen)
            if data_root is not None:
                _write_annotation(data_root, doc)
            if progress is not None and time.perf_counter() >= next_report:
                progress(f"{documents} documents, {triples:,} triples")
                next_report = time.perf_counter() + 2.0
            if triples >= target_triples:
                if injector is None or not injector.pending:
                    break
                overshoot += 1
                if overshoot > 500:
                    raise ValueError(f"no victim found for injected violations {injector.pending} "
                                     f"(some kinds need entities first defined late, e.g. a new topic): "
                                     f"inject fewer, or fewer of those kinds")
    mapper.check_definitions()
    if mapper.problems:
        raise BuildError("generating the synthetic corpus", mapper.problems)
    result = SynthResult(out, target_triples, seed, triples, quads, documents, records, len(writer.w.defined),
                         writer.w.units, round(time.perf_counter() - started, 3),
                         injector.done if injector else [])
    if injector is not None:
        Path(f"{out}.violations.json").write_text(json.dumps(
            [asdict(v) for v in injector.done], indent=1) + "\n", encoding="utf-8")
    return result


def _prepare_root(root: Path) -> None:
    for sub in ("ontology", "shapes"):
        shutil.rmtree(root / sub, ignore_errors=True)
        shutil.copytree(PROJECT_ROOT / sub, root / sub)
    for sub in ("data/sources", "data/annotations"):
        shutil.rmtree(root / sub, ignore_errors=True)
        (root / sub).mkdir(parents=True)


def _write_annotation(root: Path, doc: LoadedDocument) -> None:
    header = doc.model.document
    (root / "data" / header.file).write_bytes(doc.text.encode("utf-8"))
    data = doc.model.model_dump(mode="json", exclude_defaults=True)
    (root / "data" / "annotations" / f"{header.slug}.yaml").write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")


def corpus(target_triples: int, seed: int = 0) -> list[LoadedDocument]:
    """The in-memory documents :func:`generate` would write for this target (for tests at small sizes):
    as many documents of :func:`iter_documents` as it takes, counted the same way."""
    mapper = CorpusMapper(OntologyIndex(load_ontology(PROJECT_ROOT / "ontology")))
    docs: list[LoadedDocument] = []
    seen: set[tuple[Any, ...]] = set()
    for doc in iter_documents(seed):
        docs.append(doc)
        mapper.add_definitions([doc])
        buffer = _Buffer()
        mapper.map_document(doc, buffer)
        seen.update(buffer)
        if len(seen) >= target_triples:
            return docs
    raise AssertionError("unreachable: the document stream is endless")
