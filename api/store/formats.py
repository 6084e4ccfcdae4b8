"""Every result format the stores write, in one place: SPARQL results and RDF graphs.

SELECT/ASK: our own writers (JSON, XML, CSV, TSV) over collected rows of ``Term``s. Why not
Oxigraph's? A result-row cap needs to stop after N rows and still produce a complete, well-formed
document; Oxigraph serialises a whole iterator or nothing (a query whose own LIMIT keeps it under
the cap is handed to Oxigraph's native writer instead, see ``api.store.answer``). The formats are
small, fully specified, and parsed back by the test-suite with independent parsers.

Graphs (CONSTRUCT/DESCRIBE answers, the service description, converted files): Oxigraph's
serialisers, keyed by the same format names as ``api.web.negotiation``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from api.store.terms import XSD_STRING, TermTuple, ntriples

Row = Sequence[TermTuple | None]
_BARE_IN_TSV = {
    "http://www.w3.org/2001/XMLSchema#integer",
    "http://www.w3.org/2001/XMLSchema#decimal",
    "http://www.w3.org/2001/XMLSchema#double",
    "http://www.w3.org/2001/XMLSchema#boolean",
}


def _json_term(term: TermTuple) -> dict[str, str]:
    kind = term[0]
    if kind == "uri":
        return {"type": "uri", "value": term[1]}
    if kind == "bnode":
        return {"type": "bnode", "value": term[1]}
    out = {"type": "literal", "value": term[1]}
    if term[3]:
        out["xml:lang"] = term[3]
    elif term[2] and term[2] != XSD_STRING:
        out["datatype"] = term[2]
    return out


def select_json(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
    doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def boolean_json(value: bool) -> bytes:
    return json.dumps({"head": {}, "boolean": value}).encode()


_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'


def _xml_text(value: str) -> str:
    # XML 1.0 cannot carry most control characters at all; drop them rather than emit broken XML.
    return escape("".join(c for c in value if c in "\t\n\r" or ord(c) >= 0x20))


def _xml_term(term: TermTuple) -> str:
    kind = term[0]
    if kind == "uri":
        return f"<uri>{_xml_text(term[1])}</uri>"
    if kind == "bnode":
        return f"<bnode>{_xml_text(term[1])}</bnode>"
    if term[3]:
        return f"<literal xml:lang={quoteattr(term[3])}>{_xml_text(term[1])}</literal>"
    if term[2] and term[2] != XSD_STRING:
        return f"<literal datatype={quoteattr(term[2])}>{_xml_text(term[1])}</literal>"
    return f"<literal>{_xml_text(term[1])}</literal>"


def select_xml(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    parts = [_XML_HEAD, "<head>"]
    parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
    parts.append("</head><results>")
    for row in rows:
        parts.append("<result>")
        for var, term in zip(variables, row, strict=True):
            if term is not None:
                parts.append(f"<binding name={quoteattr(var)}>{_xml_term(term)}</binding>")
        parts.append("</result>")
    parts.append("</results></sparql>\n")
    return "".join(parts).encode()


def boolean_xml(value: bool) -> bytes:
    return f"{_XML_HEAD}<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n".encode()


def _csv_value(term: TermTuple | None) -> str:
    if term is None:
        return ""
    if term[0] == "bnode":
        return "_:" + term[1]
    return term[1]


def select_csv(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    """SPARQL 1.1 CSV: plain values, CRLF line ends, RFC 4180 quoting."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(t) for t in row])
    return buffer.getvalue().encode()


def _tsv_term(term: TermTuple | None) -> str:
    if term is None:
        return ""
    if term[0] == "literal" and not term[3] and term[2] in _BARE_IN_TSV and "\t" not in term[1] and "\n" not in term[1]:
        return term[1]
    return ntriples(term)


def select_tsv(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    """SPARQL 1.1 TSV: terms in Turtle/N-Triples syntax, ``?var`` header."""
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


SELECT_WRITERS = {"json": select_json, "xml": select_xml, "csv": select_csv, "tsv": select_tsv}
BOOLEAN_WRITERS = {"json": boolean_json, "xml": boolean_xml}


GRAPH_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}
_PREFIXED = (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG)


def serialize_graph(triples: Sequence[ox.Triple], key: str, prefixes: Mapping[str, str] | None = None) -> bytes:
    """*triples* in the RDF format named *key* (Turtle for an unknown key); datasets formats put them
    in the default graph; prefixes are used where the syntax has them."""
    rdf_format = GRAPH_RDF_FORMATS.get(key, ox.RdfFormat.TURTLE)
    items: Sequence[ox.Triple] | list[ox.Quad] = triples
    if rdf_format.supports_datasets:
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    use_prefixes = dict(prefixes) if prefixes and rdf_format in _PREFIXED else None
    return ox.serialize(items, format=rdf_format, prefixes=use_prefixes) or b""
