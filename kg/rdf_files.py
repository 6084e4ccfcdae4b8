"""Reading RDF files that come from outside (``bri-kg validate``), safely: nothing fetched, nothing
expanded, time linear in the input, limits with clear messages.

Why not rdflib's parsers: they fetch remote JSON-LD contexts (string, array and ``@import`` forms
all reached a loopback canary), expand XML entities (a 591-byte RDF/XML bomb ran for over 11
minutes), take time quadratic in a literal's length (4 MB: 105 s) and put the whole file into a
truncated Turtle file's error message. Oxigraph's parsers stream, take linear time, load no remote
context (JSON-LD) and no external entity (RDF/XML); what is left is refused here before parsing:
an RDF/XML file that declares entities at all (internal ones expand without bound). Nothing reads
``owl:imports`` either: it is a triple like any other.

Every problem is a ``RdfFileError`` naming the file, the problem and the fix; a syntax error
quotes the offending line (at most 160 characters of it), never the file.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.config import Settings

FORMATS_BY_SUFFIX = {
    ".ttl": ox.RdfFormat.TURTLE, ".turtle": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS, ".nquads": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML,
}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_LINE = re.compile(r"\bline (\d+)")
_ENTITY = b"<!ENTITY"


class RdfFileError(ValueError):
    """A file that cannot be read as RDF, or may not be: the message names the file, the problem, the fix."""


@dataclass(frozen=True)
class FileLimits:
    """How big a file may be and how long parsing it may take."""

    max_bytes: int = 512 << 20
    max_seconds: float = 300.0

    @classmethod
    def from_settings(cls, settings: Settings) -> FileLimits:
        return cls(settings.max_file_bytes, settings.max_parse_s)


def rdf_format(path: Path) -> ox.RdfFormat:
    fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise RdfFileError(f"{path}: unknown extension {path.suffix!r}; use one of {', '.join(FORMATS_BY_SUFFIX)}")
    return fmt


def _check_file(path: Path, limits: FileLimits) -> int:
    if not path.is_file():
        raise RdfFileError(f"{path}: no such file")
    size = path.stat().st_size
    if size == 0:
        raise RdfFileError(f"{path}: the file is empty (0 bytes): there is nothing to validate")
    if size > limits.max_bytes:
        raise RdfFileError(f"{path}: {size:,} bytes, over the limit of {limits.max_bytes:,} bytes for one file; "
                           "split it, or raise the limit (BRI_KG_MAX_FILE_BYTES)")
    return size


def _refuse_entities(path: Path) -> None:
    """RDF/XML with <!ENTITY declarations: refused, as expanding them is unbounded (an 'XML bomb')."""
    with path.open("rb") as handle:
        tail = b""
        offset = 0
        while chunk := handle.read(1 << 20):
            found = (tail + chunk).find(_ENTITY)
            if found >= 0:
                line = _line_number(path, offset - len(tail) + found)
                raise RdfFileError(
                    f"{path}:{line}: the file declares XML entities (<!ENTITY ...>); entity expansion is refused "
                    "on files from outside (it is unbounded: an 'XML bomb' of a few hundred bytes expands to "
                    "gigabytes). Fix: write the values out in place of the &references; and drop the DOCTYPE")
            tail = chunk[-len(_ENTITY):]
            offset += len(chunk)


def _line_number(path: Path, offset: int) -> int:
    with path.open("rb") as handle:
        return handle.read(offset).count(b"\n") + 1


def _quote_line(path: Path, line: int) -> str:
    with path.open("rb") as handle:
        for number, text in enumerate(handle, 1):
            if number == line:
                shown = text.rstrip(b"\r\n").decode("utf-8", errors="replace")
                return shown if len(shown) <= 160 else shown[:157] + "..."
    return ""


def _syntax_problem(path: Path, fmt: ox.RdfFormat, exc: Exception) -> RdfFileError:
    message = str(exc).strip()
    message = message if len(message) <= 300 else message[:297] + "..."
    found = _LINE.search(message)
    if found is None:
        return RdfFileError(f"{path}: not valid {fmt.name}: {message}")
    line = int(found.group(1))
    return RdfFileError(f"{path}:{line}: not valid {fmt.name}: {message}\n    {line} | {_quote_line(path, line)}")


def read_quads(path: Path, limits: FileLimits | None = None) -> Iterator[ox.Quad]:
    """The quads of *path*, read by Oxigraph's parser under *limits*; raises ``RdfFileError``."""
    limits = limits or FileLimits()
    fmt = rdf_format(path)
    _check_file(path, limits)
    if fmt == ox.RdfFormat.RDF_XML:
        _refuse_entities(path)
    started = time.monotonic()
    count = 0
    try:
        for quad in ox.parse(path=path, format=fmt, base_iri=path.resolve().as_uri()):
            count += 1
            if count % 4096 == 0 and time.monotonic() - started > limits.max_seconds:
                raise RdfFileError(f"{path}: parsing stopped after {limits.max_seconds:g} s ({count:,} triples read); "
                                   "split the file, or raise the limit (BRI_KG_MAX_PARSE_S)")
            yield quad
    except SyntaxError as exc:
        raise _syntax_problem(path, fmt, exc) from None
    except MemoryError as exc:
        raise RdfFileError(f"{path}: a single term (a literal or an IRI) is too long to read ({exc}); "
                           "shorten it") from None
    except (OSError, ValueError) as exc:
        if isinstance(exc, RdfFileError):
            raise
        raise RdfFileError(f"{path}: cannot be read: {exc}") from None
    if count == 0:
        raise RdfFileError(f"{path}: holds no triples (only prefixes, comments or whitespace): nothing to validate")


def _to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype in (XSD_STRING, RDF_LANG_STRING) else URIRef(datatype))
    raise RdfFileError(f"RDF-star triple terms are not supported: {term}")


def to_graph(quads: Iterable[ox.Quad]) -> Graph:
    """The union of the quads' graphs as an rdflib graph (what the SHACL validator takes)."""
    graph = Graph()
    for quad in quads:
        graph.add((_to_rdflib(quad.subject), _to_rdflib(quad.predicate), _to_rdflib(quad.object)))
    return graph


def read_graph(path: Path, limits: FileLimits | None = None) -> Graph:
    """Any supported RDF file, safely, as one rdflib graph (the union of its named graphs)."""
    return to_graph(read_quads(path, limits))


def read_store(path: Path, limits: FileLimits | None = None) -> ox.Store:
    """Any supported RDF file, safely, into an in-memory Oxigraph store (named graphs kept)."""
    store = ox.Store()
    store.extend(read_quads(path, limits))
    return store
