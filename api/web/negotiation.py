"""Content negotiation: the media types we serve and picking one from ``Accept`` (RFC 9110 q-values).

A ``format`` query parameter (a short name such as ``ttl`` or a media type) overrides ``Accept``,
which is handy in a browser's address bar and is what SPARQLWrapper adds to its requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Format:
    key: str  # stable short name, also what workers receive
    media_type: str  # what we send in Content-Type
    aliases: tuple[str, ...] = ()  # other media types that select this format
    names: tuple[str, ...] = ()  # short names accepted by ?format=
    extension: str = ""

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/") or self.media_type.endswith(("json", "xml"))
        trig_like = self.media_type in ("application/n-triples", "application/n-quads", "application/trig")
        return f"{self.media_type}; charset=utf-8" if textual or trig_like else self.media_type

    def matches(self, media_type: str) -> bool:
        return media_type == self.media_type or media_type in self.aliases


RESULTS_JSON = Format(
    "json",
    "application/sparql-results+json",
    ("application/json", "text/javascript", "application/javascript"),
    ("json", "srj"),
    "srj",
)
RESULTS_XML = Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml"), ("xml", "srx"), "srx")
RESULTS_CSV = Format("csv", "text/csv", (), ("csv",), "csv")
RESULTS_TSV = Format("tsv", "text/tab-separated-values", (), ("tsv",), "tsv")

TURTLE = Format(
    "turtle",
    "text/turtle",
    ("application/x-turtle", "application/turtle", "text/n3", "text/rdf+n3"),
    ("turtle", "ttl", "n3"),
    "ttl",
)
NTRIPLES = Format("ntriples", "application/n-triples", ("text/plain",), ("nt", "ntriples", "n-triples"), "nt")
JSONLD = Format(
    "jsonld",
    "application/ld+json",
    ("application/json", "application/x-json+ld"),
    ("jsonld", "json-ld", "json"),
    "jsonld",
)
RDFXML = Format(
    "rdfxml",
    "application/rdf+xml",
    ("application/xml", "text/xml"),
    ("rdfxml", "rdf", "rdf+xml", "xml"),
    "rdf",
)
NQUADS = Format("nquads", "application/n-quads", (), ("nq", "nquads", "n-quads"), "nq")
TRIG = Format("trig", "application/trig", (), ("trig",), "trig")
HTML = Format("html", "text/html", ("application/xhtml+xml",), ("html",), "html")
JSON = Format("apijson", "application/json", (), ("json",), "json")
CSV = Format("apicsv", "text/csv", (), ("csv",), "csv")

SELECT_FORMATS = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)
BOOLEAN_FORMATS = (RESULTS_JSON, RESULTS_XML)
GRAPH_FORMATS = (TURTLE, NTRIPLES, JSONLD, RDFXML, NQUADS, TRIG)
ALL_FORMATS = {f.key: f for f in (*SELECT_FORMATS, *GRAPH_FORMATS, HTML, JSON, CSV)}


class NotAcceptable(Exception):
    """No offered format is acceptable to the client (HTTP 406)."""

    def __init__(self, offers: tuple[Format, ...], asked: str):
        self.offers = offers
        super().__init__(f"cannot produce {asked!r}; available: " + ", ".join(f.media_type for f in offers))


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    params: dict[str, str] = field(default_factory=dict)

    def specificity(self, media_type: str) -> int:
        """3 exact, 2 ``type/*``, 1 ``*/*``, 0 no match."""
        mtype, _, msub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 1
        if self.type == mtype and self.subtype == "*":
            return 2
        return 3 if (self.type, self.subtype) == (mtype, msub) else 0


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header leniently: malformed items are skipped, a bad q counts as 1."""
    ranges: list[MediaRange] = []
    for item in (header or "").split(","):
        parts = [p.strip() for p in item.split(";")]
        if not parts[0] or "/" not in parts[0]:
            continue
        mtype, _, msub = parts[0].lower().partition("/")
        q, params = 1.0, {}
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 1.0
            elif name:
                params[name.strip().lower()] = value.strip().strip('"')
        ranges.append(MediaRange(mtype.strip(), msub.strip(), q, params))
    return ranges


def _quality(fmt: Format, ranges: list[MediaRange]) -> tuple[float, int]:
    """The q of the most specific range matching the format, and that specificity.

    Aliases (``application/json`` for SPARQL JSON results...) count only when named exactly, so a
    wildcard such as ``text/*`` picks a format by its own media type, not by an alias."""
    best_spec, best_q = 0, 0.0
    for rng in ranges:
        spec = rng.specificity(fmt.media_type)
        if spec == 0 and rng.subtype != "*" and any(rng.specificity(a) == 3 for a in fmt.aliases):
            spec = 3
        if spec > best_spec or (spec == best_spec and spec and rng.q > best_q):
            best_spec, best_q = spec, rng.q
    return best_q, best_spec


def negotiate(accept: str | None, offers: tuple[Format, ...]) -> Format | None:
    """The offer the client prefers; the first offer if it has no preference; None if none is acceptable.

    Ties on q go to the more specific match (``text/turtle`` beats ``*/*``), then to our order.
    """
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0]
    scored = [(_quality(f, ranges), -i, f) for i, f in enumerate(offers)]
    (q, spec), _, best = max(scored, key=lambda s: (s[0][0], s[0][1], s[1]))
    return best if q > 0 and spec > 0 else None


def by_name(name: str, offers: tuple[Format, ...]) -> Format | None:
    """Resolve a ``format=`` value among *offers*: a short name, a media type, or a comma-separated
    list of either (SPARQLWrapper sends ``format=application/ld+json,application/x-json+ld``)."""
    for item in name.split(","):
        wanted = item.strip().lower()
        for fmt in offers:
            if wanted in fmt.names or fmt.matches(wanted.split(";")[0].strip()):
                return fmt
    return None


def choose(accept: str | None, format_param: str | None, offers: tuple[Format, ...]) -> Format:
    """``format=`` if given, else ``Accept``; raise NotAcceptable when nothing fits."""
    if format_param:
        fmt = by_name(format_param, offers)
        if fmt is None:
            raise NotAcceptable(offers, format_param)
        return fmt
    fmt = negotiate(accept, offers)
    if fmt is None:
        raise NotAcceptable(offers, accept or "")
    return fmt


JSON_ERROR_PATHS = ("/api/", "/reconcile")  # clients of these read JSON, errors included


def errors_in_json(path: str) -> bool:
    """Whether errors at *path* are JSON ``{"detail": ...}`` (else plain text, as SPARQL clients expect)."""
    return path.startswith(JSON_ERROR_PATHS)


def prefers_html(accept: str | None) -> bool:
    """True for browsers: text/html is acceptable and ranked at least as high as any RDF or JSON type."""
    ranges = parse_accept(accept)
    html_q, html_spec = _quality(HTML, ranges)
    if html_q <= 0 or html_spec < 3:
        return False
    others = [_quality(f, ranges) for f in (*GRAPH_FORMATS, *SELECT_FORMATS, JSON)]
    return all(html_q >= q for q, spec in others if spec >= 2)
